"""The recommendations screen on a long plan: what it builds does not grow with the plan or the
chronology. A box is some eighty widgets, so a long plan builds the first box and one widget
(a stub) for each later recommendation, and a stub becomes its box when it comes into view or
takes the focus; the boxes label their links from the entries linked, never the whole
chronology."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from reviewer_tui import actions, bundle, findings
from reviewer_tui import models as m
from reviewer_tui.screens.forms import field_widget
from tests.conftest import SAMPLE, make_app, wait_until

MORE = 30  # recommendations added to the sample's four


def test_chronology_labels_reads_only_the_entries_named(store) -> None:
    rid = bundle.import_file(store, SAMPLE)
    other = bundle.import_file(store, SAMPLE)
    entries = store.rows(m.ChronologyEntry, rid)
    foreign = store.rows(m.ChronologyEntry, other)[0]
    named = [entries[2].id, entries[0].id, foreign.id, 10**9]
    labels = actions.chronology_labels(store, rid, named)
    # Each entry of this review, labelled as the evidence picker labels it; nothing else.
    assert labels == {e.id: findings.chronology_label(e) for e in (entries[0], entries[2])}
    assert actions.chronology_labels(store, rid, []) == {}


async def test_a_long_plan_builds_one_box_and_a_stub_per_later_recommendation(
    folder, store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer_tui.screens.actions import (
        RecommendationBox,
        RecommendationsScreen,
        RecommendationStub,
    )
    from reviewer_tui.screens.stubs import RUN_AFTER, WHOLE_LIST, StubRun

    rid = bundle.import_file(store, SAMPLE)
    for n in range(MORE):
        actions.add_recommendation(store, rid, action=f"Action number {n + 5}")
    total = len(store.rows(m.Recommendation, rid))
    assert total > WHOLE_LIST

    def whole_chronology(*args: object) -> object:
        raise AssertionError("the whole chronology was read to open the screen")

    monkeypatch.setattr(findings, "candidates", whole_chronology)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = RecommendationsScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.pause()
        boxes = list(screen.query(RecommendationBox))
        stubs = list(screen.query(RecommendationStub))
        # Built: what is in view (at most a few boxes), then a stub each for the next
        # RUN_AFTER, and one widget (a run) for the rest until the plan scrolls near it.
        assert 1 <= len(boxes) <= 3
        assert len(boxes) + len(stubs) == 1 + RUN_AFTER
        (run,) = screen.query(StubRun).results(StubRun)
        assert len(run.records) == total - 1 - RUN_AFTER
        # Every recommendation is numbered by its place, stub, box or run, and shows its action.
        places = list(screen.query(".recommendation"))
        assert [w.border_title for w in places] == [
            f"Recommendation {n}" for n in range(1, RUN_AFTER + 2)
        ]
        assert f"Recommendations {RUN_AFTER + 2} to {total}" in str(run.render())
        rows = store.rows(m.Recommendation, rid)
        assert rows[RUN_AFTER].action in str(stubs[-1].render())

        # The focus on a stub (Tab reaching it) builds its box and puts the keyboard in it.
        last = stubs[-1]
        last.focus()
        await wait_until(
            pilot,
            lambda: (
                bool(screen.query(f"#recommendation-{last.recommendation_id}.recommendation"))
                and not last.is_attached
            ),
            what="the focused stub's box",
        )
        box = screen.query_one(f"#recommendation-{last.recommendation_id}", RecommendationBox)
        await wait_until(
            pilot, lambda: isinstance(app.focused, TextArea) and box in app.focused.ancestors
        )
        assert box.border_title == f"Recommendation {RUN_AFTER + 1}"
        assert rows[RUN_AFTER].action == field_widget(box, "action", TextArea).text

        # The focus on the run (Tab reaching it): it becomes its stubs, and the first of them
        # its box, with the keyboard in it.
        run.focus()
        following = rows[RUN_AFTER + 1]
        await wait_until(
            pilot,
            lambda: (
                not run.is_attached
                and isinstance(app.focused, TextArea)
                and f"recommendation-{following.id}" in {a.id for a in app.focused.ancestors}
            ),
            what="the run's first recommendation built, with the keyboard in it",
        )
        built = screen.query_one(f"#recommendation-{following.id}", RecommendationBox)
        assert built.border_title == f"Recommendation {RUN_AFTER + 2}"
        titles = [w.border_title for w in screen.query(".recommendation")]
        assert titles == [f"Recommendation {n}" for n in range(1, len(titles) + 1)]

        # Scrolling a stub into view builds it too (the reviewer scrolls on until it is seen).
        middle = list(screen.query(RecommendationStub))[len(stubs) // 2]
        for _ in range(100):
            if not middle.is_attached:
                break
            middle.scroll_visible(animate=False, immediate=True)
            await pilot.pause(0.02)
        assert not middle.is_attached, "the stub scrolled into view was not built"
        assert screen.query(f"#recommendation-{middle.recommendation_id}").only_one(
            RecommendationBox
        )


async def test_the_closing_steps_below_a_long_plan_are_built_when_tabbed_to(folder, store) -> None:
    """Below a long plan the closing steps are one stub until wanted: the focus on it (Tab
    reaching it) builds the form from the record as stored then, with the keyboard in its first
    field, and every key typed there is saved."""
    import datetime as dt

    from textual.widgets import Input

    from reviewer_tui.screens.actions import RecommendationsScreen
    from reviewer_tui.screens.forms import ModelForm
    from reviewer_tui.screens.stubs import SectionStub

    rid = bundle.import_file(store, SAMPLE)
    for n in range(MORE):
        actions.add_recommendation(store, rid, action=f"Action number {n + 5}")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = RecommendationsScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        stub = screen.query_one("#part-closing SectionStub", SectionStub)
        assert not screen.query("#part-closing ModelForm")
        # Stored after the screen was drawn: the form shows it when built.
        store.update(m.ClosingSteps, rid, presented_to="Written after the screen opened")
        stub.focus()
        await wait_until(
            pilot,
            lambda: isinstance(app.focused, Input) and app.focused.id == "f-distribution_agreed_on",
            what="the closing steps built with the keyboard in their first field",
        )
        assert not stub.is_attached
        form = screen.query_one("#part-closing ModelForm", ModelForm)
        assert field_widget(form, "presented_to", Input).value == "Written after the screen opened"
        await pilot.press(*"2025-10-10")
        await wait_until(
            pilot,
            lambda: store.get(m.ClosingSteps, rid).distribution_agreed_on == dt.date(2025, 10, 10),
            what="every key typed saved",
        )


async def test_with_a_run_of_stubs_an_addition_is_numbered_last_and_a_search_finds_the_last(
    folder, store
) -> None:
    """A plan long enough to end in a run of stubs: a recommendation added goes after all the
    others (the run is made its stubs first), and a search hit on the last recommendation, held
    by the run, opens it with the match focused."""
    from reviewer_tui.screens.actions import RecommendationBox, RecommendationsScreen
    from reviewer_tui.screens.stubs import StubRun
    from reviewer_tui.screens.workspace import WorkspaceScreen
    from tests.test_search_screen import open_hit

    rid = bundle.import_file(store, SAMPLE)
    for n in range(MORE):
        actions.add_recommendation(store, rid, action=f"Action number {n + 5}")
    last = store.rows(m.Recommendation, rid)[-1]
    store.update(m.Recommendation, last.id, action="The last one, with a quince in it")
    total = len(store.rows(m.Recommendation, rid))
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        area = await open_hit(
            pilot, app, "quince", "recommendation", last.id, "action", RecommendationsScreen
        )
        assert f"recommendation-{last.id}" in {a.id for a in area.ancestors}
        screen = app.screen
        box = screen.query_one(f"#recommendation-{last.id}", RecommendationBox)
        assert box.border_title == f"Recommendation {total}"
        await app.workers.wait_for_complete()
        app.pop_screen()
        await pilot.pause()

        screen = RecommendationsScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.query(StubRun)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: len(store.rows(m.Recommendation, rid)) == total + 1)
        new = store.rows(m.Recommendation, rid)[-1]
        await wait_until(pilot, lambda: bool(screen.query(f"#recommendation-{new.id}")))
        assert not screen.query(StubRun)
        titles = [w.border_title for w in screen.query(".recommendation")]
        assert titles == [f"Recommendation {n}" for n in range(1, total + 2)]
        assert list(screen.query(".recommendation"))[-1].id == f"recommendation-{new.id}"
