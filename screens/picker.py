"""Ticking items from a list that can be very long (a chronology of 10,000 entries).

A SelectionList lays out every option (each label wrapped) before its first frame: 10,000
chronology entries took over 10 s. Up to SHOWN items a `Picker` is that list, as before. Longer,
it shows a box to type words in and at most SHOWN items: those ticked first, then those whose
label has every word typed, in the list's order. What is ticked is kept while the words change.

The items may be a lazy sequence (findings.ChronologyEvidence labels an entry as it is read): with
their `values` given, the picker reads the label only of an item it shows, and of every item only
once words are typed to find one.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from reviewer_tui.screens.base import ReviewerNode
from reviewer_tui.screens.ticks import TickList

# Items in the list at once: a list this long is read by scrolling, a longer one searched. Each is
# wrapped and measured as the list is laid out (three times as a dialog opens, about half a
# millisecond each for a chronology entry): 200 took some 300 ms of opening the evidence dialog,
# 50 (three screens of the list) take a quarter of it.
SHOWN = 50


class PickList(TickList):
    """The picker's list, its height measured once for its items at a width: Textual's
    OptionList measures every item (each label wrapped) on each layout pass, six as a dialog
    opens, so 200 chronology entries wrapped some 1,200 times, most of opening the dialog. The
    picker replaces the items (never a prompt in place), so the same items at the same width
    have the same height."""

    _measured: tuple[int, list[Any], int] | None = None  # width, the items measured, the height

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        options = self.options
        measured = self._measured
        if (
            measured is not None
            and measured[0] == width
            and len(measured[1]) == len(options)
            and all(a is b for a, b in zip(measured[1], options, strict=True))
        ):
            return measured[2]
        height = super().get_content_height(container, viewport, width)
        self._measured = (width, list(options), height)
        return height


class Picker(ReviewerNode, Vertical):
    """Items (label, value) to tick; `picked()` is every value ticked, shown or not. A label
    given as `str` is plain text, shown exactly (never markup), made into Content only when
    it is shown: a list of 10,000 builds at most SHOWN."""

    DEFAULT_CSS = """
    Picker { height: auto; }
    Picker > .picker-count { color: $text-muted; }
    """

    def __init__(
        self,
        items: Sequence[tuple[Content | str, Hashable]],
        chosen: set[Any],
        list_id: str | None = None,
        values: Sequence[Hashable] | None = None,
    ) -> None:
        """`values`, when given, is the value of each item in order (so no label is read to
        know what is ticked)."""
        super().__init__()
        self.items = items
        self._values = list(values) if values is not None else [value for _, value in items]
        self._ticked = {value for value in self._values if value in chosen}
        self._shown: list[Hashable] = []
        self._list_id = list_id
        self._words: list[str] = []
        self._plain: list[str | None] = [None] * len(self._values) if self.long else []

    @property
    def long(self) -> bool:
        return len(self._values) > SHOWN

    def _matches(self, index: int) -> bool:
        """Whether item `index` has every word typed (its label read, and kept, only now)."""
        if not self._words:
            return True
        plain = self._plain[index]
        if plain is None:
            label = self.items[index][0]
            plain = (label if isinstance(label, str) else label.plain).casefold()
            self._plain[index] = plain
        return all(word in plain for word in self._words)

    def compose(self) -> ComposeResult:
        if self.long:
            yield Input(
                placeholder=f"Type words to find one of the {len(self._values):,} items",
                id="picker-find",
                compact=True,
            )
            yield Static("", classes="picker-count", markup=False)
        yield PickList(*self._selections(), id=self._list_id)

    def on_mount(self) -> None:
        self._count()

    def _selections(self) -> list[Selection[Any]]:
        if not self.long:
            chosen = list(self.items)
        else:
            ticked = [i for i, value in enumerate(self._values) if value in self._ticked]
            found: list[int] = []
            room = SHOWN - len(ticked)  # the first that match, up to SHOWN in all
            for i, value in enumerate(self._values):
                if len(found) >= room:
                    break
                if value not in self._ticked and self._matches(i):
                    found.append(i)
            chosen = [self.items[i] for i in ticked + found]
        self._shown = [value for _, value in chosen]
        return [
            Selection(
                Content(label) if isinstance(label, str) else label, value, value in self._ticked
            )
            for label, value in chosen
        ]

    def _count(self) -> None:
        if not self.long:
            return
        matching = (
            sum(
                1
                for i, value in enumerate(self._values)
                if value in self._ticked or self._matches(i)
            )
            if self._words
            else len(self._values)
        )
        shown = len(self._shown)
        text = f"{len(self._ticked)} ticked. Showing {shown:,} of {matching:,}"
        text += " matching." if self._words else " items."
        if shown < matching:
            text += " Type words to narrow the list."
        self.query_one(".picker-count", Static).update(text)

    def _fold(self) -> None:
        """What is ticked on screen now, into what is kept."""
        selected = set(self.query_one(SelectionList).selected)
        self._ticked = (self._ticked - set(self._shown)) | selected

    def picked(self) -> set[Any]:
        self._fold()
        return set(self._ticked)

    @on(Input.Changed, "#picker-find")
    def _find(self, event: Input.Changed) -> None:
        event.stop()
        self._fold()
        self._words = event.value.casefold().split()
        ticks = self.query_one(SelectionList)
        ticks.clear_options()
        ticks.add_options(self._selections())
        self._count()


__all__ = ["SHOWN", "Picker"]
