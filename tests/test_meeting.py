"""The case review meeting run live (seed 000 section 5): a whole meeting walked in protocol order
for three participants, every answer stored as it is made and shown again after a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Static, TextArea

from reviewer_tui import dates
from reviewer_tui import meeting as core
from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.errors import InputError
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from reviewer_tui.screens.ticks import TickList
from tests.conftest import make_app

STAFF = (
    ("p-1", "Amélie Okafor", "Social Worker"),
    ("p-2", "Dan Whitlock", "Team Manager"),
    ("p-3", "Sue O'Neill", "Family Support Worker"),
)
PARTICIPANT_ANSWERS = {
    "p-1": (
        "Allocated social worker",
        "Letting him choose how to talk.\nHe wrote his answers.",
        "Two services asked him to come to them {{ not a template }}.",
    ),
    "p-2": (
        "Team Manager, authorised the plan",
        "Reflective supervision 👍",
        "No written route to Housing.",
    ),
    "p-3": ("Family support worker", "Routines with his mother", "Started two months late"),
}
GROUP_ANSWERS = {
    "open_discussion": "They felt the moves were the problem;\tdecisions were made in supervision.",
    "worries_discussed": "The second missing episode was screened alone.",
    "could_have_done_differently": "Early Help from the first meeting.",
    "did_well": "Hearing the child's own words.",
    "learnt": "Ask first how a child wants to talk.",
    "recommendations_suggested": "A written route for priority moves.",
}


def make_review(store: Store) -> int:
    rid = store.create_review("Meeting test", "internal case review", "concern")
    store.update_review(rid, reason_for_review="Two missing episodes in a month.")
    store.update(m.Scope, rid, key_issues=["How the missing episodes were linked"])
    for key, name, post in STAFF:
        store.add_row(m.Person, rid, key=key, full_name=name, designation=post)
    return rid


async def open_meeting(app, pilot, rid):
    from reviewer_tui.screens.meeting import MeetingScreen

    await app.push_screen(MeetingScreen(rid))
    await pilot.pause()
    return app.screen


def set_editor(screen, container, name: str, value: str) -> None:
    """Type a long answer through the widget, as a paste would arrive (not key by key)."""
    widget = field_widget(container, name)
    if isinstance(widget, TextArea):
        widget.text = value
    else:
        widget.value = value


async def test_a_whole_meeting_in_protocol_order_survives_a_restart(data_dir: Path) -> None:
    folder = open_folder(data_dir)
    store = Store(folder)
    rid = make_review(store)
    person_ids = {p.key: p.id for p in store.rows(m.Person, rid)}
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_meeting(app, pilot, rid)
        # The parts are laid out in the protocol's order, the hindsight reminder in view.
        part_ids = [p.id for p in screen.query("Part")]
        assert part_ids == [f"part-{p.key}" for p in core.PARTS]
        assert "Hindsight" in str(screen.query_one("HindsightBar").render())
        assert "Two missing episodes" in str(screen.query_one("#read-out", Static).render())
        worries = str(screen.query_one("#part-focus #scoping-worries", Static).render())
        assert "How the missing episodes were linked" in worries

        # 1. Date, place, note taker, who is present.
        arrangements = screen.query_one("#part-arrangements")
        set_editor(screen, arrangements, "held_on", "03/09/2025 10:00")
        set_editor(screen, arrangements, "location", "Committee Room B")
        set_editor(screen, arrangements, "note_taker", "Priti Shah, Business Support")
        for key, _, _ in STAFF:
            screen.query_one("#attendance", TickList).select(person_ids[key])
            await pilot.pause()
        screen.query_one("#other-name", Input).value = "Rhiannon Pugh"
        screen.query_one("#other-role", Input).value = "Lead Reviewer"
        await pilot.click("#other-add")
        await pilot.pause()

        # 3. Each participant, in the order ticked.
        await pilot.wait_for_scheduled_animations()
        boxes = list(screen.query(".contribution"))
        assert len(boxes) == 3
        for box, (key, name, _) in zip(boxes, STAFF, strict=True):
            assert name in str(box.border_title)
            role, well, not_well = PARTICIPANT_ANSWERS[key]
            set_editor(screen, box, "role", role)
            set_editor(screen, box, "went_well", well)
            set_editor(screen, box, "did_not_go_well", not_well)
        # 4 and 5. The open discussion and the group focus.
        for name, value in GROUP_ANSWERS.items():
            set_editor(screen, screen, name, value)
        # 6. The seven next steps, ticked as they are read out.
        for key in core.NEXT_STEP_KEYS:
            screen.query_one(f"#step-{key}", Checkbox).value = True
        await pilot.pause()
        assert "All seven" in str(screen.query_one("#steps-status", Static).render())
        assert "NOT SAVED" not in str(screen.query_one("SaveIndicator").render())

        # Stored as made: read straight from the database while the app still runs.
        row = store.get(m.Meeting, rid)
        assert row.held_on == "2025-09-03T10:00"
        assert row.open_discussion == GROUP_ANSWERS["open_discussion"]
        assert row.next_steps_explained is True
        await app.action_quit()
    folder.close()

    # Restart: a new folder object and a new app find everything again.
    folder = open_folder(data_dir)
    store = Store(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_meeting(app, pilot, rid)
        arrangements = screen.query_one("#part-arrangements")
        assert field_widget(arrangements, "held_on", Input).value == "2025-09-03T10:00"
        assert field_widget(arrangements, "location", Input).value == "Committee Room B"
        assert (
            field_widget(arrangements, "note_taker", Input).value == "Priti Shah, Business Support"
        )
        assert all(
            person_ids[k] in screen.query_one("#attendance", TickList).selected for k, _, _ in STAFF
        )
        others = [(row.name, row.role) for row in store.rows(m.MeetingOtherAttendee, rid)]
        assert others == [("Rhiannon Pugh", "Lead Reviewer")]
        assert field_widget(screen.query_one(".other-row"), "name", Input).value == "Rhiannon Pugh"
        boxes = list(screen.query(".contribution"))
        assert [b.border_title for b in boxes] == [f"{n}, {d}" for _, n, d in STAFF]
        for box, (key, _, _) in zip(boxes, STAFF, strict=True):
            role, well, not_well = PARTICIPANT_ANSWERS[key]
            assert field_widget(box, "role", Input).value == role
            assert field_widget(box, "went_well", TextArea).text == well
            assert field_widget(box, "did_not_go_well", TextArea).text == not_well
        for name, value in GROUP_ANSWERS.items():
            assert field_widget(screen, name, TextArea).text == value
        assert all(screen.query_one(f"#step-{k}", Checkbox).value for k in core.NEXT_STEP_KEYS)
        assert "All seven" in str(screen.query_one("#steps-status", Static).render())
    folder.close()


async def test_a_bad_meeting_date_is_not_saved_and_says_so(folder, store) -> None:
    rid = make_review(store)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_meeting(app, pilot, rid)
        field_widget(screen, "held_on", Input).value = "31/02/2025"
        await pilot.pause()
        assert "NOT SAVED" in str(screen.query_one("SaveIndicator").render())
        assert field_widget(screen, "held_on", Input).value == "31/02/2025"  # kept on screen
        assert store.get(m.Meeting, rid).held_on is None  # not set (NULL since migration 0003)
        field_widget(screen, "held_on", Input).value = "2025-09-03"
        await pilot.pause()
        assert store.get(m.Meeting, rid).held_on == "2025-09-03"
        assert "NOT SAVED" not in str(screen.query_one("SaveIndicator").render())


async def test_unticking_keeps_what_a_participant_said(folder, store) -> None:
    rid = make_review(store)
    pid = store.rows(m.Person, rid)[0].id
    core.set_attending(store, rid, pid, True)
    contribution = store.rows(m.MeetingContribution, rid)[0]
    store.update(m.MeetingContribution, contribution.id, went_well="Said something")
    core.set_attending(store, rid, pid, False)
    views = core.contributions(store, rid)
    assert [(v.went_well, v.attending) for v in views] == [("Said something", False)]
    core.set_attending(store, rid, pid, True)  # ticked again: no second box
    assert len(store.rows(m.MeetingContribution, rid)) == 1
    # An empty box goes away with the tick.
    other = store.rows(m.Person, rid)[1].id
    core.set_attending(store, rid, other, True)
    core.set_attending(store, rid, other, False)
    assert len(store.rows(m.MeetingContribution, rid)) == 1


def test_meeting_times_are_written_the_bundle_way() -> None:
    assert dates.parse_local("2025-09-03 10:00") == "2025-09-03T10:00"
    assert dates.parse_local("3/9/2025") == "2025-09-03"
    assert dates.parse_local("2025-09-03T10:00:30") == "2025-09-03T10:00:30"
    assert dates.parse_local("  ") == ""
    for bad in ("2025-02-29", "tomorrow", "2025-09-03 25:00"):
        with pytest.raises(InputError):
            dates.parse_local(bad)
    with pytest.raises(InputError):
        dates.parse_local("", required=True)


def test_an_imported_meeting_that_explained_the_steps_shows_them_ticked(store) -> None:
    from reviewer_tui import bundle
    from tests.conftest import SAMPLE

    rid = bundle.import_file(store, SAMPLE)
    meeting = store.get(m.Meeting, rid)
    assert meeting.next_steps_explained is True
    assert core.next_steps_ticked(meeting) == set(core.NEXT_STEP_KEYS)
    core.tick_next_step(store, rid, "7", False)
    assert store.get(m.Meeting, rid).next_steps_explained is False
    assert store.get(m.Meeting, rid).next_steps_read_out == ["1", "2", "3", "4", "5", "6"]


async def test_parts_in_order_with_prompts_beside_or_above_and_keys_between_them(
    folder, store
) -> None:
    from reviewer_tui.screens.parts import Part

    rid = make_review(store)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_meeting(app, pilot, rid)
        assert not screen.has_class("narrow")
        part = screen.query_one("#part-participants", Part)
        beside = part.query_one(".part-prompts")
        assert beside.display and "Feelings" in str(beside.render())
        assert beside.region.x > part.query_one(".part-main").region.x  # to the right
        # ctrl+down walks every part in order, including the read-only one.
        visited = []
        for _ in core.PARTS:
            await pilot.press("ctrl+down")
            visited.append(screen._parts()[screen._part_at].id)
        assert visited == [f"part-{p.key}" for p in core.PARTS]
        await pilot.press("ctrl+up")
        assert screen._parts()[screen._part_at].id == "part-focus"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.has_class("narrow")
        above = part.query_one(".part-prompts")  # the same box, now above the part
        assert above is beside
        assert above.display and above.region.y < part.query_one(".part-main").region.y
        assert above.region.x == part.query_one(".part-main").region.x
        assert screen.query_one("HindsightBar").region.height >= 1


async def test_ticking_and_unticking_on_screen_keeps_every_word(folder, store) -> None:
    rid = make_review(store)
    first, second = (p.id for p in store.rows(m.Person, rid)[:2])
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_meeting(app, pilot, rid)
        assert screen.query_one("#no-participants").display
        screen.query_one("#attendance", TickList).select(first)
        await pilot.pause()
        screen.query_one("#attendance", TickList).select(second)
        await pilot.pause()
        boxes = list(screen.query(".contribution"))
        assert len(boxes) == 2 and not screen.query_one("#no-participants").display
        field_widget(boxes[0], "went_well", TextArea).text = "Said while the box was open"
        await pilot.pause()
        screen.query_one("#attendance", TickList).deselect(first)
        screen.query_one("#attendance", TickList).deselect(second)
        await pilot.pause()
        boxes = list(screen.query(".contribution"))
        assert len(boxes) == 1  # the empty one went, the one with words stayed
        assert "(not ticked as present)" in str(boxes[0].border_title)
        assert field_widget(boxes[0], "went_well", TextArea).text == "Said while the box was open"
    assert [c.went_well for c in store.rows(m.MeetingContribution, rid)] == [
        "Said while the box was open"
    ]
