"""The footer is rebuilt on every change of focus or bindings: its keys must not each be restyled
as they mount (Textual's own footer restyled every key twice: a third of a screen's opening)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from reviewer_tui.screens.base import Footer

SCREENS = Path(__file__).resolve().parents[1] / "screens"


class _Keys(Screen[None]):
    BINDINGS = [Binding(f"f{n}", f"noop{n}", f"Action {n}") for n in range(1, 11)]

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Input(id="b")
        yield Footer()


class _Host(App[None]):
    def on_mount(self) -> None:
        self.push_screen(_Keys())


async def test_footer_keys_are_not_restyled_as_the_footer_is_rebuilt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    restyled: list[Any] = []
    original = DOMNode.update_node_styles

    def recording(self: DOMNode, *args: Any, **kwargs: Any) -> None:
        restyled.append(self)
        original(self, *args, **kwargs)

    app = _Host()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(DOMNode, "update_node_styles", recording)
        for target in ("#b", "#a", "#b"):  # each focus change rebuilds the footer
            app.screen.query_one(target).focus()
            await pilot.pause()
            await pilot.pause()
        keys = list(app.screen.query(FooterKey))
    assert len(keys) >= 10  # the footer was built, with its keys
    bound = [
        n for n in restyled if isinstance(n, FooterKey) and not n.has_class("-command-palette")
    ]
    assert bound == []  # (the palette's own key keeps Textual's way: one key, one pass)


def test_every_screen_uses_the_apps_footer() -> None:
    """One footer: a screen importing Textual's own would restyle each key again."""
    offenders = []
    for path in sorted(SCREENS.glob("*.py")):
        if path.name == "base.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
                if any(alias.name == "Footer" for alias in node.names):
                    offenders.append(path.name)
    assert offenders == []


async def test_a_pushed_screen_is_not_restyled_whole_after_it_mounts(
    folder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual styles a screen as it mounts, then again on its first Resize (the width's
    breakpoint class) and its first ScreenResume: the app gives the class before it mounts and
    skips that first resume's pass."""
    from reviewer_tui.screens.base import ReviewScreen
    from tests.conftest import make_app

    class Fields(ReviewScreen[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="a")
            yield Footer()

    restyled: list[Any] = []
    original = DOMNode.update_node_styles

    def recording(self: DOMNode, *args: Any, **kwargs: Any) -> None:
        restyled.append(self)
        original(self, *args, **kwargs)

    app = make_app(folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(DOMNode, "update_node_styles", recording)
        screen = Fields()
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.pause()
        assert screen.has_class("-roomy")
        assert screen not in restyled
