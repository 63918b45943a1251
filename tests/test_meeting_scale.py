"""The meeting of a review with many people: below the long list of those present, parts 2-6 are
each one stub until wanted (in view, moved to, or a search hit in them), then built from what is
stored at that moment; moving between parts finds and builds them in order, and every key typed
in a part built late is saved."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from reviewer_tui import meeting as core
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.screens.stubs import WHOLE_LIST
from tests.conftest import make_app, wait_until
from tests.test_meeting import make_review, open_meeting

LATER = [p.key for p in core.PARTS[1:]]


def many_people(store: Store, more: int = WHOLE_LIST + 20) -> int:
    rid = make_review(store)
    for n in range(more):
        store.add_row(m.Person, rid, key=f"x-{n}", full_name=f"Person {n}", designation="Worker")
    return rid


def _top_of_view(screen, widget) -> bool:  # noqa: ANN001
    """At the top of the view, or (the last part, shorter than the view) the view at its end."""
    body = screen.query_one("#stage-body")
    if widget.region.y == body.region.y:
        return True
    return body.scroll_y == body.max_scroll_y and body.region.contains_region(widget.region)


async def test_parts_below_many_people_are_built_in_order_as_they_are_moved_to(
    folder, store
) -> None:
    from reviewer_tui.screens.parts import Part, PartStub

    rid = many_people(store)
    first = store.rows(m.Person, rid)[0]
    core.set_attending(store, rid, first.id, True)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_meeting(app, pilot, rid)
        await pilot.pause()
        assert [s.id for s in screen.query(PartStub)] == [f"part-{k}-stub" for k in LATER]
        assert [p.id for p in screen.query(Part)] == ["part-arrangements"]
        # Stored after the screen was drawn: the part shows it when built.
        store.update(m.Meeting, rid, open_discussion="Written after the screen opened")
        for key in [p.key for p in core.PARTS]:
            await pilot.press("ctrl+down")
            await wait_until(
                pilot,
                lambda key=key: (
                    bool(screen.query(f"#part-{key}"))
                    and _top_of_view(screen, screen.query_one(f"#part-{key}"))
                ),
                what=f"part {key} built, at the top of the view",
            )
            part = screen.query_one(f"#part-{key}", Part)
            focused = app.focused
            if key == "reason":  # read only: nothing to type in
                assert "Two missing episodes in a month." in str(
                    screen.query_one("#read-out").render()
                )
            else:
                assert focused is not None and part in focused.ancestors, key
            if key == "participants":
                (view,) = core.contributions(store, rid)
                assert view.person_name == first.full_name
                assert screen.query_one(f"#contribution-{view.id}") in focused.ancestors
            if key == "discussion":
                await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
                area = app.focused
                assert isinstance(area, TextArea)
                assert area.text == "Written after the screen opened"
                await pilot.press("end", *" and typed in")
                await wait_until(
                    pilot,
                    lambda: (
                        store.get(m.Meeting, rid).open_discussion
                        == "Written after the screen opened and typed in"
                    ),
                    what="every key typed saved",
                )
        assert not screen.query(PartStub)
        # Back up through them: nothing is built twice.
        await pilot.press("ctrl+up")
        await wait_until(pilot, lambda: _top_of_view(screen, screen.query_one("#part-focus")))
        assert [p.id for p in screen.query(Part)] == [f"part-{p.key}" for p in core.PARTS]


async def test_ticking_someone_present_before_part_3_is_built_gives_them_a_box(
    folder, store
) -> None:
    from reviewer_tui.screens.ticks import TickList

    rid = many_people(store)
    person = store.rows(m.Person, rid)[1]
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_meeting(app, pilot, rid)
        assert not screen.query("#participants")
        ticks = screen.query_one("#attendance", TickList)
        ticks.select(person.id)
        await wait_until(
            pilot,
            lambda: core.people(store, rid)[1].attending,
            what="the tick stored",
        )
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down")
        await wait_until(pilot, lambda: bool(screen.query("#part-participants")))
        views = core.contributions(store, rid)
        assert [v.person_name for v in views] == [person.full_name]
        await wait_until(pilot, lambda: bool(screen.query(f"#contribution-{views[0].id}")))


@pytest.mark.parametrize("many", [False, True], ids=["built", "a part not built yet"])
async def test_a_search_hit_in_a_later_part_focuses_the_match(folder, store, many: bool) -> None:
    from reviewer_tui.screens.meeting import MeetingScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen
    from tests.test_search_screen import open_hit

    rid = many_people(store) if many else make_review(store)
    store.update(m.Meeting, rid, did_well="Hearing the child's own words, and a quince.")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        area = await open_hit(pilot, app, "quince", "meeting", rid, "did_well", MeetingScreen)
        assert area.id == "f-did_well"
        assert app.screen.query_one("#part-focus") in area.ancestors
        await app.workers.wait_for_complete()


async def test_a_search_hit_on_someone_else_present_below_a_long_list(folder, store) -> None:
    """Below a long list of those present, the box of others present is a stub: a search hit
    on one of them builds it and puts the cursor in the name."""
    from textual.widgets import Input

    from reviewer_tui.screens.meeting import MeetingScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen
    from tests.test_search_screen import open_hit

    rid = many_people(store)
    other = store.add_row(m.MeetingOtherAttendee, rid, name="Rhiannon Quince", role="Supporter")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        name = await open_hit(
            pilot, app, "quince", "meeting_other_attendee", other.id, "name", MeetingScreen, Input
        )
        assert name.value == "Rhiannon Quince"
        await app.workers.wait_for_complete()


async def test_everyone_present_and_the_others_present_box_fit_in_part_1(folder, store) -> None:
    """A long list of those present scrolls within itself; part 1 holds it and the box of others
    present below it whole (the list was once cut off at the part's edge, hiding both)."""
    from reviewer_tui.screens.meeting import OtherAttendees
    from reviewer_tui.screens.ticks import TickList

    rid = many_people(store, more=70)
    app = make_app(folder)
    async with app.run_test(size=(100, 100)) as pilot:  # part 1 whole in view: regions compare
        screen = await open_meeting(app, pilot, rid)
        part = screen.query_one("#part-arrangements")
        ticks = screen.query_one("#attendance", TickList)
        # below a long list, a stub until it comes into view, as it does here at once
        await wait_until(pilot, lambda: screen.query(OtherAttendees), what="the others built")
        await pilot.pause()
        others = screen.query_one(OtherAttendees)
        assert ticks.region.height == 60  # 60% of the terminal's height, for 73 people
        assert part.region.contains_region(ticks.region)
        assert part.region.contains_region(others.region)
        assert ticks.region.bottom <= others.region.y
        # The last person is reached with the keyboard, the list scrolling to show them.
        ticks.focus()
        await pilot.press("end")
        last = store.rows(m.Person, rid)[-1]
        await wait_until(pilot, lambda: ticks.highlighted == len(ticks.options) - 1)
        assert ticks.get_option_at_index(ticks.highlighted).value == last.id
        assert ticks.max_scroll_y > 0 and ticks.scroll_y == ticks.max_scroll_y
