"""The chronology at scale (issue 14): what an interaction costs does not grow with the number of
entries, the entries are read a page at a time with every field, and the wide table wraps only
what is on screen while still reaching the last entry."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from typing import Any

from textual.widgets import Input

from reviewer_tui import bundle
from reviewer_tui import chronology as ch
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.screens.chronology import ChronologyScreen, QuickEntryScreen
from reviewer_tui.screens.chronology_table import ChronologyTable
from tests.conftest import SAMPLE, make_app

AGENCIES = ("CSC", "POL", "SCH", "HV", "GP")
WORDS = "home visit strategy discussion referral school police mother Zoë café Amélie".split()


def fill(store: Store, review_id: int, count: int, seed: int = 7) -> None:
    """`count` entries in random order, inserted in one statement (the importer checks each
    row, which takes seconds for thousands; these rows are valid by construction)."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        when = (dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(900))).isoformat()
        if rng.random() < 0.4:
            when += f"T{rng.randrange(8, 20):02d}:{rng.randrange(60):02d}"
        event = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 40)))
        issues = rng.sample(("Decision", "Liaison", "Recording"), rng.randrange(3))
        rows.append(
            (review_id, n + 1, f"ch-scale-{n}", when, f"{event} ({n})", rng.choice(AGENCIES))
            + (json.dumps(issues), rng.random() < 0.05)
        )
    conn = store.folder.connect()
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            'INSERT INTO chronology_entry (review_id, position, key, "when", event, source, '
            "participation, outcome, issues, significant, risk, response, partnership, "
            "learning, significance) VALUES (?, ?, ?, ?, ?, ?, 'Social worker', 'Agreed', ?, ?, "
            "'', '', '', '', '[]')",
            rows,
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_one_query_reads_every_field_as_the_orm_does(store: Store) -> None:
    rid = bundle.import_bundle(store, bundle.load(SAMPLE))
    orm = {e.id: e for e in store.rows(m.ChronologyEntry, rid)}
    read = {e.id: e for e in ch.load_entries(store, rid)}
    assert read.keys() == orm.keys() and len(read) >= 19
    for entry_id, e in orm.items():
        for name in ch.ENTRY_FIELDS:
            assert getattr(read[entry_id], name) == getattr(e, name), (entry_id, name)
            assert type(getattr(read[entry_id], name)) is type(getattr(e, name)), name
    # The view sorted from them is the one sorted from the ORM's rows.
    assert [v.id for v in ch.ChronologyView(read.values()).all] == [
        v.id for v in ch.ChronologyView(orm.values()).all
    ]


def test_a_search_typed_on_narrows_the_last_result_and_finds_the_same() -> None:
    class E:
        def __init__(self, n: int, text: str) -> None:
            self.id, self.when, self.date_precision, self.sequence, self.position = (
                n,
                "2024-01-01",
                None,
                None,
                n,
            )
            self.event, self.source, self.participation, self.outcome = text, "CSC", "", ""
            self.issues, self.significant, self.known_at_the_time = [], False, None
            self.risk = self.response = self.partnership = self.learning = ""

    texts = ["Home visit", "home", "Visit to school", "ZOË at home", "nothing", "homeless"]
    view = ch.ChronologyView([E(n, t) for n, t in enumerate(texts)])
    typed = ""
    for key in "home vis":
        typed += key
        narrowed = view.filtered(ch.ChronologyFilter(text=typed))
        fresh = ch.ChronologyView([E(n, t) for n, t in enumerate(texts)])
        assert [v.id for v in narrowed] == [
            v.id for v in fresh.filtered(ch.ChronologyFilter(text=typed))
        ]
    assert [v.event for v in view.filtered(ch.ChronologyFilter(text="home vis"))] == ["Home visit"]
    # Deleting a letter widens the search again: not narrowed from the last result.
    assert len(view.filtered(ch.ChronologyFilter(text="hom"))) == 4
    assert len(view.filtered(ch.ChronologyFilter(text="zoë"))) == 1


async def _filter_cpu(pilot: Any, rid: int) -> float:
    """CPU for a round of filter changes and a typed search on the open chronology (the least
    of two rounds, so a stray collection on a loaded machine does not decide)."""
    from textual.widgets import Select

    screen = ChronologyScreen(rid)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    source = screen.query_one("#filter-source", Select)
    rounds = []
    for _ in range(2):
        start = time.process_time()
        source.value = "POL"
        await pilot.pause()
        await pilot.press("ctrl+l", "slash", "h", "o", "escape")
        rounds.append(time.process_time() - start)
    assert len(screen.query_one(ChronologyTable).rows) == len(screen.view)  # cleared again
    await pilot.press("escape")
    return min(rounds)


async def test_a_filter_costs_no_more_with_ten_times_the_entries(store: Store, folder: Any) -> None:
    small = store.create_review("Small", "internal case review", "concern")
    large = store.create_review("Large", "internal case review", "concern")
    fill(store, small, 500)
    fill(store, large, 5_000)
    app = make_app(folder)
    async with app.run_test(size=(130, 40)) as pilot:
        small_cpu = await _filter_cpu(pilot, small)
        large_cpu = await _filter_cpu(pilot, large)
    # Work per entry would make it nearly ten times; what is left is drawing what fits.
    assert large_cpu < 3 * small_cpu, (small_cpu, large_cpu)


async def test_the_wide_table_wraps_what_is_on_screen_and_reaches_the_last_entry(
    store: Store, folder: Any
) -> None:
    rid = store.create_review("Wide", "internal case review", "concern")
    fill(store, rid, 2_000)
    app = make_app(folder)
    async with app.run_test(size=(130, 30)) as pilot:
        screen = ChronologyScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        table = screen.query_one(ChronologyTable)
        assert table.wide and len(table.rows) == 2_000
        assert len(table._wrapped) < 50  # the screenful on show: not the last, not 2,000
        assert table._end_pending  # the last rows not read until the end comes near
        await pilot.press("end")
        await pilot.pause()
        last = table.rows[-1]
        assert table.current is last
        assert not table._end_pending and table.scroll_offset.y == table.max_scroll_y
        drawn = [table.render_line(y).text for y in range(table.scrollable_content_region.height)]
        assert any(last.when in line for line in drawn), drawn
        assert any(last.event.split()[0] in line for line in drawn)
        await pilot.press("home", "pagedown")
        await pilot.pause()
        top = int(table.scroll_offset.y)
        drawn = [table.render_line(y).text for y in range(table.scrollable_content_region.height)]
        assert table.cursor > 0 and top <= table.cursor
        assert any(table.rows[table.cursor].when in line for line in drawn)  # cursor on screen
        assert len(table._wrapped) < 200


async def test_the_quick_entry_form_adds_without_reading_every_entry_again(
    store: Store, folder: Any, monkeypatch: Any
) -> None:
    rid = store.create_review("Quick", "internal case review", "concern")
    fill(store, rid, 2_000)
    built: list[int] = []  # entries read into Python, per read
    real = ch._rows_of
    monkeypatch.setattr(ch, "_rows_of", lambda found: built.append(len(found)) or real(found))
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ChronologyScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        assert built and max(built) <= ch.PAGE and sum(built) <= 3 * ch.PAGE  # what is on screen
        built.clear()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, QuickEntryScreen)
        form.query_one("#qe-when", Input).value = "14/03/2024"
        form.query_one("#qe-event", Input).value = "Added at scale"
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert app.screen is screen and sum(built) <= 3 * ch.PAGE
        table = screen.query_one(ChronologyTable)
        assert table.current is not None and table.current.event == "Added at scale"
        assert len(table.rows) == len(screen.view) == 2_001
    assert [e.event for e in store.rows(m.ChronologyEntry, rid)].count("Added at scale") == 1


async def test_filter_changes_and_typed_keys_lay_nothing_out(
    store: Store, folder: Any, monkeypatch: Any
) -> None:
    """A filter's new label, a key in the search box or the quick-entry form repaint what
    changed; a layout of the whole screen (Textual's answer to a label or a text changing
    size) cost 6-25 ms each on the large review. The drop-down lists are built on first use,
    and still choose by keyboard."""
    from textual.screen import Screen
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    rid = store.create_review("Layouts", "internal case review", "concern")
    fill(store, rid, 500)
    layouts: list[str] = []
    real = Screen._refresh_layout

    def counted(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        if isinstance(self, ChronologyScreen | QuickEntryScreen):  # not the review list below
            layouts.append(type(self).__name__)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    app = make_app(folder)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = ChronologyScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        table = screen.query_one(ChronologyTable)
        assert not screen.query(SelectOverlay)  # no list built with the screen
        for _ in range(20):  # settled: the opening's own layouts done (slow on a loaded machine)
            layouts.clear()
            await pilot.pause()
            if not layouts:
                break
        screen.query_one("#filter-source", Select).value = "POL"
        await pilot.pause()
        await pilot.press("s", "ctrl+l")
        await pilot.pause()
        assert len(table.rows) == 500 and layouts == [], layouts
        await pilot.press("slash")  # the focus moves: the footer's keys change (screens/base.py)
        await pilot.pause()
        layouts.clear()
        await pilot.press("h", "o", "m")
        await pilot.pause()
        assert 0 < len(table.rows) < 500 and layouts == [], layouts
        await pilot.press("escape", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, QuickEntryScreen)
        form.query_one("#qe-event", Input).focus()
        await pilot.pause()
        layouts.clear()
        await pilot.press(*"typed")
        await pilot.pause()
        assert form.query_one("#qe-event", Input).value == "typed" and layouts == [], layouts
        await pilot.press("escape", "escape")  # the form says the event is not added, then closes
        await pilot.pause()
        assert app.screen is screen
        # The agency filter by keyboard: its list is built as it opens, and chooses.
        source = screen.query_one("#filter-source", Select)
        source.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert source.expanded and screen.query(SelectOverlay)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert not source.expanded and source.value not in (Select.NULL, "POL")
        chosen = source.value
        assert len(table.rows) and {v.source for v in table.rows} == {chosen}
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert source.value is Select.NULL and len(table.rows) == 500
