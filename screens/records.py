"""Stage 3, records examined (seed 000 section 4; report section 1.3): what was read or asked
for, and why anything was not available. A list of the records, and under it every field of the
highlighted one, saved as it is typed. Thin over reviewer_tui.records."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Static

from reviewer_tui import domain
from reviewer_tui import records as rec
from reviewer_tui.models import RecordExamined
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.deleting import DELETE_KEYS, UNDO_KEY, Deletions
from reviewer_tui.screens.forms import (
    YES_NO,
    FieldEditor,
    SaveIndicator,
    Spec,
    field_widget,
    save_with_feedback,
    stage_header,
)
from reviewer_tui.screens.table import Table
from reviewer_tui.screens.text import cell as literal_cell
from reviewer_tui.screens.text import literal

COLUMNS = (
    ("title", "Title"),
    ("kind", "Kind"),
    ("holder", "Held by"),
    ("date_read", "Read"),
    ("available", "Available"),
)


def record_specs(existing: list[Any]) -> tuple[Spec, ...]:
    return (
        Spec("title", "Title", help="What it is, as report section 1.3 lists it."),
        Spec("kind", "Kind", "choice", rec.kind_options(existing)),
        Spec("holder", "Held by"),
        Spec("date_read", "Date read", "date"),
        Spec("available", "Available to the review?", "choice", YES_NO),
        Spec("reason_unavailable", "If not available: why", "long"),
        Spec("notes", "Notes (not in the report)", "long"),
    )


def cell(record: Any, name: str) -> str:
    value = getattr(record, name)
    if name == "date_read":
        return domain.format_date(value) if value else ""
    if name == "available":
        return {True: "yes", False: "NO", None: ""}[value]
    return " ".join(str(value or "").split())


class RecordsTable(Table[str]):
    """The list of records. Deleting and undoing belong to the list, not the screen: in the
    form below, Delete, ctrl+d and ctrl+z edit the text of the focused field."""

    BINDINGS = [
        Binding(DELETE_KEYS, "screen.delete", "Delete record", id="records-delete"),
        Binding(UNDO_KEY, "screen.undo", "Undo delete", id="records-undo"),
    ]


class RecordsScreen(ReviewScreen[None]):
    AUTO_FOCUS = "#records"  # focused as it opens, before its first frame (base.py)
    CSS_PATH = "stage.tcss"
    DEFAULT_CSS = """
    RecordsScreen #records { height: 1fr; min-height: 5; max-height: 14; margin: 0 1; }
    RecordsScreen #record-form { height: 1fr; border-top: solid $primary 50%; padding: 0 1; }
    RecordsScreen #records-summary { padding: 0 1; height: auto; }
    RecordsScreen .stage-subtitle { padding-bottom: 0; }
    """
    BINDINGS = [
        Binding("ctrl+n", "add", "Add a record", id="records-add"),
        Binding("escape", "back", "Workspace", id="stage-back"),
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        self.shown_id: int | None = None
        self.wanted_id: int | None = None
        self._form_scheduled = False
        self._form_lock = asyncio.Lock()
        self._focus_title_next = False
        self.deletions = Deletions(self)
        self._read: list[Any] | None = None  # the records as last read (None: read again)

    def _records(self) -> list[Any]:
        """The review's records, read once per change rather than once per use (the list, the
        summary and each form's choice of kinds all show them)."""
        if self._read is None:
            self._read = rec.records(self.store, self.review_id)
        return self._read

    def compose(self) -> ComposeResult:
        yield Header()
        yield from stage_header(
            "3 Records examined",
            "Case records, manual files, policies and procedures read or asked for; anything not "
            "available, and why (report section 1.3).",
        )
        yield Static("", id="records-summary")
        table = RecordsTable(id="records", cursor_type="row", zebra_stripes=True)
        yield table
        # The first record's fields, highlighted as the list opens, are built with the screen:
        # built after its first frame, they laid it out and drew it twice more.
        records = self._records()
        first = records[0].id if records else None
        self.wanted_id = self.shown_id = first
        with VerticalScroll(id="record-form"):
            yield from self._form(first)
        yield SaveIndicator()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#records", DataTable)
        for name, label in COLUMNS:
            table.add_column(label, key=name, width=40 if name == "title" else None)
        self.fill(read=False)  # as read for the form

    # --- the list -----------------------------------------------------------------------------
    def fill(self, keep: int | None = None, read: bool = True) -> None:
        table = self.query_one("#records", DataTable)
        table.clear()
        if read:
            self._read = None  # added, deleted or put back: read again
        records = self._records()
        for record in records:
            table.add_row(*(literal_cell(cell(record, n)) for n, _ in COLUMNS), key=str(record.id))
        if keep is not None:
            index = next((i for i, r in enumerate(records) if r.id == keep), 0)
            table.move_cursor(row=index)
        self.refresh_summary()
        if not records and self.shown_id is not None:
            self.show_form(None)

    def refresh_summary(self) -> None:
        store = self.store
        count = len(self._records())
        self.query_one("#records-summary", Static).update(
            literal(
                (
                    f"{count} record{'s' if count != 1 else ''}: "
                    + rec.summary_line(rec.basis(store, self.review_id))
                    if count
                    else "No records yet."
                )
                + "  Ctrl+N adds one; Delete in the list removes the highlighted one, whose fields "
                "are below."
            )
        )

    @on(DataTable.RowHighlighted, "#records")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        record_id = int(str(event.row_key.value))
        if record_id != self.wanted_id:
            self.show_form(record_id)

    @on(DataTable.RowSelected, "#records")
    def _selected(self, event: DataTable.RowSelected) -> None:
        form = self.query_one("#record-form")
        if form.query(FieldEditor):
            field_widget(form, "title").focus()

    # --- the form -----------------------------------------------------------------------------
    def show_form(self, record_id: int | None) -> None:
        """Show the fields of `record_id` under the list. Requests made in quick succession
        (moving along the list) are folded into one rebuild, done after the current one."""
        self.wanted_id = record_id
        if not self._form_scheduled:
            self._form_scheduled = True
            self.call_after_refresh(self._build_form)

    async def _build_form(self) -> None:
        async with self._form_lock:
            self._form_scheduled = False
            record_id = self.wanted_id
            form = self.query_one("#record-form", VerticalScroll)
            await form.remove_children()
            self.shown_id = record_id
            await form.mount_all(self._form(record_id))
            form.scroll_home(animate=False)
            if self._focus_title_next:
                self._focus_title_next = False
                field_widget(form, "title").focus()

    def _form(self, record_id: int | None) -> list[Widget]:
        """The fields of record `record_id`, or what to do when there is none."""
        if record_id is None:
            return [Static("Add the first record with Ctrl+N.")]
        store = self.store
        record = store.get(RecordExamined, record_id)

        def save(name: str, value: Any) -> None:
            if name == "kind" and value is None:
                value = ""  # the blank choice: no kind recorded
            rec.update_record(store, record_id, **{name: value})

        def shown(spec: Spec) -> Any:
            value = getattr(record, spec.name)
            return None if spec.kind == "choice" and value == "" else value

        return [FieldEditor(spec, shown(spec), save) for spec in record_specs(self._records())]

    @on(FieldEditor.Edited)
    def _edited(self, event: FieldEditor.Edited) -> None:
        if self.shown_id is None:
            return
        name = event.editor.spec.name
        if name in dict(COLUMNS):
            store = self.store
            record = store.get(RecordExamined, self.shown_id)
            self.query_one("#records", DataTable).update_cell(
                str(self.shown_id), name, literal_cell(cell(record, name))
            )
        self._read = None  # a field changed: the summary and the kinds read it again
        self.refresh_summary()

    # --- actions ------------------------------------------------------------------------------
    def action_add(self) -> None:
        store = self.store
        created: list[Any] = []
        if save_with_feedback(
            self, "New record", lambda: created.append(rec.add_record(store, self.review_id))
        ):
            self._focus_title_next = True
            self.fill(keep=created[0].id)
            self.show_form(created[0].id)

    def action_delete(self) -> None:
        if self.shown_id is None or self.shown_id != self.wanted_id:
            return
        record = self.store.get(RecordExamined, self.shown_id)
        title = " ".join(str(record.title).split()) or "(no title)"
        if self.deletions.delete(
            RecordExamined,
            self.shown_id,
            f"the record '{title}'",
            lambda token: self.fill(keep=token.row_id),
        ):
            self.wanted_id = None
            self.fill()

    async def action_undo(self) -> None:
        await self.deletions.undo()

    def action_back(self) -> None:
        self.dismiss()
