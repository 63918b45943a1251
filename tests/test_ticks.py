"""A compact tick box is made compact without the styling passes Textual's `compact=True`
costs before the box is even mounted (screens/ticks.py)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.widgets import Input

from reviewer_tui.screens.text import literal
from reviewer_tui.screens.ticks import TickBox


async def test_a_compact_tick_box_is_compact_and_styled_once_as_it_mounts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    restyled: list[Any] = []
    original = DOMNode.update_node_styles

    def recording(self: DOMNode, *args: Any, **kwargs: Any) -> None:
        restyled.append(self)
        original(self, *args, **kwargs)

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            monkeypatch.setattr(DOMNode, "update_node_styles", recording)
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
