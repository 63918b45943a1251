"""What the meeting, findings and action plan screens look like (pytest-textual-snapshot).
Update with --snapshot-update after a deliberate change and look at the SVGs before committing."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import pressing
from tests.test_snapshots import sample_app


def test_meeting_at_80_by_24_prompts_above_each_part(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    assert snap_compare(
        sample_app(data_dir),
        run_before=pressing(
            "down", "enter", "m", "ctrl+down", "ctrl+down", "ctrl+down", unfocus=True
        ),
        terminal_size=(80, 24),
    )


def test_findings_with_evidence_at_100_by_40(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    assert snap_compare(
        sample_app(data_dir),
        run_before=pressing("down", "enter", "f", "ctrl+down", unfocus=True),
        terminal_size=(100, 40),
    )


def overdue_app(data_dir: Path):  # noqa: ANN201
    """The sample with one recommendation overdue, a finding with no evidence and an
    escalation the commissioner has not yet been told about."""
    import datetime as dt

    from reviewer_tui import actions, findings
    from reviewer_tui import models as m
    from reviewer_tui.reviews import Store

    app = sample_app(data_dir)
    store = Store(app.folder)
    with store.session() as s:
        from sqlmodel import select

        rid = s.exec(select(m.Review.id).where(m.Review.title.contains("Child T"))).one()  # type: ignore[attr-defined]  # a column
    rec = store.rows(m.Recommendation, rid)[1]
    store.update(m.Recommendation, rec.id, due=dt.date(2025, 8, 20))
    findings.add_finding(store, rid, "Not yet linked to anything.")
    actions.add_escalation(store, rid, "safeguarding concern", "2025-08-30")
    return app


def test_workspace_overdue_and_flags(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    assert snap_compare(
        overdue_app(data_dir),
        run_before=pressing("down", "enter", unfocus=True),
        terminal_size=(100, 40),
    )
