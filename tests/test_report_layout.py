"""Word layout of the generated documents, read back with python-docx: table columns wide enough
for their longest word (dates and one-word columns never break mid-word), label/value tables with
a narrow label column, headings and bold labels kept with what follows, a signature block kept
together, a tab in user text that leaves a gap, and a contents list whose page numbers are
PAGEREF fields pointing at bookmarks on the headings (Word and LibreOffice both fill those)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from reviewer_tui import bundle, history
from reviewer_tui import models as m
from reviewer_tui.reports import documents
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE

LAID_OUT = ("management-review", "written-review", "action-plan", "chronology")
TABLE_TEXT_PT = 9.5  # the reference document's "Table Text" size
CELL_PADDING_CM = 0.38  # Word's default left and right cell margins together


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none")


@pytest.fixture(params=["sample", "full"])
def sample(request: pytest.FixtureRequest, store: Store) -> int:
    """The public sample, and the sample with every field filled (tests/test_report_truth.py)."""
    if request.param == "sample":
        return bundle.import_file(store, SAMPLE)
    from tests.test_report_truth import _full_bundle

    return bundle.import_bundle(store, _full_bundle())


def _generate(store: Store, rid: int, name: str, folder: Path, **kwargs: bool) -> docx.Document:
    target = folder / f"{name}.docx"
    documents.generate(store, rid, name, target, **kwargs)
    return docx.Document(str(target))


def _lower_bound_cm(word: str, bold: bool = False) -> float:
    """A crude, independent floor on a word's printed width: 0.42 em a character (Arial's
    narrowest words, "Participation", average 0.42 em), plus the cell's margins."""
    return len(word) * 0.42 * TABLE_TEXT_PT * (1.05 if bold else 1.0) / 72 * 2.54 + CELL_PADDING_CM


def _grid_cm(table) -> list[float]:  # noqa: ANN001
    return [int(c.get(qn("w:w"))) / 567 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


@pytest.mark.parametrize("name", LAID_OUT)
def test_every_column_is_wide_enough_for_its_longest_word(
    store: Store, sample: int, tmp_path: Path, name: str
) -> None:
    doc = _generate(store, sample, name, tmp_path)
    assert doc.tables
    for table in doc.tables:
        grid = _grid_cm(table)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        for row in table.rows:
            bold = row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
            for n, cell in enumerate(row.cells):
                # each cell's own width is the grid's (Word reads tcW, LibreOffice the grid)
                assert abs(cell.width.cm - grid[n]) < 0.01
                for word in cell.text.split():
                    assert grid[n] >= _lower_bound_cm(word, bold), (name, word, grid[n])
        usable = doc.sections[-1].page_width - doc.sections[-1].left_margin
        usable -= doc.sections[-1].right_margin
        assert sum(grid) <= max(s.page_width - s.left_margin - s.right_margin for s in doc.sections)
        assert sum(grid) > 0


def test_the_recommendation_dates_keep_their_month_whole(
    store: Store, sample: int, tmp_path: Path
) -> None:
    """The stored due dates as printed ("31 December 2025"): the column fits "December"."""
    doc = _generate(store, sample, "action-plan", tmp_path)
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    column = header.index("By when")
    due = [r.due for r in store.rows(m.Recommendation, sample) if r.due]
    assert due
    width = _grid_cm(table)[column]
    for day in due:
        assert width >= _lower_bound_cm(day.strftime("%B"))


def test_label_value_tables_have_a_narrow_label_column(
    store: Store, sample: int, tmp_path: Path
) -> None:
    doc = _generate(store, sample, "management-review", tmp_path)
    metadata = [t for t in doc.tables if t.rows[0].cells[0].text == "Interviewee"]
    assert metadata
    for table in metadata:
        label, value = _grid_cm(table)
        assert label < value / 2
        longest = max(len(r.cells[0].text) for r in table.rows)
        assert label >= longest * 0.45 * TABLE_TEXT_PT / 72 * 2.54


def _keeps_with_next(paragraph) -> bool:  # noqa: ANN001
    if paragraph.paragraph_format.keep_with_next is not None:
        return paragraph.paragraph_format.keep_with_next
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.keep_with_next is not None:
            return style.paragraph_format.keep_with_next
        style = style.base_style
    return False


@pytest.mark.parametrize("name", LAID_OUT)
def test_headings_and_bold_labels_keep_with_what_follows(
    store: Store, sample: int, tmp_path: Path, name: str
) -> None:
    doc = _generate(store, sample, name, tmp_path)
    headings = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    labels = [
        p
        for p in doc.paragraphs
        if p.runs and p.text.strip() and all(r.bold for r in p.runs if r.text.strip())
        if p.style.name == "Normal"
    ]
    assert headings or labels
    for p in headings + labels:
        assert _keeps_with_next(p), p.text


def test_the_signature_block_stays_together_with_its_heading(
    store: Store, sample: int, tmp_path: Path
) -> None:
    doc = _generate(store, sample, "management-review", tmp_path)
    paragraphs = doc.paragraphs
    start = next(
        n
        for n, p in enumerate(paragraphs)
        if p.text.startswith("6. Sign, Print") and p.style.name == "Heading 1"
    )
    block = []
    for p in paragraphs[start + 1 :]:
        if p.style.name != "Signature Line":
            break
        block.append(p)
    assert [p.text.split(":")[0] for p in block] == ["Signed", "Print name", "Date"]
    assert _keeps_with_next(paragraphs[start])
    assert all(_keeps_with_next(p) for p in block[:-1])
    assert not block[-1].paragraph_format.keep_with_next


def test_a_tab_in_interview_notes_leaves_a_real_gap(
    store: Store, sample: int, tmp_path: Path
) -> None:
    interview = store.rows(m.Interview, sample)[0]
    with history.changing(reason="the layout test writes the signed record"):  # it stays signed
        store.update(m.Interview, interview.id, notes="Q:\tWhat happened next?\nA:\tWe waited.")
    doc = _generate(store, sample, "management-review", tmp_path)
    stored = store.get(m.Interview, interview.id).notes
    first = stored.split("\t")[1].split("\n")[0]
    paragraph = next(p for p in doc.paragraphs if first in p.text)
    # the text is as recorded, each tab preceded by an em space drawn as a symbol: never a
    # sliver of a gap when the text before it ends just short of a tab stop
    assert paragraph.text == stored
    for run in paragraph._p.findall(qn("w:r")):
        children = list(run)
        for n, child in enumerate(children):
            if child.tag == qn("w:tab"):
                before = children[n - 1]
                assert before.tag == qn("w:sym") and before.get(qn("w:char")) == "2003"
    assert paragraph.text.count("\t") == 2


def test_the_contents_list_carries_page_numbers_word_and_libreoffice_fill(
    store: Store, sample: int, tmp_path: Path
) -> None:
    doc = _generate(store, sample, "management-review", tmp_path)
    body = doc.element.body
    bookmarks = {b.get(qn("w:name")): b.getparent() for b in body.iter(qn("w:bookmarkStart"))}
    entries = [p for p in doc.paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    headings = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert [re.sub(r"\t.*$", "", p.text) for p in entries] == headings
    for entry in entries:
        instructions = " ".join(t.text for t in entry._p.iter(qn("w:instrText")))
        target = re.search(r"PAGEREF (\S+)", instructions)
        assert target, entry.text
        heading = bookmarks[target.group(1)]
        assert heading.tag == qn("w:p")
        assert docx.text.paragraph.Paragraph(heading, None).text == entry.text.split("\t")[0]
        tabs = entry.paragraph_format.tab_stops
        assert tabs and tabs[-1].position > Pt(400)  # a right tab near the margin, dot leader


def test_a_table_whose_words_alone_are_too_wide_gets_landscape_pages_of_its_own() -> None:
    from reviewer_tui.reports.docx_writer import Page, markdown_to_docx

    words = ["Interdisciplinary", "Responsibilities", "Communications", "Accommodation"] * 2
    words = words[:6]  # wider than a portrait page, narrower than a landscape one
    markdown = (
        "Before.\n\n| "
        + " | ".join(words)
        + " |\n|"
        + "---|" * len(words)
        + "\n| "
        + " | ".join(words)
        + " |\n\nAfter.\n"
    )
    data, _removed = markdown_to_docx(markdown, Page(title="t"))
    doc = docx.Document(io.BytesIO(data))
    sections = list(doc.sections)
    assert len(sections) == 3
    assert [s.page_width > s.page_height for s in sections] == [False, True, False]
    grid = _grid_cm(doc.tables[0])
    landscape = sections[1]
    usable = landscape.page_width - landscape.left_margin - landscape.right_margin
    assert sum(grid) <= usable / 360000 + 0.01
    for n, word in enumerate(words):
        assert grid[n] >= _lower_bound_cm(word, bold=True)
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts == ["Before.", "After."]
