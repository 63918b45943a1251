"""Getting a review to publication on time: the pre-publication quality check (a checklist of
what would weaken the report, each opening the place to fix it, each acceptable with a reason)
and the timescales with the delay log. The rules are the core's (reviewer_tui.quality,
reviewer_tui.timescales); these screens only show them and store what the reviewer decides."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import threading
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Static
from textual.worker import get_current_worker

from reviewer_tui import dates, domain, quality, quality_process, timescales
from reviewer_tui import models as m
from reviewer_tui.errors import InputError
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewModal, ReviewScreen, Stored
from reviewer_tui.screens.dialogs import DIALOG_CSS, TextPrompt
from reviewer_tui.screens.forms import (
    ModelForm,
    SaveIndicator,
    Spec,
    StageBody,
    field_group,
    stage_header,
)
from reviewer_tui.screens.table import Table
from reviewer_tui.screens.text import cell, fill_sized, literal

QUALITY_CSS = """
#quality-summary { padding: 0 1; height: auto; text-style: bold; }
#quality-help { padding: 0 1; height: auto; color: $text-muted; }
#quality-items { height: 1fr; }
#quality-detail { padding: 0 1; height: auto; max-height: 6; border-top: solid $primary 40%; }
"""


class _Stopped(Exception):
    """The quality check was stopped before it finished: its screen closed."""


class QualityScreen(ReviewScreen[None]):
    """The pre-publication checklist: one row per weakness, open ones first."""

    AUTO_FOCUS = "#quality-items"  # focused as it opens, before its first frame (base.py)

    DEFAULT_CSS = QUALITY_CSS
    BINDINGS = [
        Binding("enter", "open_place", "Open to fix", id="quality-open"),
        Binding("a", "accept", "Accept with a reason", id="quality-accept"),
        Binding("w", "withdraw", "Withdraw acceptance", id="quality-withdraw"),
        Binding("escape", "back", "Back", id="quality-back"),
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        self.items: list[quality.QualityItem] = []
        self._child: subprocess.Popen[bytes] | None = None  # the check's process, while it runs
        self._child_lock = threading.Lock()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Checking the review…", id="quality-summary", markup=False)
        yield Static(
            "Enter opens the place to fix an item; a accepts it with a reason (printed in the "
            "final report's appendix, never in the publication version).",
            id="quality-help",
            markup=False,
        )
        table: Table[Text] = Table(id="quality-items", cursor_type="row")
        yield table
        yield Static("", id="quality-detail", markup=False)
        yield Footer()

    class Checking(Message):
        """How far the check running in the background has got (characters of text)."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    class Checked(Message):
        """The check finished: every item it found."""

        def __init__(self, items: list[quality.QualityItem]) -> None:
            super().__init__()
            self.items = items

    class CheckFailed(Message):
        """The check could not finish (its process died, or the review could not be read)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def on_mount(self) -> None:
        table = self.query_one("#quality-items", DataTable)
        table.add_columns("", "Where", "What would weaken the report", "Accepted because")
        # The check reads the whole review and looks for names in every text the publication
        # may print (20 MB on a large review, seconds the first time): it runs in a process of
        # its own (reviewer_tui.quality_process) once the screen is drawn, saying how far it has
        # got; the screen takes keys meanwhile, and closing it ends the check (a screen opened
        # and closed at once never starts it).
        self.set_timer(0.2, self.run_check)

    def on_screen_resume(self) -> None:
        if self.items or self.query_one("#quality-items", DataTable).row_count:
            self.set_timer(0.2, self.run_check)

    @work(thread=True, exclusive=True, group="quality-check", exit_on_error=False)
    def run_check(self) -> None:
        """The check in a child process, its frames read here (each read waits without holding
        the GIL); in this worker thread itself where no child can read the folder (encrypted)."""
        worker = get_current_worker()
        self._stop_child()  # an earlier check still running is not wanted any more
        if not quality_process.can_run_in_child(self.app.folder):
            self._check_here(worker)
            return
        process = quality_process.start(self.app.folder, self.review_id)
        with self._child_lock:
            self._child = process
        if worker.is_cancelled or not self.is_attached:  # left while it started
            self._stop_child()
            return
        frames = quality_process.frames(process)
        try:
            for kind, text in frames:
                if worker.is_cancelled:
                    return  # closing `frames` ends the child
                if kind == "progress":
                    done, _, total = text.partition(" ")
                    self.post_message(self.Checking(int(done), int(total)))
                elif kind == "known":
                    quality.remember_names(json.loads(text))
                elif kind == "done":
                    self.post_message(self.Checked(quality.items_from_data(json.loads(text))))
                elif kind == "problem":
                    self.post_message(self.CheckFailed(text))
        finally:
            frames.close()
            with self._child_lock:
                if self._child is process:
                    self._child = None

    def _check_here(self, worker: Any) -> None:
        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:  # the screen was closed, or a newer check started
                raise _Stopped
            self.post_message(self.Checking(done, total))

        try:
            items = quality.check(self.store, self.review_id, progress=progress)
        except _Stopped:
            return
        if not worker.is_cancelled:
            self.post_message(self.Checked(items))

    def _stop_child(self) -> None:
        with self._child_lock:
            process, self._child = self._child, None
        if process is not None:
            quality_process.stop(process)

    def on_unmount(self) -> None:
        # The worker told first (Textual tells it after this handler), so one starting a child
        # just now sees it is not wanted and ends the child itself.
        self.workers.cancel_group(self, "quality-check")
        self._stop_child()

    def on_quality_screen_checking(self, event: Checking) -> None:
        if self.items:
            return  # checked before: the list stays until the new result replaces it
        where = (
            f"names in its text: {100 * event.done // event.total}%"
            if event.total
            else "reading it"
        )
        self.query_one("#quality-summary", Static).update(literal(f"Checking the review… {where}"))

    def on_quality_screen_check_failed(self, event: CheckFailed) -> None:
        if self.is_attached:
            self.query_one("#quality-summary", Static).update(literal(event.text))

    def on_quality_screen_checked(self, event: Checked) -> None:
        self._show(event.items)

    def _show(self, items: list[quality.QualityItem]) -> None:
        if not self.is_attached:
            return
        self.items = sorted(items, key=lambda i: i.accepted is not None)
        self.query_one("#quality-summary", Static).update(literal(quality.summary(items)))
        table = self.query_one("#quality-items", DataTable)
        row = table.cursor_row
        table.clear()
        for item in self.items:
            table.add_row(
                *map(
                    cell,
                    (
                        "✓" if item.accepted else "✗",
                        item.place,
                        f"{item.heading}: {item.problem}",
                        item.accepted.reason if item.accepted else "",
                    ),
                ),
                key=item.identity,
            )
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))
        self._detail()

    @on(DataTable.RowHighlighted, "#quality-items")
    def _detail(self) -> None:
        """The chosen item in full: a narrow terminal cuts the table's cells."""
        item = self._current()
        text = "" if item is None else f"{item.place}. {item.heading}: {item.problem} {item.fix}"
        if item is not None and item.accepted is not None:
            text += f"\nAccepted: {item.accepted.reason}"
        self.query_one("#quality-detail", Static).update(literal(text))

    def _current(self) -> quality.QualityItem | None:
        table = self.query_one("#quality-items", DataTable)
        if not table.row_count or not self.items:
            return None
        return self.items[min(table.cursor_row, len(self.items) - 1)]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_place()

    def action_open_place(self) -> None:
        item = self._current()
        if item is None:
            return
        from reviewer_tui import search
        from reviewer_tui.screens.search import open_place, place_screen
        from reviewer_tui.screens.workspace import stage_screen

        place = quality.fix_place(self.store, self.review_id, item)
        screen = None
        if place is not None:
            hit = search.hit_at(*place)
            screen = place_screen(self.app.folder, self.review_id, hit)
        if screen is None:  # no one row puts it right: the stage that does
            self.app.push_screen(stage_screen(item.stage)(self.review_id))
        else:
            open_place(self.app, screen, hit)
        self.notify(f"Fix: {item.place}", markup=False, timeout=6)

    def action_accept(self) -> None:
        item = self._current()
        if item is None:
            return
        current = item.accepted.reason if item.accepted else ""

        def done(reason: str | None) -> None:
            if reason is None:
                return
            try:
                quality.accept(self.store, self.review_id, item, reason, self.app.today())
            except InputError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.run_check()

        self.app.push_screen(
            TextPrompt(
                "Accept this item",
                "Why it can stand (printed in the final report's appendix)",
                current,
                warning=f"{item.place}: {item.heading}. {item.problem}",
            ),
            done,
        )

    def action_withdraw(self) -> None:
        item = self._current()
        if item is None or item.accepted is None:
            return
        quality.withdraw(self.store, self.review_id, item.identity)
        self.run_check()

    def action_back(self) -> None:
        self._stop_child()  # at once: the check's process is not wanted any more
        self.dismiss()


# --- timescales and the delay log ---------------------------------------------------------------
DATE_SPECS = tuple(Spec(name, label, "date") for name, label in timescales.DATE_FIELDS)

TIMESCALE_CSS = """
#timescale-table { height: auto; max-height: 14; }
#delay-table { height: auto; max-height: 12; }
"""


class _DatesForm(ModelForm):
    """The timescale dates; each change tells the screen to recount its deadlines."""

    def _save(self, name: str, value: Any) -> None:
        super()._save(name, value)
        self.post_message(Stored())


class TimescalesScreen(ReviewScreen[None]):
    """The kind's deadlines, each from its recorded date, and the delay log."""

    AUTO_FOCUS = "#timescale-table"  # focused as it opens, before its first frame (base.py)

    CSS_PATH = "stage.tcss"
    DEFAULT_CSS = TIMESCALE_CSS
    BINDINGS = [
        Binding("escape", "back", "Workspace", id="stage-back"),
        Binding("ctrl+n", "give_reason", "Give a reason for delay", id="timescale-reason"),
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        self.timescales: list[timescales.Timescale] = []

    def compose(self) -> ComposeResult:
        timescales.ensure_dates(self.store, self.review_id)
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "Timescales and delay log",
                "Each deadline the review kind's guidance sets, counted from the dates below "
                "(working days skip weekends and bank holidays). A deadline missed or near asks "
                "for a reason: choose it and press Enter (or ctrl+n).",
            )
            table: Table[Text] = Table(id="timescale-table", cursor_type="row")
            yield table
            yield Label("Delay log")
            delays: Table[Text] = Table(id="delay-table", cursor_type="row")
            yield delays
            yield field_group(
                "The dates the deadlines run from and are met by",
                _DatesForm(m.TimescaleDates, self.review_id, DATE_SPECS),
            )
        yield SaveIndicator()
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_tables()

    def on_screen_resume(self) -> None:
        self.refresh_tables()

    def on_stored(self, event: Stored) -> None:
        self.refresh_tables()

    def refresh_tables(self) -> None:
        self.timescales = timescales.timescales_now(
            self.app.folder, self.review_id, self.app.today()
        )
        table = self.query_one("#timescale-table", DataTable)
        row = table.cursor_row
        fill_sized(  # columns sized afresh to what they now hold
            table,
            ("Due", "Now", "Deadline", "Seed"),
            [
                [
                    cell(domain.format_date(t.due)),
                    cell(("⚠ reason needed: " if t.needs_reason else "") + t.status),
                    cell(t.label),
                    cell(t.rule.seed if t.rule else "your target"),
                ]
                for t in self.timescales
            ],
        )
        if self.timescales:
            table.move_cursor(row=min(row, len(self.timescales) - 1))
        delays = [
            [
                cell(d.label or d.deadline),
                cell(domain.format_date(d.due)),
                cell(d.reason),
                cell(domain.format_date(d.revised_due)),
                cell(domain.format_date(d.recorded_on)),
            ]
            for t in self.timescales
            for d in t.delays
        ]
        fill_sized(
            self.query_one("#delay-table", DataTable),
            ("Deadline", "Was due", "Reason", "Revised to", "Recorded"),
            delays or [[cell("No delay recorded."), *(cell("") for _ in range(4))]],
        )

    @on(DataTable.RowSelected, "#timescale-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_give_reason()

    def action_give_reason(self) -> None:
        table = self.query_one("#timescale-table", DataTable)
        if not self.timescales:
            return
        chosen = self.timescales[min(table.cursor_row, len(self.timescales) - 1)]
        if chosen.due is None:
            self.notify(
                f"{chosen.label}: {chosen.status} first.",
                severity="warning",
                markup=False,
                timeout=6,
            )
            return

        def done(answer: tuple[str, dt.date | None] | None) -> None:
            if answer is not None:
                self.refresh_tables()

        self.app.push_screen(DelayDialog(self.review_id, chosen), done)

    def action_back(self) -> None:
        self.dismiss()


class DelayDialog(ReviewModal[tuple[str, dt.date | None] | None]):
    """Why a deadline is missed (or about to be) and the revised date: one line of the delay
    log, stored when Record is pressed. Dismisses with (reason, revised date) or None."""

    AUTO_FOCUS = "#reason"  # focused as it opens, before its first frame (base.py)

    DEFAULT_CSS = DIALOG_CSS.format(name="DelayDialog") + (
        "DelayDialog > Vertical { overflow-y: auto; }\nDelayDialog Input { margin-bottom: 1; }\n"
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog-cancel")]

    def __init__(self, review_id: int, timescale: timescales.Timescale) -> None:
        super().__init__()
        self.review_id = review_id
        self.timescale = timescale

    def compose(self) -> ComposeResult:
        t = self.timescale
        with Vertical():
            yield Static(
                f"Record a delay. {t.label}: due {domain.format_date(t.revised_due or t.due)}"
                f" ({t.status})",
                classes="warning",
                markup=False,
            )
            if t.rule is not None:
                yield Static(f"Seed {t.rule.seed}: “{t.rule.quote}”", classes="hint", markup=False)
            yield Label("Reason for the delay")
            yield Input(id="reason", compact=True)
            yield Label("Revised date (optional)")
            yield Input(placeholder="YYYY-MM-DD or dd/mm/yyyy", id="revised", compact=True)
            yield Static("", classes="error", markup=False)  # can quote what was typed
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Record", variant="primary", id="record")

    @on(Input.Submitted)
    @on(Button.Pressed, "#record")
    def _record(self) -> None:
        error = self.query_one(".error", Static)
        reason = self.query_one("#reason", Input).value
        try:
            revised = dates.parse_day(self.query_one("#revised", Input).value, self.app.today())
            timescales.record_delay(
                self.store, self.review_id, self.timescale, reason, revised, self.app.today()
            )
        except (ValueError, InputError) as exc:
            error.update(Text(str(exc)))
            return
        self.dismiss((reason.strip(), revised))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
