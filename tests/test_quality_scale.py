"""Issue 14: the quality check on a large review. The screen is usable at once and the check runs
behind it, saying how far it has got; a check of a review checked before scans only the texts
that changed (each known by a digest), and never misses a name written since; the analysis
screen builds a long list of findings as stubs, each built when it comes into view or is
focused."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from reviewer_tui import bundle, findings, quality
from reviewer_tui import models as m
from reviewer_tui.reports import register
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder
from tests.conftest import SAMPLE, make_app, scroll_through, wait_until, workers_done
from tests.test_findings_screen import open_analysis
from tests.test_readiness import clean_bundle


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none")


def _long_list_of_findings(store: Store, more: int) -> int:
    """The sample review with `more` findings beyond those built whole, so the last are stubs."""
    from reviewer_tui.screens.stubs import WHOLE_LIST

    rid = bundle.import_file(store, SAMPLE)
    for n in range(WHOLE_LIST + more):
        store.update(m.Finding, findings.add_finding(store, rid), statement=f"Finding text {n}")
    return rid


def _counting_scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    scanned: list[str] = []
    real = register._hits

    def counting(text: str, checks: Any) -> Any:
        scanned.append(text)
        return real(text, checks)

    monkeypatch.setattr(register, "_hits", counting)
    return scanned


def test_a_second_check_scans_only_what_changed_and_finds_a_name_written_since(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = clean_bundle()
    b["people"].append({"id": "p-2", "full_name": "Lee Whitlock", "pseudonym": "Team Manager"})
    rid = bundle.import_bundle(store, b)
    quality._FOUND.clear()
    scanned = _counting_scans(monkeypatch)
    heard: list[tuple[int, int]] = []
    first = quality.check(store, rid, progress=lambda done, total: heard.append((done, total)))
    assert scanned and heard[-1][0] == heard[-1][1] > 0  # told how far, to the end
    assert not [i for i in first if i.check == "named-in-publication"]
    scanned.clear()
    assert quality.check(store, rid) == first
    assert scanned == []  # nothing changed: nothing scanned again
    # A name written into one text since: that text alone is scanned, and the name is found.
    finding = store.rows(m.Finding, rid)[0]
    store.update(m.Finding, finding.id, notes="Whitlock visited alone.")
    items = quality.check(store, rid)
    assert scanned == ["Whitlock visited alone."]
    assert [i.identity for i in items if i.check == "named-in-publication"] == [
        "named-in-publication:findings:f-1:notes:whitlock"
    ]
    # A new name in the register: every text is checked against it again.
    scanned.clear()
    person = store.rows(m.Person, rid)[0]
    store.update(m.Person, person.id, pseudonym="Social Worker 9")
    quality.check(store, rid)
    assert len(scanned) > 1


def test_a_check_stops_when_its_progress_says_so(store: Store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    quality._FOUND.clear()

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        quality.check(store, rid, progress=stop)


async def test_the_checklist_is_shown_at_once_and_checks_in_a_worker_thread(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no child process can read the folder (an encrypted one: the key never leaves the
    app), the check runs in a worker thread; elsewhere in a child (tests/test_quality_process)."""
    from reviewer_tui import quality_process
    from reviewer_tui.screens.readiness import QualityScreen

    monkeypatch.setattr(quality_process, "can_run_in_child", lambda folder: False)
    rid = bundle.import_file(store, SAMPLE)
    quality._FOUND.clear()
    threads: list[str] = []
    real = quality.check
    release = threading.Event()

    def slow_check(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        kwargs["progress"](1, 2)
        release.wait(10)  # held until the screen has been seen working meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(quality, "check", slow_check)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QualityScreen(rid)
        await app.push_screen(screen)
        summary = screen.query_one("#quality-summary", Static)
        await wait_until(pilot, lambda: "50%" in str(summary.render()), what="progress shown")
        assert threads and threads[0] != threading.main_thread().name
        release.set()
        await wait_until(pilot, lambda: "Quality check" in str(summary.render()), what="result")
        await workers_done(pilot)


async def test_a_long_list_of_findings_is_built_as_it_comes_into_view(
    folder: DataFolder, store: Store
) -> None:
    from textual.containers import VerticalScroll
    from textual.widgets import TextArea

    from reviewer_tui.screens.findings import FindingBox, FindingStub
    from reviewer_tui.screens.stubs import RUN_AFTER, Stub, StubRun

    rid = _long_list_of_findings(store, 4)
    total = len(store.rows(m.Finding, rid))
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_analysis(app, pilot, rid)
        await pilot.pause()
        boxes, stubs = list(screen.query(FindingBox)), list(screen.query(FindingStub))
        # Past the first RUN_AFTER, one widget holds the rest until the list scrolls near it.
        (run,) = screen.query(StubRun).results(StubRun)
        assert len(run.records) == total - RUN_AFTER
        assert f"Findings {RUN_AFTER + 1} to {total}" in str(run.render())
        assert len(boxes) + len(stubs) == RUN_AFTER and len(stubs) >= RUN_AFTER - 3
        assert "Finding text" in "".join(str(s.render()) for s in stubs)
        # Focused (Tab reaches it): the stub becomes its box, and the box takes the focus.
        stubs[-1].focus()
        await wait_until(pilot, lambda: not stubs[-1].is_attached, what="last stub built")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.focused, TextArea)
                and any(isinstance(a, FindingBox) for a in app.focused.ancestors)
            ),
            what="its box focused",
        )
        # Scrolled through (conftest.scroll_through): every finding is built, numbered by its
        # place.
        body = screen.query_one("#stage-body", VerticalScroll)
        numbered = [f"Finding {n}" for n in range(1, total + 1)]
        await scroll_through(
            pilot,
            body,
            lambda: not screen.query(FindingStub) and not screen.query(StubRun),
            lambda: not any(s.building for s in screen.query(Stub).results(Stub)),
        )
        assert [b.border_title for b in screen.query(".finding")] == numbered
        assert not screen.query(StubRun)
        assert len(screen.query(FindingBox)) > len(boxes) + 1


async def test_the_learning_below_a_long_list_of_findings_is_built_when_tabbed_to(
    folder: DataFolder, store: Store
) -> None:
    """Below a long list of findings the learning points and the implications are stubs until
    wanted: the focus on one builds it with the keyboard in its first field, and a key typed
    there is saved."""
    from textual.widgets import TextArea

    from reviewer_tui.screens.findings import LearningPoints
    from reviewer_tui.screens.stubs import SectionStub

    rid = _long_list_of_findings(store, 1)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_analysis(app, pilot, rid)
        stubs = list(screen.query("#part-learning SectionStub").results(SectionStub))
        assert len(stubs) == 2 and not screen.query(LearningPoints)
        stubs[0].focus()
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.focused, TextArea)
                and any(isinstance(a, LearningPoints) for a in app.focused.ancestors)
            ),
            what="the learning points built with the keyboard in the first point",
        )
        before = store.get(m.Learning, rid).good_practice[0]
        await pilot.press("x")
        await wait_until(
            pilot,
            lambda: store.get(m.Learning, rid).good_practice[0] == "x" + before,
            what="the key typed saved",
        )
        # The implications are built when reached too (a section is built once in view or
        # focused, not a screen ahead: stubs.SectionStub).
        stubs[1].focus()
        await wait_until(
            pilot,
            lambda: bool(screen.query("#part-learning ModelForm")) and not stubs[1].is_attached,
            what="the implications built when reached",
        )


async def test_leaving_as_a_box_is_built_does_not_stop_the_app(
    folder: DataFolder, store: Store
) -> None:
    """The reviewer presses Esc (or quits) just as a finding's box is being built, having
    scrolled into view: Textual still starts a box removed before its fields were made. The app
    goes on, with nothing reported as an error."""
    from reviewer_tui.screens.findings import AnalysisScreen, FindingBox, FindingStub

    rid = _long_list_of_findings(store, 1)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_analysis(app, pilot, rid)
        stub = list(screen.query(FindingStub))[-1]
        box = FindingBox(findings.finding(store, stub.finding_id))
        screen.query_one("#findings").mount(box, after=stub)  # registered, not built yet
        app.pop_screen()  # in the same moment
        await wait_until(pilot, lambda: not box.is_attached, what="the box gone with its screen")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.screen is not screen
        await app.push_screen(screen := AnalysisScreen(rid))
        await pilot.pause()
        stub = list(screen.query(FindingStub))[-1]
        box = FindingBox(findings.finding(store, stub.finding_id))
        parent = screen.query_one("#findings")
        parent.mount(box, after=stub)
        box.remove()  # the finding deleted in the same moment: the box goes, the screen stays
        await wait_until(pilot, lambda: box not in parent.children, what="the box gone")
        assert app.is_running and app.screen is screen


async def test_a_finding_built_late_shows_what_is_stored_then(
    folder: DataFolder, store: Store
) -> None:
    """A finding changed after the screen listed it (a restore from the history) is built from
    the record as stored when its box is made, so an edit never saves over the restored text."""
    from textual.widgets import TextArea

    from reviewer_tui.screens.findings import FindingBox, FindingStub

    rid = _long_list_of_findings(store, 4)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_analysis(app, pilot, rid)
        await pilot.pause()
        stub = list(screen.query(FindingStub))[-1]
        store.update(m.Finding, stub.finding_id, statement="Restored statement")
        stub.focus()
        await wait_until(pilot, lambda: not stub.is_attached, what="the stub built")
        box = next(b for b in screen.query(FindingBox) if b.finding_id == stub.finding_id)
        assert "Restored statement" in [a.text for a in box.query(TextArea)]
        # Focus moved on from the built stub builds the next one: let that finish before closing.
        await wait_until(
            pilot, lambda: not any(s.building for s in screen.query(FindingStub)), what="built"
        )
        await pilot.pause()
