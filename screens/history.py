"""The change history of one item or of the whole review (issue 15 item 2), and the question a
signed record asks before it is changed (item 3).

F3 (binding id "history", also in the command palette) opens the history of the item the focused
field belongs to (a finding, an interview record, a chronology entry...), or of the whole review
where no item is focused. Each change is told in words, newest first; Enter (or r) puts back the
value the field had before the selected change, and the restore is itself recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reviewer_tui import history
from reviewer_tui.errors import InputError, Locked
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.dialogs import TextPrompt

REASON_WARNING = (
    "Your change is kept in the history with this reason, and the record shows as changed "
    "after signing until it is signed again. Cancel leaves it as it was."
)


def reason_prompt(question: str) -> TextPrompt:
    """The one dialog asking why a signed (agreed, final, confirmed) record is being changed."""
    return TextPrompt(question, "Reason for the change", warning=REASON_WARNING)


def ask_reason(app: App[Any], refused: Locked, answered: Callable[[str | None], None]) -> None:
    """Ask for the reason `refused` wants; `answered` gets it, or None when cancelled."""
    app.push_screen(reason_prompt(refused.question), answered)


class HistoryScreen(ReviewScreen[bool]):
    """What changed, when, and why; dismisses with True if a value was restored (the screen
    below then shows the stored values again)."""

    DEFAULT_CSS = """
    HistoryScreen #history-title { text-style: bold; padding: 0 1; }
    HistoryScreen #history-help { color: $text-muted; padding: 0 1; }
    HistoryScreen OptionList { height: 1fr; }
    HistoryScreen #history-status { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("enter,r", "restore", "Restore earlier value", id="history-restore"),
        Binding("escape", "back", "Back", id="history-back"),
    ]

    def __init__(self, review_id: int, table: str | None = None, item_id: int | None = None):
        super().__init__()
        self.review_id = review_id
        self.table = table
        self.item_id = item_id
        self.restored = False
        self.restored_items: set[tuple[str, int]] = set()  # (table, row id) given an earlier value
        self.changes: list[history.Change] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="history-title", markup=False)
        yield Static(
            "Newest first. Enter puts back the value from before the selected change.",
            id="history-help",
            markup=False,
        )
        yield OptionList(id="history-list")
        yield Static("", id="history-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    def _load(self) -> None:
        self.changes = history.history_of(self.store, self.review_id, self.table, self.item_id)
        listing = self.query_one(OptionList)
        listing.clear_options()
        if self.table is not None and self.item_id is not None:
            from reviewer_tui.read_model import reading

            with reading(self.store.folder) as conn:
                name = history.item_name(conn, self.table, self.item_id)
            title = f"History of {name}"
        else:
            title = "History of the review"
        self.query_one("#history-title", Static).update(
            Text(f"{title}: {len(self.changes)} change{'s' if len(self.changes) != 1 else ''}")
        )
        for change in self.changes:
            line = Text(f"{change.when}  ", style="bold")
            line.append(change.words)  # the reviewer's words: plain text, never markup
            listing.add_option(Option(line, id=str(change.id)))
        if not self.changes:
            listing.add_option(Option(Text("Nothing has been changed yet."), disabled=True))
        else:
            listing.highlighted = 0
        listing.focus()

    def _status(self, text: str) -> None:
        self.query_one("#history-status", Static).update(Text(text))

    def action_restore(self) -> None:
        listing = self.query_one(OptionList)
        index = listing.highlighted
        if index is None or not self.changes or index >= len(self.changes):
            self._status("Choose a change first.")
            return
        self._restore(self.changes[index])

    def _restore(self, change: history.Change, reason: str = "") -> None:
        try:
            value = history.restore(self.store, change.id, reason)
        except Locked as refused:

            def answered(given: str | None) -> None:
                if given:
                    self._restore(change, given)
                else:
                    self._status("Nothing was restored: no reason was given.")

            ask_reason(self.app, refused, answered)
            return
        except InputError as exc:
            self._status(f"NOT RESTORED: {exc}")
            return
        self.restored = True
        self.restored_items.add((change.table, change.item_id))
        self._load()
        self._status(f"{change.item}, {change.field}: restored to {history.show(value)}.")

    def action_back(self) -> None:
        self.dismiss(self.restored)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_restore()


# A screen showing one item, by the attribute naming it: its history is that item's.
ITEM_OF_SCREEN = (
    ("interview_id", "interview"),
    ("entry_id", "chronology_entry"),
    ("draft_id", "report_draft"),
    ("finding_id", "finding"),
    ("recommendation_id", "recommendation"),
    ("person_id", "person"),
)


def open_history(app: App[Any]) -> None:
    """F3: the history of the focused item (the row its field belongs to, else the item the
    screen shows), or of the whole review."""
    from reviewer_tui.screens.forms import recovery_owner

    screen = app.screen
    if isinstance(screen, HistoryScreen):
        return
    review_id = next(
        (
            s.review_id
            for s in reversed(app.screen_stack)
            if isinstance(getattr(s, "review_id", None), int)
        ),
        None,
    )
    if review_id is None:
        app.notify("Open a review first: its history is kept with it.")
        return
    focused = app.focused
    owner = recovery_owner(focused) if focused is not None else None
    if owner is None or owner[0] in history.NOT_CONTENT:
        owner = next(
            (
                (table, getattr(screen, name))
                for name, table in ITEM_OF_SCREEN
                if isinstance(getattr(screen, name, None), int)
            ),
            None,
        )

    table, item_id = owner if owner is not None else (None, None)
    shown = HistoryScreen(review_id, table, item_id)

    def back(restored: bool | None) -> None:
        if restored:
            show_stored(screen, shown.restored_items)

    app.push_screen(shown, back)


def show_stored(screen: Any, items: set[tuple[str, int]]) -> None:
    """After a restore, the screen below shows the stored values of the items restored: its
    fields of those rows are read again (no save follows), and a screen with its own editor
    (the notes) reloads it."""
    from reviewer_tui.screens.forms import FieldEditor, recovery_owner

    reload = getattr(screen, "reload_stored", None)
    if callable(reload):
        reload()
    models = history.models_by_table()
    for editor in screen.query(FieldEditor).results(FieldEditor):
        owner = recovery_owner(editor)
        if owner in items and owner[0] in models:
            try:
                row = screen.app.store.get(models[owner[0]], owner[1])
            except InputError:
                continue
            editor.show_stored(getattr(row, editor.spec.name))
