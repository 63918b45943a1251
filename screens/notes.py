"""The notes screen for a note taker typing live during an interview (seed 003 section 5).

Every change to the notes is committed before the next key is handled (RELIABILITY.md rules 1 and
6): a failed save keeps the text on screen, says NOT SAVED, retries on the next change and offers
to write the text to a file. The matters to cover sit beside the notes, and the reminder that the
record may be disclosed to a later review is always on screen.
"""

from __future__ import annotations

import datetime as dt
import gc
import tempfile
from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Label, Static, TextArea

from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.screens.forms import SaveIndicator, save_with_feedback


class NotesScreen(Screen[None]):
    CSS_PATH = "notes.tcss"
    BINDINGS = [
        Binding("ctrl+t", "insert_time", "Insert time", priority=True, id="notes-time"),
        Binding("ctrl+o", "mark_contentious", "Mark contentious", priority=True, id="notes-contentious"),
        Binding("f9", "write_copy", "Copy to file", id="notes-copy"),
        Binding("f4", "toggle_side", "Matters", id="notes-side"),
        Binding("escape", "back", "Back", id="notes-back"),
    ]

    def __init__(self, interview_id: int, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        super().__init__()
        self.interview_id = interview_id
        self.clock = clock
        self.saves = 0  # committed saves of the notes, for tests and the benchmark
        self.unsaved = False

    def compose(self) -> ComposeResult:
        store = self.app.store  # type: ignore[attr-defined]
        row = store.get(m.Interview, self.interview_id)
        person = store.get(m.Person, row.person_id)
        yield Static(f"⚠ {iv.DISCLOSURE_REMINDER}", id="disclosure")
        yield Static(f"Interview with {iv.display_name(person)} · {iv.describe_when(row.scheduled_for)}",
                     id="notes-heading", markup=False)
        with Horizontal(id="notes-body"):
            area = TextArea(row.notes, id="notes", soft_wrap=True, show_line_numbers=False,
                            tab_behavior="focus")
            area.border_title = "Notes (saved as you type)"
            yield area
            with VerticalScroll(id="side"):
                yield Label("Matters to cover", classes="side-title")
                for key, text in iv.MATTERS:
                    box = Checkbox(iv.MATTER_SHORT[key], key in row.matters_covered, id=f"m-{key}",
                                   compact=True, classes="matter")
                    box.tooltip = text
                    yield box
                yield Label("Contentious: check back before the end", classes="side-title")
                yield Static(self._points_text(row.contentious_points), id="points", markup=False)
                yield Checkbox("Checked back with the interviewee", bool(row.contentious_points_checked_back),
                               id="checked-back", compact=True)
        yield SaveIndicator()
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one("#notes", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        self.call_after_refresh(self._freeze)

    def _freeze(self) -> None:
        # Keep the loaded notes and widgets out of full collections: 80-90 ms pauses otherwise.
        gc.freeze()

    @staticmethod
    def _points_text(points: list[str]) -> str:
        if not points:
            return "None marked. Select a passage (or go to its line) and press ctrl+o."
        return "\n".join(f"{n}. {p if len(p) < 120 else p[:117] + '...'}" for n, p in enumerate(points, 1))

    # --- saving -------------------------------------------------------------------------------
    @on(TextArea.Changed, "#notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        store = self.app.store  # type: ignore[attr-defined]
        if save_with_feedback(self, "Notes", lambda: iv.save_notes(store, self.interview_id, text)):
            self.saves += 1
            self.unsaved = False
        else:
            if not self.unsaved:
                self.notify("The notes were NOT SAVED. They are still on screen; the next key retries. "
                            "Press F9 to write a copy to a file.", severity="error", timeout=10)
            self.unsaved = True

    @on(Checkbox.Changed, ".matter")
    def _matter(self, event: Checkbox.Changed) -> None:
        event.stop()
        key = (event.checkbox.id or "")[2:]
        store = self.app.store  # type: ignore[attr-defined]
        save_with_feedback(self, "Matters covered",
                           lambda: iv.set_matter(store, self.interview_id, key, event.value))

    @on(Checkbox.Changed, "#checked-back")
    def _checked_back(self, event: Checkbox.Changed) -> None:
        event.stop()
        store = self.app.store  # type: ignore[attr-defined]
        save_with_feedback(self, "Checked back", lambda: store.update(
            m.Interview, self.interview_id, contentious_points_checked_back=event.value))

    # --- actions --------------------------------------------------------------------------------
    def action_insert_time(self) -> None:
        area = self.query_one("#notes", TextArea)
        area.focus()
        area.insert(iv.time_mark(self.clock()))

    def action_mark_contentious(self) -> None:
        area = self.query_one("#notes", TextArea)
        passage = area.selected_text.strip() or area.document.get_line(area.cursor_location[0]).strip()
        store = self.app.store  # type: ignore[attr-defined]
        points: list[list[str]] = []
        if save_with_feedback(self, "Contentious point",
                              lambda: points.append(iv.mark_contentious(store, self.interview_id, passage))):
            self.query_one("#points", Static).update(self._points_text(points[0]))
            self.query_one("#checked-back", Checkbox).value = False
            self.notify("Marked contentious: check it back with the interviewee before the end.")

    def action_toggle_side(self) -> None:
        side = self.query_one("#side")
        side.display = not side.display
        if side.display:
            self.query_one(".matter", Checkbox).focus()
        else:
            self.query_one("#notes", TextArea).focus()

    def action_write_copy(self) -> None:
        """Write the notes on screen to a text file (rule 6): the way out when saving fails."""
        from reviewer_tui.storage import write_atomically

        text = self.query_one("#notes", TextArea).text
        name = f"interview-notes-{self.interview_id}-{dt.datetime.now():%Y%m%d-%H%M%S}.txt"
        folder = getattr(self.app, "folder", None)
        places = [Path(folder.path) if folder else None, Path.home(), Path(tempfile.gettempdir())]
        for place in places:
            if place is None:
                continue
            target = place / name
            try:
                write_atomically(target, lambda handle: handle.write(text.encode("utf-8")))
            except OSError:
                continue
            self.notify(f"A copy of the notes was written to {target}", timeout=10)
            return
        self.notify("No copy could be written anywhere: keep this screen open.", severity="error")

    def action_back(self) -> None:
        if self.unsaved:
            self.notify("The last change is NOT SAVED. Type a key to retry or press F9 to write a copy "
                        "to a file before leaving.", severity="error", timeout=10)
            return
        self.dismiss()
