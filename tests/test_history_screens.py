"""The history view (F3) and the question a signed record asks, on screen (issue 15 items 2-3)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, OptionList, TextArea

from reviewer_tui import bundle, history
from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import FieldEditor, field_widget
from reviewer_tui.storage import DataFolder
from tests.conftest import SAMPLE, make_app, pressing, reach_the_record, wait_until

WHEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def london(monkeypatch: pytest.MonkeyPatch) -> None:
    """Times on screen are local: the same in every test run."""
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    monkeypatch.setattr(history.domain, "utc_now", lambda: WHEN)


def _signed(store: Store) -> tuple[int, int]:
    rid = bundle.import_file(store, SAMPLE)
    interview = store.rows(m.Interview, rid)[0]
    store.update(
        m.Interview,
        interview.id,
        signed_by_interviewee=True,
        signed_by_interviewer=True,
        agreed_on=dt.date(2025, 9, 1),
    )
    return rid, interview.id


async def test_typing_into_a_signed_record_asks_first_cancel_puts_it_back_a_reason_saves(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.dialogs import TextPrompt
    from reviewer_tui.screens.interviews import InterviewScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid, iid = _signed(store)
    stored = store.get(m.Interview, iid).interviewee_comments
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        await app.push_screen(InterviewScreen(iid))
        await reach_the_record(pilot)
        area = field_widget(app.screen, "interviewee_comments", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), what="the question")
        assert "This interview record is signed by both. Why change it?" in str(
            app.screen.query_one(".title").render()
        )
        assert store.get(m.Interview, iid).interviewee_comments == stored  # nothing stored yet
        await pilot.press("escape")
        await wait_until(pilot, lambda: area.text == stored, what="the stored text back")
        assert any("was not kept" in n.message for n in app._notifications)
        assert store.get(m.Interview, iid).interviewee_comments == stored

        area.move_cursor(area.document.end)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), what="asked again")
        app.screen.query_one(Input).value = "Interviewee's correction [2 Oct]"
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: store.get(m.Interview, iid).interviewee_comments == stored + "y",
            what="the change saved with its reason",
        )
        await pilot.press("z")  # no longer locked: saved without asking
        await wait_until(
            pilot, lambda: store.get(m.Interview, iid).interviewee_comments == stored + "yz"
        )
        assert not isinstance(app.screen, TextPrompt)
        (entry,) = [e for e in history.history_of(store, rid) if e.reason]
        assert entry.reason == "Interviewee's correction [2 Oct]" and entry.new == stored + "yz"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        await wait_until(
            pilot,
            lambda: (
                "Interview record changed after signing: Amélie Durand"
                in str(app.screen.query_one("#alerts").render())
            ),
            what="the workspace showing the state",
        )


async def test_a_key_that_reaches_the_box_before_its_field_is_mounted_is_still_an_edit(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field's text box is mounted in its face's place, and takes keys, before any handler of
    the field runs: a key typed in that moment (a loaded machine, a fast typist) is an edit,
    asked about like any other, not taken for the stored text (it was once, and the key was
    never saved). The key here reaches the box as the box itself mounts."""
    from reviewer_tui.screens.dialogs import TextPrompt
    from reviewer_tui.screens.interviews import InterviewScreen

    _, iid = _signed(store)
    stored = store.get(m.Interview, iid).interviewee_comments
    mounted = TextArea._on_mount

    known: list[object] = []

    def key_first(area: TextArea, event: events.Mount) -> None:
        mounted(area, event)
        if area.id == "f-interviewee_comments":
            field = area.parent
            assert isinstance(field, FieldEditor)
            known.append(field._shown)  # what the field takes as loaded: the box's text, known
            area.insert("x", area.document.end)  # what the key does, before the field hears

    monkeypatch.setattr(TextArea, "_on_mount", key_first)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(InterviewScreen(iid))
        await reach_the_record(pilot)
        area = field_widget(app.screen, "interviewee_comments", TextArea)  # its face: built now
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), what="the question")
        await pilot.press("escape")
        await wait_until(pilot, lambda: area.text == stored, what="the stored text back")
    assert known == [stored]
    assert store.get(m.Interview, iid).interviewee_comments == stored


async def test_notes_of_a_signed_record_ask_before_the_first_key_is_stored(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.dialogs import TextPrompt
    from reviewer_tui.screens.notes import NotesScreen

    _, iid = _signed(store)
    stored = store.get(m.Interview, iid).notes
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(NotesScreen(iid))
        area = app.screen.query_one("#notes", TextArea)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), what="the question")
        await pilot.press("escape")
        await wait_until(pilot, lambda: area.text == stored, what="the stored notes back")
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), what="asked again")
        app.screen.query_one(Input).value = "Typo"
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.get(m.Interview, iid).notes == stored + "b")
        await pilot.press("c")
        await wait_until(pilot, lambda: store.get(m.Interview, iid).notes == stored + "bc")
        app.screen.saver.wait_idle(2)


async def test_f3_shows_the_focused_items_history_and_restores_an_earlier_value(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.findings import AnalysisScreen
    from reviewer_tui.screens.history import HistoryScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = bundle.import_file(store, SAMPLE)
    finding = store.rows(m.Finding, rid)[0]
    first = finding.statement
    store.update(m.Finding, finding.id, statement="Second [b]wording[/b]")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        await app.push_screen(AnalysisScreen(rid))
        field_widget(app.screen, "statement").focus()
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))

        def title() -> str:
            return str(app.screen.query_one("#history-title").render())

        await wait_until(pilot, lambda: title() == "History of Finding 1: 1 change", what=title)
        listing = app.screen.query_one(OptionList)
        assert "Finding 1, Finding: changed from" in str(listing.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await wait_until(pilot, lambda: store.get(m.Finding, finding.id).statement == first)
        await wait_until(pilot, lambda: title() == "History of Finding 1: 2 changes", what=title)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, AnalysisScreen))
        await wait_until(
            pilot,
            lambda: (
                any(e.spec.name == "statement" for e in app.screen.query(FieldEditor))
                and field_widget(app.screen, "statement", TextArea).text == first
            ),
            what="the screen showing the restored value",
        )


# --- how they look ------------------------------------------------------------------------------
def _history_app(data_dir: Path):  # noqa: ANN202
    from reviewer_tui.screens.history import HistoryScreen

    folder = open_folder(data_dir)
    store = Store(folder)
    rid, iid = _signed(store)
    finding = store.rows(m.Finding, rid)[0]
    store.update(m.Finding, finding.id, statement="Plans [drifted] after the move")
    with history.changing(reason="Interviewee's correction"):
        store.update(m.Interview, iid, disagreements="One date [was] wrong")
    store.update(m.Scope, rid, period_from=dt.date(2024, 1, 5))
    app = make_app(folder)
    app.sub_title = "snapshot"

    async def run_before(pilot) -> None:  # noqa: ANN001
        await app.push_screen(HistoryScreen(rid))
        await pressing()(pilot)

    return app, run_before


def test_history_view_at_80_by_24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    app, run_before = _history_app(data_dir)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_reason_dialog_at_80_by_24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    from reviewer_tui.screens.history import reason_prompt

    folder = open_folder(data_dir)
    app = make_app(folder)
    app.sub_title = "snapshot"

    async def run_before(pilot) -> None:  # noqa: ANN001
        await app.push_screen(
            reason_prompt("This interview record is signed by both. Why change it?")
        )
        await pressing()(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


async def test_a_tick_on_a_signed_record_asks_why_and_a_reason_stores_it(
    folder: DataFolder, store: Store
) -> None:
    from textual.widgets import Checkbox

    from reviewer_tui.screens.dialogs import TextPrompt
    from reviewer_tui.screens.forms import SaveIndicator
    from reviewer_tui.screens.notes import NotesScreen

    rid, iid = _signed(store)
    before = list(store.get(m.Interview, iid).matters_covered)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(NotesScreen(iid))
        await pilot.pause()
        box = next(b for b in app.screen.query(".matter").results(Checkbox) if not b.value)
        box.focus()
        await pilot.press("space")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), what="the question")
        assert store.get(m.Interview, iid).matters_covered == before  # nothing stored yet
        await pilot.press("escape")  # cancelled: not stored, and said so
        await wait_until(pilot, lambda: not isinstance(app.screen, TextPrompt))
        indicator = app.screen.query_one(SaveIndicator)
        assert "NOT SAVED" in str(indicator.render())
        assert store.get(m.Interview, iid).matters_covered == before

        box.value = False
        await pilot.pause()
        box.focus()
        await pilot.press("space")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), what="asked again")
        app.screen.query_one(Input).value = "Covered [in the second hour]"
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: len(store.get(m.Interview, iid).matters_covered) == len(before) + 1,
            what="the tick stored with its reason",
        )
        (entry,) = [e for e in history.history_of(store, rid) if e.reason]
        assert entry.reason == "Covered [in the second hour]"
