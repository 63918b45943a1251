"""Stage 3, records examined (seed 000 section 4; report section 1.3): what was read or asked
for, and why anything was not available. Thin over reviewer_tui.records."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from reviewer_tui import records as rec
from reviewer_tui.models import RecordExamined
from reviewer_tui.screens.forms import (
    YES_NO,
    FieldEditor,
    RowList,
    SaveIndicator,
    Spec,
    field_group,
    stage_header,
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


class RecordList(RowList):
    """RowList whose saves go through the records core (a title can never be emptied)."""

    def _row(self, row: Any) -> Vertical:
        def save(name: str, value: Any, row_id: int = row.id) -> None:
            if name == "kind" and value is None:
                value = ""  # the blank choice: no kind recorded
            rec.update_record(self.app.store, row_id, **{name: value})  # type: ignore[attr-defined]

        def shown(spec: Spec) -> Any:
            value = getattr(row, spec.name)
            return None if spec.kind == "choice" and value == "" else value

        editors = [FieldEditor(spec, shown(spec), save) for spec in self.specs]
        box = Vertical(*editors, Horizontal(Button("Delete", classes="delete-row", variant="error"),
                                            classes="row-actions"), classes="row")
        box.row_id = row.id  # type: ignore[attr-defined]
        return box


class RecordsScreen(Screen[None]):
    CSS_PATH = "stage.tcss"
    BINDINGS = [
        Binding("ctrl+n", "add", "Add a record", id="records-add"),
        Binding("escape", "back", "Workspace", id="stage-back"),
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        store = self.app.store  # type: ignore[attr-defined]
        existing = rec.records(store, self.review_id)
        yield Header()
        with VerticalScroll(id="stage-body"):
            yield from stage_header(
                "3 Records examined",
                "Case records, manual files, policies and procedures read or asked for; anything "
                "not available, and why (report section 1.3).")
            yield Static("", id="records-summary")
            yield field_group("Records", RecordList(
                "Records", RecordExamined, self.review_id, record_specs(existing),
                lambda: {"key": rec.new_key(), "title": "Untitled record"},
                help="Every change is saved as you type. Ctrl+N adds a record."))
        yield SaveIndicator()
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_summary()

    @on(FieldEditor.Edited)
    @on(Button.Pressed)
    def refresh_summary(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        self.call_after_refresh(lambda: self.query_one("#records-summary", Static).update(
            rec.summary_line(rec.basis(store, self.review_id))))

    def action_add(self) -> None:
        self.query_one(".add-row", Button).press()

    def action_back(self) -> None:
        self.dismiss()
