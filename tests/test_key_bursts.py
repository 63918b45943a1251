"""Keys that reach the app together (a fast typist, a loaded machine, a slow link: the terminal
hands over several keys in one read) go where the same keys pressed one at a time go. Tab moved
the focus only once it had gone up to the app, after the keys behind it had already been handed
to the field it was leaving: "14/03/2024", Tab, "POL" put "14/03/2024POL" in the date field.
Each test types its keys both ways and expects the same."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.widgets import Input

from reviewer_tui import chronology as ch
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from tests.conftest import eventually, make_app, wait_until
from tests.test_chronology_screen import form_values, open_quick_entry


async def _type(pilot: Any, burst: bool, *keys: str) -> None:
    """Press `keys` one at a time, or queue them all at once as the terminal driver queues
    the keys of one read."""
    if not burst:
        await pilot.press(*keys)
        return
    app = pilot.app
    for key in keys:
        character = {"tab": "\t", "space": " "}.get(key, key if len(key) == 1 else None)
        event = events.Key("space" if key == " " else key, character)
        event.set_sender(app)
        app._driver.send_message(event)


@pytest.mark.parametrize("burst", [False, True], ids=["one-at-a-time", "in-one-burst"])
async def test_keys_after_tab_go_to_the_next_field_of_the_quick_entry(
    store: Store, folder: Any, burst: bool
) -> None:
    rid = store.create_review("Bursts", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_quick_entry(pilot, rid)
        assert app.focused is form.query_one("#qe-when", Input)
        await _type(
            pilot, burst, *"14/03/2024", "tab", *"POL", "tab", *"Home visit", "shift+tab", "tab"
        )
        await eventually(pilot, lambda: ch.draft(store, rid).get("event") == "Home visit")
        assert ch.draft(store, rid) == {
            "when": "14/03/2024",
            "source": "POL",
            "event": "Home visit",
        }
        assert form_values(form, "when", "source", "event") == {
            "when": "14/03/2024",
            "source": "POL",
            "event": "Home visit",
        }
        assert app.focused is form.query_one("#qe-event", Input)


@pytest.mark.parametrize("burst", [False, True], ids=["one-at-a-time", "in-one-burst"])
async def test_keys_for_a_field_left_before_its_editor_was_ready_are_still_its_own(
    store: Store, folder: Any, burst: bool
) -> None:
    """The next field is its face until reached, and holds the keys typed on it while its editor
    is built. Shift+tab in the same burst moved the focus on before that: the keys it held were
    lost. They are typed into its editor as on the editor reached by Tab (which selects its
    text as it takes the focus, so the first key replaces it)."""
    rid = store.create_review("Bursts", "internal case review", "concern")
    store.update(m.Review, rid, child_pseudonym="Old")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await at_the_childs_name(pilot, rid)
        await _type(pilot, burst, *"Child R", "tab", *"Rowan", "shift+tab", *" (age 4)")
        expected = (" (age 4)", "Rowan", "")
        await eventually(pilot, lambda: the_child_and_agency(store, rid) == expected)
        assert the_child_and_agency(store, rid) == expected
        assert app.focused is field_input(app, "child_name")


def field_input(app: Any, name: str) -> Input:
    return app.screen.query_one(f"#f-{name}", Input)


async def at_the_childs_name(pilot: Any, review_id: int) -> dict[str, Any]:
    """The commissioning form open, its fields' faces by name, the child's name's editor
    focused (the fields after it still faces)."""
    from reviewer_tui.screens.commissioning import CommissioningScreen
    from reviewer_tui.screens.forms import FieldEditor

    app = pilot.app
    await app.push_screen(CommissioningScreen(review_id))
    await pilot.pause()
    faces = {f.spec.name: f for f in app.screen.query(FieldEditor)}
    assert not faces["child_pseudonym"].built and not faces["agency"].built
    faces["child_name"].focus()
    await wait_until(pilot, lambda: isinstance(app.focused, Input), what="an editor")
    return faces


def the_child_and_agency(store: Store, review_id: int) -> tuple[str, str, str]:
    """The child's name and pseudonym and the agency, as stored."""
    review = store.get(m.Review, review_id)
    return review.child_name, review.child_pseudonym, review.agency


@pytest.mark.parametrize("burst", [False, True], ids=["one-at-a-time", "in-one-burst"])
async def test_tab_held_down_walks_the_fields_still_to_be_built(
    store: Store, folder: Any, burst: bool
) -> None:
    """Tab pressed on a field whose editor is on the way moves on once it is built: moved at
    once, the focus went from a face Textual no longer counted as focusable to the first widget
    of the screen, and the keys after it with it."""
    rid = store.create_review("Bursts", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await at_the_childs_name(pilot, rid)
        await _type(pilot, burst, "tab", "tab", *"Agency X", "shift+tab", *"Y")
        expected = ("", "Y", "Agency X")
        await eventually(pilot, lambda: the_child_and_agency(store, rid) == expected)
        assert the_child_and_agency(store, rid) == expected
        assert app.focused is field_input(app, "child_pseudonym")


async def test_tab_on_a_field_still_building_its_editor_waits_for_it(
    store: Store, folder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor of the field reached is slow to be ready (a loaded machine): Tab and the keys
    after it wait for it, then go on to the next field."""
    import asyncio

    from reviewer_tui.screens.forms import FieldEditor

    ready = asyncio.Event()
    real_ready = FieldEditor.on_field_editor_face_ready

    async def slow_ready(self: FieldEditor, event: FieldEditor.FaceReady) -> None:
        if self.spec.name == "child_pseudonym":
            await ready.wait()
        real_ready(self, event)

    monkeypatch.setattr(FieldEditor, "on_field_editor_face_ready", slow_ready)
    rid = store.create_review("Bursts", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        faces = await at_the_childs_name(pilot, rid)
        await _type(pilot, True, *"Child R", "tab", *"Rowan")
        pseudonym = faces["child_pseudonym"]
        for _ in range(100):  # the face has the focus and is building its editor
            if pseudonym.built and len(pseudonym._held) == len("Rowan"):
                break
            await asyncio.sleep(0.01)
        assert app.focused is pseudonym and pseudonym.built
        await _type(pilot, True, "tab", *"Agency X")
        await asyncio.sleep(0.1)
        ready.set()

        expected = ("Child R", "Rowan", "Agency X")
        await eventually(pilot, lambda: the_child_and_agency(store, rid) == expected)
        assert the_child_and_agency(store, rid) == expected
        assert app.focused is field_input(app, "agency")
