"""Every document opens in LibreOffice: each is converted to PDF with soffice, and the PDF has
pages. Skipped, saying why, only when soffice is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reviewer_tui import bundle
from reviewer_tui.reports import documents
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: install "
    "libreoffice-writer to check that the Word files open and convert to PDF",
)
def test_every_document_converts_to_pdf(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none")
    rid = bundle.import_file(store, SAMPLE)
    words = tmp_path / "word"
    files = []
    for name in documents.DOCUMENTS:
        target = words / f"{name}.docx"
        documents.generate(store, rid, name, target)
        files.append(target)
    published = words / "management-review-publication.docx"
    documents.generate(store, rid, "management-review", published, publication=True)
    files.append(published)
    pdfs = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdfs),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for source in files:
        pdf = pdfs / f"{source.stem}.pdf"
        assert pdf.exists(), f"{source.name} did not convert: {result.stdout} {result.stderr}"
        data = pdf.read_bytes()
        assert (
            data.startswith(b"%PDF") and data.count(b"/Type /Page") + data.count(b"/Type/Page") >= 1
        )
