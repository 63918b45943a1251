"""The documents tell the whole truth of the record (issue 12, items 1-5, 7 and 10).

Each test runs on the public sample and on a review built here with every field filled (the
sample plus the fields it leaves empty: a third interview signed by the interviewer only, a
briefing with items not done, learning points marked for the training team, an organisation that
gave information only, limiting factors that apply). Every assertion reads the Word file back
(paragraphs and tables, in document order) and compares it with the stored values.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.text.paragraph import Paragraph

from reviewer_tui import bundle, domain
from reviewer_tui.actions import LIMITING_FACTORS
from reviewer_tui.reports import documents
from reviewer_tui.reports.context import when_text
from reviewer_tui.reports.engine import format_date
from reviewer_tui.reviews import Store
from tests.conftest import MINIMAL, SAMPLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _full_bundle() -> dict[str, Any]:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    learning = data["learning"]
    learning["shared_with_training"] = [
        learning["good_practice"][1],
        learning["areas_for_development"][1],
    ]
    data["scope"]["organisations"].append(
        {
            "name": "Westmarsh Borough Council Early Help",
            "code": "WEH",
            "notes": "Gave information only: no involvement with the family; no contribution.",
        }
    )
    data["limiting_factors_reviews"].append(
        {
            "date": "2025-09-15",
            "factors": ["criminal_investigation_or_prosecution", "allegiance_to_suspect"],
            "notes": "Reconsidered after the police told the panel of an investigation.",
        }
    )
    third = copy.deepcopy(data["interviews"][1])
    third.update(
        id="iv-3",
        person_id="p-3",
        scheduled_for="2025-08-19T14:30",
        signed_by_interviewee=False,
        signed_by_interviewer=True,
        interviewer_signed_on="2025-08-25",
    )
    third.pop("interviewee_signed_on", None)
    third["briefing"] = dict(third["briefing"], location_away_from_workplace=False)
    del third["briefing"]["release_from_duties"]  # never recorded: shown as not done
    data["interviews"].append(third)
    data["findings"].append(
        {
            "id": "f-4",
            "kind": "area for development",
            "statement": "Return home interviews were offered face to face only.",
            "chronology_ids": [data["chronology"][0]["id"]],
            "interview_ids": ["iv-3"],
            "record_ids": [data["records_examined"][-1]["id"]],
        }
    )
    return data


@pytest.fixture(params=["sample", "full"])
def case(request: pytest.FixtureRequest, store: Store) -> tuple[int, dict[str, Any]]:
    """(review id, the bundle it was imported from)."""
    if request.param == "sample":
        data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    else:
        data = _full_bundle()
    return bundle.import_bundle(store, copy.deepcopy(data)), data


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-templates"
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: folder)
    return folder


def _lines(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph, table cells included, in document order."""
    doc = docx.Document(str(path))
    out = []
    for element in doc.element.body.iter(f"{W}p"):
        paragraph = Paragraph(element, doc)
        out.append((paragraph.style.name if paragraph.style else "", paragraph.text))
    return out


def _everything(path: Path) -> str:
    """The text of every part of the package: body, headers and footers."""
    doc = docx.Document(str(path))
    parts = ["\n".join(text for _, text in _lines(path))]
    for section in doc.sections:
        for part in (section.header, section.footer):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(parts)


def _section(lines: list[tuple[str, str]], start: str, end: str | None = None) -> list[str]:
    """The text between the heading `start` and the next heading `end` (or of its level)."""
    begin = next(n for n, (s, t) in enumerate(lines) if t == start and s.startswith("Heading"))
    level = lines[begin][0]
    stop = len(lines)
    for n in range(begin + 1, len(lines)):
        style, text = lines[n]
        if (end is not None and text == end and style.startswith("Heading")) or (
            end is None and style.startswith("Heading") and style <= level
        ):
            stop = n
            break
    return [t for _, t in lines[begin + 1 : stop]]


def _generate(store: Store, rid: int, name: str, target: Path, **kwargs: Any) -> Path:
    documents.generate(store, rid, name, target, **kwargs)
    return target


def _interview_blocks(section: list[str], data: dict[str, Any]) -> dict[str, list[str]]:
    """7.3's lines per interview, keyed by interview id (the sub-headings name person and date)."""
    people = {p["id"]: p for p in data["people"]}
    starts = []
    for iv in data["interviews"]:
        title = (
            f"Interview with {people[iv['person_id']]['full_name']}, "
            f"{format_date(iv['scheduled_for'])}"
        )
        starts.append((section.index(title), iv["id"]))
    starts.sort()
    blocks = {}
    for n, (at, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(section)
        blocks[key] = section[at:end]
    return blocks


# --- 1. no false statements -------------------------------------------------------------------
def _signature(flag: bool | None, day: str | None) -> str:
    if not flag:
        return "not signed"
    return f"signed on {format_date(day)}" if day else "signed (date not recorded)"


def test_signatures_print_what_is_stored(store, case, tmp_path):  # noqa: ANN001
    rid, data = case
    lines = _lines(_generate(store, rid, "management-review", tmp_path / "r.docx"))
    blocks = _interview_blocks(_section(lines, "7.3. Interview transcripts"), data)
    seen = set()
    for iv in data["interviews"]:
        block = blocks[iv["id"]]
        by_interviewee = _signature(
            iv.get("signed_by_interviewee"), iv.get("interviewee_signed_on")
        )
        by_interviewer = _signature(
            iv.get("signed_by_interviewer"), iv.get("interviewer_signed_on")
        )
        assert f"Signed by the interviewee: {by_interviewee}" in block, iv["id"]
        assert f"Signed by the interviewer: {by_interviewer}" in block, iv["id"]
        assert not [line for line in block if "signed" in line.lower() and "Not yet" in line]
        seen.add((by_interviewee.split(" ")[0], by_interviewer.split(" ")[0]))
    assert ("signed", "signed") in seen and ("signed", "not") in seen  # both kinds in the sample


def test_no_records_entered_is_not_every_record_available(store, tmp_path):  # noqa: ANN001
    rid = bundle.import_file(store, MINIMAL)
    for name in ("management-review", "written-review"):
        text = _everything(_generate(store, rid, name, tmp_path / f"{name}.docx"))
        assert "every record asked for was available" not in text
    lines = _lines(tmp_path / "management-review.docx")
    section = _section(lines, "1.3. Basis of this Report", "1.4. Production of this Report")
    gone = section[section.index("Staff or files not available, and why") + 1 :]
    assert gone[0] == "Not yet recorded."


# --- 2. findings with their evidence; the training team's mark ---------------------------------
def _evidence_lines(finding: dict[str, Any], data: dict[str, Any]) -> list[str]:
    entries = {e["id"]: e for e in data["chronology"]}
    interviews = {i["id"]: i for i in data["interviews"]}
    people = {p["id"]: p for p in data["people"]}
    records = {r["id"]: r for r in data["records_examined"]}
    out = [
        f"Chronology, {when_text(entries[x])}: {entries[x]['event']}"
        for x in finding.get("chronology_ids", [])
    ]
    for x in finding.get("interview_ids", []):
        person = people[interviews[x]["person_id"]]
        out.append(
            f"Interview with {person['full_name']}, {person['designation']}, "
            f"{format_date(interviews[x]['scheduled_for'])}"
        )
    out += [f"Record examined: {records[x]['title']}" for x in finding.get("record_ids", [])]
    return out


def test_findings_with_their_evidence_in_the_management_review(store, case, tmp_path):  # noqa: ANN001
    rid, data = case
    lines = _lines(_generate(store, rid, "management-review", tmp_path / "r.docx"))
    section = _section(lines, "4. What can we Learn?", "5. Recommendations for Action")
    assert data["findings"]
    for finding in data["findings"]:
        at = next(n for n, line in enumerate(section) if finding["statement"] in line)
        assert finding.get("kind", "") in section[at]
        for line in _evidence_lines(finding, data):
            assert line in section[at + 1 :], (finding["id"], line)


def test_findings_with_their_evidence_in_the_written_review(store, case, tmp_path):  # noqa: ANN001
    rid, data = case
    text = "\n".join(
        t for _, t in _lines(_generate(store, rid, "written-review", tmp_path / "w.docx"))
    )
    for finding in data["findings"]:
        assert finding["statement"] in text
        for line in _evidence_lines(finding, data):
            assert line in text, (finding["id"], line)


def test_learning_summary_carries_only_the_points_marked_for_training(store, case, tmp_path):  # noqa: ANN001
    rid, data = case
    text = _everything(_generate(store, rid, "learning-summary", tmp_path / "l.docx"))
    learning = data["learning"]
    marked = learning.get("shared_with_training", [])
    for point in learning["good_practice"] + learning["areas_for_development"]:
        assert (point in text) == (point in marked), point
    if not marked:
        assert "No learning points have been marked for the training team yet." in text


# --- 3. the briefing (a)-(l) in each transcript -------------------------------------------------
def test_transcripts_print_the_twelve_briefing_items(store, case, tmp_path):  # noqa: ANN001
    rid, data = case
    lines = _lines(_generate(store, rid, "management-review", tmp_path / "r.docx"))
    blocks = _interview_blocks(_section(lines, "7.3. Interview transcripts"), data)
    states = set()
    for iv in data["interviews"]:
        block = blocks[iv["id"]]
        for key, letter, text in domain.BRIEFING_ITEMS:
            state = "done" if iv["briefing"].get(key) else "not done"
            states.add(state)
            assert f"({letter}) {text}: {state}" in block, (iv["id"], key)
    assert states == {"done", "not done"}


# --- 4. the recommendations' status --------------------------------------------------------------
@pytest.mark.parametrize("name", ["management-review", "written-review"])
def test_recommendations_table_has_recorded_status_and_progress(store, case, tmp_path, name):  # noqa: ANN001
    rid, data = case
    doc = docx.Document(str(_generate(store, rid, name, tmp_path / "r.docx")))
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "What action")
    assert table.rows[0].cells[-1].text == "Status and progress"
    for row, rec in zip(table.rows[1:], data["recommendations"], strict=True):
        status = row.cells[-1].text
        assert rec["status"] in status
        for note in rec.get("progress", []):
            assert f"{format_date(note['date'])}: {note['note']}" in status


# --- 5. sections 1 and 6 ------------------------------------------------------------------------
def test_section_1_names_commissioner_dates_criterion_staff_times(store, case, tmp_path):  # noqa: ANN001
    rid, data = case
    lines = _lines(_generate(store, rid, "management-review", tmp_path / "r.docx"))
    review, scope = data["review"], data["scope"]
    reason = _section(lines, "1.1. Reason for the Review")
    commissioner = review["commissioner"]
    assert f"Commissioned by: {commissioner['name']}, {commissioner['post']}" in reason
    assert f"Commissioned on: {format_date(review['commissioned_on'])}" in reason
    assert f"Criterion: {review['criterion']}" in reason

    terms = _section(lines, "1.2. Terms of Reference")
    assert f"Target completion date: {format_date(scope['target_completion'])}" in terms
    assert f"Start date: {format_date(scope['start_date'])}" in terms
    for org in scope["organisations"]:
        line = next(t for t in terms if t.startswith(org["name"]))
        if org.get("notes"):
            assert org["notes"] in line
    assert not [t for t in terms if "contributing" in t.lower()]
    for area in scope["other_areas"]:
        assert f"{area['area']}: {area['arrangements']}" in terms

    basis = _section(lines, "1.3. Basis of this Report")
    staff = basis[
        basis.index("Staff interviewed") + 1 : basis.index("Files and documents examined")
    ]
    people = {p["id"]: p for p in data["people"]}
    for person_id in dict.fromkeys(i["person_id"] for i in data["interviews"]):
        person = people[person_id]
        times = "; ".join(
            format_date(i["scheduled_for"])
            for i in data["interviews"]
            if i["person_id"] == person_id
        )
        assert f"{person['full_name']}, {person['designation']}: interviewed {times}" in staff


@pytest.mark.parametrize("name", ["management-review", "written-review"])
def test_signature_block_prints_the_recorded_author_date(store, case, tmp_path, name):  # noqa: ANN001
    rid, data = case
    lines = [t for _, t in _lines(_generate(store, rid, name, tmp_path / "r.docx"))]
    assert f"Date: {format_date(data['report']['author_date'])}" in lines
    assert "Date: ______________" not in lines


def test_signature_block_keeps_the_line_when_no_date_is_recorded(store, tmp_path):  # noqa: ANN001
    rid = bundle.import_file(store, MINIMAL)
    lines = [t for _, t in _lines(_generate(store, rid, "management-review", tmp_path / "r.docx"))]
    assert "Date: ______________" in lines


# --- 7. heading 8, words not codes, no doubled full stops ---------------------------------------
def test_heading_8_and_limiting_factors_in_words(store, case, tmp_path):  # noqa: ANN001
    rid, data = case
    lines = _lines(_generate(store, rid, "management-review", tmp_path / "r.docx"))
    headings = [t for s, t in lines if s == "Heading 1"]
    assert headings[-1] == "8. Family Involvement in Serious Case Reviews"
    section = "\n".join(_section(lines, "8. Family Involvement in Serious Case Reviews"))
    words = dict(LIMITING_FACTORS)
    for review in data["limiting_factors_reviews"]:
        for factor in review["factors"]:
            assert words[factor] in section
            assert factor not in section
    assert not re.search(r"\b[a-z]+(?:_[a-z]+)+\b", section)  # no raw code of any kind


DOUBLED = re.compile(r"(?<!\.)\.\.(?!\.)|Not yet recorded\.[^\s*]")


@pytest.mark.parametrize("name", list(documents.DOCUMENTS))
def test_no_doubled_full_stops_in_any_document(store, case, tmp_path, name):  # noqa: ANN001
    rid, _ = case
    empty = bundle.import_file(store, MINIMAL)
    for review_id, label in ((rid, "case"), (empty, "empty")):
        text = _everything(_generate(store, review_id, name, tmp_path / f"{label}.docx"))
        assert not DOUBLED.findall(text), (label, [m for m in DOUBLED.finditer(text)][:3])


# --- 10. drafts per document kind; the CLI's words ----------------------------------------------
def test_each_document_kind_has_its_own_draft_numbers(store, case, tmp_path):  # noqa: ANN001
    rid, _ = case
    first = documents.generate(store, rid, "management-review", tmp_path / "a.docx")
    second = documents.generate(store, rid, "management-review", tmp_path / "b.docx")
    written = documents.generate(store, rid, "written-review", tmp_path / "w.docx")
    assert (first.version, second.version) == ("0.2", "0.3")  # the sample circulated report 0.1
    assert written.version == "0.1"
    header = " ".join(
        p.text for p in docx.Document(str(tmp_path / "w.docx")).sections[0].header.paragraphs
    )
    assert "DRAFT version 0.1" in header
    assert documents.next_version(store, rid, "written-review") == "0.2"
    assert documents.next_version(store, rid, "management-review") == "0.4"


def test_cli_names_what_it_wrote(data_dir, tmp_path, capsys):  # noqa: ANN001
    from reviewer_tui.cli import main

    assert main(["--data-dir", str(data_dir), "import", str(SAMPLE)]) == 0
    rid = capsys.readouterr().out.strip()

    def run(*extra: str) -> str:
        target = tmp_path / f"{len(extra)}-{'-'.join(extra)}.docx"
        base = ["--data-dir", str(data_dir), "report", rid, "-o", str(target)]
        assert main([*base, *extra]) == 0
        return capsys.readouterr().out.splitlines()[0]

    final = run("--document", "management-review", "--final")
    assert final.startswith("Wrote the final version of the Management Review Report to ")
    draft = run("--document", "management-review")
    assert draft.startswith("Wrote draft version 0.2 of the Management Review Report to ")
    other = run("--document", "chronology")
    assert other.startswith("Wrote the Chronology to ")
    public = run("--document", "learning-summary", "--publication")
    assert public.startswith("Wrote the publication version of the Learning Summary to ")
    assert "document of" not in final + draft + other + public
