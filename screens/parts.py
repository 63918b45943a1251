"""Layout pieces shared by the screens of stages 6-8, 11 and 12: a part with its reflective
prompts beside it (above it on a narrow terminal), and the hindsight reminder bar."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from reviewer_tui.meeting import HINDSIGHT_REMINDER
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.stubs import RevealsStubs, SectionStub, Stub, replace_stub
from reviewer_tui.screens.text import literal, markup

NARROW = 100  # below this many columns the prompts sit above each part instead of beside it

# Moving between parts, on every screen made of parts (after the screen's own keys, so the footer
# shows those first). No text field binds these keys: TextArea takes F6 to select a line and F7 to
# select everything, so F6 here let the next key replace a line of a meeting note.
PART_BINDINGS = [
    Binding("ctrl+down,f8", "next_part", "Next part", id="next-part"),
    Binding("ctrl+up,shift+f8", "previous_part", "Previous part", id="previous-part"),
]


class HindsightBar(Static):
    """The reminder about hindsight, always visible while the reviewer works on stages 6-8."""

    def __init__(self, text: str = HINDSIGHT_REMINDER, **kwargs: Any) -> None:
        super().__init__(literal("⚠ " + text), **kwargs)


class Part(Horizontal):
    """One part of a stage: its content, and its prompts beside it."""

    def __init__(
        self, title: str, guidance: str, prompts: Sequence[str], *children: Widget, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.border_title = literal(title)
        self._guidance = guidance
        self._prompts = prompts
        self._children = children

    def compose(self) -> ComposeResult:
        main = Vertical(classes="part-main")
        with main:
            if self._guidance:
                yield Static(literal(self._guidance), classes="guidance")
            yield from self._children
        if self._prompts:  # beside the part; above it on a narrow terminal (docked, parts.tcss)
            yield Static(prompt_text(self._prompts), classes="part-prompts")


def prompt_text(prompts: Iterable[str], title: str = "Prompts") -> Content:
    return markup("[b]$title[/b]\n", title=title) + literal("\n".join(f"• {p}" for p in prompts))


class PartStub(SectionStub):
    """A part not built yet (below a long one): its title in its place until it comes into view
    or takes the focus (stubs.py). Moving between parts counts it as the part it becomes."""


def _no_focus(_box: Widget) -> None:
    """A part built by moving to it: the mover focuses it."""


class NarrowAware(ReviewScreen[None], RevealsStubs):
    """Adds the `narrow` class under NARROW columns so prompts sit above their part, and moves
    between parts (next / previous part, with the keys of PART_BINDINGS), even parts with nothing
    to type in. A part can be a stub (PartStub): it is built as it comes into view, or when
    moved to."""

    _part_at = -1

    def _parts(self) -> list[Part | PartStub]:
        return [w for w in self.query("Part, PartStub") if isinstance(w, Part | PartStub)]

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for index, part in enumerate(self._parts()):
            if part in event.widget.ancestors_with_self:
                self._part_at = index

    async def go_to_part(self, index: int) -> None:
        parts = self._parts()
        if not parts:
            return
        index = max(0, min(index, len(parts) - 1))
        if isinstance(parts[index], PartStub):
            # Built here with every part after it, not by the stub's focus: the part is then
            # scrolled to the top of the view, which the short stubs below it would not allow.
            scroller = self.stub_scroller()
            for stub in parts[index:]:
                if isinstance(stub, PartStub):
                    await replace_stub(Stub.Wanted(stub, False), stub.build, scroller, _no_focus)
            parts = self._parts()
        part = parts[index]
        if isinstance(part, PartStub):
            return  # already being built as it came into view: the next press finds it
        first = next((w for w in part.query("*") if w.focusable), None)
        if first is not None:
            first.focus(scroll_visible=False)
        self._part_at = index
        part.scroll_visible(top=True, animate=False)

    async def action_next_part(self) -> None:
        await self.go_to_part(self._part_at + 1)

    async def action_previous_part(self) -> None:
        await self.go_to_part(self._part_at - 1)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "narrow")

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW, "narrow")
