"""Returned drafts (from the report screen, ctrl+o): import a recipient's Word file into the draft
register, see the open items by section with their context, resolve each, and open the place in
the app where the record behind it is changed. The work is in reviewer_tui.reports.returned."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from reviewer_tui import domain
from reviewer_tui.errors import InputError
from reviewer_tui.reports import returned
from reviewer_tui.reviews import Store
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewModal, ReviewScreen
from reviewer_tui.screens.dialogs import DIALOG_CSS
from reviewer_tui.screens.forms import save_failure_reason
from reviewer_tui.screens.inputs import LeanSelect
from reviewer_tui.screens.table import Table
from reviewer_tui.screens.text import cell, literal

CSS = """
ReturnedDraftsScreen #returned-form { height: auto; padding: 0 1; }
ReturnedDraftsScreen #returned-form Input { width: 1fr; }
ReturnedDraftsScreen #returned-from { max-width: 24; }
ReturnedDraftsScreen #returned-form Button { min-width: 10; }
ReturnedDraftsScreen #returned-status { height: auto; padding: 0 1; }
ReturnedDraftsScreen #returned-status.problem { color: $error; text-style: bold; }
ReturnedDraftsScreen #open-items { height: 1fr; }
ReturnedDraftsScreen #returned-detail { height: auto; max-height: 6; padding: 0 1;
    border-top: solid $primary 40%; }
"""
SECTION_WIDTH = 22
ROW_CHARACTERS = 200  # a table cell is measured whole: a pasted page would slow every redraw
DETAIL_CHARACTERS = 600  # the detail shows six lines at most


def _short(text: str, limit: int = ROW_CHARACTERS) -> str:
    """Long text cut for display (the register keeps it whole)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ReturnedDraftsScreen(ReviewScreen[None]):
    """The returned-drafts part of the report: import, open items by section, resolve, go to."""

    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("escape", "back", "Report", id="stage-back"),
        Binding("ctrl+o", "import_file", "Import file", priority=True, id="returned-import"),
        Binding("ctrl+g", "go_to_record", "Go to record", priority=True, id="returned-go"),
        Binding("ctrl+r", "resolve", "Resolve", priority=True, id="returned-resolve"),
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        self.open: list[returned.OpenItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(
            "Import a returned Word file (any name); resolve each item before the final.",
            id="returned-intro",
        )
        with Horizontal(id="returned-form"):
            yield Input(placeholder="Returned Word file (.docx)", id="returned-file")
            yield Input(placeholder="From (optional)", id="returned-from")
            yield Button("Import", id="returned-import-button", variant="primary")
        yield Static("", id="returned-status")
        yield Table(id="open-items", cursor_type="row")
        yield Static("", id="returned-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#open-items", DataTable)
        table.add_column("Section", width=SECTION_WIDTH)
        table.add_column("Draft", width=5)
        table.add_column("From", width=14)
        table.add_column("Open item")
        self.refresh_items()
        self.query_one("#returned-file", Input).focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    def _show_detail(self) -> None:
        """The chosen item in full, wrapped: the table cuts long text at the screen's edge."""
        item = self._chosen()
        detail = self.query_one("#returned-detail", Static)
        if item is None:
            detail.update("")
            return
        by = f" by {item.author}" if item.author and item.author != item.recipient else ""
        detail.update(
            literal(
                f"{item.section} · draft {item.draft_version} · {item.recipient}{by}\n"
                f"{_short(item.context, DETAIL_CHARACTERS)}"
            )
        )

    def on_screen_resume(self) -> None:
        self.refresh_items()

    def refresh_items(self) -> None:
        table = self.query_one("#open-items", DataTable)
        table.clear()
        self.open = returned.open_items(self.store, self.review_id)
        shown = ""
        for item in self.open:
            section = item.section if item.section != shown else ""
            shown = item.section
            table.add_row(
                *map(cell, (section, item.draft_version, item.recipient, _short(item.context))),
                key=str(item.id),
            )
        self._show_detail()
        count = len(self.open)
        self._status(
            f"{count} open item{'s' if count != 1 else ''}: enter resolves the chosen one, "
            "ctrl+g opens where its record is changed."
            if count
            else "No open items from returned drafts."
        )

    def _status(self, text: str, problem: bool = False) -> None:
        status = self.query_one("#returned-status", Static)
        status.set_class(problem, "problem")
        status.update(literal(text))  # file names and recipients' words are never markup

    def _chosen(self) -> returned.OpenItem | None:
        table = self.query_one("#open-items", DataTable)
        if not self.open or table.cursor_row < 0 or table.cursor_row >= len(self.open):
            return None
        return self.open[table.cursor_row]

    # --- importing ------------------------------------------------------------------------------
    @on(Button.Pressed, "#returned-import-button")
    def _import_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_import_file()

    @on(Input.Submitted, "#returned-file")
    def _file_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_import_file()

    def action_import_file(self) -> None:
        text = self.query_one("#returned-file", Input).value.strip()
        if not text:
            self._status("Type the returned Word file's path first.", problem=True)
            self.query_one("#returned-file", Input).focus()
            return
        sender = self.query_one("#returned-from", Input).value
        self._status(f"Reading {Path(text).name}…")
        # The app and its store, found now: once the reviewer leaves the screen, the worker
        # thread can no longer find them through it, and the import goes on and says how it ended
        self._import(self.app, self.store, Path(text).expanduser(), sender)

    @work(thread=True, exclusive=True, group="returned-import", exit_on_error=False)
    def _import(self, app: App[object], store: Store, path: Path, sender: str) -> None:
        try:
            result = returned.import_returned(store, self.review_id, path, sender or None)
        except InputError as exc:  # a file that cannot be used: its one line says so
            app.call_from_thread(self._imported, str(exc), True)
            return
        except Exception as exc:  # noqa: BLE001 - said on the screen; the worker never exits the app
            # the data folder refused the import (read-only, full, failing): said, never silent
            reason = save_failure_reason(exc) or str(exc)
            app.call_from_thread(self._imported, f"NOT IMPORTED: {reason}", True)
            return
        app.call_from_thread(self._imported, result.line(path.name))

    def _imported(self, text: str, problem: bool = False) -> None:
        """How an import ended: on the screen, with its open items read again, and on the one
        the reviewer is on if they left."""
        if self.is_attached:
            if not problem:
                self.refresh_items()
                self.query_one("#open-items", DataTable).focus()
            self._status(text, problem)
        self.tell_if_away(text, problem)

    # --- resolving and going to the record ------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_resolve()

    def action_resolve(self) -> None:
        item = self._chosen()
        if item is None:
            self._status("No open item is chosen.", problem=True)
            return

        def done(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            try:
                returned.resolve(self.store, item.id, *answer)
            except InputError as exc:
                self._status(str(exc), problem=True)
                return
            self.refresh_items()

        self.app.push_screen(ResolveDialog(item), done)

    def action_go_to_record(self) -> None:
        from reviewer_tui.screens.workspace import stage_screen

        item = self._chosen()
        if item is None:
            self._status("No open item is chosen.", problem=True)
            return
        if item.stage == "report":
            self._status(f"'{item.section}' is written on the report screen itself.", problem=False)
            self.dismiss()
            return
        if item.stage == "chronology":  # the entry itself, when the words say which
            entry = returned.chronology_entry_for(self.store, self.review_id, item)
            if entry is not None:
                from reviewer_tui.screens.chronology import EntryScreen

                self.app.push_screen(EntryScreen(entry))
                return
        self.app.push_screen(stage_screen(item.stage)(self.review_id))

    def action_back(self) -> None:
        self.dismiss()


class ResolveDialog(ReviewModal[tuple[str, str] | None]):
    """Resolve one item: accepted, declined (with a reason) or changed differently (say how).
    Dismisses with (resolution, reason), or None when cancelled."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ResolveDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog-cancel")]

    def __init__(self, item: returned.OpenItem) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Resolve an item from a returned draft", classes="title")
            yield Static(
                literal(
                    f"{self.item.section} (draft {self.item.draft_version}, "
                    f"from {self.item.recipient})"
                ),
                classes="hint",
            )
            yield Static(literal(self.item.context))
            yield Label("Resolution")
            yield LeanSelect(
                [(returned.RESOLUTION_LABELS[r].capitalize(), r) for r in domain.DRAFT_RESOLUTIONS],
                value="accepted",
                allow_blank=False,
                id="resolution",
            )
            yield Label("Reason (needed to decline, or to say what was changed instead)")
            yield Input(id="reason")
            yield Static("", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Resolve", variant="primary", id="ok")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        resolution = str(self.query_one("#resolution", Select).value)
        reason = self.query_one("#reason", Input).value
        if resolution in ("declined", "changed") and not reason.strip():
            self.query_one(".error", Static).update(
                "Say why it is declined."
                if resolution == "declined"
                else "Say what was changed instead."
            )
            return
        self.dismiss((resolution, reason))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
