"""The executive summary editor: the four parts drawn from the record (reason, scope, key
findings, recommendations), each editable before the summary is written. Nothing is stored
until the reviewer changes a part; from then on every keystroke is saved and the rewritten part
is what prints. Each part's button puts the record's own text back (a button, not a key: no key
changes text being typed)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static, TextArea

from reviewer_tui import models as m
from reviewer_tui.reports import documents, executive_summary
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.forms import (
    FieldEditor,
    ModelForm,
    SaveIndicator,
    Spec,
    StageBody,
    stage_header,
)
from reviewer_tui.screens.text import literal

SPECS = tuple(Spec(key, heading, "long", help="") for key, heading in executive_summary.PARTS)


def _state(part: dict[str, Any]) -> str:
    if part["edited"]:
        return "Rewritten by you: this text is what prints."
    return "Drawn from the record: change it and your text is kept and printed instead."


class SummaryForm(ModelForm):
    """report_details' four summary columns, each shown as the reviewer's text or the record's."""

    def __init__(self, review_id: int, parts: list[dict[str, Any]]) -> None:
        super().__init__(m.ReportDetails, review_id, SPECS, id="summary-form")
        self.parts = {p["key"]: p for p in parts}

    def compose(self) -> ComposeResult:
        for spec in self.specs:
            part = self.parts[spec.name]
            yield FieldEditor(spec, part["text"], self._save)
            yield Static(literal(_state(part)), classes="part-state", id=f"s-{spec.name}")
            yield Button(
                literal(f"Use the record's text for '{spec.label}' again"),
                id=f"redraw-{spec.name}",
                classes="redraw",
                compact=True,
            )


class ExecutiveSummaryScreen(ReviewScreen[None]):
    CSS_PATH = "stage.tcss"
    DEFAULT_CSS = """
    ExecutiveSummaryScreen .part-state { color: $text-muted; }
    ExecutiveSummaryScreen Button.redraw { margin-bottom: 1; }
    ExecutiveSummaryScreen FieldEditor { margin-bottom: 0; }
    ExecutiveSummaryScreen FieldEditor TextArea { height: 8; }
    ExecutiveSummaryScreen FieldEditor > .field-face--area { height: 8; }
    """
    BINDINGS = [
        Binding("escape", "back", "Report", id="stage-back"),
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        parts = documents.summary_parts(self.store, self.review_id)
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "Executive summary",
                "Drawn from the recorded reason, scope, findings and recommendations. Rewrite "
                "any part before writing the summary: your words are saved as you type and are "
                "what prints.",
            )
            yield SummaryForm(self.review_id, parts)
        yield SaveIndicator()
        yield Footer()

    def on_field_editor_edited(self, event: FieldEditor.Edited) -> None:
        name = event.editor.spec.name
        edited = bool(str(event.value or "").strip())
        self.query_one(f"#s-{name}", Static).update(literal(_state({"edited": edited})))

    @on(Button.Pressed, ".redraw")
    def _redraw_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = str(event.button.id).removeprefix("redraw-")
        self.redraw(next(e for e in self.query(FieldEditor) if e.spec.name == name))

    def redraw(self, editor: FieldEditor) -> None:
        """The record's text back in one part; the reviewer's own text is removed."""
        name = editor.spec.name
        store = self.store
        try:
            store.update(m.ReportDetails, self.review_id, **{name: ""})
        except Exception as exc:  # noqa: BLE001 - shown, never raised: the text stays on screen
            self.notify(f"NOT SAVED: {exc}", severity="error", markup=False)
            return
        fresh = {p["key"]: p for p in documents.summary_parts(store, self.review_id)}[name]
        area = editor.editor()
        if not isinstance(area, TextArea):
            return
        editor._shown = fresh["text"]  # a load, not an edit: nothing is stored
        editor.value = ""
        area.load_text(fresh["text"])
        self.query_one(f"#s-{name}", Static).update(literal(_state(fresh)))
        self.notify(f"{editor.spec.label}: the record's text is back.", markup=False)

    def action_back(self) -> None:
        self.dismiss()
