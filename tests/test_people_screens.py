"""Pilot: a full PROFILE OF INTERVIEWEE with two previous posts and three training entries, and
family members, filled in as a reviewer would."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Button, DataTable, Input, TextArea

from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from tests.conftest import make_app


async def _type(pilot, widget, value: str) -> None:  # noqa: ANN001
    widget.focus()
    if isinstance(widget, TextArea):
        widget.load_text("")
        widget.insert(value)
    else:
        widget.value = value
    await pilot.pause()


async def test_full_profile_two_posts_three_courses(folder, store: Store) -> None:  # noqa: ANN001
    rid = store.create_review("Profiles", "serious case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.interviews import InterviewsStageScreen

        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        await pilot.press("p")  # add a person: opens their profile
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "PersonScreen"
        assert "0 of 10" in str(screen.query_one("#profile-missing").render())
        values = {
            "full_name": "Amélie Durand",
            "designation": "Social Worker",
            "time_in_post": "4 years",
            "employing_body": "Eastholme County Council",
            "pseudonym": "Social Worker 1",
            "supporter": "Hannah Lees",
        }
        for name, value in values.items():
            await _type(pilot, field_widget(screen, name, Input), value)
        areas = {
            "qualifications": "MA Social Work (2017)",
            "employing_address": "Riverside House",
            "home_address": "not appropriate",
            "role_in_case": "Allocated social worker",
        }
        for name, value in areas.items():
            await _type(pilot, field_widget(screen, name, TextArea), value)
        jobs = screen.query_one("#jobs")
        for employer, dates, post in (
            ("Brackley Borough Council", "2017-2021", "Social Worker"),
            ("Northfield Trust", "2015-2017", "Family Support Worker"),
        ):
            jobs.query_one(".add-job", Button).press()
            await pilot.pause()
            row = jobs.query(".row").last()
            await _type(pilot, field_widget(row, "employer", Input), employer)
            await _type(pilot, field_widget(row, "dates", Input), dates)
            await _type(pilot, field_widget(row, "posts_held", Input), post)
        training = field_widget(screen, "training_last_3_years")
        await pilot.pause()  # the list's rows and buttons are mounted
        for course in (
            "Autism and communication, March 2023",
            "Missing from home, October 2023",
            "Child exploitation screening, January 2024",
        ):
            training.query_one(".add", Button).press()
            await pilot.pause()
            training.query("TextArea.item").last(TextArea).insert(course)
            await pilot.pause()
        await pilot.pause()
        assert "All ten profile items are filled in." in str(
            screen.query_one("#profile-missing").render()
        )
        assert "Saved" in str(screen.query_one("SaveIndicator").render())
        await pilot.press("escape")
        await pilot.pause()
        people = app.screen.query_one("#people", DataTable)
        assert [str(c) for c in people.get_row_at(0)] == [
            "Amélie Durand",
            "Social Worker 1",
            "Social Worker",
            "10/10",
        ]

    person = store.rows(m.Person, rid)[0]
    assert person.full_name == "Amélie Durand" and person.pseudonym == "Social Worker 1"
    assert person.training_last_3_years == [
        "Autism and communication, March 2023",
        "Missing from home, October 2023",
        "Child exploitation screening, January 2024",
    ]
    jobs_stored = iv.previous_employment(store, person.id)
    assert [(j.employer, j.dates, j.posts_held) for j in jobs_stored] == [
        ("Brackley Borough Council", "2017-2021", "Social Worker"),
        ("Northfield Trust", "2015-2017", "Family Support Worker"),
    ]
    assert iv.profile_missing(store, person.id) == []


async def test_family_member_with_other_names(folder, store: Store) -> None:  # noqa: ANN001
    rid = store.create_review("Family", "serious case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        from reviewer_tui.screens.interviews import InterviewsStageScreen

        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        screen = app.screen
        screen.query_one(".add-row", Button).press()
        await pilot.pause()
        row = screen.query(".row").last()
        await _type(pilot, field_widget(row, "name", Input), "Zoë O’Brien")
        await _type(pilot, field_widget(row, "pseudonym", Input), "Mother")
        await _type(pilot, field_widget(row, "relationship", Input), "mother")
        await _type(pilot, field_widget(row, "date_of_birth", Input), "03/02/1990")
        await _type(pilot, field_widget(row, "address", TextArea), "1 Quay Street, EQ1 4RA")
        names = field_widget(row, "also_known_as")
        await pilot.pause()  # the list's rows and buttons are mounted
        names.query_one(".add", Button).press()
        await pilot.pause()
        names.query("TextArea.item").last(TextArea).insert("Zoe OBrien")
        await pilot.pause()
    member = store.rows(m.FamilyMember, rid)[0]
    assert (member.name, member.pseudonym, member.relationship) == (
        "Zoë O’Brien",
        "Mother",
        "mother",
    )
    assert member.date_of_birth == dt.date(1990, 2, 3)
    assert member.address == "1 Quay Street, EQ1 4RA" and member.also_known_as == ["Zoe OBrien"]
    assert member.key == "fm-1"


async def test_what_is_typed_straight_after_an_add_goes_into_the_new_record(
    folder,  # noqa: ANN001
    store: Store,
) -> None:
    """After p (add a person) the keyboard is in the person's name, and after i (add an
    interview) in its date: keys typed at once are not lost on the screen's body."""
    rid = store.create_review("Adds", "serious case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        from reviewer_tui.screens.interviews import InterviewsStageScreen

        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        await pilot.press("p", *"Ann", "space", "left_square_bracket", "b")
        await pilot.pause()
        assert type(app.screen).__name__ == "PersonScreen"
        assert [p.full_name for p in store.rows(m.Person, rid)] == ["Ann [b"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("i", *"14", "slash", *"09")
        await pilot.pause()
        assert type(app.screen).__name__ == "InterviewScreen"
        assert app.screen.query_one("#schedule-when", Input).value == "14/09"
