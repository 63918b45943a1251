"""F1: the keys of the screen underneath and of the whole app."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def key_lines(node: Any, app: Any) -> list[str]:
    lines = []
    for bindings in node._bindings.key_to_bindings.values():
        for b in bindings:
            if b.description:
                lines.append(f"  {app.get_key_display(b):<12} {b.description}")
    return lines


class HelpScreen(ModalScreen[None]):
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
        text = ["[b]Keys on this screen[/b]", *key_lines(self.underneath, self.app), "",
                "[b]Everywhere[/b]", *key_lines(self.app, self.app),
                "  ctrl+p       Command palette: every action above by name", "",
                "Tab and shift+tab move between fields. Every change is saved as you type;",
                "there is no Save button. Esc goes back a screen.", "",
                "Press Esc to close this help."]
        with VerticalScroll():
            yield Static("\n".join(text), markup=True)

    def action_close(self) -> None:
        self.dismiss()
