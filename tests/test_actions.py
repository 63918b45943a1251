"""The action plan, escalations and family involvement: overdue recommendations highlighted in
the workspace, escalations not yet advised on the review list until advised, progress notes,
impact when done, the ladder history and the limiting factors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.widgets import Checkbox, DataTable, Input, Static, TextArea

from reviewer_tui import actions, bundle
from reviewer_tui import models as m
from reviewer_tui.screens.forms import field_widget
from tests.conftest import FIXED_TODAY, SAMPLE, make_app, wait_until


def text_of(widget) -> str:
    return str(widget.render())


async def wait_for_screen(pilot, app, name: str) -> None:
    await wait_until(pilot, lambda: type(app.screen).__name__ == name, what=f"{name} to show")


def test_done_and_overdue_rules() -> None:
    today = dt.date(2025, 9, 1)
    assert actions.is_done("Completed – released 2 May 2025")
    assert actions.is_done("done")
    assert not actions.is_done("Agreed – not started")
    assert not actions.is_done("In progress – completion expected May")
    assert actions.is_overdue(dt.date(2025, 8, 31), "In progress", today)
    assert not actions.is_overdue(dt.date(2025, 9, 1), "In progress", today)
    assert not actions.is_overdue(dt.date(2025, 8, 1), "Completed", today)
    assert not actions.is_overdue(None, "", today)


async def test_an_overdue_recommendation_shows_in_the_workspace(folder, store) -> None:
    rid = bundle.import_file(store, SAMPLE)  # due dates 2025-11-30 onwards: none overdue yet
    rec = store.rows(m.Recommendation, rid)[1]
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await wait_for_screen(pilot, app, "WorkspaceScreen")
        screen = app.screen
        assert "OVERDUE" not in text_of(screen.query_one("#alerts", Static))
        # Past its due date and not done: highlighted when the workspace shows again.
        store.update(m.Recommendation, rec.id, due=FIXED_TODAY - dt.timedelta(days=3))
        screen.refresh_stages()
        await pilot.pause()
        alerts = text_of(screen.query_one("#alerts", Static))
        assert "Recommendation OVERDUE by 3 days" in alerts
        assert "pattern and hypothesis" in alerts and "Head of Service, Front Door" in alerts
        table = screen.query_one("#stages", DataTable)
        assert "1 OVERDUE" in str(table.get_row("recommendations")[1])
        # Several overdue: one line with the count, so the workspace stays readable.
        other = store.rows(m.Recommendation, rid)[0]
        store.update(m.Recommendation, other.id, due=FIXED_TODAY - dt.timedelta(days=10))
        screen.refresh_stages()
        await pilot.pause()
        alerts = text_of(screen.query_one("#alerts", Static))
        assert "2 recommendations OVERDUE (the oldest by 10 days)" in alerts
        store.update(m.Recommendation, other.id, due=None)
        # Marked done: no longer overdue.
        store.update(m.Recommendation, rec.id, status="Completed – form live 1 Sept")
        screen.refresh_stages()
        await pilot.pause()
        assert "OVERDUE" not in text_of(screen.query_one("#alerts", Static))


async def test_recommendation_screen_overdue_progress_and_impact(folder, store) -> None:
    from reviewer_tui.screens.actions import RecommendationBox, RecommendationsScreen

    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(RecommendationsScreen(rid))
        await pilot.pause()
        screen = app.screen
        assert len(screen.query(RecommendationBox)) == len(store.rows(m.Recommendation, rid)) == 4
        screen.action_add_recommendation()
        await pilot.pause()
        box = list(screen.query(RecommendationBox))[-1]
        assert store.get(m.Recommendation, box.recommendation_id).key == "rec-5"
        # the box is titled as it mounts: a loaded machine draws it after the pause above
        await wait_until(
            pilot, lambda: box.border_title == "Recommendation 5", what="the new box's title"
        )
        field_widget(box, "action", TextArea).text = "Audit return home interviews."
        field_widget(box, "owner", Input).value = "Service Manager"
        field_widget(box, "due", Input).value = "2025-08-15"
        await pilot.pause()
        assert "OVERDUE" in text_of(box.query_one(".due-status", Static))
        assert box.has_class("is-overdue")
        assert "1 OVERDUE" in text_of(screen.query_one("#plan-summary", Static))
        field_widget(box, "status", Input).value = "Completed – audit reported"
        await pilot.pause()
        status = text_of(box.query_one(".due-status", Static))
        assert "OVERDUE" not in status and "record the impact" in status
        field_widget(box, "impact", TextArea).text = "Nine in ten offered a choice of how to talk."
        await pilot.pause()
        assert "record the impact" not in text_of(box.query_one(".due-status", Static))
        # A dated progress note: the notes, below the fields, are built as reached (Tab).
        box.query_one("#progress-stub-" + str(box.recommendation_id)).focus()
        await wait_until(pilot, lambda: box.query(".add-note"), what="the progress notes")
        box.query_one(".add-note").press()
        await wait_until(  # the new note's text box takes the keyboard once mounted
            pilot,
            lambda: (
                isinstance(app.focused, TextArea) and app.focused in box.query(".note TextArea")
            ),
            what="the new note's text focused",
        )
        note_area = box.query(".note TextArea").last()
        note_area.text = "Audit of 20 cases under way."
        await pilot.pause()
        # Link a finding through the dialog.
        box.query_one(".link-findings").press()
        await pilot.pause()
        from textual.widgets import SelectionList

        f2 = next(f for f in store.rows(m.Finding, rid) if f.key == "f-2")
        app.screen.query_one(SelectionList).select(f2.id)
        app.screen.action_done()
        await pilot.pause()
        links = text_of(box.query_one(".links", Static))
        assert "2. The Front Door screened" in links and "f-2" not in links  # ids are never shown
        # Deleting one renumbers the rest.
        first = list(screen.query(RecommendationBox))[0]
        deleted_key = store.get(m.Recommendation, first.recommendation_id).key
        first.query_one(".delete-recommendation").press()
        await wait_until(pilot, lambda: box.border_title == "Recommendation 4")
        assert len(screen.query(RecommendationBox)) == 4
        assert deleted_key not in [r.key for r in store.rows(m.Recommendation, rid)]
        # Closing steps with dates.
        field_widget(screen.query_one("#part-closing"), "finalised_on", Input).value = "2025-10-10"
        await pilot.pause()
    row = store.get(m.Recommendation, box.recommendation_id)
    assert (row.action, row.owner, row.due, row.impact) == (
        "Audit return home interviews.",
        "Service Manager",
        dt.date(2025, 8, 15),
        "Nine in ten offered a choice of how to talk.",
    )
    notes = actions.progress_notes(store, row.id)
    assert [(n.date, n.note) for n in notes] == [(FIXED_TODAY, "Audit of 20 cases under way.")]
    assert actions.recommendation_links(store, row.id) == ([f2.id], [])
    assert store.get(m.ClosingSteps, rid).finalised_on == dt.date(2025, 10, 10)
    exported = bundle.export_bundle(store, rid)
    assert exported["recommendations"][-1]["finding_ids"] == ["f-2"]
    assert exported["recommendations"][-1]["progress"] == [
        {"date": FIXED_TODAY.isoformat(), "note": "Audit of 20 cases under way."}
    ]


async def test_an_escalation_not_yet_advised_shows_on_the_review_list_until_advised(
    folder, store
) -> None:
    from reviewer_tui.screens.actions import EscalationBox

    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        table = app.screen.query_one("#reviews", DataTable)
        assert "escalation" not in str(table.get_row_at(0)[0])
        await pilot.press("enter")
        await wait_for_screen(pilot, app, "WorkspaceScreen")
        await pilot.press("e")
        await wait_for_screen(pilot, app, "EscalationsScreen")
        screen = app.screen
        await screen.action_add("safeguarding concern")
        await pilot.pause()
        box = screen.query_one(EscalationBox)
        field_widget(box, "summary", TextArea).text = "A sibling disclosed a new injury; referred."
        await pilot.pause()
        assert "NOT YET ADVISED" in text_of(box.query_one(".advised-status", Static))
        stored = store.rows(m.Escalation, rid)[0]
        assert (stored.kind, stored.raised_on) == ("safeguarding concern", FIXED_TODAY.isoformat())

        await pilot.press("escape")  # workspace
        await wait_for_screen(pilot, app, "WorkspaceScreen")
        assert "NOT YET ADVISED" in text_of(app.screen.query_one("#alerts", Static))
        await pilot.press("escape")  # review list
        await wait_for_screen(pilot, app, "ReviewListScreen")
        table = app.screen.query_one("#reviews", DataTable)
        assert "escalation not yet advised" in str(table.get_row_at(0)[0])

        # Advise the commissioner: the warning goes away everywhere.
        await pilot.press("enter")
        await wait_for_screen(pilot, app, "WorkspaceScreen")
        await pilot.press("e")
        await wait_for_screen(pilot, app, "EscalationsScreen")
        box = app.screen.query_one(EscalationBox)
        field_widget(box, "advised_commissioner_on", Input).value = "not a date"
        await pilot.pause()
        assert "NOT SAVED" in text_of(app.screen.query_one("SaveIndicator"))
        field_widget(box, "advised_commissioner_on", Input).value = "2025-09-01 16:05"
        await pilot.pause()
        assert "advised 2025-09-01 16:05" in text_of(box.query_one(".advised-status", Static))
        await pilot.press("escape")
        await wait_for_screen(pilot, app, "WorkspaceScreen")
        assert "NOT YET ADVISED" not in text_of(app.screen.query_one("#alerts", Static))
        await pilot.press("escape")
        await wait_for_screen(pilot, app, "ReviewListScreen")
        table = app.screen.query_one("#reviews", DataTable)
        assert "escalation" not in str(table.get_row_at(0)[0])
    assert store.rows(m.Escalation, rid)[0].advised_commissioner_on == "2025-09-01T16:05"
    exported = bundle.export_bundle(store, rid)
    bundle.validate(exported)
    assert exported["escalations"][0]["kind"] == "safeguarding concern"


async def test_family_ladder_history_and_limiting_factors(folder, store) -> None:
    from reviewer_tui.screens.family import ContactBox, ContactStub, FactorsBox, FamilyScreen

    def contacts_shown(screen: Any) -> list[int]:
        """The contacts' ids as the screen lists them, each a box or (below the view) a stub."""
        return [
            w.contact_id if isinstance(w, ContactBox) else w.row_id
            for w in screen.query("ContactBox, ContactStub")
        ]

    rid = bundle.import_file(store, SAMPLE)
    assert actions.current_level(store, rid) == 7
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(FamilyScreen(rid))
        await pilot.pause()
        screen = app.screen
        summary = text_of(screen.query_one("#family-summary", Static))
        assert "Current level: 7." in summary and "last reconsidered 28 Jul 2025" in summary
        assert contacts_shown(screen) == [c.id for c in actions.contacts(store, rid)]
        # Two 26-line boxes start within the 40 lines; the others wait below as stubs.
        assert len(screen.query(ContactBox)) == 2 and len(screen.query(ContactStub)) == 2
        assert not screen.query(FactorsBox) and screen.query("#part-factors-stub")
        screen.action_add_contact()
        await pilot.pause()
        box = list(screen.query(ContactBox))[-1]
        # The sample's last contact is 2 Oct 2025; this one comes after it.
        field_widget(box, "date", Input).value = "2025-10-20"
        field_widget(box, "action", Input).value = "Executive summary given"
        field_widget(box, "level").value = 8
        member = box.query(".member").first(Checkbox)
        member.value = True
        await pilot.pause()
        assert "Current level: 8." in text_of(screen.query_one("#family-summary", Static))
        await screen.action_reconsider()  # the limiting factors' part built to add to
        await pilot.pause()
        factors = list(screen.query(FactorsBox))[-1]
        factors.query(".factor").first(Checkbox).value = True
        await pilot.pause()
        summary = text_of(screen.query_one("#family-summary", Static))
        assert (
            "last reconsidered 1 Sept 2025" in summary or "last reconsidered 1 Sep 2025" in summary
        )
        assert "1 applies" in summary
        # Deleting the newest contact takes the current level back to 7.
        box.query_one(".delete-contact").press()
        await wait_until(
            pilot,
            lambda: "Current level: 7." in text_of(screen.query_one("#family-summary", Static)),
        )
        assert contacts_shown(screen) == [c.id for c in actions.contacts(store, rid)]
        assert len(contacts_shown(screen)) == 4
        screen.action_add_contact()
        await pilot.pause()
        box = list(screen.query(ContactBox))[-1]
        field_widget(box, "date", Input).value = "2025-10-20"
        field_widget(box, "action", Input).value = "Executive summary given"
        field_widget(box, "level").value = 8
        box.query(".member").first(Checkbox).value = True
        await wait_until(  # four saves, each with its own message: wait for the last
            pilot,
            lambda: (
                actions.contacts(store, rid)[-1].action == "Executive summary given"
                and actions.contacts(store, rid)[-1].member_ids
            ),
            what="the new contact's four fields to be saved",
        )
    history = actions.contacts(store, rid)
    assert (history[-1].date, history[-1].level, history[-1].action) == (
        dt.date(2025, 10, 20),
        8,
        "Executive summary given",
    )
    assert len(history[-1].member_ids) == 1
    last = actions.last_reconsidered(store, rid)
    assert (last.date, last.factors) == (FIXED_TODAY, ["criminal_investigation_or_prosecution"])
    bundle.validate(bundle.export_bundle(store, rid))


async def test_family_contacts_below_the_view_are_built_as_they_are_reached(folder, store) -> None:
    """The contacts below the first screenful, and the limiting factors under them, are stubs
    until reached: by Tab (the stub's box is built with the focus in its first field, and the
    stubs a screen below it once the view has scrolled), or by moving to the next part. Each
    is built from the record as stored then."""
    from reviewer_tui.screens.family import ContactBox, ContactStub, FactorsBox, FamilyScreen
    from reviewer_tui.screens.forms import StageBody

    rid = bundle.import_file(store, SAMPLE)
    last = actions.contacts(store, rid)[-1]
    store.update(m.FamilyContact, last.id, action="Changed [/] after the list was read")
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(FamilyScreen(rid))
        await pilot.pause()
        screen = app.screen
        stubs = list(screen.query(ContactStub))
        assert [s.row_id for s in stubs] == [c.id for c in actions.contacts(store, rid)[2:]]
        assert "Changed [/] after the list was read" in str(stubs[-1].render())
        store.update(m.FamilyContact, last.id, action="Changed again before it was built")

        # Tab from the delete button of the last box built: into the first stub's date field
        boxes = list(screen.query(ContactBox))
        boxes[-1].query_one(".delete-contact").focus()
        await pilot.press("tab")

        def focused_contact() -> int | None:
            focused = app.focused
            if focused is None or focused.id != "f-date":
                return None
            box = next((a for a in focused.ancestors if isinstance(a, ContactBox)), None)
            return box.contact_id if box is not None else None

        await wait_until(
            pilot, lambda: focused_contact() == stubs[0].row_id, what="the stub built by Tab"
        )

        # the next part: the limiting factors, built with the contact between
        await pilot.press("ctrl+down")
        await wait_until(pilot, lambda: screen.query(FactorsBox), what="the factors built")
        await wait_until(pilot, lambda: not screen.query(ContactStub), what="every contact built")
        built = {box.contact_id: box for box in screen.query(ContactBox)}
        assert field_widget(built[last.id], "action", Input).value == (
            "Changed again before it was built"
        )
        assert screen.query_one(StageBody).scroll_y > 0
        assert not screen.query("#part-factors-stub")


def test_rows_just_added_in_the_app_export_as_a_valid_bundle(store) -> None:
    from reviewer_tui import findings, meeting

    rid = store.create_review("R", "internal case review", "concern")
    findings.add_finding(store, rid)
    rec = actions.add_recommendation(store, rid)
    actions.add_progress_note(store, rec, dt.date(2025, 1, 1))
    actions.add_escalation(store, rid, "conduct or capability issue", "2025-01-01 09:30")
    actions.add_contact(store, rid, dt.date(2025, 1, 1), 3)
    actions.reconsider_factors(store, rid, dt.date(2025, 1, 2))
    meeting.tick_next_step(store, rid, "1", True)
    exported = bundle.export_bundle(store, rid)
    bundle.validate(exported)  # raises on any schema or reference problem
    assert exported["findings"] == [{"id": "f-1", "statement": ""}]
    assert exported["recommendations"][0]["progress"] == [{"date": "2025-01-01", "note": ""}]
    assert exported["escalations"][0]["raised_on"] == "2025-01-01T09:30"
    assert exported["limiting_factors_reviews"] == [{"date": "2025-01-02", "factors": []}]
    again = bundle.import_bundle(store, exported)
    assert bundle.export_bundle(store, again)["findings"] == exported["findings"]
