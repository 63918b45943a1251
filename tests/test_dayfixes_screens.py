"""Issue 13 items 4-8 as a reviewer meets them: focus goes where the next key is meant, screens say
what the record says, odd dates are marked, the agency register is the review's own, and exported
files go to one place per review without overwriting anything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.widgets import Button, DataTable, Input, Select, Static

from reviewer_tui import bundle, exports
from reviewer_tui import chronology as ch
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from tests.conftest import SAMPLE, make_app, wait_until


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


def all_text(screen: Any) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


def inside(widget: Any, container: Any) -> bool:
    return widget is not None and (widget is container or container in widget.ancestors)


# --- item 4: focus ----------------------------------------------------------------------------
async def test_after_keeping_a_clashing_time_tab_and_typing_go_to_the_location(
    folder: Any, store: Store
) -> None:
    from reviewer_tui.screens.interviews import InterviewScreen

    rid = store.create_review("Clash", "serious case review", "concern")
    ann = iv.add_person(store, rid, "Ann Able")
    ben = iv.add_person(store, rid, "Ben Bell")
    iv.add_interview(store, rid, ann.id, scheduled_for="2025-09-10T10:00", duration_minutes=90)
    second = iv.add_interview(store, rid, ben.id, duration_minutes=60).id
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(InterviewScreen(second))
        await pilot.pause()
        when = app.screen.query_one("#schedule-when", Input)
        when.focus()
        when.value = "2025-09-10 11:00"
        await pilot.pause()
        keep = app.screen.query_one("#keep-clash", Button)
        keep.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab", *"Room 5")
        await pilot.pause()
    row = store.get(m.Interview, second)
    assert row.scheduled_for == "2025-09-10T11:00"  # kept, not replaced by the typing
    assert row.location == "Room 5"


async def test_every_add_puts_the_keyboard_in_the_new_row(folder: Any, store: Store) -> None:
    from reviewer_tui.screens.family import ContactBox, FactorsBox, FamilyScreen

    rid = store.create_review("Adds", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(FamilyScreen(rid))
        await pilot.pause()
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: app.screen.query(ContactBox), what="a new contact")
        await pilot.pause()
        assert inside(app.focused, app.screen.query_one(ContactBox))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: app.screen.query(FactorsBox), what="a reconsideration")
        await pilot.pause()
        assert inside(app.focused, app.screen.query_one(FactorsBox))


async def test_of_two_tables_the_one_with_the_keyboard_is_marked(folder: Any, store: Store) -> None:
    from reviewer_tui.screens.interviews import InterviewsStageScreen

    rid = store.create_review("Tables", "internal case review", "concern")
    iv.add_interview(store, rid, iv.add_person(store, rid, "Ann Able").id)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        agenda = app.screen.query_one("#agenda", DataTable)
        people = app.screen.query_one("#people", DataTable)

        def frames() -> tuple[str, str]:
            return agenda.styles.border.top[0], people.styles.border.top[0]

        assert agenda.has_focus and frames() == ("heavy", "round")
        people.focus()
        await pilot.pause()
        assert frames() == ("round", "heavy")


async def test_escape_in_the_search_box_clears_the_search_then_leaves(
    folder: Any, store: Store
) -> None:
    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.chronology_table import ChronologyTable

    rid = store.create_review("Search", "internal case review", "concern")
    ch.add_entry(store, rid, "2024-05-03", None, event="Home visit", source="CSC")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ChronologyScreen(rid)
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("slash", *"zebra")
        await pilot.pause()
        table = screen.query_one(ChronologyTable)
        assert not table.rows
        assert "No entry matches the filters" in table.render_line(0).text  # item 5
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.query_one("#filter-text", Input).value == ""
        assert len(table.rows) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


# --- item 5: what the screens say ----------------------------------------------------------
async def test_the_interview_heading_follows_the_interviewee(folder: Any, store: Store) -> None:
    from reviewer_tui.screens.interviews import InterviewScreen

    rid = store.create_review("Heading", "internal case review", "concern")
    ann = iv.add_person(store, rid, "Ann Able")
    ben = iv.add_person(store, rid, "Ben Bell")
    row = iv.add_interview(store, rid, ann.id)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(InterviewScreen(row.id))
        await pilot.pause()
        assert "Interview with Ann Able" in text_of(app.screen, ".stage-title")
        app.screen.query_one("#schedule-person", Select).value = ben.id
        await pilot.pause()
        assert "Interview with Ben Bell" in text_of(app.screen, ".stage-title")
    assert store.get(m.Interview, row.id).person_id == ben.id


async def test_i_after_adding_a_person_schedules_with_that_person(
    folder: Any, store: Store
) -> None:
    from reviewer_tui.screens.interviews import InterviewScreen, InterviewsStageScreen

    rid = store.create_review("People", "internal case review", "concern")
    iv.add_person(store, rid, "Ann Able")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        name = field_widget(app.screen, "full_name", Input)
        name.focus()
        name.value = "Zoe Zed"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert "Interview with Zoe Zed" in text_of(app.screen, ".stage-title")
    (interview,) = store.rows(m.Interview, rid)
    assert store.get(m.Person, interview.person_id).full_name == "Zoe Zed"


async def test_the_workspace_and_interviews_say_what_the_record_says(
    folder: Any, store: Store
) -> None:
    from reviewer_tui.screens.interviews import InterviewsStageScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = store.create_review("Workspace", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        assert text_of(app.screen, "#unsigned") == "No interviews yet."
        app.pop_screen()
        person = iv.add_person(store, rid, "Ann Able")
        iv.add_interview(store, rid, person.id, scheduled_for="2026-12-15T09:30")
        store.update(
            m.Meeting,
            rid,
            held_on="2025-08-01T10:00",
            location="Room 2",
            worries_discussed="w",
            could_have_done_differently="c",
            did_well="d",
            learnt="l",
            recommendations_suggested="r",
        )
        store.add_row(m.ReportDraft, rid, version="1", document="management-review")
        app.push_screen(WorkspaceScreen(rid))
        await pilot.pause()
        stages = app.screen.query_one("#stages", DataTable)
        progress = {key: str(stages.get_row(key)[1]) for key in ("meeting", "report")}
        assert progress["meeting"] != "not started"
        assert progress["report"] == "1 draft, 0 circulated"
        alerts = text_of(app.screen, "#alerts")
        assert "not yet signed" not in alerts and "2026-12-15" not in alerts
        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        said = text_of(app.screen, "#unsigned")
        assert said == "No record is due for signature yet: the interviews are still to come."


async def test_choosing_kind_not_set_says_why_and_keeps_the_kind(folder: Any, store: Store) -> None:
    from reviewer_tui.screens.commissioning import CommissioningScreen

    rid = store.create_review("Kind", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(CommissioningScreen(rid))
        await pilot.pause()
        field_widget(app.screen, "review_type", Select).clear()
        await pilot.pause()
        said = all_text(app.screen)
        assert "A review always has a kind" in said
        assert "IntegrityError" not in said and "NOT NULL" not in said
    assert store.get(m.Review, rid).review_type == "internal case review"


async def test_no_screen_shows_an_internal_source_note(folder: Any, store: Store) -> None:
    from reviewer_tui.screens.workspace import STAGE_SCREENS, stage_screen

    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        for stage in STAGE_SCREENS:
            app.push_screen(stage_screen(stage)(rid))
            await pilot.pause()
            said = all_text(app.screen) + "".join(
                str(w.label) for w in app.screen.query("Checkbox, Button")
            )
            assert "seed" not in said.lower(), stage
            app.pop_screen()
            await pilot.pause()


# --- item 6: dates to check -----------------------------------------------------------------
async def test_odd_dates_are_accepted_marked_and_listed(folder: Any, store: Store) -> None:
    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.chronology_table import ChronologyTable
    from reviewer_tui.screens.people import PersonScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = store.create_review("Dates", "internal case review", "concern")
    store.update(m.Scope, rid, period_from=dt.date(2024, 1, 1), period_to=dt.date(2024, 12, 31))
    ch.add_entry(store, rid, "2024-05-03", None, event="Inside", source="CSC")
    person = iv.add_person(store, rid, "Ann Able")
    store.update(m.Person, person.id, training_last_3_years=["Level 3, March 2021"])
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        screen = ChronologyScreen(rid)
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#qe-when", Input).value = "c. May 2026"
        form.query_one("#qe-event", Input).value = "Planned review"
        form.query_one("#qe-event", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "is in the future: accepted" in all_text(form)
        await pilot.press("escape")
        await pilot.pause()
        table = screen.query_one(ChronologyTable)
        lines = [table.render_line(y).text for y in range(2)]
        assert lines[1].startswith("⚠ c. May 2026") and not lines[0].startswith("⚠")
        app.push_screen(PersonScreen(person.id))
        await pilot.pause()
        assert "training dated more than 3 years back" in text_of(app.screen, "#profile-missing")
        app.pop_screen()
        app.push_screen(WorkspaceScreen(rid))
        await pilot.pause()
        alerts = text_of(app.screen, "#alerts")
        assert "Date to check: Chronology 'Planned review': c. May 2026 is in the future" in alerts
        assert "Date to check: Profile of Ann Able" in alerts
    stored = [e for e in ch.entries(store, rid) if e.event == "Planned review"]
    assert [(e.when, e.date_precision) for e in stored] == [("2026-05-01", "approximate month")]


# --- item 7: the agency register ------------------------------------------------------------
async def test_a_code_the_review_defines_wins_on_screen(folder: Any, store: Store) -> None:
    from reviewer_tui.screens.chronology import AgencyCodesScreen

    rid = store.create_review("Codes", "internal case review", "concern")
    store.add_row(m.Organisation, rid, name="Health visiting service", code="NUR")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(AgencyCodesScreen(rid))
        await pilot.pause()
        first_row = app.screen.query(".code-row").first()
        values = [field_widget(first_row, name, Input).value for name in ("code", "name")]
        assert values[:2] == ["NUR", "Health visiting service"]  # then the confirmed date
        assert "Nursery" in all_text(app.screen)  # offered as a suggestion only


# --- item 8: exports ------------------------------------------------------------------------
async def test_csv_export_follows_the_filter_and_never_overwrites(
    folder: Any, store: Store
) -> None:
    from reviewer_tui.screens.chronology import ChronologyScreen

    rid = store.create_review("Export", "internal case review", "concern")
    ch.add_entry(store, rid, "2024-05-03", None, event="Visit by Zoë", source="CSC")
    ch.add_entry(store, rid, "2024-05-04", None, event="Phone call", source="POL")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = ChronologyScreen(rid)
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("slash", *"visit", "enter")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        said = all_text(app.screen)
        first = Path(app.screen.query_one("#value", Input).value)
        assert first.parent == exports.review_folder(rid)
        assert str(exports.review_folder(rid)) in said.replace("\n", "")
        await pilot.press("enter")
        await wait_until(pilot, lambda: first.exists(), what="the CSV")
        raw = first.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and "Zoë".encode() in raw
        assert b"Phone call" not in raw  # only what the filter shows
        await pilot.press("x")
        await pilot.pause()
        second = Path(app.screen.query_one("#value", Input).value)
        assert second != first and second.name.endswith("-2.csv")  # a new numbered name
        # Typing the first name back asks before replacing it.
        app.screen.query_one("#value", Input).value = str(first)
        await pilot.press("enter")
        await pilot.pause()
        assert "already exists" in all_text(app.screen)
        assert first.read_bytes() == raw
        await pilot.press("escape")
        await pilot.pause()


async def test_a_period_reviewed_that_ends_before_it_begins_is_a_date_to_check(
    folder: Any, store: Store
) -> None:
    """Accepted, as every odd date is, but said where the reviewer looks: the workspace's
    alerts and the review list's count."""
    from reviewer_tui import read_model
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = store.create_review("Period", "internal case review", "concern")
    store.update(m.Scope, rid, period_from=dt.date(2025, 6, 1), period_to=dt.date(2025, 1, 1))
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        app.push_screen(WorkspaceScreen(rid))
        await pilot.pause()
        alerts = text_of(app.screen, "#alerts")
    assert (
        "Date to check: Terms of reference: the period reviewed ends (1 Jan 2025) before it "
        "begins (1 Jun 2025)" in alerts
    ), alerts
    (row,) = read_model.review_list(folder, dt.date(2025, 9, 1))
    assert "1 date to check" in row.attention.phrases()
    store.update(m.Scope, rid, period_to=dt.date(2025, 12, 31))
    (row,) = read_model.review_list(folder, dt.date(2025, 9, 1))
    assert not row.attention.dates
