"""The checklist and timescales screens as the reviewer uses them (pilot), and how they look at
80x24 (snapshots): the checklist, the timescales screen and the delay dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from reviewer_tui import bundle, timescales
from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder
from tests.conftest import FIXED_TODAY, SAMPLE, make_app, wait_until, workers_done
from tests.test_readiness import clean_bundle

# Seconds the check may take to report: it runs in a process of its own, which imports the
# storage layer first (seconds on a loaded machine).
CHECKED = 60.0


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none")


def _late_review(store: Store) -> int:
    """A practice review whose notification deadline passed before FIXED_TODAY (1 Sep 2025)."""
    rid = store.create_review("CSPR: Child V", "child safeguarding practice review", "concern")
    timescales.ensure_dates(store, rid)
    store.update(m.TimescaleDates, rid, incident_known_on=dt.date(2025, 8, 18))
    return rid


def _text(widget: Static) -> str:
    return str(widget.render())


async def test_the_checklist_opens_places_and_accepts_with_a_reason(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.actions import RecommendationsScreen
    from reviewer_tui.screens.commissioning import CommissioningScreen
    from reviewer_tui.screens.forms import recovery_owner
    from reviewer_tui.screens.readiness import QualityScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    b = clean_bundle()
    b["recommendations"][0]["owner"] = ""
    b["findings"][0]["statement"] = "Acted on the same day."  # Q1 no longer cited
    rid = bundle.import_bundle(store, b)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        await pilot.press("k")
        await wait_until(pilot, lambda: isinstance(app.screen, QualityScreen), what="checklist")
        screen = app.screen
        assert isinstance(screen, QualityScreen)
        await wait_until(pilot, lambda: len(screen.items) == 2, CHECKED, "two items")
        summary = _text(screen.query_one("#quality-summary", Static))
        assert "2 open items" in summary
        table = screen.query_one("#quality-items", DataTable)
        assert "Recommendation 1" in str(table.get_row_at(0)[1])
        # a: accept with a reason that looks like markup; stored as typed, shown as typed.
        await pilot.press("a")
        prompt = app.screen
        prompt.query_one("#value", Input).value = "Owner [b]named[/b] by the board"
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                [a.reason for a in store.rows(m.QualityAcceptance, rid)]
                == ["Owner [b]named[/b] by the board"]
            ),
            what="acceptance stored",
        )
        await wait_until(
            pilot,
            lambda: "1 accepted with a reason" in _text(screen.query_one("#quality-summary")),
            CHECKED,
            "summary recounted",
        )
        accepted_row = [table.get_row_at(i) for i in range(table.row_count)][-1]
        assert str(accepted_row[3]) == "Owner [b]named[/b] by the board"
        # Enter on the open item (the question) opens commissioning, where it is fixed.
        table.move_cursor(row=0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CommissioningScreen))
        await pilot.pause(0.3)  # the toast naming the place is drawn (as plain text)
        assert [n.message for n in app._notifications] == ["Fix: Question Q1"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        # w withdraws the acceptance of the chosen item.
        table.move_cursor(row=1)
        await pilot.press("w")
        await wait_until(pilot, lambda: store.rows(m.QualityAcceptance, rid) == [])
        # the list checked again (a check begun before is cancelled by the next: waiting on
        # every worker raised for it)
        await wait_until(
            pilot,
            lambda: (
                "accepted with a reason" not in _text(screen.query_one("#quality-summary"))
                and not any(w.group == "quality-check" and not w.is_finished for w in app.workers)
            ),
            CHECKED,
            "the list checked again",
        )
        # Enter on a recommendation's item opens that recommendation with its owner focused.
        owner_row = next(
            i for i in range(table.row_count) if "Recommendation 1" in str(table.get_row_at(i)[1])
        )
        table.move_cursor(row=owner_row)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RecommendationsScreen))
        recommendation = store.rows(m.Recommendation, rid)[0]
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.focused, Input)
                and app.focused.id == "f-owner"
                and recovery_owner(app.focused) == ("recommendation", recommendation.id)
            ),
            what="the first recommendation's owner focused",
        )
        await workers_done(pilot)


async def test_a_final_version_says_what_is_open_before_it_is_written(
    folder: DataFolder, store: Store, tmp_path: Path
) -> None:
    from textual.widgets import Select

    from reviewer_tui.screens.readiness import QualityScreen
    from reviewer_tui.screens.reports import ReportScreen

    b = clean_bundle()
    b["recommendations"][0]["measure"] = ""
    rid = bundle.import_bundle(store, b)
    out = tmp_path / "reports"
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        await app.push_screen(ReportScreen(rid))
        screen = app.screen
        screen.query_one("#mode", Select).value = "final"
        screen.query_one("#folder", Input).value = str(out)
        await pilot.press("ctrl+s")
        status = screen.query_one("#report-status", Static)
        await wait_until(pilot, lambda: "NOT WRITTEN YET" in _text(status), what="open items")
        assert "Recommendation without a way to check it: Recommendation 1" in _text(status)
        assert not out.exists() or not list(out.iterdir())
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, QualityScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+s")  # again: written anyway
        await wait_until(pilot, lambda: "Final version written" in _text(status), 30)
        assert len(list(out.iterdir())) == 1
        await workers_done(pilot)


async def test_a_missed_deadline_asks_for_a_reason_and_the_workspace_shows_the_log(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.readiness import DelayDialog, TimescalesScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = _late_review(store)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        workspace = WorkspaceScreen(rid)
        await app.push_screen(workspace)
        await pilot.pause()
        alerts = workspace.query_one("#alerts", Static)
        assert "Notify the Panel and safeguarding partners" in _text(alerts)
        assert "give a reason (press l)" in _text(alerts)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, TimescalesScreen))
        screen = app.screen
        table = screen.query_one("#timescale-table", DataTable)
        row = next(i for i in range(table.row_count) if "Notify" in str(table.get_row_at(i)[2]))
        table.move_cursor(row=row)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DelayDialog))
        dialog = app.screen
        dialog.query_one("#revised", Input).value = "20/8/2025"  # before the due date
        dialog.query_one("#reason", Input).value = "Awaiting [red]police[/] disclosure"
        dialog.query_one("#reason", Input).focus()
        await pilot.press("enter")
        error = dialog.query_one(".error", Static)
        await wait_until(pilot, lambda: "must be after" in _text(error))
        assert store.rows(m.DelayEntry, rid) == []
        dialog.query_one("#revised", Input).value = "2025-09-12"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        (entry,) = store.rows(m.DelayEntry, rid)
        assert entry.reason == "Awaiting [red]police[/] disclosure"
        assert entry.revised_due == dt.date(2025, 9, 12) and entry.recorded_on == FIXED_TODAY
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is workspace)
        text = _text(workspace.query_one("#alerts", Static))
        assert (
            "Delay log: Notify the Panel and safeguarding partners: Awaiting [red]police[/]" in text
        )
        assert "give a reason" not in text


# --- snapshots at 80x24 -------------------------------------------------------------------------
def _app(data_dir: Path) -> tuple[Any, int, int]:
    folder = open_folder(data_dir)
    store = Store(folder)
    sample = bundle.import_file(store, SAMPLE)
    late = _late_review(store)
    app = make_app(folder)
    app.sub_title = "snapshot"
    return app, sample, late


def test_checklist_at_80_by_24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    from reviewer_tui.screens.readiness import QualityScreen

    app, sample, _ = _app(data_dir)

    async def run_before(pilot: Any) -> None:
        await pilot.app.push_screen(QualityScreen(sample))
        screen = pilot.app.screen
        await wait_until(pilot, lambda: screen.items, CHECKED, "the check")
        await workers_done(pilot)
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_timescales_and_delay_dialog_at_80_by_24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    from reviewer_tui.screens.readiness import TimescalesScreen

    app, _, late = _app(data_dir)

    async def run_before(pilot: Any) -> None:
        await pilot.app.push_screen(TimescalesScreen(late))
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_delay_dialog_at_80_by_24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    from reviewer_tui.screens.readiness import DelayDialog

    app, _, late = _app(data_dir)

    async def run_before(pilot: Any) -> None:
        found = timescales.timescales_now(pilot.app.folder, late, FIXED_TODAY)
        notification = next(t for t in found if t.key == "notification")
        await pilot.app.push_screen(DelayDialog(late, notification))
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
