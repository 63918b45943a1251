"""Import one agency's chronology (Word proforma table or CSV) through a preview: every row with
its problems, the agency code chosen by the reviewer, likely duplicates shown, and only the rows
accepted added, in one transaction. Thin over reviewer_tui.chronology_import."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from reviewer_tui import chronology as ch
from reviewer_tui import chronology_import as ci
from reviewer_tui.errors import ImportFileError, InputError
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.inputs import LeanSelect
from reviewer_tui.screens.table import Table
from reviewer_tui.screens.text import cell, literal, markup


def _option_label(code: str, name: str, width: int = 24) -> str:
    label = f"{code} {name}".strip()
    return label if len(label) <= width else label[: width - 1] + "…"


class ChronologyImportScreen(ReviewScreen[int]):
    """Dismisses with the number of entries added (0 if none)."""

    CSS_PATH = "chronology.tcss"
    DEFAULT_CSS = """
    ChronologyImportScreen #source-row { height: 1; padding: 0 1; }
    ChronologyImportScreen #source-row Label { width: auto; padding-right: 1; }
    ChronologyImportScreen #path { width: 1fr; }
    ChronologyImportScreen #agency { width: 30; margin: 0 1; }
    ChronologyImportScreen #read { min-width: 8; height: 1; border: none; }
    ChronologyImportScreen #notes { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    ChronologyImportScreen #summary { height: auto; padding: 0 1; text-style: bold; }
    ChronologyImportScreen #preview { height: 1fr; }
    ChronologyImportScreen #problems-box { height: auto; max-height: 6; padding: 0 1;
        border-top: solid $warning 50%; }
    ChronologyImportScreen #problems { height: auto; }
    ChronologyImportScreen #commit-row { height: 1; padding: 0 1; align-horizontal: right; }
    ChronologyImportScreen #commit-row Button { height: 1; border: none; min-width: 12; }
    """
    BINDINGS = [
        Binding("space", "toggle_row", "Accept/reject row", id="import-toggle"),
        Binding("a", "accept_readable", "Accept all clean", id="import-accept-all"),
        Binding("r", "reject_all", "Reject all", id="import-reject-all"),
        Binding("ctrl+s", "commit", "Add accepted rows", id="import-commit"),
        Binding("escape", "back", "Chronology", id="import-back"),
    ]

    class Loaded(Message):
        def __init__(self, table: ci.RawTable | None, error: str = "") -> None:
            self.table = table
            self.error = error
            super().__init__()

    def __init__(self, review_id: int, path: Path | None = None) -> None:
        super().__init__()
        self.review_id = review_id
        self.initial_path = path
        self.raw: ci.RawTable | None = None
        self.rows: list[ci.PreviewRow] = []
        self.codes: dict[str, str] = {}
        self.reading: Path | None = None  # the file being read, named if reading fails

    def compose(self) -> ComposeResult:
        store = self.store
        self.codes = {a.code: a.name for a in ch.ensure_agency_codes(store, self.review_id)}
        yield Header()
        yield Static(
            "Import an agency chronology (Word .docx proforma table or .csv)", classes="stage-title"
        )
        with Horizontal(id="source-row"):
            yield Label("File")
            yield Input(
                str(self.initial_path or ""),
                id="path",
                compact=True,
                placeholder="path to the agency's .docx or .csv",
            )
            yield LeanSelect(
                [(literal(_option_label(c, n)), c) for c, n in self.codes.items()],
                prompt="Agency code",
                id="agency",
                compact=True,
            )
            yield Button("Read", id="read", variant="primary", compact=True)
        yield Static(
            "Type the file's path, choose the agency whose chronology it is (a blank "
            "Source is stored under that code), then Read. A code not in the list? Add "
            "it to the register first (g on the chronology).",
            id="notes",
        )
        yield Static("", id="summary")
        table: Table[str | Text] = Table(id="preview", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="problems-box"):
            yield Static("", id="problems")
        with Horizontal(id="commit-row"):
            yield Button(
                "Add the accepted rows", id="commit", variant="success", disabled=True, compact=True
            )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#preview", DataTable)
        table.add_column("Add", key="add", width=3)
        table.add_column("Row", key="row", width=4)
        table.add_column("Date", key="date", width=18)
        table.add_column("Src", key="source", width=7)
        table.add_column("Event", key="event", width=30)
        table.add_column("Problems", key="problems")
        self.query_one("#path", Input).focus()

    # --- reading ------------------------------------------------------------------------------
    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#read")
    def read(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._notes("Type the path of the file to import.", error=True)
            return
        self._notes(f"Reading {text}…")
        self.reading = Path(text).expanduser()
        self._read(self.reading)

    @work(thread=True, exclusive=True, exit_on_error=False, group="chronology-import")
    def _read(self, path: Path) -> None:
        try:
            self.post_message(self.Loaded(ci.read_file(path)))
        except ImportFileError as exc:
            self.post_message(self.Loaded(None, str(exc)))
        except OSError as exc:
            self.post_message(self.Loaded(None, f"The file could not be read: {exc}"))

    @on(Worker.StateChanged)
    def _read_failed(self, event: Worker.StateChanged) -> None:
        """Any other failure while reading: with exit_on_error=False the worker only turns to
        ERROR and posts nothing, so without this the screen said "Reading…" for ever."""
        worker = event.worker
        if worker.group == "chronology-import" and event.state == WorkerState.ERROR:
            name = self.reading.name if self.reading else "The file"
            self.post_message(self.Loaded(None, f"{name} could not be read: {worker.error}"))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.table is None:
            self.raw = None
            self.rows = []
            self._fill()
            self._notes(message.error, error=True)
            return
        self.raw = message.table
        notes = list(message.table.notes)
        if message.table.skipped_blank:
            notes.append(f"{message.table.skipped_blank} empty proforma rows were skipped.")
        self._notes(" ".join(notes) if notes else "")
        self.rebuild()
        self.query_one("#preview", DataTable).focus()

    @on(Select.Changed, "#agency")
    def _agency_changed(self) -> None:
        if self.raw is not None:
            self.rebuild()

    @property
    def agency(self) -> str | None:
        value = self.query_one("#agency", Select).value
        return None if value is Select.NULL else str(value)

    def rebuild(self) -> None:
        """Check every row again (the agency decides how a blank or unknown Source is stored)."""
        if self.raw is None:
            return
        agency = self.agency
        if agency is None:
            self.rows = []
            self._fill()
            self.query_one("#summary", Static).update(
                f"{len(self.raw.rows)} rows read. Choose the agency code to see the preview."
            )
            return
        store = self.store
        self.rows = ci.build_preview(  # the stored entries read raw: a tenth of the ORM's cost
            self.raw, agency, self.codes, ch.load_entries(store, self.review_id), self.app.today()
        )
        self._fill()

    # --- the preview --------------------------------------------------------------------------
    def _cells(self, row: ci.PreviewRow) -> tuple[str | Text, ...]:
        mark = Text("✓", style="bold green") if row.accepted else Text("✗", style="bold red")
        date = row.when.display() if row.when else Text(row.cells[0] or "(none)", style="red")
        problems = "; ".join(row.all_problems)
        return tuple(
            map(
                cell,
                (
                    mark,
                    str(row.number),
                    date,
                    row.source,
                    " ".join(row.event.split())[:80] or Text("(missing)", style="red"),
                    Text(problems, style="yellow") if problems else "",
                ),
            )
        )

    def _fill(self) -> None:
        table = self.query_one("#preview", DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(*self._cells(row), key=str(row.number))
        lines = [
            f"Row {r.number}: " + "; ".join(r.all_problems) for r in self.rows if r.all_problems
        ]
        self.query_one("#problems", Static).update(
            literal("\n".join(lines) if lines else ("No problems found." if self.rows else ""))
        )
        self._summarise()

    def _summarise(self) -> None:
        if not self.rows:
            self.query_one("#commit", Button).disabled = True
            return
        s = ci.summarise(self.rows)
        self.query_one("#summary", Static).update(
            literal(
                f"{s.rows} rows · {s.accepted} to add as {self.agency} · {s.with_problems} with problems"
                f" · {s.duplicates} likely duplicates.  Space accepts or rejects the highlighted row."
            )
        )
        commit = self.query_one("#commit", Button)
        commit.disabled = s.accepted == 0
        commit.label = f"Add {s.accepted} accepted row{'s' if s.accepted != 1 else ''}"

    def _notes(self, text: str, error: bool = False) -> None:
        self.query_one("#notes", Static).update(
            markup("[b $error]$text[/]", text=text) if error and text else literal(text)
        )

    def set_accepted(self, number: int, accepted: bool) -> bool:
        row = next((r for r in self.rows if r.number == number), None)
        if row is None:
            return False
        if accepted and row.blocked:
            self.notify(
                f"Row {number} cannot be added: "
                + "; ".join(row.problems)
                + ". Correct it in the file and read it again.",
                severity="warning",
                timeout=8,
            )
            return False
        row.accepted = accepted
        table = self.query_one("#preview", DataTable)
        table.update_cell(str(number), "add", self._cells(row)[0])
        self._summarise()
        return True

    def action_toggle_row(self) -> None:
        table = self.query_one("#preview", DataTable)
        if not self.rows or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        row = next(r for r in self.rows if str(r.number) == key)
        self.set_accepted(row.number, not row.accepted)

    def action_accept_readable(self) -> None:
        for row in self.rows:
            if not row.problems and not row.duplicate_of:
                self.set_accepted(row.number, True)

    def action_reject_all(self) -> None:
        for row in self.rows:
            self.set_accepted(row.number, False)

    @on(Button.Pressed, "#commit")
    def action_commit(self) -> None:
        agency = self.agency
        if agency is None or not self.rows:
            self.notify("Read a file and choose the agency code first.", severity="warning")
            return
        store = self.store
        try:
            added = ci.commit(store, self.review_id, agency, self.rows, self.codes.get(agency, ""))
        except InputError as exc:
            self.notify(f"Nothing was added: {exc}", severity="error", timeout=10)
            return
        except Exception as exc:  # storage errors: say so plainly, nothing was added
            if type(exc).__module__.startswith(("sqlalchemy", "sqlite3")):
                self.notify(
                    f"Nothing was added: {getattr(exc, 'orig', exc)}", severity="error", timeout=10
                )
                return
            raise
        self.notify(f"Added {added} entries from the {agency} chronology.", timeout=6)
        self.dismiss(added)

    def action_back(self) -> None:
        self.dismiss(0)
