"""The one way a screen deletes what the reviewer wrote (issue 11, item 4), over
reviewer_tui.deletion.

Keys: Delete or ctrl+d deletes the highlighted item, ctrl+z puts the last one back. They belong to
the list (a table's rows, or a box's Delete button), never to the screen: in a text field those
keys edit the text. Every deletion says "Deleted <what>. ctrl+z to undo." and can be undone until
the screen is left. In a list of boxes, the deleted box is replaced by an Undo button holding its
place (Enter or ctrl+z on it). Deleting a whole review cannot be undone: ConfirmDelete asks first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Button
from textual.widgets.button import ButtonVariant

from reviewer_tui import deletion
from reviewer_tui.screens.base import ReviewerNode, made_compact, store_of
from reviewer_tui.screens.forms import save_with_feedback
from reviewer_tui.screens.table import Table
from reviewer_tui.screens.text import literal

DELETE_KEYS = "delete,ctrl+d"
UNDO_KEY = "ctrl+z"


def deleted_message(what: str) -> str:
    return f"Deleted {what}. {UNDO_KEY} to undo."


class DeleteButton(Button):
    """A box's Delete button: Enter, a click, Delete or ctrl+d while it has the focus."""

    BINDINGS = [Binding(DELETE_KEYS, "press", "Delete", id="row-delete")]

    def __init__(
        self,
        label: str = "",
        variant: ButtonVariant = "default",
        *,
        classes: str | None = None,
        compact: bool = False,
        **kwargs: Any,
    ) -> None:
        # The classes Textual's Button sets as it is made (its style, its variant, compact),
        # given first: set then, each styled the button before it was even mounted, one button
        # a row of every list (fifteen passes to open the agency codes)
        given = (classes or "", "-style-default", f"-{variant}")
        super().__init__(label, variant, classes=" ".join(c for c in given if c), **kwargs)
        if compact:
            made_compact(self)


class ListTable(Table[str]):
    """A table of deletable rows: Delete or ctrl+d deletes the highlighted one (the screen's
    `delete` action), ctrl+z puts the last back (its `undo` action)."""

    BINDINGS = [
        Binding(DELETE_KEYS, "screen.delete", "Delete", id="list-delete"),
        Binding(UNDO_KEY, "screen.undo", "Undo delete", id="list-undo"),
    ]


class UndoButton(ReviewerNode, Button):
    """Holds the place of a deleted box until it is put back or the screen is left."""

    BINDINGS = [Binding(UNDO_KEY, "press", "Undo delete", id="row-undo")]
    DEFAULT_CSS = "UndoButton { width: 1fr; margin: 0 0 1 0; }"

    def __init__(
        self,
        token: deletion.Deleted,
        what: str,
        rebuild: Callable[[], Widget],
        changed: Callable[[], Any] | None = None,
    ) -> None:
        super().__init__(
            literal(f"Deleted {what}. Enter or {UNDO_KEY} puts it back."),
            classes="undo-delete",
            variant="warning",
        )
        self.token = token
        self.what = what
        self.rebuild = rebuild
        self.changed = changed

    async def _on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button is not self:
            return
        event.stop()
        store = self.store
        if not save_with_feedback(self, "Undo", lambda: deletion.undo(store, self.token)):
            return
        box = self.rebuild()
        parent = self.parent
        assert isinstance(parent, Widget)
        await parent.mount(box, before=self)
        await self.remove()
        box.scroll_visible()
        if self.changed is not None:
            self.changed()
        self.app.notify(f"Put back {self.what}.", markup=False)


async def delete_box(
    box: Widget,
    model: Any,
    row_id: int,
    what: str,
    rebuild: Callable[[], Widget],
    changed: Callable[[], Any] | None = None,
) -> bool:
    """Delete the row a box shows; an Undo button takes the box's place and the focus."""
    store = store_of(box)
    done: list[deletion.Deleted] = []
    if not save_with_feedback(
        box, f"Delete {what}", lambda: done.append(deletion.delete(store, model, row_id))
    ):
        return False
    parent = box.parent
    assert isinstance(parent, Widget)
    undo = UndoButton(done[0], what, rebuild, changed)
    await parent.mount(undo, before=box)
    await box.remove()
    undo.focus()
    undo.call_after_refresh(undo.focus)  # removing the focused box moves the focus on first
    if changed is not None:
        changed()
    box.app.notify(deleted_message(what), markup=False, timeout=8)
    return True


class Deletions:
    """The deletions made from a list on one screen, put back last first with ctrl+z while the
    screen is open."""

    def __init__(self, screen: Widget) -> None:
        self.screen = screen
        self.done: list[tuple[deletion.Deleted, str, Callable[[deletion.Deleted], Any]]] = []

    def delete(
        self, model: Any, row_id: int, what: str, put_back: Callable[[deletion.Deleted], Any]
    ) -> deletion.Deleted | None:
        """Delete one row; `put_back` redraws the list after it is undone."""
        store = store_of(self.screen)
        done: list[deletion.Deleted] = []
        if not save_with_feedback(
            self.screen,
            f"Delete {what}",
            lambda: done.append(deletion.delete(store, model, row_id)),
        ):
            return None
        self.done.append((done[0], what, put_back))
        self.screen.app.notify(deleted_message(what), markup=False, timeout=8)
        return done[0]

    async def undo(self) -> None:
        if not self.done:
            self.screen.app.notify("Nothing to undo.")
            return
        token, what, put_back = self.done[-1]
        store = store_of(self.screen)
        if save_with_feedback(self.screen, "Undo", lambda: deletion.undo(store, token)):
            self.done.pop()
            result = put_back(token)
            if isinstance(result, Awaitable):
                await result
            self.screen.app.notify(f"Put back {what}.", markup=False)


__all__ = [
    "DELETE_KEYS",
    "UNDO_KEY",
    "DeleteButton",
    "Deletions",
    "ListTable",
    "UndoButton",
    "delete_box",
    "deleted_message",
]
