"""Tick boxes and delete buttons are made ticked, compact, of their variant... with their classes
already on: Textual styles such a widget as each class goes on, before it is even mounted, where
the mount styles it anyway (screens/ticks.py, screens/deleting.py, base.made_compact)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.widgets import Input

from reviewer_tui.screens.text import literal
from reviewer_tui.screens.ticks import TickBox


def _recorder(monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], Callable[[], None]]:
    """The widgets restyled (DOMNode.update_node_styles) once `start()` is called: called from
    a test app's compose, so what its widgets cost as they are made and mounted is seen."""
    restyled: list[Any] = []
    original = DOMNode.update_node_styles

    def recording(self: DOMNode, *args: Any, **kwargs: Any) -> None:
        restyled.append(self)
        original(self, *args, **kwargs)

    def start() -> None:
        monkeypatch.setattr(DOMNode, "update_node_styles", recording)

    return restyled, start


async def test_a_compact_tick_box_is_compact_and_styled_once_as_it_mounts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    restyled, start_recording = _recorder(monkeypatch)

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            start_recording()
            yield Input(id="first")  # takes the focus (a focus restyles what takes it)
            yield TickBox(literal("Ticked [b]and[/b] compact"), True, id="a", compact=True)
            yield TickBox("Plain", False, id="b")

    app = Host()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        ticked = app.query_one("#a", TickBox)
        plain = app.query_one("#b", TickBox)
        assert ticked.compact and ticked.has_class("-textual-compact") and ticked.value
        assert not plain.compact and not plain.has_class("-textual-compact")
        assert ticked not in restyled and plain not in restyled  # styled by the mount alone
        assert "[X] Ticked [b]and[/b] compact" in str(ticked.render())  # text, not markup
        await pilot.click("#b")
        await pilot.pause()
        assert plain.value and "[X] Plain" in str(plain.render())


async def test_a_delete_button_is_styled_once_as_it_mounts(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Button

    from reviewer_tui.screens.deleting import DeleteButton

    restyled, start_recording = _recorder(monkeypatch)

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            start_recording()
            yield Input(id="first")
            yield DeleteButton("Delete", id="a", variant="error")
            yield DeleteButton("✕", id="b", compact=True)
            yield Button("Textual's", id="c", variant="error")

    app = Host()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        error, compact, theirs = (app.query_one(f"#{n}", Button) for n in "abc")
        assert error.variant == "error" and {"-error", "-style-default"} <= error.classes
        assert compact.compact and compact.has_class("-textual-compact")
        assert not (set(error.classes) ^ set(theirs.classes))  # as Textual's own has them
        assert error not in restyled and compact not in restyled
        assert theirs in restyled  # (what Textual's costs)
