"""The search screen (issue 15 item 1): ctrl+f on every screen of a review, results grouped with
the matching words highlighted, and Enter opening the exact place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, TextArea

from reviewer_tui import bundle, search
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder
from tests.conftest import SAMPLE, make_app, pressing, wait_until


def sample(store: Store) -> int:
    return bundle.import_file(store, SAMPLE)


async def open_search(pilot: Any, app: Any, query: str) -> Any:
    from reviewer_tui.screens.search import SearchScreen

    await pilot.press("ctrl+f")
    await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen), what="the search")
    screen = app.screen
    screen.query_one("#search-query", Input).value = query
    await wait_until(pilot, lambda: screen.results is not None and screen.query_text == query)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def prompts(screen: Any) -> list[Any]:
    results = screen.query_one("#search-results", OptionList)
    return [results.get_option_at_index(i).prompt for i in range(results.option_count)]


async def choose(pilot: Any, screen: Any, table: str, row_id: int, field: str) -> None:
    """Highlight the result for (table, row, field) and press Enter on it."""
    results = screen.query_one("#search-results", OptionList)
    key = next(
        k for k, h in screen.hits.items() if (h.table, h.row_id, h.field) == (table, row_id, field)
    )
    results.focus()
    results.highlighted = results.get_option_index(key)
    await pilot.pause()
    await pilot.press("enter")


async def open_hit(
    pilot: Any,
    app: Any,
    word: str,
    table: str,
    row_id: int,
    field: str,
    screen_type: type,
    editor: type[Any] = TextArea,
) -> Any:
    """From a screen of the review: search for `word`, press Enter on the hit in (table, row,
    field), and wait for `screen_type` with the match's `editor` (a TextArea, or an Input)
    focused; that editor."""

    def holds_the_word(widget: Any) -> bool:
        text = widget.text if isinstance(widget, TextArea) else widget.value
        return word.casefold() in text.casefold()

    screen = await open_search(pilot, app, word)
    await choose(pilot, screen, table, row_id, field)
    await wait_until(pilot, lambda: isinstance(app.screen, screen_type))
    await wait_until(
        pilot,
        lambda: isinstance(app.focused, editor) and holds_the_word(app.focused),
        what=f"the {field} of the hit focused",
    )
    return app.focused


async def test_ctrl_f_opens_the_search_on_screens_of_a_review_only(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.chronology import EntryScreen
    from reviewer_tui.screens.notes import NotesScreen
    from reviewer_tui.screens.search import SearchScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = sample(store)
    interview = store.rows(m.Interview, rid)[0]
    entry = store.rows(m.ChronologyEntry, rid)[0]
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+f")  # the review list: no review to search
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        for screen in (WorkspaceScreen(rid), NotesScreen(interview.id), EntryScreen(entry.id)):
            await app.push_screen(screen)
            await pilot.pause()
            searching = await open_search(pilot, app, "Tyler")
            assert searching.review_id == rid
            assert searching.results.total > 10
            await pilot.press("escape")
            await wait_until(pilot, lambda s=screen: app.screen is s)
            app.pop_screen()
            await pilot.pause()
        await app.workers.wait_for_complete()


async def test_results_are_grouped_with_the_words_highlighted_and_text_shown_as_typed(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.search import MATCH_STYLE
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = sample(store)
    entry = store.rows(m.ChronologyEntry, rid)[0]
    store.update(m.ChronologyEntry, entry.id, event="Siobhán said [red]no[/red] and [/] left")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        screen = await open_search(pilot, app, "siobhan")
        shown = prompts(screen)
        assert [p.plain.split("  (")[0] for p in shown if "\n" not in p.plain] == ["Chronology"]
        row = next(p for p in shown if "Siobhán" in p.plain)
        assert "Siobhán said [red]no[/red] and [/] left" in row.plain
        marked = [row.plain[s.start : s.end] for s in row.spans if s.style == MATCH_STYLE]
        assert marked == ["Siobhán"]
        summary = str(screen.query_one("#search-summary").render())
        assert summary.startswith("1 match in 1 place")
        screen.query_one("#search-query", Input).value = '"unbalanced ( NEAR * -'
        await wait_until(pilot, lambda: screen.query_text.startswith('"unbalanced'))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Nothing in this review matches" in str(screen.query_one("#search-summary").render())
        await app.workers.wait_for_complete()


async def test_enter_opens_the_chronology_with_the_entry_selected(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.chronology_table import ChronologyTable
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = sample(store)
    entry = store.rows(m.ChronologyEntry, rid)[5]
    store.update(m.ChronologyEntry, entry.id, outcome="A clementine was agreed")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        screen = await open_search(pilot, app, "clementine")
        await choose(pilot, screen, "chronology_entry", entry.id, "outcome")
        await wait_until(pilot, lambda: isinstance(app.screen, ChronologyScreen))
        table = app.screen.query_one(ChronologyTable)
        await wait_until(pilot, lambda: table.current is not None and table.current.id == entry.id)
        await app.workers.wait_for_complete()


async def test_enter_opens_the_notes_with_the_cursor_on_the_match(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.notes import NotesScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = sample(store)
    interview = store.rows(m.Interview, rid)[0]
    lines = [f"Line {n}: what was said at the meeting." for n in range(400)]
    lines[321] = "Line 321: then the tangerine question came up."
    # the sample's record is signed: this change says why (opening it to read asks nothing)
    iv.save_notes(store, interview.id, "\n".join(lines), "the search test writes long notes")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        screen = await open_search(pilot, app, "tangerine")
        await choose(pilot, screen, "interview", interview.id, "notes")
        await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen))
        area = app.screen.query_one("#notes", TextArea)
        await wait_until(pilot, lambda: area.cursor_location == (321, 19), what="the cursor")
        assert app.focused is area
        assert area.selection.is_empty  # nothing selected: the next key types, never replaces
        await app.workers.wait_for_complete()


@pytest.mark.parametrize("long_list", [False, True], ids=["built", "a stub of a long list"])
async def test_enter_opens_a_finding_with_its_field_focused_on_the_match(
    folder: DataFolder, store: Store, long_list: bool
) -> None:
    from reviewer_tui import findings
    from reviewer_tui.screens.findings import AnalysisScreen
    from reviewer_tui.screens.stubs import WHOLE_LIST
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = sample(store)
    if long_list:  # the last finding is then shown as a stub until wanted
        for _ in range(WHOLE_LIST):
            findings.add_finding(store, rid, statement="Another finding")
    finding = store.rows(m.Finding, rid)[-1]
    store.update(m.Finding, finding.id, notes="First line\nSecond line with a kumquat in it")
    record = store.rows(m.RecordExamined, rid)[-1]
    store.update(m.RecordExamined, record.id, notes="Read twice: persimmon.")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        area = await open_hit(pilot, app, "kumquat", "finding", finding.id, "notes", AnalysisScreen)
        assert area.id == "f-notes"
        assert area.cursor_location == (1, 19)
        await app.workers.wait_for_complete()


@pytest.mark.parametrize("table", ["family_contact", "limiting_factors_review"])
async def test_enter_opens_a_family_record_below_the_view_with_its_notes_focused(
    folder: DataFolder, store: Store, table: str
) -> None:
    """The last family contact, and the limiting factors under the contacts, are stubs as the
    family screen opens (screens/family.py): a hit in one is built and focused."""
    from reviewer_tui import actions
    from reviewer_tui.screens.family import FamilyScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = sample(store)
    for day in (2, 3, 4):  # the sample's one contact and three more: the last well below
        actions.add_contact(store, rid, dt.date(2025, 8, day), 3)
    model = m.FamilyContact if table == "family_contact" else m.LimitingFactorsReview
    row = store.rows(model, rid)[-1]
    store.update(model, row.id, notes="Agreed at the door: quince.")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        area = await open_hit(pilot, app, "quince", table, row.id, "notes", FamilyScreen)
        assert area.id == "f-notes"
        await app.workers.wait_for_complete()


async def test_enter_opens_a_record_in_the_records_list(folder: DataFolder, store: Store) -> None:
    from textual.widgets import DataTable

    from reviewer_tui.screens.records import RecordsScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = sample(store)
    record = store.rows(m.RecordExamined, rid)[-1]
    store.update(m.RecordExamined, record.id, notes="Read twice: persimmon.")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        screen = await open_search(pilot, app, "persimmon")
        await choose(pilot, screen, "record_examined", record.id, "notes")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordsScreen))
        table = app.screen.query_one("#records", DataTable)
        await wait_until(
            pilot,
            lambda: (
                table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
                == str(record.id)
            ),
        )
        await wait_until(
            pilot,
            lambda: isinstance(app.focused, (Input, TextArea)) and app.focused.id == "f-notes",
            what="the record's notes focused",
        )
        await app.workers.wait_for_complete()


def test_search_screen_at_80_by_24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    from tests.test_snapshots import sample_app

    assert snap_compare(
        sample_app(data_dir),
        run_before=pressing("down", "enter", "ctrl+f", *"grandfather", "enter"),
        terminal_size=(80, 24),
    )


def test_result_rows_stylize_only_the_matches() -> None:
    from reviewer_tui.screens.search import MATCH_STYLE, result_rows

    hit = search.Hit(
        1, "finding", 1, "notes", 0, "Finding f-1", "Notes", "a [b]c[/b] d", ((2, 5),), True, False
    )
    results = search.Results("x", (), (search.Group("findings", "Findings", 3, (hit,)),))
    heading, row = result_rows(results)
    assert (
        heading.hit is None and heading.prompt.plain == "Findings  (3 matches, the first 1 shown)"
    )
    assert row.prompt.plain == "Finding f-1 · Notes\n… a [b]c[/b] d"
    assert [
        row.prompt.plain[s.start : s.end] for s in row.prompt.spans if s.style == MATCH_STYLE
    ] == ["[b]"]


def test_every_indexed_table_has_a_place_to_open() -> None:
    from reviewer_tui.screens.search import FIELD_PLACES, PLACES

    assert set(PLACES) == {table for table, _, _ in search.SOURCES}
    indexed = {(table, column) for table, _, columns in search.SOURCES for column in columns}
    assert set(FIELD_PLACES) <= indexed


async def test_a_delay_reason_and_an_executive_summary_are_found_and_opened(
    folder: DataFolder, store: Store
) -> None:
    """Texts added after the index was first made (migration 0011) are searched too."""
    from reviewer_tui.screens.readiness import TimescalesScreen
    from reviewer_tui.screens.summary import ExecutiveSummaryScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = sample(store)
    delay = store.add_row(
        m.DelayEntry,
        rid,
        deadline="publication",
        label="Publication",
        reason="Awaiting [the] coroner",
    )
    store.update(m.ReportDetails, rid, summary_scope="The scope covered the quinquennium")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        screen = await open_search(pilot, app, "coroner")
        await choose(pilot, screen, "delay_entry", delay.id, "reason")
        await wait_until(pilot, lambda: isinstance(app.screen, TimescalesScreen))
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        screen = await open_search(pilot, app, "quinquennium")
        await choose(pilot, screen, "report_details", rid, "summary_scope")
        await wait_until(pilot, lambda: isinstance(app.screen, ExecutiveSummaryScreen))
        await app.workers.wait_for_complete()
