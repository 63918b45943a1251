"""Issue 14: the quality check runs in a process of its own, so its scans never hold up the app's
keys. It says exactly what a check in the app says, the app learns the names it found (a check
again with nothing changed scans nothing), and leaving the checklist or quitting ends it."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from textual.widgets import Static

from reviewer_tui import bundle, quality
from reviewer_tui import models as m
from reviewer_tui.reports import register
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder, pid_running
from tests.conftest import make_app, wait_until, workers_done
from tests.test_readiness import clean_bundle

STARTED = 60.0  # seconds a child may take to start and check on a loaded machine


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none")


def _named_review(store: Store) -> int:
    b = clean_bundle()
    b["people"].append({"id": "p-2", "full_name": "Lee Whitlock", "pseudonym": "Team Manager"})
    rid = bundle.import_bundle(store, b)
    finding = store.rows(m.Finding, rid)[0]
    store.update(m.Finding, finding.id, notes="Whitlock visited alone; Zoë’s café was shut.")
    return rid


def _summary(screen: Any) -> str:
    return str(screen.query_one("#quality-summary", Static).render())


async def test_the_check_runs_in_a_child_and_says_what_the_app_would(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer_tui.screens.readiness import QualityScreen

    rid = _named_review(store)
    quality._FOUND.clear()
    here: list[str] = []
    real_check, real_hits = quality.check, register._hits

    def check_here(*args: Any, **kwargs: Any) -> Any:
        here.append("check")
        return real_check(*args, **kwargs)

    def scan_here(*args: Any, **kwargs: Any) -> Any:
        here.append("scan")
        return real_hits(*args, **kwargs)

    monkeypatch.setattr(quality, "check", check_here)
    monkeypatch.setattr(register, "_hits", scan_here)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QualityScreen(rid)
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen._child is not None, STARTED, "the child started")
        child = screen._child
        assert child is not None and child.pid != os.getpid()
        await wait_until(pilot, lambda: bool(screen.items), STARTED, "the checklist")
        await workers_done(pilot)
        assert here == []  # nothing checked nor scanned in the app's process
        assert not pid_running(child.pid)  # ended with its check
        shown = screen.items
        assert "open item" in _summary(screen)
    # The same items as the check in this process finds, the name among them.
    assert quality._FOUND  # the app learnt what the child found
    expected = real_check(store, rid)
    assert here == []  # ...so the check here scanned nothing again
    assert sorted(shown, key=lambda i: i.identity) == sorted(expected, key=lambda i: i.identity)
    assert "named-in-publication:findings:f-1:notes:whitlock" in {i.identity for i in shown}


async def test_leaving_the_checklist_or_quitting_ends_the_child(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = _named_review(store)
    finding = store.rows(m.Finding, rid)[0]
    # Notes long enough that the check is still scanning when Esc comes (seconds of scans).
    store.update(m.Finding, finding.id, notes="Zoë met Whitlock at the café. " * 35_000)
    quality._FOUND.clear()
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        workspace = app.screen
        screen, child = await _checking(app, pilot, rid)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is workspace, what="back at once")
        await wait_until(pilot, lambda: not pid_running(child.pid), what="the child ended")
        assert child.returncode is not None and screen._child is None  # ended and reaped
        _screen, second = await _checking(app, pilot, rid)
        await pilot.press("ctrl+q")
    second.wait(timeout=STARTED)
    assert not pid_running(second.pid)


async def _checking(app: Any, pilot: Any, rid: int) -> tuple[Any, Any]:
    """The checklist pushed, its child started and checking."""
    from reviewer_tui.screens.readiness import QualityScreen

    screen = QualityScreen(rid)
    await app.push_screen(screen)
    await wait_until(
        pilot,
        lambda: screen._child is not None and "Checking" in _summary(screen),
        STARTED,
        "the check",
    )
    child = screen._child
    assert child is not None and pid_running(child.pid)
    return screen, child


def test_what_a_child_found_is_taken_in_whole() -> None:
    quality._FOUND.clear()
    quality._FOUND[b"r" * 16] = {b"a" * 16: [], b"b" * 16: [("Lee", "a name of staff 1")]}
    known = quality.known_names()
    kept = dict(quality._FOUND)
    quality._FOUND.clear()
    quality.remember_names(json.loads(json.dumps(known)))  # as it comes from a child
    assert {r: {d: list(h) for d, h in f.items()} for r, f in quality._FOUND.items()} == kept
