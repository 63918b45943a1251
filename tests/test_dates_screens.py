"""Pilot: a date that is not a date is answered with the parser's message, quoting what was typed
as plain text (a typed '[/]' is shown, never read as markup), in every place that reads a date."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from reviewer_tui import interviews as iv
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from tests.conftest import make_app

TYPED = "[b]3[/] May"  # markup to Textual: would show '3' in bold and lose the brackets


async def _type(pilot, name: str, value: str) -> None:  # noqa: ANN001
    # "#id": a plain Input of the screen (not a form field); otherwise a form field's name
    widget = (
        pilot.app.screen.query_one(name, Input)
        if name.startswith("#")
        else field_widget(pilot.app.screen, name, Input)
    )
    widget.focus()
    widget.value = value
    await pilot.pause()


def _shown(pilot, selector: str) -> str:  # noqa: ANN001
    return str(pilot.app.screen.query_one(selector).render())


async def test_the_new_review_dialog_quotes_a_bad_date_as_typed(folder) -> None:  # noqa: ANN001
    from reviewer_tui.screens.dialogs import NewReviewDialog

    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(NewReviewDialog())
        await pilot.pause()
        await _type(pilot, "#title", "Dates")
        await _type(pilot, "#commissioned", TYPED)
        await pilot.click("#create")
        await pilot.pause()
        assert f"'{TYPED}' is not a date we can read" in _shown(pilot, ".error")


async def test_quick_entry_quotes_a_bad_date_as_typed(store: Store, folder) -> None:  # noqa: ANN001
    from reviewer_tui.screens.chronology import ChronologyScreen

    rid = store.create_review("Dates", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(ChronologyScreen(rid))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await _type(pilot, "#qe-event", "Something happened")
        await _type(pilot, "#qe-when", TYPED)
        await pilot.press("enter")
        await pilot.pause()
        assert f"Not added: '{TYPED}' is not a date we can read" in _shown(pilot, "#qe-message")


@pytest.mark.parametrize("where", ["interview time", "form date"])
async def test_fields_quote_a_bad_date_as_typed(store: Store, folder, where: str) -> None:  # noqa: ANN001
    from reviewer_tui.screens.interviews import InterviewScreen

    rid = store.create_review("Dates", "internal case review", "concern")
    person = iv.add_person(store, rid, "Ann Able")
    interview = iv.add_interview(store, rid, person.id)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(InterviewScreen(interview.id))
        await pilot.pause()
        if where == "interview time":
            await _type(pilot, "#schedule-when", TYPED)
            shown = _shown(pilot, "#schedule-error")
        else:
            await _type(pilot, "confirmation_sent_on", TYPED)
            from reviewer_tui.screens.forms import FieldEditor

            editor = next(
                e
                for e in pilot.app.screen.query(FieldEditor)
                if e.spec.name == "confirmation_sent_on"
            )
            shown = str(editor.query_one(".field-error").render())
        assert f"Not saved yet: '{TYPED}' is not a date we can read" in shown
