"""Pilot tests of the chronology screen, driven from the keyboard as a lead reviewer would."""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, Input, Select, TextArea

from reviewer_tui import bundle, domain, exports
from reviewer_tui import chronology as ch
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.screens.chronology import ChronologyScreen, EntryScreen, QuickEntryScreen
from reviewer_tui.screens.chronology_table import ChronologyTable
from reviewer_tui.screens.forms import field_widget
from tests.conftest import SAMPLE, make_app, wait_until


async def open_chronology(pilot: Any, review_id: int) -> ChronologyScreen:
    screen = ChronologyScreen(review_id)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def open_quick_entry(pilot: Any, review_id: int) -> QuickEntryScreen:
    """The chronology, then its quick-entry form (n), as the reviewer opens them."""
    await open_chronology(pilot, review_id)
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, QuickEntryScreen))
    return pilot.app.screen


def form_values(form: QuickEntryScreen, *names: str) -> dict[str, str]:
    """What the quick-entry form's fields hold."""
    return {name: form.query_one(f"#qe-{name}", Input).value for name in names}


def shown(screen: ChronologyScreen) -> list[tuple[str, str, str]]:
    """What the table shows: (date as displayed, source, event) in display order."""
    return [(v.when, v.source, v.event) for v in screen.query_one(ChronologyTable).rows]


def drawn_lines(screen: ChronologyScreen) -> list[str]:
    table = screen.query_one(ChronologyTable)
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


async def type_entry(pilot: Any, **fields: str) -> None:
    """Fill the quick-entry form through its widgets and press Enter, as a typist would."""
    screen = pilot.app.screen
    assert isinstance(screen, QuickEntryScreen)
    for name, value in fields.items():
        widget = screen.query_one(f"#qe-{name}", Input)
        widget.focus()
        widget.value = value
    await pilot.press("enter")
    await pilot.pause()


async def test_quick_entry_out_of_order_is_stored_and_shown_sorted(
    store: Store, folder: Any
) -> None:
    rid = store.create_review("Chronology test", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_chronology(pilot, rid)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuickEntryScreen)
        typed = [
            ("14/03/2024", "POL", "Police welfare check", "Decision, Liaison"),
            ("02/01/2024", "CYPS", "Referral received from school", "Communication"),
            ("14/03/2024 09:15", "NUR", "Nursery raised concern about bruising", ""),
            ("Feb 2024", "CDDFT", "Health visitor home visit, exact date not recorded", ""),
            ("c. 20 Jan 2024", "CYPS", "Mother told a neighbour she was struggling", ""),
            ("05/02/24", "PRO", "Probation supervision appointment missed", "Liaison"),
        ]
        for when, source, event, issues in typed:
            await type_entry(pilot, when=when, source=source, event=event, issues=issues)
            # The form stays open, cleared and back on the date, for the next entry.
            assert isinstance(app.screen, QuickEntryScreen)
            assert app.screen.query_one("#qe-event", Input).value == ""
            assert app.screen.focused is app.screen.query_one("#qe-when", Input)
        assert app.screen.added == len(typed)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        assert [row[2] for row in shown(screen)] == [
            "Referral received from school",  # 2 Jan
            "Mother told a neighbour she was struggling",  # c. 20 Jan
            "Health visitor home visit, exact date not recorded",  # Feb (1 Feb)
            "Probation supervision appointment missed",  # 5 Feb
            "Police welfare check",  # 14 Mar, no time: before timed
            "Nursery raised concern about bruising",  # 14 Mar 09:15
        ]
        lines = drawn_lines(screen)
        assert lines[1].startswith("c. 20 Jan 2024") and lines[2].startswith("Feb 2024")
        assert lines[5].startswith("14 Mar 2024 09:15")

    stored = store.rows(m.ChronologyEntry, rid)
    assert len(stored) == len(typed)
    assert [e.event for e in stored] == [t[2] for t in typed]  # kept in the order typed
    police = next(e for e in stored if e.source == "POL")
    assert police.when == "2024-03-14" and police.issues == ["Decision", "Liaison"]
    assert next(e for e in stored if e.source == "CDDFT").date_precision == "month"
    assert next(e for e in stored if e.event.startswith("Mother")).date_precision == "approximate"


async def test_quick_entry_refuses_a_bad_date_and_keeps_the_text(store: Store, folder: Any) -> None:
    rid = store.create_review("Chronology test", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_chronology(pilot, rid)
        await pilot.press("n")
        await pilot.pause()
        await type_entry(pilot, when="31/02/2024", source="POL", event="Something happened")
        form = app.screen
        assert "impossible" in str(form.query_one("#qe-message").render())
        assert form.query_one("#qe-event", Input).value == "Something happened"
        await type_entry(pilot, when="03/05", event="Something happened")
        assert "ambiguous" in str(form.query_one("#qe-message").render())
    assert store.rows(m.ChronologyEntry, rid) == []


async def test_esc_warns_again_about_an_event_typed_after_its_warning(
    store: Store, folder: Any
) -> None:
    """Esc with an event typed says it was not added; a second Esc closes without it, but only
    if nothing was typed since: more typed after the warning is warned about again."""
    rid = store.create_review("Chronology test", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_quick_entry(pilot, rid)
        form.query_one("#qe-event", Input).focus()
        await pilot.press(*"first", "escape")
        assert app.screen is form
        assert "has not been added" in str(form.query_one("#qe-message").render())
        await pilot.press("space", *"second", "escape")
        assert app.screen is form, "closed without a word about the text typed since"
        assert form.query_one("#qe-event", Input).value == "first second"
        await pilot.press("escape")  # nothing typed since the warning: closed without it
        await pilot.pause()
        assert not isinstance(app.screen, QuickEntryScreen)
    assert store.rows(m.ChronologyEntry, rid) == []


async def test_esc_warns_about_any_field_typed_not_only_the_event(
    store: Store, folder: Any
) -> None:
    """Text in another field (the event blank) is warned about too, and so is a change of the
    order among same-day events after the warning; the source alone, kept from one entry to
    the next, is not."""
    rid = store.create_review("Chronology test", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_quick_entry(pilot, rid)
        form.query_one("#qe-participation", Input).focus()
        await pilot.press(*"mother", "escape")
        assert app.screen is form
        assert "needs its event" in str(form.query_one("#qe-message").render())
        form.query_one("#qe-sequence", Input).focus()
        await pilot.press("2", "escape")
        assert app.screen is form, "closed without a word about the order typed since"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuickEntryScreen)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, QuickEntryScreen))
        form = app.screen
        form.query_one("#qe-source", Input).value = "POL"
        await pilot.pause()
        await pilot.press("escape")  # the source alone: nothing else would be lost
        await pilot.pause()
        assert not isinstance(app.screen, QuickEntryScreen)


async def test_the_sample_chronology_is_sorted_with_month_and_approximate_dates(
    store: Store, folder: Any
) -> None:
    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_chronology(pilot, rid)
        rows = screen.query_one(ChronologyTable).rows
        keys = [v.key for v in rows]
        assert keys == sorted(keys) and len(rows) == 19
        dates = [v.when for v in rows]
        # The month-only entry (September 2024, stored as the 1st) comes first and says so.
        assert dates[0] == "Sep 2024"
        assert "c. 15 Feb 2025" in dates
        assert (
            dates.index("4 Feb 2025") < dates.index("c. 15 Feb 2025") < dates.index("14 Mar 2025")
        )
        # Two entries on 26 Nov 2024 ordered by their sequence numbers, not by entry order.
        same_day = [v.entry.sequence for v in rows if v.entry.when == "2024-11-26"]
        assert same_day == [1, 2]
        lines = drawn_lines(screen)
        assert lines[0].startswith("Sep 2024 ")
        assert any(line.startswith("c. 15 Feb 2025") for line in lines)
        assert any(line.startswith("24 Oct 2024 23:40") and " h " in line for line in lines)


async def test_each_filter_narrows_and_they_combine(store: Store, folder: Any) -> None:
    rid = bundle.import_file(store, SAMPLE)
    entries = store.rows(m.ChronologyEntry, rid)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_chronology(pilot, rid)

        def ids() -> set[str]:
            return {v.entry.key for v in screen.query_one(ChronologyTable).rows}

        everything = {e.key for e in entries}
        assert ids() == everything

        screen.query_one("#filter-source", Select).value = "CSC"
        await pilot.pause()
        assert ids() == {e.key for e in entries if e.source == "CSC"} and ids() < everything
        screen.query_one("#filter-source", Select).clear()
        await pilot.pause()

        screen.query_one("#filter-issue", Select).value = "Liaison"
        await pilot.pause()
        assert ids() == {e.key for e in entries if "Liaison" in e.issues} and ids()
        screen.query_one("#filter-issue", Select).clear()
        await pilot.pause()

        await pilot.press("s")  # significant only
        await pilot.pause()
        assert ids() == {e.key for e in entries if e.significant} and len(ids()) == 4
        await pilot.press("s")
        await pilot.pause()
        assert ids() == everything

        screen.query_one("#filter-known", Select).value = "later"
        await pilot.pause()
        assert ids() == {e.key for e in entries if e.known_at_the_time is False} and len(ids()) == 1
        screen.query_one("#filter-known", Select).value = "known"
        await pilot.pause()
        assert ids() == {e.key for e in entries if e.known_at_the_time is True}
        screen.query_one("#filter-known", Select).clear()
        await pilot.pause()

        await pilot.press("slash")
        assert screen.focused is screen.query_one("#filter-text", Input)
        await pilot.press(*"missing")
        await pilot.pause()

        def searchable(e: m.ChronologyEntry) -> str:
            return " ".join(
                [
                    e.event,
                    e.source,
                    e.participation,
                    e.outcome,
                    *e.issues,
                    e.risk,
                    e.response,
                    e.partnership,
                    e.learning,
                ]
            ).casefold()

        assert ids() == {e.key for e in entries if "missing" in searchable(e)}
        assert 0 < len(ids()) < len(everything)

        # Combined: text and agency together.
        screen.query_one("#filter-source", Select).value = "POL"
        await pilot.pause()
        assert ids() == {
            e.key for e in entries if e.source == "POL" and "missing" in e.event.casefold()
        }
        assert "shown" in str(screen.query_one("#chrono-status").render())

        screen.action_clear_filters()
        await pilot.pause()
        assert ids() == everything


async def test_delete_then_undo_restores_the_entry_and_its_links(store: Store, folder: Any) -> None:
    rid = bundle.import_file(store, SAMPLE)
    before = {e.key: e for e in store.rows(m.ChronologyEntry, rid)}
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_chronology(pilot, rid)
        table = screen.query_one(ChronologyTable)
        table.focus()
        target = next(i for i, v in enumerate(table.rows) if v.entry.key == "ch-first-visit")
        table.cursor = target
        await pilot.pause()
        assert "First home visit" in screen.query_one("#detail").plain
        await pilot.press("delete")
        await pilot.pause()
        assert "ch-first-visit" not in {e.key for e in store.rows(m.ChronologyEntry, rid)}
        assert "ch-first-visit" not in {v.entry.key for v in table.rows}
        assert len(table.rows) == 18
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(table.rows) == 19
        assert table.current is not None and table.current.entry.key == "ch-first-visit"

    after = {e.key: e for e in store.rows(m.ChronologyEntry, rid)}
    assert after.keys() == before.keys()
    assert after["ch-first-visit"].model_dump() == before["ch-first-visit"].model_dump()
    exported = bundle.export_bundle(store, rid)
    finding = next(f for f in exported["findings"] if f["id"] == "f-1")
    assert finding["chronology_ids"] == ["ch-tyler-replies", "ch-first-visit"]
    recommendation = next(r for r in exported["recommendations"] if r["id"] == "rec-1")
    assert recommendation["evidence"] == ["ch-first-visit", "ch-tyler-replies"]


async def test_a_significant_practice_event_keeps_its_fields_and_answers(
    store: Store, folder: Any
) -> None:
    rid = store.create_review("Chronology test", "internal case review", "concern")
    entry = ch.add_entry(store, rid, "2024-03-14", None, event="Strategy discussion", source="POL")
    app = make_app(folder)
    texts = {
        "risk": "Bruising seen by nursery; explanation inconsistent.",
        "response": "Strategy discussion held the same day.",
        "partnership": "Health not invited: a gap in multi-agency thinking.",
        "learning": "Invite health to every strategy discussion.",
    }
    async with app.run_test(size=(100, 40)) as pilot:
        chronology = await open_chronology(pilot, rid)
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EntryScreen)
        assert screen.query_one("#spe").has_class("hidden")
        assert not screen.query_one("#spe").children  # not built for an entry not significant
        field_widget(screen, "significant", Select).value = True
        await pilot.pause()
        assert not screen.query_one("#spe").has_class("hidden")
        for name, text in texts.items():
            area = field_widget(screen, name, TextArea)
            area.focus()
            area.insert(text)
            await pilot.pause()
        for key in ("changed_assessment", "statutory_event", "learning_point"):
            screen.query_one(f"#q-{key}", Checkbox).value = True
            await pilot.pause()
        field_widget(screen, "known_at_the_time", Select).value = False
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is chronology
        assert chronology.query_one(ChronologyTable).rows[0].significant
        detail = chronology.query_one("#detail").plain
        assert "Significant Practice Event" in detail and "Invite health" in detail

        # Open it again: everything is still there.
        await pilot.press("e")
        await pilot.pause()
        again = app.screen
        for name, text in texts.items():
            assert field_widget(again, name, TextArea).text == text
        assert [
            k for k in domain.SIGNIFICANCE_KEYS if again.query_one(f"#q-{k}", Checkbox).value
        ] == ["changed_assessment", "statutory_event", "learning_point"]

    stored = store.get(m.ChronologyEntry, entry.id)
    assert stored.significant is True and stored.known_at_the_time is False
    assert {name: getattr(stored, name) for name in texts} == texts
    assert stored.significance == ["changed_assessment", "statutory_event", "learning_point"]


async def test_editing_the_date_resorts_and_unknown_sources_are_flagged(
    store: Store, folder: Any
) -> None:
    rid = store.create_review("Chronology test", "internal case review", "concern")
    first = ch.add_entry(store, rid, "2024-01-01", None, event="First", source="POL")
    ch.add_entry(store, rid, "2024-02-01", None, event="Second", source="XYZ")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        chronology = await open_chronology(pilot, rid)
        assert "XYZ ×1" in str(chronology.query_one("#chrono-status").render())
        assert any("XYZ?" in line for line in drawn_lines(chronology))
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        date = field_widget(editor, "when", Input)
        date.focus()
        date.value = "c. 3 March 2024 14:00"
        await pilot.pause()
        assert "Read as c. 3 Mar 2024 14:00" in str(editor.query_one("#d-when").render())
        await pilot.press("escape")
        await pilot.pause()
        assert [v.event for v in chronology.query_one(ChronologyTable).rows] == ["Second", "First"]
    stored = store.get(m.ChronologyEntry, first.id)
    assert (stored.when, stored.date_precision) == ("2024-03-03T14:00", "approximate")


async def test_agency_code_register_is_editable_and_flags_unknown_sources(
    store: Store, folder: Any
) -> None:
    from textual.widgets import Button

    from reviewer_tui.screens.chronology import AgencyCodesScreen

    rid = bundle.import_file(store, SAMPLE)
    ch.add_entry(store, rid, "2024-01-01", None, event="GP letter", source="GPX")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        chronology = await open_chronology(pilot, rid)
        assert "GPX ×1" in str(chronology.query_one("#chrono-status").render())
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgencyCodesScreen)
        assert "GPX (1 entries)" in str(screen.query_one("#unknown-codes").render())
        rows = list(screen.query(".code-row"))
        codes = [field_widget(row, "code", Input).value for row in rows]
        # The review's own organisations; the shipped codes are only suggestions.
        assert not {"SS&S", "CYPS", "NUR", "CDDFT", "CDPCT", "PRO"} & set(codes)
        assert {"CSC", "EH", "POL", "SCH", "CAMHS", "HOU"} <= set(codes)

        await pilot.press("ctrl+n")
        await pilot.pause()
        new_code = field_widget(screen.query(".code-row").last(), "code", Input)
        assert new_code.value == "NEW" and screen.focused is new_code
        new_code.value = "POL"  # already used: refused, said so
        await pilot.pause()
        assert "already in the register" in str(screen.query_one("SaveIndicator").render())
        new_code.value = "GPX"
        await pilot.pause()
        name = field_widget(screen.query(".code-row").last(), "name", Input)
        name.focus()
        name.value = "Riverside GP practice"
        await pilot.pause()
        assert "Every source in the chronology is in the register" in str(
            screen.query_one("#unknown-codes").render()
        )
        # Remove a code added by mistake.
        await pilot.press("ctrl+n")
        await pilot.pause()
        await wait_until(
            pilot,
            lambda: any(
                field_widget(r, "code", Input).value == "NEW" for r in screen.query(".code-row")
            ),
        )
        new_row = next(
            r for r in screen.query(".code-row") if field_widget(r, "code", Input).value == "NEW"
        )
        new_row.query_one(Button).press()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is chronology
        assert "not in the register" not in str(chronology.query_one("#chrono-status").render())
    register = {a.code: a.name for a in ch.agency_codes(store, rid)}
    assert register["GPX"] == "Riverside GP practice" and "NEW" not in register


async def test_typing_entries_with_the_keyboard_alone(store: Store, folder: Any) -> None:
    """Every key pressed, Tab between the proforma columns, Enter to add: nothing else."""
    rid = store.create_review("Chronology test", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_chronology(pilot, rid)
        await pilot.press("n")
        await pilot.pause()
        for when, source, event in (
            ("9/1/24", "POL", "Call"),
            ("2/1/24", "NUR", "Visit"),
            ("9/1/24", "PRO", "Letter"),
        ):
            await pilot.press(*when, "tab", "ctrl+u", *source, "tab", *event, "enter")
            await pilot.pause()
        # The last one gets a sequence number and the hindsight mark, reached with Tab.
        await pilot.press(
            *"9/1/24",
            "tab",
            "tab",
            *"Note",
            "tab",
            "tab",
            "tab",
            "tab",
            "1",
            "tab",
            "space",
            "enter",
        )
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert [(v.source, v.event) for v in screen.query_one(ChronologyTable).rows] == [
            ("NUR", "Visit"),
            ("POL", "Call"),
            ("PRO", "Letter"),
            ("PRO", "Note"),
        ]
    stored = store.rows(m.ChronologyEntry, rid)
    assert [e.event for e in stored] == ["Call", "Visit", "Letter", "Note"]
    note = stored[-1]
    assert (note.when, note.sequence, note.known_at_the_time, note.source) == (
        "2024-01-09",
        1,
        False,
        "PRO",
    )


async def test_export_the_chronology_as_csv_from_the_screen(store: Store, folder: Any) -> None:
    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_chronology(pilot, rid)
        await pilot.press("x")
        await pilot.pause()
        prompt = app.screen.query_one("#value", Input)
        target = exports.review_folder(rid) / f"review-{rid}-chronology-2025-09-01.csv"
        assert prompt.value == str(target)
        await pilot.press("enter")
        await pilot.pause()
    text = target.read_bytes().decode("utf-8-sig")
    assert text.startswith("Date & Time,Event,Source") and text.count("\r\n") >= 20
    assert "c. 15 Feb 2025" in text


async def test_an_entry_typed_but_not_yet_added_survives_the_app_stopping(
    store: Store, folder: Any
) -> None:
    """RELIABILITY rule 1: what is in the quick-entry form is kept before Enter adds it."""
    rid = store.create_review("Chronology test", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_quick_entry(pilot, rid)
        form.query_one("#qe-when", Input).value = "14/03/2024"
        form.query_one("#qe-event", Input).value = "Half-typed when the battery died"
        await pilot.pause()
        # The app stops here without Enter or Esc (a crash, a flat battery).
    assert store.rows(m.ChronologyEntry, rid) == []

    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_chronology(pilot, rid)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#qe-event", Input).value == "Half-typed when the battery died"
        assert "Restored" in str(form.query_one("#qe-message").render())
        await pilot.press("enter")
        await pilot.pause()
        assert form.query_one("#qe-event", Input).value == ""
    assert [e.event for e in store.rows(m.ChronologyEntry, rid)] == [
        "Half-typed when the battery died"
    ]
    from reviewer_tui import chronology as ch

    assert ch.draft(store, rid) == {}


async def test_enter_stores_the_entry_and_the_emptied_form_in_one_transaction(
    store: Store, folder: Any
) -> None:
    """The entry and the form's draft after it (the source kept for the next entry) are one
    commit: a crash between two commits restored the added entry as the draft."""
    from sqlalchemy import event

    rid = store.create_review("Chronology test", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_quick_entry(pilot, rid)
        for name, value in (("when", "14/03/2024"), ("source", "POL"), ("event", "Home visit")):
            form.query_one(f"#qe-{name}", Input).value = value
        form.query_one("#qe-later", Checkbox).value = True
        await pilot.pause()
        assert ch.draft(store, rid) == {
            "when": "14/03/2024",
            "source": "POL",
            "event": "Home visit",
            "later": True,
        }
        commits: list[object] = []

        def committed(connection: object) -> None:
            commits.append(connection)

        engine = folder.engine()
        event.listen(engine, "commit", committed)
        try:
            await pilot.press("enter")
            await pilot.pause()
        finally:
            event.remove(engine, "commit", committed)
        assert len(commits) == 1
        assert [e.event for e in store.rows(m.ChronologyEntry, rid)] == ["Home visit"]
        assert ch.draft(store, rid) == {"source": "POL"}
        assert form_values(form, "when", "source", "event") == {
            "when": "",
            "source": "POL",
            "event": "",
        }
        assert form.query_one("#qe-later", Checkbox).value is False
        assert "Added (1 so far)" in str(form.query_one("#qe-message").render())
