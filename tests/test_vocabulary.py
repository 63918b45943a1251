"""One vocabulary: the eleven analysis prompts, the briefing items (a)-(l), the six significance
questions and the ten profile items are defined once, in reviewer_tui.domain, with the bundle
schema's keys and the seed documents' wording; the screens, the core and the reports all say the
same words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reviewer_tui import domain
from reviewer_tui.reports.context import build_context
from tests.conftest import SAMPLE, SHARED

SCHEMA = json.loads(
    (Path(domain.__file__).parent / "bundle_schema.json").read_text(encoding="utf-8")
)
DEFS = SCHEMA["$defs"]
SEED_003 = next((SHARED / "seeds").glob("003_*.txt")).read_text(encoding="utf-8")


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.casefold()).split())


def test_the_vocabularies_have_the_bundle_schemas_keys_in_its_order() -> None:
    assert [k for k, _ in domain.ANALYSIS_PROMPTS] == list(DEFS["analysis"]["properties"])
    briefing = DEFS["interview"]["properties"]["briefing"]["properties"]
    assert [k for k, _, _ in domain.BRIEFING_ITEMS] == list(briefing)
    # The letters (a)-(l) are the schema's own, in its descriptions.
    assert [f"({letter})" for _, letter, _ in domain.BRIEFING_ITEMS] == [
        d["description"][:3] for d in briefing.values()
    ]
    significance = DEFS["chronology_entry"]["properties"]["significance"]["items"]["enum"]
    assert [q.key for q in domain.SIGNIFICANCE_QUESTIONS] == significance
    assert domain.SIGNIFICANCE_KEYS == tuple(significance)
    person = DEFS["person"]["properties"]
    numbered = [k for k, v in person.items() if re.match(r"\d+\. ", v.get("description", ""))]
    assert [k for k, _ in domain.PROFILE_ITEMS] == numbered
    # Each profile label carries the schema's item number.
    for key, label in domain.PROFILE_ITEMS:
        assert label.split(" ")[0] == person[key]["description"].split(" ")[0]


def test_the_wording_is_the_seeds() -> None:
    seed = _words(SEED_003)
    for _, label in domain.PROFILE_ITEMS[:9]:
        assert _words(label.split(". ", 1)[1]) in seed, label
    # Analysis prompt 1 and 11 as FORMAT FOR MANAGEMENT REVIEW REPORT section 3 words them.
    assert _words(domain.ANALYSIS_PROMPTS[0][1]) in seed
    assert "LSCB" in domain.ANALYSIS_PROMPTS[10][1]
    for _, letter, text in domain.BRIEFING_ITEMS:
        assert re.search(rf"\({letter}\) ", SEED_003), letter
        assert text[0].isupper()


@pytest.fixture
def context() -> dict:
    bundle = json.loads(SAMPLE.read_text(encoding="utf-8"))
    bundle["chronology"][0]["significance"] = list(
        DEFS["chronology_entry"]["properties"]["significance"]["items"]["enum"]
    )
    return build_context(bundle)


def test_the_findings_screen_asks_the_reports_analysis_prompts(context: dict) -> None:
    from reviewer_tui.screens.findings import ANALYSIS_SPECS

    assert [s.label for s in ANALYSIS_SPECS] == [
        f"{n}. {a['prompt']}" for n, a in enumerate(context["analysis"], start=1)
    ]


def test_the_profile_screen_and_the_profile_form_use_the_same_labels(context: dict) -> None:
    from reviewer_tui.screens.people import PROFILE_SPECS, ROLE_SPECS

    report = dict(context["profile_items"])
    for spec in (*PROFILE_SPECS, *ROLE_SPECS):
        assert spec.label == report[spec.name]


def test_the_profile_items_still_missing_are_named_as_on_the_form(store, context) -> None:  # noqa: ANN001
    from reviewer_tui import interviews as iv

    rid = store.create_review("Vocabulary", "internal case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    missing = iv.profile_missing(store, person.id)
    assert missing == [label for key, label in context["profile_items"] if key != "full_name"]


def test_the_briefing_letter_lists_the_checklists_items(context: dict) -> None:
    items = [item["text"] for item in context["interviews"][0]["briefing_items"]]
    assert items == [text for _, _, text in domain.BRIEFING_ITEMS]


def test_the_significance_report_uses_the_screens_labels(context: dict) -> None:
    first = next(e for e in context["chronology"] if len(e.get("significance", [])) == 6)
    assert first["significance_text"] == "; ".join(q.short for q in domain.SIGNIFICANCE_QUESTIONS)
