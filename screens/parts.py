"""Layout pieces shared by the screens of stages 6-8, 11 and 12: a part with its reflective
prompts beside it (below it on a narrow terminal), and the hindsight reminder bar."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.markup import escape
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from reviewer_tui.meeting import HINDSIGHT_REMINDER

NARROW = 100  # below this many columns the prompts sit above each part instead of beside it



class HindsightBar(Static):
    """The reminder about hindsight, always visible while the reviewer works on stages 6-8."""

    def __init__(self, text: str = HINDSIGHT_REMINDER, **kwargs: Any) -> None:
        super().__init__("⚠ " + escape(text), **kwargs)


class Part(Horizontal):
    """One part of a stage: its content, and its prompts beside it."""

    def __init__(self, title: str, guidance: str, prompts: Sequence[str], *children: Widget,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.border_title = title
        self._guidance = guidance
        self._prompts = prompts
        self._children = children

    def compose(self) -> ComposeResult:
        main = Vertical(classes="part-main")
        with main:
            if self._guidance:
                yield Static(escape(self._guidance), classes="guidance")
            yield from self._children
        if self._prompts:
            yield Static(prompt_text(self._prompts), classes="part-prompts")


def prompt_text(prompts: Iterable[str], title: str = "Prompts") -> str:
    return f"[b]{title}[/b]\n" + "\n".join(f"• {escape(p)}" for p in prompts)


class NarrowAware(Screen[None]):
    """Adds the `narrow` class under NARROW columns so prompts sit below their part."""

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "narrow")

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW, "narrow")
