"""Pilot: schedule two interviews that clash and see the warning before anything is saved; tick
briefing items; move a record through every state to signed; the workspace lists unsigned records;
export the agenda as .ics."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Button, Checkbox, DataTable, Input, Select, TextArea

from reviewer_tui import bundle
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from tests.conftest import SAMPLE, make_app, reach_the_briefing, reach_the_record, wait_until


def _text(screen, selector: str) -> str:  # noqa: ANN001
    return str(screen.query_one(selector).render())


async def _input(pilot, name: str, value: str) -> None:  # noqa: ANN001
    # "#id": a plain Input of the screen (not a form field); otherwise a form field's name
    widget = (
        pilot.app.screen.query_one(name, Input)
        if name.startswith("#")
        else field_widget(pilot.app.screen, name, Input)
    )
    widget.focus()
    widget.value = value
    await pilot.pause()


async def _select(pilot, name: str, value: object) -> None:  # noqa: ANN001
    # "#id": a plain Select of the screen (not a form field); otherwise a form field's name
    widget = (
        pilot.app.screen.query_one(name, Select)
        if name.startswith("#")
        else field_widget(pilot.app.screen, name, Select)
    )
    widget.value = value
    await pilot.pause()


def _setup(store: Store) -> tuple[int, int, int, int]:
    rid = store.create_review("Scheduling", "serious case review", "concern")
    ann = iv.add_person(store, rid, "Ann Able", pseudonym="Social Worker 1")
    ben = iv.add_person(store, rid, "Ben Bell", pseudonym="Team Manager")
    first = iv.add_interview(
        store, rid, ann.id, scheduled_for="2025-09-10T10:00", duration_minutes=90
    )
    second = iv.add_interview(store, rid, ben.id)
    return rid, ann.id, first.id, second.id


async def test_clash_is_shown_before_it_is_saved(folder, store: Store) -> None:  # noqa: ANN001
    rid, ann, first, second = _setup(store)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.interviews import InterviewScreen

        app.push_screen(InterviewScreen(second))
        await pilot.pause()
        screen = app.screen
        await _input(pilot, "#schedule-duration", "60")
        await _input(pilot, "#schedule-when", "10/09/2025 11:00")
        clash = _text(screen, "#clash")
        assert "CLASH, not saved yet" in clash and "overlaps the interview with Ann Able" in clash
        assert "NOT SAVED" in _text(screen, "SaveIndicator")
        assert store.get(m.Interview, second).scheduled_for is None  # shown before it is saved
        assert screen.query_one("#keep-clash", Button).display
        # The same person as well: both reasons listed.
        await _select(pilot, "#schedule-person", ann)
        assert "Ann Able (Social Worker 1) is already being interviewed then" in _text(
            screen, "#clash"
        )
        await _select(pilot, "#schedule-person", store.get(m.Interview, second).person_id)
        # Moving it clear of the other interview saves at once.
        await _input(pilot, "#schedule-when", "10/09/2025 11:30")
        assert _text(screen, "#clash") == ""
        assert store.get(m.Interview, second).scheduled_for == "2025-09-10T11:30"
        assert store.get(m.Interview, second).duration_minutes == 60
        # Back into a clash, then kept on purpose with the button.
        await _input(pilot, "#schedule-when", "2025-09-10 10:30")
        assert store.get(m.Interview, second).scheduled_for == "2025-09-10T11:30"
        await pilot.click("#keep-clash")
        await pilot.pause()
        assert store.get(m.Interview, second).scheduled_for == "2025-09-10T10:30"
        assert "Saved" in _text(screen, "SaveIndicator")
        # A bad time is refused with a message, nothing stored.
        await _input(pilot, "#schedule-when", "2025-09-10 25:00")
        assert "not a time" in _text(screen, "#schedule-error")
        assert store.get(m.Interview, second).scheduled_for == "2025-09-10T10:30"

        await pilot.press("escape")
        app.push_screen(
            __import__("reviewer_tui.screens.interviews", fromlist=["x"]).InterviewsStageScreen(rid)
        )
        await pilot.pause()
        agenda = app.screen.query_one("#agenda", DataTable)
        rows = [[str(c) for c in agenda.get_row_at(i)] for i in range(agenda.row_count)]
        assert [r[1] for r in rows] == ["Ann Able (Social Worker 1)", "Ben Bell (Team Manager)"]
        assert all(
            r[0].startswith("⚠ ") and r[3].startswith("⚠") for r in rows
        )  # both show the clash


async def test_the_briefing_waits_below_the_view_and_is_built_in_it(folder, store: Store) -> None:  # noqa: ANN001
    """The briefing is a stub below a 40-line view (twelve tick boxes nobody sees as the screen
    opens), and built at once, as stored, where a tall terminal shows it."""
    from reviewer_tui.screens.interviews import InterviewScreen

    rid, ann, first, second = _setup(store)
    iv.set_briefing(store, first, "confidentiality", True)
    for height, built in ((40, False), (90, True)):
        app = make_app(folder)
        async with app.run_test(size=(100, height)) as pilot:
            app.push_screen(InterviewScreen(first))
            await pilot.pause()
            if built:
                await wait_until(pilot, lambda a=app: a.screen.query("#briefing"), what="built")
                assert app.screen.query_one("#b-confidentiality", Checkbox).value is True
                assert app.screen.query_one("#b-support_needs", Checkbox).value is False
            else:
                await pilot.pause(0.1)  # a stub in view would be asked for by now
                assert app.screen.query("#briefing-stub") and not app.screen.query("#briefing")


async def test_workplace_flag_briefing_and_arrangements(folder, store: Store) -> None:  # noqa: ANN001
    rid, ann, first, second = _setup(store)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.interviews import InterviewScreen

        app.push_screen(InterviewScreen(first))
        await pilot.pause()
        screen = app.screen
        await _input(pilot, "location", "Riverside House, Room 4")
        await _select(pilot, "at_normal_workplace", True)
        assert "advises against" in _text(screen, "#d-at_normal_workplace")
        await _select(pilot, "recording_method", "minute taker")
        await _select(pilot, "supporter_invited", True)
        await _select(pilot, "release_from_duties_agreed", True)
        await _input(pilot, "note_taker", "Priti Shah")
        await _input(pilot, "confirmation_sent_on", "24/08/2025")
        await reach_the_briefing(pilot)
        for key in ("purpose_and_terms", "support_needs", "confidentiality"):
            screen.query_one(f"#b-{key}", Checkbox).focus()
            await pilot.press("space")  # ticked from the keyboard
            await pilot.pause()
        screen.query_one("#b-support_needs", Checkbox).value = False
        await pilot.pause()
    row = store.get(m.Interview, first)
    assert row.location == "Riverside House, Room 4" and row.at_normal_workplace is True
    assert row.recording_method == "minute taker" and row.note_taker == "Priti Shah"
    assert row.supporter_invited is True and row.release_from_duties_agreed is True
    assert row.confirmation_sent_on == dt.date(2025, 8, 24)
    assert row.briefing == {
        "purpose_and_terms": True,
        "support_needs": False,
        "confidentiality": True,
    }


async def test_record_moves_through_every_state_to_signed(folder, store: Store) -> None:  # noqa: ANN001
    rid, ann, first, second = _setup(store)
    iv.save_notes(store, first, "Notes of the interview.")
    iv.mark_contentious(store, first, "the referral was clear")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.interviews import InterviewScreen

        app.push_screen(InterviewScreen(first))
        await pilot.pause()
        screen = app.screen

        def now() -> str:
            return _text(screen, "#record-steps").splitlines()[0]

        assert now() == "Now: Drafted"
        assert "not yet checked back" in _text(screen, "#record-warnings")
        await reach_the_record(pilot)
        await _select(pilot, "contentious_points_checked_back", True)
        assert now() == "Now: Contentious points checked back"
        await _input(pilot, "sent_to_interviewee_on", "2025-09-11")
        assert now() == "Now: Sent to interviewee"
        comments = field_widget(screen, "interviewee_comments", TextArea)
        comments.insert("Page 2: the meeting was on Tuesday.")
        await pilot.pause()
        assert now() == "Now: Comments received"
        field_widget(screen, "disagreements", TextArea).insert(
            "She disagrees that the referral was clear."
        )
        await pilot.pause()
        assert "disagrees" in _text(screen, "#record-warnings")
        await _input(pilot, "agreed_on", "2025-09-20")
        assert now() == "Now: Agreed"
        await _select(pilot, "signed_by_interviewee", True)
        await _input(pilot, "interviewee_signed_on", "2025-09-21")
        assert now() == "Now: Signed by interviewee"
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        from reviewer_tui.screens.workspace import WorkspaceScreen

        app.push_screen(WorkspaceScreen(rid))
        await pilot.pause()
        alerts = _text(app.screen, "#alerts")
        assert (
            "not yet signed: Ann Able (Social Worker 1), 10 Sep 2025 10:00: signed by the interviewee only"
            in alerts
        )
        assert "Ben Bell (Team Manager), not scheduled: not yet held" in alerts
        await pilot.press("i")
        await pilot.pause()
        assert type(app.screen).__name__ == "InterviewsStageScreen"
        assert "Ann Able" in _text(app.screen, "#unsigned")
        await pilot.press("enter")  # the first interview in the agenda
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "InterviewScreen"
        await reach_the_record(pilot)
        await _select(pilot, "signed_by_interviewer", True)
        await _input(pilot, "interviewer_signed_on", "2025-09-22")
        assert _text(screen, "#record-steps").splitlines()[0] == "Now: Signed by both"
        await pilot.press("escape")
        await pilot.pause()
        assert "Ann Able" not in _text(app.screen, "#unsigned")
    row = store.get(m.Interview, first)
    assert row.notes == "Notes of the interview."  # the interviewee's words never went over it
    assert row.interviewee_comments == "Page 2: the meeting was on Tuesday."
    assert row.disagreements == "She disagrees that the referral was clear."
    assert (row.sent_to_interviewee_on, row.agreed_on) == (
        dt.date(2025, 9, 11),
        dt.date(2025, 9, 20),
    )
    assert row.signed_by_interviewee and row.signed_by_interviewer
    assert row.interviewer_signed_on == dt.date(2025, 9, 22)


async def test_ics_export_through_the_screen(folder, store: Store, tmp_path: Path) -> None:  # noqa: ANN001
    # The note-taker pack through the screens: tests/test_note_taker_pack_screens.py.
    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.interviews import InterviewsStageScreen

        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "agenda.ics")
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "agenda.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


async def test_delete_interview_confirmed_and_person_with_interviews_confirmed(
    folder, store: Store
) -> None:  # noqa: ANN001
    from reviewer_tui.screens.dialogs import ConfirmDelete

    rid, ann, first, second = _setup(store)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.interviews import InterviewsStageScreen

        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        screen = app.screen
        screen.query_one("#people", DataTable).focus()
        await pilot.press("delete")  # Ann has an interview: the dialog says it goes with her
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        assert "Their 1 interview record (notes included)" in _text(app.screen, ".hint")
        await pilot.press("escape")
        await pilot.pause()
        assert len(store.rows(m.Person, rid)) == 2
        screen.query_one("#agenda", DataTable).focus()
        await pilot.press("delete")
        await pilot.pause()
        app.screen.query_one(Input).value = "no"
        await pilot.press("enter")
        await pilot.pause()
        assert "That is not the word: nothing was deleted" in _text(app.screen, ".error")
        assert len(store.rows(m.Interview, rid)) == 2
        app.screen.query_one(Input).value = "delete"
        await pilot.press("enter")
        await pilot.pause()
        assert [r.id for r in store.rows(m.Interview, rid)] == [second]
        screen.query_one("#people", DataTable).focus()
        await pilot.press("ctrl+d")  # the highlighted person, Ann, has no interview now
        await pilot.pause()
        assert [p.full_name for p in store.rows(m.Person, rid)] == ["Ben Bell"]


async def test_the_family_members_below_the_tables_are_built_when_reached(
    folder,  # noqa: ANN001
    store: Store,
) -> None:
    """The family members' section is one stub until it scrolls into view or takes the focus:
    focused, it becomes the list with the keyboard in its first field, and what is typed is
    stored. The agenda and records read the interviews without their whole notes."""
    from reviewer_tui.screens.interviews import InterviewsStageScreen
    from reviewer_tui.screens.stubs import SectionStub

    rid = bundle.import_file(store, SAMPLE)
    members = store.rows(m.FamilyMember, rid)
    first = members[0]
    person = store.rows(m.Person, rid)[0]
    blank_start = iv.add_interview(store, rid, person.id)
    store.update(m.Interview, blank_start.id, notes=" " * 1500 + "drafted late")
    light = {r.id: r for r in iv.interviews_for_lists(store, rid)}
    assert light[blank_start.id].notes.strip() == "drafted late"
    assert all(
        bool(light[r.id].notes.strip()) == bool(r.notes.strip())
        and len(light[r.id].notes) <= max(1000, len(r.notes))
        for r in store.rows(m.Interview, rid)
    )
    app = make_app(folder)
    async with app.run_test(size=(100, 24)) as pilot:
        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        screen = app.screen
        stub = screen.query_one("#family-stub", SectionStub)
        assert stub.stands_for(m.FamilyMember.__tablename__, first.id)  # a search hit builds it
        assert not screen.query("#f-name")
        stub.focus()  # as Tab reaches it
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.focused, Input) and app.focused.id == "f-name":
                break
        assert isinstance(app.focused, Input) and app.focused.id == "f-name"
        assert not screen.query("#family-stub")
        await pilot.press("Z")  # the first key typed is kept (over the name, selected as Tab
        await pilot.pause()  # selects a box's text)
        assert store.get(m.FamilyMember, first.id).name == "Z"
