"""Issue 16 items 3 and 4: the pre-publication quality check (each weakness found in a review
built to have it, none in a review built clean; accepted items keyed on a stable identity and
printed with their reasons in the final report only) and the timescales (working days across a
bank holiday, a weekend and the clocks changing) with the delay log, which round-trips through
the bundle with the accepted items."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from reviewer_tui import bundle, quality, timescales
from reviewer_tui import models as m
from reviewer_tui.cli import main
from reviewer_tui.domain import STAGE_TITLES
from reviewer_tui.errors import BundleError, InputError
from reviewer_tui.read_model import reading
from reviewer_tui.reports import documents
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none")


def clean_bundle() -> dict[str, Any]:
    """A small review with nothing that would weaken its report."""
    return {
        "format": "review-bundle",
        "version": 1,
        "schema_version": 2,
        "review": {
            "title": "Review of Child Q",
            "review_type": "internal case review",
            "criterion": "concern",
            "child_name": "Quinn Adair",
            "child_pseudonym": "Child Q",
            "preliminary_questions": ["Was the referral in March acted on promptly?"],
        },
        "scope": {
            "organisations": [{"name": "Police", "code": "POL"}],
            "family_involvement_level": 5,
        },
        "records_examined": [{"id": "rec-1", "title": "Referral form", "available": True}],
        "family": {
            "members": [
                {
                    "id": "fm-1",
                    "name": "Quinn Adair",
                    "pseudonym": "Child Q",
                    "relationship": "subject child",
                },
                {
                    "id": "fm-2",
                    "name": "Mara Adair",
                    "pseudonym": "Mother",
                    "relationship": "mother",
                },
            ]
        },
        "chronology": [
            {
                "id": "c-1",
                "when": "2025-03-03",
                "event": "Referral received from the police.",
                "source": "POL",
                "known_at_the_time": True,
            }
        ],
        "people": [
            {
                "id": "p-1",
                "full_name": "Dana Whitlock",
                "pseudonym": "Social Worker 1",
                "designation": "Social worker",
            }
        ],
        "interviews": [
            {
                "id": "iv-1",
                "person_id": "p-1",
                "notes": "Account of the first visit.",
                "signed_by_interviewee": True,
                "signed_by_interviewer": True,
            }
        ],
        "findings": [
            {
                "id": "f-1",
                "statement": "Q1: the referral was acted on the same day.",
                "chronology_ids": ["c-1"],
            }
        ],
        "recommendations": [
            {
                "id": "r-1",
                "action": "Audit referral response times.",
                "owner": "Head of Service, Front Door",
                "due": "2026-06-30",
                "outcome": "Referrals acted on within one working day.",
                "measure": "Quarterly audit of 20 referrals.",
                "finding_ids": ["f-1"],
            }
        ],
        "family_involvement_record": [
            {"date": "2025-05-01", "level": 5, "family_member_ids": ["fm-2"], "action": "Met."}
        ],
    }


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(b: dict[str, Any]) -> None:
        *parts, last = path.split(".")
        node: Any = b
        for part in parts:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value

    return change


_DELETE = object()

WEAKNESSES: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    # name: (how the review is spoiled, the check that must find it, its identity)
    "no evidence": (
        _set("findings.0.chronology_ids", []),
        "finding-evidence",
        "finding-evidence:f-1",
    ),
    "only hindsight": (
        _set("chronology.0.known_at_the_time", False),
        "finding-evidence",
        "finding-evidence:f-1",
    ),
    "no owner": (
        _set("recommendations.0.owner", ""),
        "recommendation-owner",
        "recommendation-owner:r-1",
    ),
    "vague owner": (
        _set("recommendations.0.owner", "All agencies"),
        "recommendation-owner",
        "recommendation-owner:r-1",
    ),
    "no due date": (
        _set("recommendations.0.due", _DELETE),
        "recommendation-due",
        "recommendation-due:r-1",
    ),
    "no outcome": (
        _set("recommendations.0.outcome", ""),
        "recommendation-outcome",
        "recommendation-outcome:r-1",
    ),
    "no measure": (
        _set("recommendations.0.measure", ""),
        "recommendation-measure",
        "recommendation-measure:r-1",
    ),
    "no finding": (
        _set("recommendations.0.finding_ids", []),
        "recommendation-finding",
        "recommendation-finding:r-1",
    ),
    "question unanswered": (
        _set("findings.0.statement", "The referral was acted on the same day."),
        "question-unanswered",
        "question-unanswered:was the referral in march acted on promptly?",
    ),
    "agency without entries": (
        _set("chronology.0.source", "CYPS"),
        "agency-no-chronology",
        "agency-no-chronology:pol",
    ),
    "unsigned record": (
        _set("interviews.0.signed_by_interviewer", False),
        "interview-unsigned",
        "interview-unsigned:iv-1",
    ),
    "family below plan": (
        _set("family_involvement_record.0.level", 3),
        "family-below-plan",
        "family-below-plan",
    ),
    "no pseudonym": (_set("people.0.pseudonym", ""), "no-pseudonym", "no-pseudonym:p-1"),
    # The pseudonymiser never replaces a surname two people share: the check says where it is.
    "staff named": (
        lambda b: (
            b["people"].append(
                {"id": "p-2", "full_name": "Lee Whitlock", "pseudonym": "Team Manager"}
            ),
            _set("findings.0.notes", "Whitlock visited alone.")(b),
        ),
        "named-in-publication",
        "named-in-publication:findings:f-1:notes:whitlock",
    ),
    "staff named in the brief": (
        lambda b: (
            b["people"].append(
                {"id": "p-2", "full_name": "Lee Whitlock", "pseudonym": "Team Manager"}
            ),
            _set("review.brief", "Whitlock asked for the review.")(b),
        ),
        "named-in-publication",
        "named-in-publication:review:review/brief::whitlock",
    ),
}
# Where Enter on each weakness's item takes the reviewer: (table, its key or None for the
# review's own row, field); None: the stage's screen, as no one row puts it right.
PUT_RIGHT_AT: dict[str, tuple[str, str | None, str] | None] = {
    "no evidence": ("finding", "f-1", "statement"),
    "only hindsight": ("finding", "f-1", "statement"),
    "no owner": ("recommendation", "r-1", "owner"),
    "vague owner": ("recommendation", "r-1", "owner"),
    "no due date": ("recommendation", "r-1", "due"),
    "no outcome": ("recommendation", "r-1", "outcome"),
    "no measure": ("recommendation", "r-1", "measure"),
    "no finding": ("recommendation", "r-1", "action"),
    "question unanswered": None,
    "agency without entries": None,
    "unsigned record": ("interview", "iv-1", "agreed_on"),
    "family below plan": None,
    "no pseudonym": ("person", "p-1", "pseudonym"),
    "staff named": ("finding", "f-1", "notes"),
    "staff named in the brief": ("review", None, "brief"),
}


def _rows(store: Store, table: str, review_id: int) -> list[Any]:
    model = next(
        c
        for c in vars(m).values()
        if getattr(c, "__tablename__", None) == table and hasattr(c, "key")
    )
    return store.rows(model, review_id)


@pytest.fixture
def clean(store: Store) -> int:
    return bundle.import_bundle(store, clean_bundle())


def test_a_review_built_clean_has_nothing_to_fix(store: Store, clean: int) -> None:
    assert quality.check(store, clean) == []


def test_each_weakness_is_found_where_it_is(store: Store) -> None:
    """One review per weakness, each spoiled in one way: exactly that weakness is found."""
    for weakness, (spoil, check, identity) in WEAKNESSES.items():
        b = clean_bundle()
        spoil(b)
        rid = bundle.import_bundle(store, b)
        items = quality.check(store, rid)
        assert [(i.check, i.identity) for i in items] == [(check, identity)], weakness
        item = items[0]  # names the place, and the stage whose screen fixes it
        assert item.stage in STAGE_TITLES and item.place and item.problem
        if weakness == "staff named":
            assert item.place == "Findings 1, notes" and "'Whitlock'" in item.problem
        expected = PUT_RIGHT_AT[weakness]
        if expected is None:
            assert quality.fix_place(store, rid, item) is None, weakness
            continue
        table, key, field = expected
        row_id = (
            rid if key is None else next(r.id for r in _rows(store, table, rid) if r.key == key)
        )
        assert quality.fix_place(store, rid, item) == (table, row_id, field), weakness


def test_an_accepted_item_survives_its_wording_changing_and_lapses_with_it(
    store: Store, clean: int
) -> None:
    store.update(m.Recommendation, store.rows(m.Recommendation, clean)[0].id, owner="")
    (item,) = quality.check(store, clean)
    with pytest.raises(InputError, match="reason"):
        quality.accept(store, clean, item, "   ", dt.date(2026, 1, 5))
    assert store.rows(m.QualityAcceptance, clean) == []
    quality.accept(
        store, clean, item, "Owner [b]agreed[/b] at the panel in {{ June }}", dt.date(2026, 1, 5)
    )
    # The recommendation is reworded and moved: still the same weakness, still accepted.
    rec = store.rows(m.Recommendation, clean)[0]
    store.update(m.Recommendation, rec.id, action="Audit every referral's response time.")
    (again,) = quality.check(store, clean)
    assert again.accepted is not None and again.accepted.reason.startswith("Owner [b]agreed")
    assert quality.open_items([again]) == []
    # Accepting again replaces the reason; withdrawing opens it again.
    quality.accept(store, clean, again, "Second reason", dt.date(2026, 1, 6))
    assert [a.reason for a in store.rows(m.QualityAcceptance, clean)] == ["Second reason"]
    quality.withdraw(store, clean, again.identity)
    assert quality.open_items(quality.check(store, clean)) != []


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [c.text for row in table.rows for c in row.cells]
    return "\n".join(parts)


def test_accepted_items_print_with_their_reasons_in_the_final_report_only(
    store: Store, clean: int, tmp_path: Path
) -> None:
    store.update(m.Recommendation, store.rows(m.Recommendation, clean)[0].id, measure="")
    (item,) = quality.check(store, clean)
    reason = "The measure is set by the board's audit plan, <not> by this review & {{ x }}."
    quality.accept(store, clean, item, reason, dt.date(2026, 1, 5))
    final = documents.generate(
        store, clean, "management-review", tmp_path / "final.docx", final=True
    )
    text = _docx_text(final.path)
    assert "Quality items accepted before the final version" in text
    assert reason in text and "Recommendation 1" in text
    draft = documents.generate(store, clean, "management-review", tmp_path / "draft.docx")
    assert reason not in _docx_text(draft.path)
    published = documents.generate(
        store, clean, "management-review", tmp_path / "pub.docx", publication=True
    )
    text = _docx_text(published.path)
    assert reason not in text and "Quality items accepted" not in text


# --- timescales ---------------------------------------------------------------------------------
EW = timescales.shipped_holidays()["england-and-wales"]
SCOT = timescales.shipped_holidays()["scotland"]


def test_five_working_days_skip_the_weekend_easter_and_the_clocks_going_forward() -> None:
    # Friday 27 March 2026; the clocks go forward on Sunday 29 March; Good Friday is 3 April and
    # Easter Monday 6 April. Working days: Mon 30, Tue 31, Wed 1, Thu 2, then Tue 7 April.
    known = dt.date(2026, 3, 27)
    assert timescales.add_working_days(known, 5, EW) == dt.date(2026, 4, 7)
    # Scotland keeps Easter Monday as a working day.
    assert timescales.add_working_days(known, 5, SCOT) == dt.date(2026, 4, 6)
    # Saturday to Monday across the clocks going back (Sunday 25 October 2026) is one working day.
    assert timescales.working_days_between(dt.date(2026, 10, 24), dt.date(2026, 10, 26), EW) == 1
    assert timescales.working_days_between(dt.date(2026, 3, 28), dt.date(2026, 3, 30), EW) == 1
    # Christmas 2026 on a Friday, Boxing Day's substitute on Monday 28 December.
    assert timescales.add_working_days(dt.date(2026, 12, 24), 1, EW) == dt.date(2026, 12, 29)


def _dates(store: Store, rid: int, **values: dt.date) -> None:
    timescales.ensure_dates(store, rid)
    store.update(m.TimescaleDates, rid, **values)


def _timescales(folder: DataFolder, rid: int, today: dt.date) -> dict[str, timescales.Timescale]:
    with reading(folder) as conn:
        return {t.key: t for t in timescales.review_timescales(conn, rid, today, folder.path)}


def test_each_kind_has_the_seeds_deadlines(store: Store, folder: DataFolder) -> None:
    cspr = store.create_review("E", "child safeguarding practice review", "concern")
    _dates(store, cspr, incident_known_on=dt.date(2026, 3, 27), decided_on=dt.date(2026, 4, 30))
    found = _timescales(folder, cspr, dt.date(2026, 3, 30))
    assert found["notification"].due == dt.date(2026, 4, 7)
    assert found["publication"].due == dt.date(2026, 10, 30)
    rule = found["notification"].rule
    assert rule is not None and "within five working days" in rule.quote  # the seed's words
    wales = store.create_review("W", "child practice review (concise)", "concern")
    store.update(m.ClosingSteps, wales, finalised_on=dt.date(2026, 2, 2))
    _dates(store, wales, referred_on=dt.date(2025, 9, 1))
    found = _timescales(folder, wales, dt.date(2026, 2, 3))
    assert found["action-plan"].due == dt.date(2026, 3, 2)
    assert found["completion"].due == dt.date(2026, 3, 1)
    # Scotland: 14 calendar days across the clocks going back on 25 October 2026.
    scot = store.create_review("S", "significant case review", "concern")
    _dates(store, scot, referred_on=dt.date(2026, 10, 22))
    assert _timescales(folder, scot, dt.date(2026, 10, 22))["initial-reports"].due == dt.date(
        2026, 11, 5
    )
    scr = store.create_review("SCR", "serious case review", "concern", dt.date(2026, 1, 15))
    _dates(store, scr, referred_on=dt.date(2026, 1, 31), decided_on=dt.date(2026, 2, 20))
    found = _timescales(folder, scr, dt.date(2026, 2, 21))
    assert found["decision"].due == dt.date(2026, 2, 28)
    assert found["panel"].due == dt.date(2026, 3, 6)
    assert found["completion"].due == dt.date(2026, 7, 15)
    ni = store.create_review("NI", "case management review", "concern")
    assert _timescales(folder, ni, dt.date(2026, 1, 1)) == {}


def test_a_deadline_missed_or_near_asks_for_a_reason_and_a_revised_date(
    store: Store, folder: DataFolder
) -> None:
    rid = store.create_review("E", "child safeguarding practice review", "concern")
    _dates(store, rid, incident_known_on=dt.date(2026, 3, 27))
    # Due Tuesday 7 April. A five-day notice warns on its last working day: on Thursday 2 April
    # (Good Friday, the weekend and Easter Monday follow) and not before.
    for day in (dt.date(2026, 3, 27), dt.date(2026, 4, 1)):
        assert _timescales(folder, rid, day)["notification"].state == "on time"
    soon = _timescales(folder, rid, dt.date(2026, 4, 2))["notification"]
    assert soon.state == "due soon" and soon.needs_reason
    assert soon.status == "5 days left, 1 working day"
    late = _timescales(folder, rid, dt.date(2026, 4, 9))["notification"]
    assert late.state == "missed" and late.needs_reason and "OVERDUE" in late.status
    with pytest.raises(InputError, match="after the date it revises"):
        timescales.record_delay(store, rid, late, "x", dt.date(2026, 4, 7), dt.date(2026, 4, 9))
    with pytest.raises(InputError, match="reason"):
        timescales.record_delay(store, rid, late, " ", dt.date(2026, 4, 20), dt.date(2026, 4, 9))
    assert store.rows(m.DelayEntry, rid) == []
    timescales.record_delay(
        store, rid, late, "Police report awaited", dt.date(2026, 4, 20), dt.date(2026, 4, 9)
    )
    answered = _timescales(folder, rid, dt.date(2026, 4, 9))["notification"]
    assert not answered.needs_reason and "revised to 20 Apr 2026" in answered.status
    # The revised date missed too: asked again.
    again = _timescales(folder, rid, dt.date(2026, 4, 21))["notification"]
    assert again.needs_reason
    # Met late with a reason given: nothing more to ask.
    store.update(m.TimescaleDates, rid, notified_on=dt.date(2026, 4, 14))
    met = _timescales(folder, rid, dt.date(2026, 4, 21))["notification"]
    assert met.state == "met late" and not met.needs_reason


def test_the_delay_log_is_printed_where_the_report_explains_delay(
    store: Store, folder: DataFolder, tmp_path: Path
) -> None:
    rid = store.create_review("E", "child safeguarding practice review", "concern")
    _dates(store, rid, incident_known_on=dt.date(2026, 3, 27))
    late = _timescales(folder, rid, dt.date(2026, 4, 9))["notification"]
    timescales.record_delay(
        store, rid, late, "Awaiting the police | report", dt.date(2026, 4, 20), dt.date(2026, 4, 9)
    )
    for publication in (False, True):
        out = documents.generate(
            store,
            rid,
            "management-review",
            tmp_path / f"{publication}.docx",
            final=True,
            publication=publication,
        )
        text = _docx_text(out.path)
        assert "Timescales and delay" in text and "Awaiting the police | report" in text


def test_the_delay_log_and_accepted_items_round_trip_through_the_bundle(
    store: Store, folder: DataFolder, clean: int, tmp_path: Path
) -> None:
    b = clean_bundle()
    b["recommendations"][0]["owner"] = ""
    rid = bundle.import_bundle(store, b)
    (item,) = quality.check(store, rid)
    quality.accept(store, rid, item, "Agreed with the commissioner", dt.date(2026, 1, 5))
    _dates(store, rid, incident_known_on=dt.date(2026, 3, 27), published_on=dt.date(2026, 9, 1))
    store.update(m.Scope, rid, target_completion=dt.date(2027, 1, 1))
    late = _timescales(folder, rid, dt.date(2027, 1, 9))["target"]
    assert late.needs_reason
    timescales.record_delay(
        store, rid, late, "Court proceedings", dt.date(2027, 3, 1), dt.date(2027, 1, 9)
    )
    target = tmp_path / "out.json"
    first = bundle.export_file(store, rid, target)
    assert first["delay_log"][0]["reason"] == "Court proceedings"
    assert first["accepted_quality_items"][0]["identity"] == "recommendation-owner:r-1"
    assert first["timescales"] == {"incident_known_on": "2026-03-27", "published_on": "2026-09-01"}
    again = bundle.import_file(store, target)
    second = bundle.export_bundle(store, again)
    for key in ("delay_log", "accepted_quality_items", "timescales"):
        assert second[key] == first[key]
    (still,) = quality.check(store, again)
    assert still.accepted is not None and still.accepted.reason == "Agreed with the commissioner"
    # Two acceptances of one weakness: refused with the place named, nothing stored.
    twice = copy.deepcopy(first)
    twice["accepted_quality_items"].append(dict(twice["accepted_quality_items"][0]))
    with pytest.raises(BundleError, match=r"accepted_quality_items\[1\]\.identity"):
        bundle.validate(twice)


def test_holidays_import_adds_days_and_refuses_a_bad_file(
    data_dir: Path,
    folder: DataFolder,
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rid = store.create_review("E", "child safeguarding practice review", "concern")
    _dates(store, rid, incident_known_on=dt.date(2029, 1, 8))  # Monday; 2029 is not shipped
    assert _timescales(folder, rid, dt.date(2029, 1, 8))["notification"].due == dt.date(2029, 1, 15)
    bad = tmp_path / "bad.json"
    for text, message in (
        ("{not json", "not JSON"),
        ('{"divisions": {"wales-only": []}}', "not a nation"),
        ('{"divisions": {"scotland": [{"date": "2029-13-01"}]}}', "YYYY-MM-DD"),
    ):
        bad.write_text(text, encoding="utf-8")
        assert main(["--data-dir", str(data_dir), "holidays", "import", str(bad)]) != 0
        assert message in capsys.readouterr().err
        assert not (data_dir / timescales.USER_HOLIDAYS).exists()
    # gov.uk's own layout.
    good = tmp_path / "bank-holidays.json"
    good.write_text(
        json.dumps(
            {
                "england-and-wales": {
                    "division": "england-and-wales",
                    "events": [
                        {
                            "title": "Invented holiday",
                            "date": "2029-01-10",
                            "notes": "",
                            "bunting": True,
                        }
                    ],
                }
            }
        ),
        encoding="utf-8",
    )
    assert main(["--data-dir", str(data_dir), "holidays", "import", str(good)]) == 0
    assert "england-and-wales" in capsys.readouterr().out
    assert _timescales(folder, rid, dt.date(2029, 1, 8))["notification"].due == dt.date(2029, 1, 16)


def test_the_name_check_strips_accents_as_the_rule_says() -> None:
    """The publication check folds accents by str.translate (a Python step per character took
    seconds over a large review's notes): the same text as dropping every combining mark."""
    import unicodedata

    from reviewer_tui.reports.register import _strip_accents

    for text in ("Zoë O’Brien", "Ørsted, Renée and José", "ﬁle Ǆ e\u0301 ß ñ", "plain ASCII", ""):
        decomposed = unicodedata.normalize("NFKD", text)
        assert _strip_accents(text) == "".join(
            c for c in decomposed if not unicodedata.combining(c)
        )
