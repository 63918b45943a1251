"""The public sample's management review report, read back with python-docx: seed 003's headings
in order, the author block, section 1.3's lists, the appendix chronology in date order, every
recommendation's five parts; Word quality (styles, TOC, page numbers, A4, header marks, repeated
table header rows, properties); drafts numbered and registered; every document renders."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Cm

from reviewer_tui import bundle
from reviewer_tui import models as m
from reviewer_tui.errors import Locked
from reviewer_tui.reports import documents, drafts
from reviewer_tui.reports.context import chronology_key
from reviewer_tui.reviews import Store
from tests.conftest import MINIMAL, SAMPLE

SEED_003_HEADINGS = [
    "1. Introduction",
    "1.1. Reason for the Review",
    "1.2. Terms of Reference",
    "1.3. Basis of this Report",
    "1.4. Production of this Report",
    "2. Family Information",
    "2.1. Family Background and Genogram",
    "2.2. Summary of Family Background and Circumstances",
    "3. Analysis of Involvement",
    "4. What can we Learn?",
    "5. Recommendations for Action",
    "6. Sign, Print Name and Date the Report",
    "7. Appendices",
    "7.1. Chronology of events in family and agency involvement",
    "7.2. Profile of staff interviewed",
    "7.3. Interview transcripts",
    "8. Family Involvement in Serious Case Reviews",
]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def sample(store: Store) -> int:
    return bundle.import_file(store, SAMPLE)


@pytest.fixture
def raw() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-templates"
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: folder)
    return folder


def _report(store: Store, rid: int, target: Path, **kwargs) -> docx.document.Document:  # noqa: ANN003
    documents.generate(store, rid, "management-review", target, **kwargs)
    return docx.Document(str(target))


def _paragraphs(doc) -> list:  # noqa: ANN001
    return list(doc.paragraphs)


def _between(doc, start: str, end: str) -> list[str]:  # noqa: ANN001
    paragraphs = doc.paragraphs
    texts = [p.text for p in paragraphs]

    def heading(text: str) -> int:  # the heading itself, not its table-of-contents entry
        return next(
            n
            for n, p in enumerate(paragraphs)
            if p.text == text and p.style.name.startswith("Heading")
        )

    return texts[heading(start) + 1 : heading(end)]


def test_headings_of_seed_003_in_order_with_built_in_styles(
    store, sample, tmp_path, no_user_templates
):  # noqa: ANN001
    doc = _report(store, sample, tmp_path / "r.docx")
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    top = [text for style, text in headings if style in ("Heading 1", "Heading 2")]
    # Every heading of the format, in order (the report may add its own sub-headings, 4.1-4.3).
    assert [t for t in top if t in SEED_003_HEADINGS] == SEED_003_HEADINGS
    assert [t for style, t in headings if style == "Heading 1"] == [
        t for t in SEED_003_HEADINGS if t.split(" ")[0].count(".") == 1
    ]
    # The eleven analysis prompts, numbered under section 3.
    prompts = [text for style, text in headings if style == "Heading 3" and text.startswith("3.")]
    assert len(prompts) == 11


def test_cover_and_author_block(store, sample, tmp_path, raw, no_user_templates):  # noqa: ANN001
    doc = _report(store, sample, tmp_path / "r.docx")
    texts = [p.text for p in doc.paragraphs]
    cover = texts[: texts.index("Contents")]
    assert cover[0] == "STRICTLY CONFIDENTIAL"
    assert "INTERNAL CASE REVIEW" in cover
    assert "Tyler Brennan" in cover
    assert "MANAGEMENT REVIEW REPORT OF:" in cover
    assert raw["review"]["agency"] in cover
    lead = raw["review"]["lead_reviewer"]
    assert f"AUTHOR: {lead['name']}" in cover
    for line in (lead["post"], lead["address"], f"Tel. {lead['telephone']}", "17 October 2025"):
        assert line in cover


def test_basis_of_report_lists_staff_files_and_unavailable_with_reasons(
    store, sample, tmp_path, raw, no_user_templates
):  # noqa: ANN001
    doc = _report(store, sample, tmp_path / "r.docx")
    section = _between(doc, "1.3. Basis of this Report", "1.4. Production of this Report")
    joined = "\n".join(section)
    staff = section[
        section.index("Staff interviewed") + 1 : section.index("Files and documents examined")
    ]
    interviewed = {i["person_id"] for i in raw["interviews"]}
    for person in raw["people"]:
        present = any(line.startswith(person["full_name"]) for line in staff)
        assert present == (person["id"] in interviewed), person["full_name"]
    files = section[
        section.index("Files and documents examined") + 1 : section.index(
            "Staff or files not available, and why"
        )
    ]
    unavailable = section[section.index("Staff or files not available, and why") + 1 :]
    for record in raw["records_examined"]:
        if record.get("available") is False:
            assert any(
                record["title"] in line and record["reason_unavailable"] in line
                for line in unavailable
            ), record["title"]
            assert not any(record["title"] in line for line in files)
        else:
            assert any(record["title"] in line for line in files), record["title"]
    assert "List Bullet" in {p.style.name for p in doc.paragraphs if p.text in staff}
    assert joined


def test_appendix_chronology_is_six_columns_in_date_order(
    store, sample, tmp_path, raw, no_user_templates
):  # noqa: ANN001
    doc = _report(store, sample, tmp_path / "r.docx")
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Date & Time")
    assert [c.text for c in table.rows[0].cells] == [
        "Date & Time",
        "Event",
        "Source",
        "Participation",
        "Outcome",
        "Issues",
    ]
    entries = raw["chronology"]
    expected = [
        entries[n]["event"]
        for n in sorted(range(len(entries)), key=lambda n: chronology_key(entries[n], n))
    ]
    assert [row.cells[1].text for row in table.rows[1:]] == expected
    # The header row repeats on every page.
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert table.rows[1]._tr.find(f"{W}trPr/{W}tblHeader") is None
    # Same-day entries follow `sequence`; a timed entry keeps its local time as typed.
    whens = [row.cells[0].text for row in table.rows[1:]]
    assert "24 October 2024, 23:40" in whens and "September 2024" in whens


def test_every_recommendation_has_its_five_parts(store, sample, tmp_path, raw, no_user_templates):  # noqa: ANN001
    doc = _report(store, sample, tmp_path / "r.docx")
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "What action")
    assert [c.text for c in table.rows[0].cells] == [
        "No.",
        "What action",
        "By whom",
        "By when",
        "Intended outcome",
        "How it will be checked",
        "Status and progress",
    ]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(raw["recommendations"])
    for row, rec in zip(rows, raw["recommendations"], strict=False):
        due = dt.date.fromisoformat(rec["due"])
        assert row[1:-1] == [
            rec["action"],
            rec["owner"],
            f"{due.day} {due:%B %Y}",
            rec["outcome"],
            rec["measure"],
        ]


def test_word_quality_marks_and_properties(store, sample, tmp_path, no_user_templates):  # noqa: ANN001
    target = tmp_path / "r.docx"
    doc = _report(store, sample, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.05) and abs(
        section.page_height - Cm(29.7)
    ) < Cm(0.05)
    header = " ".join(p.text for p in section.header.paragraphs)
    assert "STRICTLY CONFIDENTIAL" in header and "DRAFT version 0.2" in header
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    body = doc.element.body.xml
    assert "PAGEREF _Toc" in body  # the contents list (tests/test_report_layout.py)
    assert doc.styles["Normal"].font.size.pt >= 10.5
    core = doc.core_properties
    assert core.author == "Rhiannon Pugh" and core.author != "python-docx"
    assert core.comments == "" and core.created.year >= 2025
    with zipfile.ZipFile(target) as package:
        names = package.namelist()
        assert not [n for n in names if "thumbnail" in n or n.startswith("customXml")]
        assert b"python-docx" not in package.read("docProps/core.xml")
        assert b"Microsoft Macintosh Word" not in package.read("docProps/app.xml")
    assert not list(tmp_path.glob(".*.tmp"))


def test_drafts_are_numbered_and_registered_and_the_final_once_as_final(
    store, sample, tmp_path, no_user_templates
):  # noqa: ANN001
    assert (
        documents.next_version(store, sample, "management-review") == "0.2"
    )  # the sample already circulated 0.1
    first = documents.generate(store, sample, "management-review", tmp_path / "a.docx")
    second = documents.generate(store, sample, "management-review", tmp_path / "b.docx")
    assert (first.version, second.version) == ("0.2", "0.3")
    register = drafts.drafts(store, sample)
    assert [d.version for d in register] == ["0.1", "0.2", "0.3"]
    assert register[-1].document == "management-review" and register[-1].generated_at is not None
    final = documents.generate(store, sample, "management-review", tmp_path / "f.docx", final=True)
    assert final.version is None
    assert [d.version for d in drafts.drafts(store, sample)] == ["0.1", "0.2", "0.3", "final"]
    documents.generate(store, sample, "management-review", tmp_path / "g.docx", final=True)
    assert len(drafts.drafts(store, sample)) == 4  # written again: still one register entry
    # The register's final entry is a signed record: changing it asks for a reason first.
    entry = drafts.drafts(store, sample)[-1]
    with pytest.raises(Locked):
        store.update(m.ReportDraft, entry.id, notes="Changed afterwards.")
    assert drafts.drafts(store, sample)[-1].notes == entry.notes
    header = " ".join(
        p.text for p in docx.Document(str(tmp_path / "f.docx")).sections[0].header.paragraphs
    )
    assert "DRAFT" not in header and "STRICTLY CONFIDENTIAL" in header
    # Recipients, comments and resolutions recorded against a draft.
    recipient = drafts.add_recipient(store, register[-1].id, "Commissioner", dt.date(2025, 10, 1))
    store.update(
        m.DraftRecipient, recipient.id, comments="Add the housing dates.", resolution="Added."
    )
    got = drafts.recipients(store, register[-1].id)
    assert [(r.name, r.comments, r.resolution) for r in got] == [
        ("Commissioner", "Add the housing dates.", "Added.")
    ]


@pytest.mark.parametrize("name", list(documents.DOCUMENTS))
def test_every_document_renders_from_the_sample_and_from_an_empty_review(
    store, sample, tmp_path, name, no_user_templates
):  # noqa: ANN001
    documents.generate(store, sample, name, tmp_path / f"{name}.docx", final=True)
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / f"{name}.docx")).paragraphs)
    assert text.strip()
    empty = bundle.import_file(store, MINIMAL)
    documents.generate(store, empty, name, tmp_path / f"{name}-empty.docx", final=True)
    doc = docx.Document(str(tmp_path / f"{name}-empty.docx"))
    if name != "profile-form-blank":
        everything = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
            c.text for t in doc.tables for r in t.rows for c in r.cells
        )
        assert "Not yet recorded" in everything or "None" in everything or "No entry" in everything


def test_per_interview_documents_cover_each_interview_or_one(
    store, sample, tmp_path, raw, no_user_templates
):  # noqa: ANN001
    documents.generate(store, sample, "interview-record", tmp_path / "all.docx")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "all.docx")).paragraphs)
    assert text.count("Record of Interview:") == len(raw["interviews"])
    assert "Interviewee's signature" in text and "Date: ______________" in text
    documents.generate(
        store, sample, "interview-confirmation", tmp_path / "one.docx", interview_ids=["iv-2"]
    )
    one = "\n".join(p.text for p in docx.Document(str(tmp_path / "one.docx")).paragraphs)
    assert "Owen Pritchard" in one and "Amélie Durand" not in one
    assert "Profile of Interviewee" in one


def test_profile_forms_blank_and_filled(store, sample, tmp_path, raw, no_user_templates):  # noqa: ANN001
    documents.generate(store, sample, "profile-form-blank", tmp_path / "blank.docx")
    blank = docx.Document(str(tmp_path / "blank.docx"))
    labels = [p.text for p in blank.paragraphs if re.match(r"\d+\. ", p.text)]
    assert len(labels) == 10 and labels[0] == "1. Full name:"
    assert "STRICTLY CONFIDENTIAL" not in blank.sections[0].header.paragraphs[0].text
    documents.generate(store, sample, "profile-form", tmp_path / "filled.docx")
    filled = docx.Document(str(tmp_path / "filled.docx"))
    text = "\n".join(p.text for p in filled.paragraphs)
    person = raw["people"][0]
    assert person["qualifications"] in text and person["training_last_3_years"][0] in text
    employers = [r.cells[0].text for t in filled.tables for r in t.rows]
    assert person["previous_employment"][0]["employer"] in employers


def test_preview_markdown_shows_instructions_as_notes(store, sample, no_user_templates):  # noqa: ANN001
    source = documents.render_markdown(store, sample, "management-review")
    shown = documents.preview_markdown(source)
    assert "```docx" not in shown and "[Table of contents" in shown
    assert "\ue000" not in shown and "\ue001" not in shown


def test_an_own_reference_document_restyles_every_report(
    store, sample, tmp_path, no_user_templates
):  # noqa: ANN001
    from reviewer_tui.reports.reference import build_reference

    no_user_templates.mkdir()
    own = docx.Document(__import__("io").BytesIO(build_reference()))
    own.styles["Normal"].font.size = docx.shared.Pt(13)
    own.save(str(no_user_templates / "reference.docx"))
    doc = _report(store, sample, tmp_path / "own.docx", final=True)
    assert doc.styles["Normal"].font.size.pt == 13
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][0] == "1. Introduction"
