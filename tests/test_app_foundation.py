"""Pilot tests of the first two stages, driven as a lead reviewer would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Button, DataTable, Input, Select, TextArea

from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from tests.conftest import make_app


def table_rows(app, selector: str) -> list[list[str]]:  # noqa: ANN001
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def set_input(pilot, selector: str, value: str) -> None:  # noqa: ANN001
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = value
    await pilot.pause()


async def set_field(pilot, name: str, value: str) -> None:  # noqa: ANN001
    widget = field_widget(pilot.app.screen, name, Input)
    widget.focus()
    widget.value = value
    await pilot.pause()


async def set_area(pilot, name: str, value: str) -> None:  # noqa: ANN001
    widget = field_widget(pilot.app.screen, name, TextArea)
    widget.focus()
    widget.load_text("")
    widget.insert(value)
    await pilot.pause()


async def test_create_fill_quit_and_find_everything_again(data_dir: Path) -> None:
    folder = open_folder(data_dir)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("n")
        await set_input(pilot, "#title", "Internal Case Review: Child R")
        app.screen.query_one("#kind", Select).value = "serious case review"
        await set_input(pilot, "#commissioned", "14/07/2025")
        await pilot.click("#create")
        await pilot.pause()
        assert type(app.screen).__name__ == "WorkspaceScreen"

        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommissioningScreen"
        await set_field(pilot, "child_name", "Rosie O’Neill")
        await set_field(pilot, "commissioner_name", "Marcus Adeyemi")
        await set_area(pilot, "brief", "Line one\n\tindented {{ child_name }} & <b>bold</b> 😊")
        screen = app.screen
        questions = field_widget(screen, "preliminary_questions")
        await pilot.pause()  # the list's rows and buttons are mounted
        questions.query_one(".add", Button).press()
        await pilot.pause()
        question = screen.query("TextListEditor TextArea").last(TextArea)
        question.insert("Why was the referral not linked?")
        await pilot.pause()
        assert "Saved" in str(screen.query_one("SaveIndicator").render())
        await pilot.press("escape")
        await pilot.press("t")
        await pilot.pause()
        assert type(app.screen).__name__ == "TermsOfReferenceScreen"
        await set_field(pilot, "period_from", "2024-09-01")
        field_widget(app.screen, "family_involvement_level", Select).value = 6
        await pilot.pause()
        assert "contribute written or verbal views" in str(
            app.screen.query_one("#d-family_involvement_level").render()
        )
        add_change = next(b for b in app.screen.query(Button) if "scope changes" in str(b.label))
        add_change.press()
        await pilot.pause()
        change = field_widget(app.screen.query("RowList").last(), "change", TextArea)
        change.insert("Housing Options invited to contribute.")
        await pilot.pause()
        agreed = field_widget(app.screen.query("RowList").last(), "agreed_with", Input)
        agreed.value = "Marcus Adeyemi, Assistant Director"
        await pilot.pause()
        await pilot.press("ctrl+q")
    folder.close()

    folder = open_folder(data_dir)  # start again
    store = Store(folder)
    review = store.review(1)
    assert review.title == "Internal Case Review: Child R"
    assert review.review_type == "serious case review"
    assert review.commissioned_on == dt.date(2025, 7, 14)
    assert review.child_name == "Rosie O’Neill"
    assert review.brief == "Line one\n\tindented {{ child_name }} & <b>bold</b> 😊"
    assert review.preliminary_questions == ["Why was the referral not linked?"]
    scope = store.get(m.Scope, 1)
    assert scope.period_from == dt.date(2024, 9, 1)
    assert scope.family_involvement_level == 6
    assert scope.target_completion == dt.date(2026, 1, 14)  # six months, set by the kind
    changes = store.rows(m.ScopeChange, 1)
    assert [(c.change, c.agreed_with, c.date) for c in changes] == [
        (
            "Housing Options invited to contribute.",
            "Marcus Adeyemi, Assistant Director",
            dt.date(2025, 9, 1),
        )
    ]

    app = make_app(folder)
    # wide enough for every column of the list (narrower, Kind, Criterion and Commissioned give
    # way to the title: tests/test_layout80.py)
    async with app.run_test(size=(140, 40)) as pilot:
        rows = table_rows(app, "#reviews")
        assert rows[0][:4] == [
            "Internal Case Review: Child R",
            "Serious Case Review",
            "concern",
            "2 Terms of reference",
        ]
        assert rows[0][4:] == ["14 Jul 2025", "14 Jan 2026", "135 days left"]
        await pilot.press("enter", "c")
        await pilot.pause()
        assert field_widget(app.screen, "child_name", Input).value == "Rosie O’Neill"
        assert field_widget(app.screen, "brief", TextArea).text.startswith("Line one\n\tindented")
    folder.close()


async def test_archive_restore_and_delete_by_typing_the_title(folder, store) -> None:  # noqa: ANN001
    store.create_review("Keep me", "internal case review", "concern")
    store.create_review("Delete me", "learning review", "progressing well")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        assert [r[0] for r in table_rows(app, "#reviews")] == ["Delete me", "Keep me"]
        await pilot.press("down", "a")
        await pilot.pause()
        assert [r[0] for r in table_rows(app, "#reviews")] == ["Delete me"]
        await pilot.press("h")
        await pilot.pause()
        rows = table_rows(app, "#reviews")
        assert rows[1][0] == "Keep me (archived)" and rows[1][-1] == "archived"
        await pilot.press("down", "a")  # restore
        await pilot.pause()
        assert store.review(1).archived_at is None

        await pilot.press("up", "d")
        await pilot.pause()
        delete = app.screen.query_one("#delete", Button)
        await set_input(pilot, "#typed", "Delete m")
        assert delete.disabled
        await set_input(pilot, "#typed", "Delete me")
        assert not delete.disabled
        await pilot.click("#delete")
        await pilot.pause()
        assert [r[0] for r in table_rows(app, "#reviews")] == ["Keep me"]


async def test_workspace_shows_every_stage_and_deadline(folder, store) -> None:  # noqa: ANN001
    from reviewer_tui import bundle
    from tests.conftest import SAMPLE

    bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        rows = table_rows(app, "#stages")
        assert len(rows) == 12
        assert rows[0][:2] == ["1 Commissioning (c)", "18 of 18 items"]  # (c): its key
        assert rows[3][:2] == ["4 Chronology (h)", "19 entries, 4 significant"]
        assert rows[9][1] == "not started"
        deadlines = str(app.screen.query_one("#deadlines").render())
        assert "Target completion: 31 Oct 2025 (report submitted 17 Oct 2025)" in deadlines


async def test_bad_date_is_not_saved_and_says_so(folder, store) -> None:  # noqa: ANN001
    review_id = store.create_review("Dates", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter", "c")
        await pilot.pause()
        await set_field(pilot, "commissioned_on", "31/02/2025")
        indicator = str(app.screen.query_one("SaveIndicator").render())
        assert "NOT SAVED" in indicator and "not a date" in indicator
        await set_field(pilot, "commissioned_on", "28/02/2025")
        assert "Saved" in str(app.screen.query_one("SaveIndicator").render())
    assert store.review(review_id).commissioned_on == dt.date(2025, 2, 28)


async def test_help_lists_keys_and_palette_has_every_action(folder) -> None:  # noqa: ANN001
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        commands = [c.title for c in app.get_system_commands(app.screen)]
        for action in ("New review", "Open", "Rename", "Archive/restore", "Delete", "Help", "Quit"):
            assert action in commands
        await pilot.press("f1")
        await pilot.pause()
        text = str(app.screen.query_one("Static").render())
        assert "New review" in text and "Command palette" in text
        await pilot.press("escape")
        await pilot.press("f2")
        assert app.theme == "textual-light"
        await pilot.press("f2")
        assert app.theme == "high-contrast"


async def test_a_reason_ending_in_a_full_stop_is_not_given_a_second() -> None:
    from textual.app import App

    from reviewer_tui.screens.forms import SaveIndicator

    class One(App[None]):
        def compose(self):  # noqa: ANN202
            yield SaveIndicator()

    app = One()
    async with app.run_test() as pilot:
        indicator = app.query_one(SaveIndicator)
        indicator.failed("Date", "A contact needs its date.")
        await pilot.pause()
        shown = str(indicator.render())
    assert "A contact needs its date. Your text is still here" in shown, shown
