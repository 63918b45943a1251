"""The home screen: every review, its stage and how long is left."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich._wrap import divide_line
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from reviewer_tui import domain, read_model
from reviewer_tui.errors import StorageError
from reviewer_tui.reviews import ReviewSummary
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.table import Table
from reviewer_tui.screens.text import cell

COLUMNS = ("Title", "Kind", "Criterion", "Stage", "Commissioned", "Target", "Time left")
ALWAYS = ("Stage", "Target", "Time left")
OPTIONAL = ("Kind", "Criterion", "Commissioned")  # in this order, while the title keeps its room
MIN_TITLE = 36
SCROLLBAR = 2


def title_height(title: Text, width: int, console: Console) -> int:
    """The lines `title` takes in a column `width` cells wide, as the table would draw it
    (`Text.wrap`): each line of text, wrapped at the places Rich's own wrapping chooses
    (`divide_line`), counted without building the wrapped Text of each line (most of the cost of
    filling the list, as titles carrying their attention phrases wrap). A line no wider than the
    column is one line: divide_line breaks only before a word that would end past the width."""
    plain = title.plain
    if "\t" in plain or title.no_wrap:  # tabs are expanded first: leave those to Rich
        return max(1, len(title.wrap(console, width)))
    fold = (title.overflow or "fold") == "fold"
    return sum(
        1 if cell_len(line) <= width else len(divide_line(line, width, fold=fold)) + 1
        for line in plain.split("\n")
    )


class ReviewListScreen(ReviewScreen[None]):
    """All reviews in the data folder. Archived ones are hidden until asked for."""

    AUTO_FOCUS = "#reviews"  # focused as it opens, before its first frame (base.py)

    # Inline rather than CSS_PATH: as the app's default screen its stylesheet must load with the app.
    DEFAULT_CSS = """
    ReviewListScreen #list-caption { padding: 0 1; color: $text-muted; }
    ReviewListScreen #reviews { height: 1fr; }
    ReviewListScreen #empty-hint { padding: 1 2; color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("n", "new_review", "New review", id="review-new"),
        Binding("enter", "open_review", "Open", id="review-open"),
        Binding("r", "rename_review", "Rename", id="review-rename"),
        Binding("a", "archive_review", "Archive/restore", id="review-archive"),
        Binding("d", "delete_review", "Delete", id="review-delete"),
        Binding("delete,ctrl+d", "delete_review", "Delete", show=False, id="review-delete-key"),
        Binding("h", "toggle_archived", "Show archived", id="review-show-archived"),
        Binding("o", "open_pack", "Open a note-taker pack", id="review-open-pack"),
    ]

    show_archived: reactive[bool] = reactive(False)
    """Whether archived reviews are listed (dimmed) below the active ones."""

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[ReviewSummary] = []
        self.last_problem = ""  # why the last change was NOT SAVED
        self._rows: list[read_model.ReviewRow] = []  # the last read, laid out again on resize
        self._layout: tuple[object, ...] = ()  # what the table was last filled with
        self._filled_from: tuple[object, ...] = ()  # the read, day, width and choice behind it
        self._reads = 0  # reads made: which one the table was filled from
        self._fresh = False  # read on mount: the first ScreenResume need not read again

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="list-caption")
        table: Table[str] = Table(id="reviews", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="empty-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self._fresh = True

    def on_resize(self) -> None:
        """Lay the last read out again for the new width: no new read, and nothing at all when
        the columns come out the same (a start sends the screen three Resizes of the size it
        already has)."""
        self._fill()

    def _columns(self, rows: list[tuple[str, ...]]) -> list[tuple[str, int]]:
        """(name, width) of the columns that fit: Stage, Target and Time left always, Kind,
        Criterion and Commissioned while the title keeps MIN_TITLE columns; the title takes the
        rest and wraps."""
        table = self.query_one("#reviews", DataTable)
        widths = {
            name: max([len(name), *(len(line) for r in rows for line in r[i].split("\n"))])
            for i, name in enumerate(COLUMNS)
            if name != "Title"
        }
        pad = 2 * table.cell_padding
        free = (table.size.width or self.app.size.width) - SCROLLBAR - pad  # the title's own pad
        free -= sum(widths[name] + pad for name in ALWAYS)
        shown = set(ALWAYS)
        longest = max((len(line) for r in rows for line in r[0].split("\n")), default=0)
        for name in OPTIONAL:
            if free - (widths[name] + pad) >= min(MIN_TITLE, longest):
                free -= widths[name] + pad
                shown.add(name)
        return [("Title", max(free, 10))] + [(n, widths[n]) for n in COLUMNS if n in shown]

    def on_screen_resume(self) -> None:
        if self._fresh:  # the first show, right after on_mount read the list
            self._fresh = False
            return
        self.refresh_list()

    def refresh_list(self, select_id: int | None = None) -> None:
        """Read every review again and show it (after any change, and on coming back)."""
        self._fresh = False
        today = self.app.today()
        early, self.app.early_list = self.app.early_list, None
        rows = early.take(today) if early is not None else None
        if rows is None:
            try:
                rows = read_model.review_list(self.app.folder, today)
            except StorageError as exc:  # the quick_check after the first frame failed
                self.app.refuse_damaged_file(exc)
                rows = []
        self._rows = rows
        self._reads += 1
        self.summaries = [r.summary for r in self._rows]
        self._fill(select_id, force=True)

    def _fill(self, select_id: int | None = None, force: bool = False) -> bool:
        """Lay the last read out in the table; False when it already showed exactly that."""
        today = self.app.today()
        rows = self._rows
        table = self.query_one("#reviews", DataTable)
        # The same read laid out for the same day, width and choice of archived ones comes out
        # the same: the Resize events of a start (same size) need not rebuild every cell to see it
        source = (self._reads, today, table.size.width or self.app.size.width, self.show_archived)
        if not force and source == self._filled_from:
            return False
        self._filled_from = source
        shown = [r for r in rows if self.show_archived or not r.summary.archived]
        cells: list[tuple[str, ...]] = []
        for row in shown:
            s = row.summary
            title = s.title + (" (archived)" if s.archived else "")
            phrases = row.attention.phrases()
            if phrases:
                # on lines of their own, under the title
                title = "⚠ " + "\n  ".join([title, *phrases])
            cells.append(
                (
                    title,
                    s.kind_name,
                    s.criterion,
                    s.stage,
                    domain.format_date(s.commissioned_on),
                    domain.format_date(s.target),
                    s.time_left(today),
                )
            )
        columns = self._columns(cells)
        layout = (tuple(columns), tuple(cells), tuple(r.summary.id for r in shown))
        if not force and layout == self._layout:
            return False
        self._layout = layout
        previous = self.selected()
        table.clear(columns=True)
        for name, width in columns:
            table.add_column(name, width=width, key=name)
        title_width = columns[0][1]
        for row, values in zip(shown, cells, strict=True):
            by_name = dict(zip(COLUMNS, values, strict=True))
            title_cell = cell(by_name["Title"])
            table.add_row(
                title_cell,
                *(cell(by_name[name]) for name, _ in columns[1:]),
                key=str(row.summary.id),
                # A title longer than its column wraps. Its height is counted here, from the
                # title alone (every other cell is one line): height=None would have the table
                # render every cell of every row before the first frame.
                height=title_height(title_cell, title_width, self.app.console),
            )
        wanted = select_id or (previous.id if previous else None)
        for index, row in enumerate(shown):
            if row.summary.id == wanted:
                table.move_cursor(row=index)
        archived = sum(s.archived for s in self.summaries)
        caption = f"{len(shown)} review{'s' if len(shown) != 1 else ''}"
        if archived and not self.show_archived:
            caption += f" ({archived} archived, hidden: press h to show)"
        self.query_one("#list-caption", Static).update(caption)
        self.query_one("#empty-hint", Static).update(
            ""
            if shown
            else "No reviews yet. Press n to start one, or run `reviewer-tui --demo` "
            "to explore the public sample review."
        )
        return True

    def saved(self, action: Callable[[], object]) -> bool:
        """Run one change; a refusal or a failed save is shown, never a crash."""
        from reviewer_tui.screens.forms import save_failure_reason

        try:
            action()
        except Exception as exc:
            reason = save_failure_reason(exc)
            if reason is None:
                raise
            self.last_problem = reason
            self.notify(f"NOT SAVED: {reason}", severity="error", timeout=10)
            return False
        return True

    def selected(self) -> ReviewSummary | None:
        table = self.query_one("#reviews", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((s for s in self.summaries if str(s.id) == key), None)

    def watch_show_archived(self) -> None:
        if self.is_mounted:
            self.refresh_list()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_review()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived

    def action_new_review(self) -> None:
        from reviewer_tui.screens.dialogs import NewReviewDialog

        def created(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            created: list[int] = []
            if not self.saved(lambda: created.append(self.store.create_review(**values))):
                return
            review_id = created[0]
            self.refresh_list(select_id=review_id)
            self.open_review(review_id)

        self.app.push_screen(NewReviewDialog(), created)

    def open_review(self, review_id: int) -> None:
        from reviewer_tui import packs
        from reviewer_tui.screens.workspace import WorkspaceScreen

        held = packs.pack_interview(self.store, review_id)
        if held is not None:  # a note-taker pack opens on its notes, not on the workspace
            from reviewer_tui.screens.packs import PackScreen

            self.app.push_screen(PackScreen(held))
            return
        self.app.push_screen(WorkspaceScreen(review_id))

    def action_open_pack(self) -> None:
        """On the note taker's laptop: open a pack the reviewer made and type the notes."""
        from pathlib import Path

        from reviewer_tui import packs
        from reviewer_tui.screens.dialogs import TextPrompt
        from reviewer_tui.screens.packs import PackScreen, attempt

        def chosen(path: str | None) -> None:
            if not path:
                return
            held: list[int] = []
            if attempt(self, "Pack", lambda: held.append(packs.open_pack(self.store, Path(path)))):
                self.refresh_list()
                self.app.push_screen(PackScreen(held[0]))

        self.app.push_screen(
            TextPrompt("Open a note-taker pack", "The pack file the reviewer gave you", ""), chosen
        )

    def action_open_review(self) -> None:
        summary = self.selected()
        if summary:
            self.open_review(summary.id)

    def action_rename_review(self) -> None:
        from reviewer_tui.screens.dialogs import TextPrompt

        summary = self.selected()
        if summary is None:
            return

        def renamed(title: str | None) -> None:
            if title is None:
                return
            if not self.saved(lambda: self.store.rename(summary.id, title)):
                # The dialog held the only copy of the title: bring it back rather than drop it.
                self.app.push_screen(
                    TextPrompt(
                        "Rename review",
                        "New title",
                        title,
                        problem=f"NOT SAVED: {self.last_problem}. Your title is still here: try again, "
                        "or Cancel to drop it.",
                    ),
                    renamed,
                )
                return
            self.refresh_list()

        self.app.push_screen(TextPrompt("Rename review", "New title", summary.title), renamed)

    def action_archive_review(self) -> None:
        summary = self.selected()
        if summary is None:
            return
        if not self.saved(lambda: self.store.archive(summary.id, not summary.archived)):
            return
        self.notify(f"{'Restored' if summary.archived else 'Archived'}: {summary.title}")
        self.refresh_list()

    def action_delete_review(self) -> None:
        from reviewer_tui.screens.dialogs import ConfirmDelete

        summary = self.selected()
        if summary is None:
            return

        def confirmed(typed: str | None) -> None:
            if typed is None:
                return
            if not self.saved(lambda: self.store.delete_review(summary.id, typed)):
                return
            self.notify(f"Deleted: {summary.title}")
            self.refresh_list()

        self.app.push_screen(ConfirmDelete(summary.title), confirmed)
