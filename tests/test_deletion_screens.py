"""One deletion policy on every screen (issue 11, item 4): the same keys (Delete or ctrl+d on the
item, ctrl+z to put it back), the same message, and after undo every column of every row in every
table is as it was. Where undo is not enough (a review, an interview), the one ConfirmDelete
dialog asks first, and a wrong word says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button, DataTable, Input, Static

from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.screens.deleting import DeleteButton, UndoButton
from reviewer_tui.screens.dialogs import ConfirmDelete
from reviewer_tui.screens.stubs import SectionStub, Stub, StubRun
from reviewer_tui.storage import DataFolder
from tests.conftest import eventually, make_app
from tests.test_deletion import everything, sample


def shown(app: Any) -> str:
    """The notifications on screen now."""
    return " | ".join(str(n.message) for n in app._notifications)


def changed(before: dict[str, list[Any]], store: Store) -> dict[str, Any]:
    """What differs from `before`, to read in a failure."""
    after = everything(store)
    return {t: set(before[t]) ^ set(after.get(t, [])) for t in before if before[t] != after.get(t)}


# --- the dialog alone ---------------------------------------------------------------------
class Host(App[None]):
    def __init__(self, dialog: ConfirmDelete) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.result.append)


async def test_confirm_delete_says_a_wrong_word_and_dismisses_with_the_right_one() -> None:
    app = Host(
        ConfirmDelete(
            "DELETE",
            "Delete the interview with [b]Ann[/b]?",
            "Its notes (1,234 characters) go.",
            "the word",
        )
    )
    async with app.run_test() as pilot:
        await pilot.pause()
        texts = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Delete the interview with [b]Ann[/b]?" in texts and "1,234 characters" in texts
        app.screen.query_one("#typed", Input).value = "delet"
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == [] and app.screen is app.dialog
        error = str(app.screen.query_one(".error", Static).render())
        assert "That is not the word: nothing was deleted" in error
        assert app.screen.query_one("#delete", Button).disabled
        app.screen.query_one("#typed", Input).value = " delete "
        await pilot.pause()
        assert not app.screen.query_one("#delete", Button).disabled
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ["DELETE"]


async def test_confirm_delete_cancelled_dismisses_with_none() -> None:
    app = Host(ConfirmDelete("Child A"))
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one("#typed", Input).value = "Child A"
        await pilot.press("escape")
        await pilot.pause()
        assert app.result == [None]


# --- boxes: the Delete button, then ctrl+z on the Undo button left in its place --------------
def _screens() -> dict[str, tuple[Callable[[int], Any], str, type[Any]]]:
    from reviewer_tui.screens.actions import EscalationsScreen, RecommendationsScreen
    from reviewer_tui.screens.chronology import AgencyCodesScreen
    from reviewer_tui.screens.family import FamilyScreen
    from reviewer_tui.screens.findings import AnalysisScreen
    from reviewer_tui.screens.meeting import MeetingScreen
    from reviewer_tui.screens.reports import DraftScreen
    from reviewer_tui.screens.terms import TermsOfReferenceScreen

    return {
        "finding": (AnalysisScreen, ".delete-finding", m.Finding),
        "recommendation": (RecommendationsScreen, ".delete-recommendation", m.Recommendation),
        "escalation": (EscalationsScreen, ".delete-escalation", m.Escalation),
        "family contact": (FamilyScreen, ".delete-contact", m.FamilyContact),
        "list row": (TermsOfReferenceScreen, ".delete-row", m.Organisation),
        "other attendee": (MeetingScreen, ".other-remove", m.MeetingOtherAttendee),
        "agency code": (AgencyCodesScreen, ".delete-code", m.AgencyCode),
        "recipient": (lambda rid: DraftScreen(rid), ".delete-recipient", m.DraftRecipient),
    }


@pytest.mark.parametrize("kind", sorted(_screens()))
async def test_delete_key_then_ctrl_z_on_every_list_of_boxes(
    kind: str, folder: DataFolder, store: Store
) -> None:
    make, selector, model = _screens()[kind]
    rid = sample(store)
    key = store.rows(m.ReportDraft, rid)[0].id if model is m.DraftRecipient else rid
    table = model.__tablename__
    app = make_app(folder)

    def listed() -> int:
        """The boxes listed: each built (its Delete button) or, below the view, a stub (not a
        section's: a section of a box is built on its own)."""
        stubs = [
            s
            for s in app.screen.query(Stub).results(Stub)
            if s.table == table and not isinstance(s, SectionStub)
        ]
        held = sum(len(s.row_ids) if isinstance(s, StubRun) else 1 for s in stubs)
        return len(app.screen.query(selector)) + held

    async with app.run_test(size=(120, 50)) as pilot:
        await app.push_screen(make(key))
        await pilot.pause()
        before = everything(store)  # as the screen opened (it may register codes in use)
        button = app.screen.query(selector).first(DeleteButton)
        row_count = len(before[table])
        boxes = listed()
        button.focus()
        await pilot.press("ctrl+d")
        assert await eventually(pilot, lambda: len(everything(store)[table]) == row_count - 1)
        undo = app.screen.query_one(UndoButton)
        assert await eventually(pilot, lambda: app.focused is undo)
        assert await eventually(pilot, lambda: "ctrl+z to undo." in shown(app))
        assert "Deleted " in shown(app)
        assert "ctrl+z puts it back" in str(undo.label)
        await pilot.press("ctrl+z")
        assert await eventually(pilot, lambda: not app.screen.query(UndoButton))
        assert listed() == boxes
        assert await eventually(pilot, lambda: "Put back " in shown(app))
    assert everything(store) == before, changed(before, store)


# --- tables: Delete or ctrl+d in the list, ctrl+z in the list --------------------------------
async def test_records_and_chronology_delete_and_undo_with_the_same_keys(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.chronology_table import ChronologyTable
    from reviewer_tui.screens.records import RecordsScreen

    rid = sample(store)
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        for screen, table, name in (
            (RecordsScreen(rid), "#records", "record_examined"),
            (ChronologyScreen(rid), ChronologyTable, "chronology_entry"),
        ):
            await app.push_screen(screen)
            await pilot.pause()
            before = everything(store)  # as it opened: the chronology registers codes in use
            app.screen.query_one(table).focus()
            await pilot.pause()
            for key in ("delete", "ctrl+d"):
                count = len(everything(store)[name])
                await pilot.press(key)
                gone = await eventually(
                    pilot, lambda c=count, t=name: len(everything(store)[t]) == c - 1
                )
                assert gone
                assert "ctrl+z to undo." in shown(app)
            await pilot.press("ctrl+z", "ctrl+z")
            back = await eventually(pilot, lambda b=before: everything(store) == b)
            assert back, changed(before, store)
            app.pop_screen()
            await pilot.pause()


# --- where undo is not enough: the dialog first ------------------------------------------------
async def test_interview_and_person_ask_first_then_undo_puts_all_back(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.interviews import InterviewsStageScreen

    rid = sample(store)
    before = everything(store)
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        await app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        stage = app.screen
        stage.query_one("#agenda", DataTable).focus()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        app.screen.query_one("#typed", Input).value = "yes"
        await pilot.press("enter")
        await pilot.pause()
        assert "That is not the word" in str(app.screen.query_one(".error", Static).render())
        assert everything(store) == before
        app.screen.query_one("#typed", Input).value = "DELETE"
        await pilot.press("enter")
        assert await eventually(pilot, lambda: len(everything(store)["interview"]) == 1)
        assert app.screen is stage and "ctrl+z to undo." in shown(app)
        stage.query_one("#people", DataTable).focus()
        interviewed = next(i for i in store.rows(m.Interview, rid))
        people = [p.id for p in store.rows(m.Person, rid)]
        stage.query_one("#people", DataTable).move_cursor(row=people.index(interviewed.person_id))
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        assert "interview record" in " ".join(str(s.render()) for s in app.screen.query(Static))
        app.screen.query_one("#typed", Input).value = "delete"
        await pilot.press("enter")
        assert await eventually(pilot, lambda: not everything(store)["interview"])
        stage.query_one("#people", DataTable).focus()
        await pilot.press("ctrl+z", "ctrl+z")
        assert await eventually(pilot, lambda: everything(store) == before)
    assert everything(store) == before


async def test_review_list_wrong_title_says_so(folder: DataFolder, store: Store) -> None:
    store.create_review("Child A", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        app.screen.query_one("#typed", Input).value = "Child B"
        await pilot.press("enter")
        await pilot.pause()
        assert "That is not the title: nothing was deleted" in str(
            app.screen.query_one(".error", Static).render()
        )
        app.screen.query_one("#typed", Input).value = "child a"
        await pilot.press("enter")
        await pilot.pause()
    assert not _reviews(store)


def _reviews(store: Store) -> list[Any]:
    from sqlmodel import select

    with store.session() as s:
        return list(s.exec(select(m.Review)))
