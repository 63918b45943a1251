"""F1: the keys of the screen underneath and of the whole app."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from reviewer_tui.screens.base import ReviewModal


def keyed_actions(node: Any, app: Any) -> list[tuple[Any, str, str, list[str]]]:
    """(node, action, description, keys shown) for every described binding of `node`, all the
    keys of one action together ("ctrl+↓ / f8"). For a screen, the bindings that belong to its
    widgets (such as Delete on the records list) follow, marked with where they work."""
    found: dict[tuple[int, str], tuple[Any, str, str, list[str]]] = {}

    def add(owner: Any, suffix: str = "", screen_only: bool = False) -> None:
        bindings_map = owner._bindings.copy()
        if app._keymap:  # the reviewer's own keys (keymap.json), as Textual applies them
            bindings_map.apply_keymap(app._keymap)
        for bindings in bindings_map.key_to_bindings.values():
            for b in bindings:
                # a widget's own keys (moving in a list) are not listed; those that act on the
                # screen from the widget (Delete on the records list) are
                if not b.description or (screen_only and not b.action.startswith("screen.")):
                    continue
                entry = found.setdefault(
                    (id(owner), b.action), (owner, b.action, b.description + suffix, [])
                )
                entry[3].append(app.get_key_display(b))

    add(node)
    if isinstance(node, Screen):
        seen: set[type] = set()
        for widget in node.query("*"):
            cls = type(widget)
            if cls in seen or not cls.__module__.startswith("reviewer_tui"):
                continue
            seen.add(cls)
            if any(
                "BINDINGS" in c.__dict__ and c.__module__.startswith("reviewer_tui")
                for c in cls.__mro__
            ):
                add(widget, " (in the list)" if widget.can_focus else "", screen_only=True)
    return list(found.values())


def key_lines(node: Any, app: Any) -> list[str]:
    return [
        f"  {' / '.join(keys):<16} {description}"
        for _, _, description, keys in keyed_actions(node, app)
    ]


class HelpScreen(ReviewModal[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,f1,q", "close", "Close help", id="help-close")]

    def __init__(self, underneath: Screen[Any]) -> None:
        super().__init__()
        self.underneath = underneath

    def compose(self) -> ComposeResult:
        text = [
            "[b]Keys on this screen[/b]",
            *key_lines(self.underneath, self.app),
            "",
            "[b]Everywhere[/b]",
            *key_lines(self.app, self.app),
            "  ctrl+p           Command palette: every action above by name",
            "",
            "Tab and shift+tab move between fields. Every change is saved as you type;",
            "there is no Save button. Esc goes back a screen.",
            "The keys above never change what you typed: they work the same while you type.",
            "A single letter key acts only when no text field has the focus.",
            "",
            "Press Esc to close this help.",
        ]
        with VerticalScroll():
            yield Static("\n".join(text), markup=True)

    def action_close(self) -> None:
        self.dismiss()
