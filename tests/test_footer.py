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
        for target in ("#b", "#a", "#b"):
            # The same keys are not rebuilt on a move of focus: forget them, so they are
            app.screen.query_one(Footer)._composed = None
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


class _Toggled(Screen[None]):
    """A key shown only while `armed`: a change of what the footer shows."""

    BINDINGS = [
        Binding("f1", "noop1", "Always"),
        Binding("f2", "fire", "Fire"),
        Binding("f3", "focus_b", "Into b"),
    ]
    armed = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.armed if action == "fire" else True

    def action_focus_b(self) -> None:
        self.query_one("#b").focus()

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield _Armed(id="b")
        yield Footer()


class _Armed(Input):
    BINDINGS = [Binding("f4", "noop4", "Only in b")]


class _Covering(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Input()


def _shown(screen: Screen[Any]) -> list[str]:
    """What the keys on show say (a key the footer no longer needs is hidden, kept for later)."""
    return [key.description for key in screen.query(FooterKey) if key.description and key.display]


async def test_footer_keys_are_kept_and_changed_only_when_what_they_show_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual rebuilt a screen's footer when another screen covered it, again when it was
    shown, and on every move of focus (a covered workspace's footer and its layout were most of
    the cost of opening any screen; 17 keys rebuilt on every move between the chronology's table
    and its search box). Now only a change in what the keys show touches them, and only the
    difference is built: the keys on show are kept and re-labelled. A change made while covered
    shows when the screen is on top again."""
    made: list[FooterKey] = []
    original = FooterKey.__init__

    def recording(self: FooterKey, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        original(self, *args, **kwargs)

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(_Toggled())

    app = Host()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, _Toggled)
        monkeypatch.setattr(FooterKey, "__init__", recording)
        assert "Fire" not in _shown(screen)
        first = list(screen.query(FooterKey))

        await app.push_screen(_Covering())  # covered and shown again, nothing changed
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        await pilot.pause()
        screen.query_one("#a").focus()  # focus moves, the same keys
        await pilot.pause()
        await pilot.pause()
        assert made == []
        assert list(screen.query(FooterKey)) == first

        await app.push_screen(_Covering())  # changed while covered: not changed yet
        screen.armed = True
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert made == []
        assert "Fire" not in _shown(screen)
        app.pop_screen()  # ...but as soon as it is on top again
        await pilot.pause()
        await pilot.pause()
        assert _shown(screen)[:3] == ["Always", "Fire", "Into b"]
        assert len(made) == 1  # one key more; the others kept, re-labelled where they moved
        assert set(first) <= set(screen.query(FooterKey))

        await pilot.press("f3")  # focus into a field with its own key: the key is shown
        await pilot.pause()
        await pilot.pause()
        assert "Only in b" in _shown(screen)
        assert len(made) == 2

        screen.query_one("#a").focus()  # ...and goes when the focus leaves it
        await pilot.pause()
        await pilot.pause()
        assert "Only in b" not in _shown(screen)
        assert _shown(screen)[:3] == ["Always", "Fire", "Into b"]
        assert len(made) == 2
        assert set(first) <= set(screen.query(FooterKey))


class _Grouped(Screen[None]):
    """Keys in a group (as the workspace's stages), and one shown disabled until `armed`."""

    GROUP = Binding.Group("Stages")
    BINDINGS = [
        Binding("f1", "noop1", "One", group=GROUP),
        Binding("f2", "noop2", "Two", group=GROUP),
        Binding("f5", "fire", "Fire"),
    ]
    armed = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return (True if self.armed else None) if action == "fire" else True

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Footer()


async def test_footer_keys_in_a_group_and_disabled_keys_are_shown_as_textual_shows_them() -> None:
    """Keys changed in place (a key enabled beside a group) come out as Textual's own footer
    builds them, and are the same widgets."""
    from textual.widgets import Footer as TextualFooter

    def described(screen: Screen[Any]) -> list[tuple[str, str, str, bool, str, str]]:
        return [
            (
                key.key,
                key.key_display,
                key.description,
                key._disabled,
                str(key.tooltip or ""),
                " ".join(sorted(key.classes)),
            )
            for key in screen.query(FooterKey)
        ]

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(_Grouped())

    class Theirs(_Grouped):
        def compose(self) -> ComposeResult:
            yield Input(id="a")
            yield TextualFooter()

    app = Host()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        await pilot.pause()
        ours = app.screen
        assert isinstance(ours, _Grouped)
        before = described(ours)
        kept = list(ours.query(FooterKey))
        ours.armed = True
        ours.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        after = described(ours)
        theirs = Theirs()
        theirs.armed = True
        await app.push_screen(theirs)
        await pilot.pause()
        await pilot.pause()
        assert after == described(theirs)
        assert before != after
        assert list(ours.query(FooterKey)) == kept
        assert [str(label.render()) for label in ours.query("FooterLabel")] == ["Stages"]
