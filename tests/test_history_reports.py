"""Reports say when a signed record was changed after signing, and never print the history
(issue 15 items 2 and 3)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest

from reviewer_tui import bundle, history
from reviewer_tui import models as m
from reviewer_tui.reports import documents
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE

OLD = "Earlier wording zq7"
REASON = "Reason given zq7"


@pytest.fixture
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-templates"
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: folder)
    return folder


def _all_text(path: Path) -> str:
    """Every XML part of the Word file, so a header, table or property cannot hide a word."""
    with zipfile.ZipFile(path) as package:
        return "\n".join(
            package.read(name).decode("utf-8", "replace")
            for name in package.namelist()
            if name.endswith(".xml")
        )


def test_a_signed_record_changed_says_so_in_the_word_reports_and_no_report_prints_the_history(
    store: Store, tmp_path: Path, no_user_templates: Path
) -> None:
    rid = bundle.import_file(store, SAMPLE)
    first, second = store.rows(m.Interview, rid)[:2]
    finding = store.rows(m.Finding, rid)[0]
    store.update(m.Finding, finding.id, notes=OLD)
    store.update(m.Finding, finding.id, notes="Later wording")
    for interview in (first, second):
        store.update(
            m.Interview,
            interview.id,
            signed_by_interviewee=True,
            signed_by_interviewer=True,
            agreed_on=dt.date(2025, 9, 1),
        )
    with history.changing(reason=REASON):
        store.update(m.Interview, first.id, interviewee_comments="Corrected after signing")
    assert any(e.reason == REASON for e in history.history_of(store, rid))

    target = tmp_path / "record.docx"
    documents.generate(store, rid, "interview-record", target, interview_ids=[first.key])
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert (
        "Changed after signing. This record was changed after it was signed and has not been "
        "signed again." in text
    )
    documents.generate(store, rid, "interview-record", target, interview_ids=[second.key])
    assert "Changed after signing" not in "\n".join(
        p.text for p in docx.Document(str(target)).paragraphs
    )

    for name in documents.DOCUMENTS:
        target = tmp_path / f"{name}.docx"
        documents.generate(store, rid, name, target, final=True)
        words = _all_text(target)
        for leak in (OLD, REASON, "changed from", "restored to"):
            assert leak not in words, (name, leak)
        if name == "management-review":
            transcripts = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
            assert transcripts.count("Changed after signing.") == 1
