"""Every document opens in LibreOffice: each kind, and the publication version, converted to PDF in
one soffice call; each PDF has the pages its own footer counts, every word of the Word file is in
the PDF whole (a word broken inside a narrow column, "Septembe r", is not), and the contents page
carries the page each heading is on.

Where LibreOffice is missing the test is skipped on a developer's machine, but fails when
REVIEWER_TUI_REQUIRE_LIBREOFFICE is set: .ci/run sets it, so CI is never green without having
converted the documents (see .ci/run)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import docx
import pytest

from reviewer_tui import bundle
from reviewer_tui.reports import documents
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
REQUIRED = bool(os.environ.get("REVIEWER_TUI_REQUIRE_LIBREOFFICE"))
MISSING = (
    "LibreOffice (soffice) and poppler's pdftotext are needed to check the Word files as pages: "
    "apt-get install libreoffice-writer-nogui poppler-utils fonts-liberation"
)


def _words(text: str) -> list[str]:
    """Words as the eye reads them: NFKC, dot leaders and page-number runs of the contents
    dropped, split at any space (the em space before a tab included). A hyphen inside a word
    is dropped: a line may rightly break after it, and pdftotext then joins the two lines'
    parts without it ("face-to-" / "face" reads "face-toface")."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\.{3,}\d*", " ", text)
    text = re.sub(r"(?<=\w)-(?=\w)", "", text)
    return text.split()


def _docx_text(path: Path) -> str:
    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        [str(PDFTOTEXT), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Every document of the sample as .docx and as PDF, converted in one soffice call."""
    if SOFFICE is None or PDFTOTEXT is None:
        if REQUIRED:
            pytest.fail(f"REVIEWER_TUI_REQUIRE_LIBREOFFICE is set but: {MISSING}")
        pytest.skip(MISSING)
    tmp_path = tmp_path_factory.mktemp("libreoffice")
    from reviewer_tui.cli import open_folder

    folder = open_folder(tmp_path / "data")
    files: dict[str, Path] = {}
    try:
        store = Store(folder)
        rid = bundle.import_file(store, SAMPLE)
        words = tmp_path / "word"
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                "reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none"
            )
            for name in documents.DOCUMENTS:
                files[name] = words / f"{name}.docx"
                documents.generate(store, rid, name, files[name])
            files["publication"] = words / "management-review-publication.docx"
            documents.generate(
                store, rid, "management-review", files["publication"], publication=True
            )
    finally:
        folder.close()
    pdfs = tmp_path / "pdf"
    result = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdfs),
            *map(str, files.values()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return {name: (source, pdfs / f"{source.stem}.pdf") for name, source in files.items()}


def _names() -> list[str]:
    return [*documents.DOCUMENTS, "publication"]


@pytest.mark.parametrize("name", _names())
def test_every_document_converts_with_its_pages_and_every_word_whole(
    converted: dict[str, tuple[Path, Path]], name: str
) -> None:
    source, pdf = converted[name]
    assert pdf.exists(), f"{source.name} did not convert"
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = _pdf_pages(pdf)
    assert pages
    footer = re.findall(r"Page (\d+) of (\d+)", "\n".join(pages))
    if footer:  # the footer's own count agrees with the pages LibreOffice made
        assert {int(total) for _n, total in footer} == {len(pages)}
        assert [int(n) for n, _t in footer] == list(range(1, len(pages) + 1))
    expected = Counter(_words(_docx_text(source)))
    found = Counter(_words("\n".join(pages)))
    missing = expected - found  # a word broken across two lines of a cell shows up here
    assert not missing, f"{name}: words not in the PDF whole: {sorted(missing)[:20]}"


@pytest.mark.parametrize("name", ["management-review", "publication"])
def test_the_contents_page_gives_the_page_each_heading_is_on(
    converted: dict[str, tuple[Path, Path]], name: str
) -> None:
    source, pdf = converted[name]
    doc = docx.Document(str(source))
    headings = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    pages = _pdf_pages(pdf)
    contents = next(n for n, page in enumerate(pages) if "Contents" in page)
    listed = {
        m.group(1).strip(): int(m.group(2))
        for m in re.finditer(r"^(.+?)\.{3,}\s*(\d+)\s*$", pages[contents], re.MULTILINE)
    }
    assert list(listed) == headings
    for heading, page in listed.items():
        lines = [line.strip() for line in pages[page - 1].splitlines()]
        assert heading in lines, f"{heading} is not on page {page}"


@pytest.mark.parametrize("name", _names())
def test_no_heading_or_label_is_the_last_line_of_a_page(
    converted: dict[str, tuple[Path, Path]], name: str
) -> None:
    """Headings, bold labels ("Staff interviewed") and signature lines keep with what follows:
    none ends a page (the footer line, "... Page N of M", is not counted)."""
    source, pdf = converted[name]
    doc = docx.Document(str(source))
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    kept = {
        p.text.strip()
        for p, after in zip(paragraphs, paragraphs[1:], strict=False)
        if p.style.name.startswith("Heading")
        or (p.style.name == "Signature Line" and after.style.name == "Signature Line")
        or all(r.bold for r in p.runs if r.text.strip())
    }
    pages = _pdf_pages(pdf)
    for number, page in enumerate(pages[:-1], start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not re.search(r"Page \d+ of \d+", line)]
        assert body, f"{name}: page {number} is empty"
        assert body[-1] not in kept, f"{name}: page {number} ends with '{body[-1]}'"
