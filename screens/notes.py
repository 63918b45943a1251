"""The notes screen for a note taker typing live during an interview (seed 003 section 5).

Every change to the notes is handed at once to a writer thread that commits it (RELIABILITY.md
rules 1 and 6), so a slow disk never holds up the next key. A failed save keeps the text on
screen, says NOT SAVED, retries on the next change and offers to write the text to a file.
The matters to cover sit beside the notes, and the reminder that the record may be disclosed to a
later review is always on screen.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual._styles_cache import StylesCache
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.containers import Horizontal, VerticalScroll
from textual.document._document import Document, EditResult, Location
from textual.document._document_navigator import DocumentNavigator
from textual.document._edit import Edit
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Size, Spacing, clamp
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.strip import Strip
from textual.widgets import Checkbox, Label, Static, TextArea
from textual.widgets.text_area import Selection

from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.screens.bars import Footer
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.forms import SaveIndicator, report_save, save_with_feedback
from reviewer_tui.screens.long_lines import LongLineWrappedDocument, render_section
from reviewer_tui.screens.ticks import TickBox

if TYPE_CHECKING:
    from textual.css.styles import StylesBase

    from reviewer_tui.background_save import BackgroundSaver


class _FramedLines(StylesCache):
    """The editor's StylesCache, keeping each framed screen line (border, padding, the widget's
    styles) under the drawn line it frames. Textual's keeps them by row and frames every row a
    repaint touches again: when a paragraph grows by a screen line, every line below is framed
    again, unchanged but moved. A full refresh (a style, a scroll, a resize) clears this too."""

    def __init__(self) -> None:
        super().__init__()
        self._framed: LRUCache[int, tuple[Strip, tuple[object, ...], Strip]] = LRUCache(512)

    def clear(self) -> None:
        super().clear()
        self._framed.clear()

    def render_line(
        self,
        styles: StylesBase,
        y: int,
        size: Size,
        content_size: Size,
        padding: Spacing,
        base_background: Color,
        background: Color,
        render_content_line: Callable[[int], Strip],
        *args: Any,
    ) -> Strip:
        gutter = styles.gutter
        content_y = y - gutter.top
        outline_top, outline_bottom = styles.outline_top[0], styles.outline_bottom[0]
        if (
            not 0 <= content_y < content_size.height
            or y >= size.height - gutter.bottom
            or (outline_top and y == 0)
            or (outline_bottom and y == size.height - 1)
        ):
            return super().render_line(
                styles,
                y,
                size,
                content_size,
                padding,
                base_background,
                background,
                render_content_line,
                *args,
            )
        content = render_content_line(content_y)
        # Strips compare by their segments and cannot be hashed: kept by identity, and the
        # drawn line is held by the entry, so its id is not reused while the entry lives.
        frame = (styles, size, content_size, padding, base_background, background, *args[2:])
        kept = self._framed.get(id(content))
        if kept is not None and kept[0] is content and kept[1] == frame:
            return kept[2]
        line = super().render_line(
            styles,
            y,
            size,
            content_size,
            padding,
            base_background,
            background,
            lambda _: content,
            *args,
        )
        self._framed[id(content)] = (content, frame, line)
        return line


class NotesArea(TextArea):
    """The notes editor: a TextArea whose cost per key does not grow with the notes.

    - Soft wrap costs the same per key however long the paragraph (screens/long_lines.py).
    - Only the screen lines a key changed are drawn again. Textual 8.2.8 repaints the whole editor
      whenever the cursor moves (`selection` repaints), and each line it draws missed its cache
      (the key holds the selection): every key redrew every visible line, most of a key's cost.
      Here a cursor move repaints the lines of the old and the new selection (and of a matched
      bracket), an edit the lines it touched, or everything below it when lines were added or
      removed; a scroll, a resize, a new document, undo and redo repaint everything as before.
    - Drawing a line never joins the whole text: Textual tests `not self.text` (the whole
      document joined) for every line it draws, to decide whether to show a placeholder.
    """

    selection: Reactive[Selection] = reactive(
        Selection(), init=False, always_update=True, repaint=False
    )

    def __init__(self, text: str = "", *, language: str | None = None, **kwargs: Any) -> None:
        # Textual's __init__ builds the document from the text twice (and wraps it each time):
        # built here once, from an empty start.
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(2048)  # see render_line
        super().__init__("", language=language, **kwargs)
        self._styles_cache = _FramedLines()
        if text:
            self._set_document(text, language)

    def _set_document(self, text: str, language: str | None) -> None:
        """Textual's, for plain text with the notes' own wrapped document made at once (its
        faster `wrap`), rather than Textual's made and then converted."""
        if language is not None:
            super()._set_document(text, language)
            return
        self._highlight_query = None
        self.document = Document(text)
        self.wrapped_document = LongLineWrappedDocument(self.document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()

    @property
    def wrapped_document(self) -> WrappedDocument:
        return self._notes_wrapped

    @wrapped_document.setter
    def wrapped_document(self, value: WrappedDocument) -> None:
        if type(value) is WrappedDocument:
            value.__class__ = LongLineWrappedDocument
        self._notes_wrapped = value

    # --- repainting only what changed -----------------------------------------------------------
    def _refresh_rows(self, first: int, last: int | None) -> None:
        """Repaint the screen lines of document rows first..last (None: to the bottom of the
        view) that are in view."""
        offsets = self.wrapped_document._line_index_to_offsets
        if not offsets:
            self.refresh()
            return
        first = clamp(first, 0, len(offsets) - 1)
        last_y = None if last is None else offsets[clamp(last, first, len(offsets) - 1)][-1]
        self._refresh_y(offsets[first][0], last_y)

    def _refresh_y(self, y0: int, y1: int | None) -> None:
        """Repaint screen lines y0..y1 (wrapped offsets; None: to the bottom of the view) that
        are in view."""
        top = int(self.scroll_offset.y)
        bottom = top + self.scrollable_content_region.height - 1
        y0, y1 = max(y0, top), bottom if y1 is None else min(y1, bottom)
        if y0 <= y1:
            self.refresh_lines(y0, y1 - y0 + 1)

    def _refresh_selection(self, selection: Selection) -> None:
        (start, _), (end, _) = selection
        self._refresh_rows(min(start, end), max(start, end))

    def _refresh_cursor(self, location: Location) -> None:
        """Repaint the screen line the cursor is (or was) drawn on."""
        row = clamp(location[0], 0, self.document.line_count - 1)
        column = clamp(location[1], 0, len(self.document[row]))
        y = self.wrapped_document.location_to_offset((row, column)).y
        self._refresh_y(y, y)

    def _watch_selection(self, previous_selection: Selection, selection: Selection) -> None:
        bracket = self._matching_bracket_location
        super()._watch_selection(previous_selection, selection)
        if not self.is_mounted:
            return
        if (
            previous_selection.is_empty
            and selection.is_empty
            and previous_selection.end[0] == selection.end[0]
        ):
            # The cursor moved along its line (the line stays highlighted): a paragraph may fill
            # the screen, only the screen lines of the old and the new place change.
            self._refresh_cursor(previous_selection.end)
            self._refresh_cursor(selection.end)
        else:
            self._refresh_selection(previous_selection)
            self._refresh_selection(selection)
        for location in (bracket, self._matching_bracket_location):
            if location is not None:
                self._refresh_rows(location[0], location[0])

    def edit(self, edit: Edit) -> EditResult:
        lines, height = self.document.line_count, self.wrapped_document.height
        gutter = self.gutter_width
        result = super().edit(edit)
        top = edit.top[0]
        wrapped = self.wrapped_document
        changed = wrapped.changed if isinstance(wrapped, LongLineWrappedDocument) else None
        moved = (
            self.document.line_count != lines
            or wrapped.height != height
            or self.gutter_width != gutter
        )
        if changed is not None and self.gutter_width == gutter:
            # A long line re-wrapped near the edit: the sections whose text changed (and, if the
            # count of screen lines changed, every screen line below, which moved).
            self._refresh_y(changed[0], None if moved else changed[1])
        elif moved:
            self._refresh_rows(top, None)  # the lines below moved
        else:
            self._refresh_rows(top, result.end_location[0])
        return result

    def _undo_batch(self, edits: Sequence[Edit]) -> None:
        super()._undo_batch(edits)
        self.refresh()

    def _redo_batch(self, edits: Sequence[Edit]) -> None:
        super()._redo_batch(edits)
        self.refresh()

    def _rewrap_and_refresh_virtual_size(self) -> None:
        """Textual's, without wrapping the whole text again at the width it is wrapped at.

        Textual calls this on mount, on every resize and when the scrollbar appears, each time
        wrapping every line (opening 200 KB of notes wrapped it four times). Edits keep the
        wrapping exact at its width (`wrap_range`), so only a new width or tab size wraps again."""
        wrapped = self.wrapped_document
        if wrapped._width != self.wrap_width or wrapped._tab_width != self.indent_width:
            wrapped.wrap(self.wrap_width, tab_width=self.indent_width)
        self._line_cache.clear()
        self._refresh_size()
        self.refresh()  # a new document, a new width: every line may have changed

    def _watch_language(self, language: str | None) -> None:
        """Notes are plain text: Textual's watcher, run once on mount, built the document (and
        wrapped it) a second time from the whole text."""
        if language is not None or type(self.document) is not Document:
            super()._watch_language(language)

    def _refresh_size(self) -> None:
        """Textual's, without laying out the whole screen when only the wrapped height changed.

        `virtual_size` is a layout reactive: each key that made a paragraph one screen line
        longer or shorter re-laid out the screen and redrew every widget on it (heading, side
        panel, footer, the whole editor): the slowest keys at 200 KB. Only this editor's
        scrolling and its scrollbar depend on that height, so it is set without a layout and the
        scrollbar is updated as a layout would (`_scroll_update`). A scrollbar that appears or
        goes still lays out (`show_vertical_scrollbar` is a layout reactive)."""
        size = Size(0, self.wrapped_document.height)
        if (
            not (self.soft_wrap and self.is_mounted and self.container_size)
            or size == self.virtual_size
        ):
            super()._refresh_size()
            return
        self.set_reactive(NotesArea.virtual_size, size)
        self._scroll_update(size)
        self._refresh_scrollbars()

    # --- drawing a line -------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        """Textual's TextArea.render_line (8.2.8), with drawn lines kept across edits.

        Textual keys its cache of drawn lines on the screen line's position and empties it on
        every edit, so a key that makes a paragraph one screen line longer redrew every line
        below it, each of them unchanged, only moved (the slowest keys at 200 KB). Here a line is
        kept under what it shows (`_strip_key`): moved lines are found again. The emptiness test
        for the placeholder is made without joining the whole text."""
        document = self.document
        if self.placeholder and document.line_count == 1 and not document[0]:
            return super().render_line(y)
        key = self._strip_key(y)
        if key is None:
            return super().render_line(y)
        strips = self._strips
        strip = strips.get(key)
        if strip is None:
            strip = strips[key] = self._render_line(y)
        return strip

    def _strip_key(self, y: int) -> tuple[object, ...] | None:
        """Everything screen line `y` (of the view) is drawn from, or None where Textual's own
        cache applies (no soft wrap, line numbers, syntax highlights, a suggestion, tabs).

        A screen line away from the cursor, the selection and a matched bracket is drawn from its
        text alone (whether it ends its document line: the cell the cursor may take, and whether
        it is on the cursor's line, which is highlighted); on those the cursor's and the
        selection's columns matter too, so they are in the key."""
        if (
            not self.soft_wrap
            or self.show_line_numbers
            or self._highlights
            or self.suggestion
            or not self.is_mounted
        ):
            return None
        state = (
            self.size,
            self.scrollable_content_region.width,
            self.theme,
            self.read_only,
            self.show_cursor,
            self.highlight_cursor_line,
            self.match_cursor_bracket,
            self.indent_width,
        )
        wrapped = self.wrapped_document
        absolute_y = int(self.scroll_offset.y) + y
        if not 0 <= absolute_y < wrapped.height:
            return (state,)  # below the text: a blank line
        line_index, section = wrapped._offset_to_line_info[absolute_y]
        line = self.document[line_index]
        offsets = wrapped.get_offsets(line_index)
        begin = offsets[section - 1] if section else 0
        end = offsets[section] if section < len(offsets) else len(line)
        text = line[begin:end]
        if "\t" in text:
            return None  # a tab's width depends on its column in the whole line
        last = end >= len(line)
        selection = self.selection
        bracket = self._matching_bracket_location
        top, bottom = sorted(selection)
        here = (line_index, begin), (line_index, end + 1)  # the section, and the cursor's cell
        if (
            here[0] <= selection.end <= here[1]
            or (selection.start != selection.end and top <= here[1] and bottom >= here[0])
            or (bracket is not None and here[0] <= bracket <= here[1])
        ):
            return (
                state,
                text,
                last,
                line_index,
                begin,
                selection,
                bracket,
                self._draw_cursor,
                self._has_cursor,
            )
        # The cursor's line is highlighted whole: its other sections (a long paragraph fills
        # the view with them) are drawn from their text too.
        return (state, text, last, line_index == selection.end[0])

    def notify_style_update(self) -> None:
        self._strips.clear()  # the theme's styles come from CSS
        super().notify_style_update()

    def _render_line(self, y: int) -> Strip:
        return render_section(self, y) or super()._render_line(y)


class NotesScreen(ReviewScreen[None]):
    AUTO_FOCUS = "#notes"  # focused as it opens, before its first frame (base.py)
    CSS_PATH = "notes.tcss"
    BINDINGS = [
        Binding("ctrl+t", "insert_time", "Insert time", priority=True, id="notes-time"),
        Binding(
            "ctrl+o", "mark_contentious", "Mark contentious", priority=True, id="notes-contentious"
        ),
        Binding("f9", "write_copy", "Copy to file", id="notes-copy"),
        Binding("f4", "toggle_side", "Matters", id="notes-side"),
        Binding("escape", "back", "Back", id="notes-back"),
    ]

    def __init__(
        self, interview_id: int, clock: Callable[[], dt.datetime] = dt.datetime.now
    ) -> None:
        super().__init__()
        self.interview_id = interview_id
        self.clock = clock
        self.saves = 0  # committed saves of the notes, for tests and the benchmark
        self.revision = 0  # changes made on screen
        self.committed = 0  # the newest change known to be on disk
        self.unsaved = False
        self.reason = ""  # why the last save failed
        self._text = ""  # the newest text handed to the writer
        self._submit_queued = False  # a change is waiting for its frame to be drawn
        self._area: TextArea | None = None  # the notes editor, from mount
        self._indicator_at = 0.0
        self.saver: BackgroundSaver | None = None  # the writer thread, from mount to unmount
        # A signed record: the reason given for changing it (saved with the change), whether the
        # question is open, and the newest change refused before it was answered.
        self.signed_reason = ""
        self._asking = False
        self._asked_up_to = 0
        self._leaving = False  # Esc pressed: leaving once the last change is on disk

    def compose(self) -> ComposeResult:
        store = self.store
        row = store.get(m.Interview, self.interview_id)
        self.review_id: int = row.review_id  # where F9 offers a copy, even if the disk fails
        person = store.get(m.Person, row.person_id)
        yield Static(f"⚠ {iv.DISCLOSURE_REMINDER}", id="disclosure")
        yield Static(
            f"Interview with {iv.display_name(person)} · {iv.describe_when(row.scheduled_for)}",
            id="notes-heading",
            markup=False,
        )
        with Horizontal(id="notes-body"):
            area = NotesArea(
                row.notes, id="notes", soft_wrap=True, show_line_numbers=False, tab_behavior="focus"
            )
            area.border_title = "Notes (saved as you type)"
            yield area
            with VerticalScroll(id="side"):
                yield Label("Matters to cover", classes="side-title")
                for key, text in iv.MATTERS:
                    box = TickBox(
                        iv.MATTER_SHORT[key],
                        key in row.matters_covered,
                        id=f"m-{key}",
                        compact=True,
                        classes="matter",
                    )
                    box.tooltip = text
                    yield box
                yield Label("Contentious: check back before the end", classes="side-title")
                yield Static(self._points_text(row.contentious_points), id="points", markup=False)
                yield TickBox(
                    "Checked back with the interviewee",
                    bool(row.contentious_points_checked_back),
                    id="checked-back",
                    compact=True,
                )
        yield SaveIndicator()
        yield Footer()

    def on_mount(self) -> None:
        self._start_saver()
        self.set_interval(0.25, self._submit)  # a change whose after-refresh call was dropped
        area = self._area = self.query_one("#notes", TextArea)
        area.move_cursor(area.document.end)

    @staticmethod
    def _points_text(points: list[str]) -> str:
        if not points:
            return "None marked. Select a passage (or go to its line) and press ctrl+o."
        return "\n".join(
            f"{n}. {p if len(p) < 120 else p[:117] + '...'}" for n, p in enumerate(points, 1)
        )

    # --- saving -------------------------------------------------------------------------------
    # Every change goes to a writer thread at once (reviewer_tui.background_save): the commit never
    # holds up the next key. `revision` counts changes; `committed` is the newest one on disk.
    def _start_saver(self) -> None:
        from reviewer_tui.background_save import BackgroundSaver

        store = self.store

        def save(text: str) -> None:
            iv.save_notes(store, self.interview_id, text, self.signed_reason)

        def on_result(revision: int, error: BaseException | None) -> None:
            self.post_message(self.Saved(revision, error))  # thread-safe; never blocks the writer

        self.saver = BackgroundSaver(save, on_result, name=f"notes-{self.interview_id}")

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.revision += 1
        # Handed to the writer once the frame showing the key is drawn: the writer's own work
        # (checking and indexing up to megabytes of text, in Python) then never competes with
        # drawing that frame. A key is acknowledged only once committed, as before. Asked for on
        # every change, and by a timer too (on_mount): Textual drops an after-refresh callback
        # whose screen is removed first (a dialog opened and closed at once).
        self._submit_queued = True
        self.call_after_refresh(self._submit)

    def _submit(self) -> None:
        """Hand the newest text (every change so far) to the writer thread, if not done yet.
        Called after the key's frame, and first thing wherever the screen asks what is saved."""
        if not self._submit_queued:
            return
        self._submit_queued = False
        area = self._area
        if area is None:
            return
        self._text = area.text  # kept for a recovery copy when the screen closes
        if self.saver is not None:  # started on mount
            self.saver.submit(self.revision, self._text)

    class Saved(Message):
        """The writer thread committed `revision`, or failed with `error`."""

        def __init__(self, revision: int, error: BaseException | None) -> None:
            self.revision = revision
            self.error = error
            super().__init__()

    def on_notes_screen_saved(self, message: Saved) -> None:
        self._save_result(message.revision, message.error)

    def _save_result(self, revision: int, error: BaseException | None) -> None:
        from reviewer_tui.errors import Locked

        if isinstance(error, Locked):
            self._ask_reason(error, revision)
            return
        if error is not None:
            import sqlite3

            from reviewer_tui.errors import InputError

            known = isinstance(error, (InputError, OSError, sqlite3.Error)) or type(
                error
            ).__module__.startswith("sqlalchemy")
            if not known:
                raise error
            reason = str(getattr(error, "orig", None) or error)
            report_save(self, False, "Notes", reason)
            self.reason = reason
            if not self.unsaved:
                self.notify(
                    "The notes were NOT SAVED. They are still on screen; the next key retries. "
                    "Press F9 to write a copy to a file.",
                    severity="error",
                    timeout=10,
                )
            self.unsaved = True
            return
        self.committed = max(self.committed, revision)
        self.saves += 1
        if self.committed == self.revision:
            # Repainting the indicator re-lays out the screen: do it when the state changes and
            # at most once a second while typing goes well, not on every key.
            now = time.monotonic()
            if self.unsaved or now - self._indicator_at >= 1.0:
                self._indicator_at = now
                report_save(self, True)
                if self.unsaved:  # saved at last: an older copy must not come back
                    self.app.forget_recovery_copy(self._pending(""))
            self.unsaved = False

    def _ask_reason(self, refused: Any, revision: int) -> None:
        """A signed record: nothing was stored. With a reason, the text on screen is saved with
        it; cancelled, the stored notes come back on screen and the reviewer is told."""
        if self._asking or revision <= self._asked_up_to:
            return  # the question is open, or this key was typed before it was answered
        from reviewer_tui.screens.history import ask_reason

        self._asking = True

        def answered(reason: str | None) -> None:
            self._asking = False
            self._asked_up_to = self.revision
            if reason:
                self.signed_reason = reason
                self.retry_saves()
                return
            self.reload_stored()
            self.notify(
                "Your change to the notes was not kept: the record is signed. The notes show "
                "what is stored.",
                severity="warning",
                timeout=8,
            )

        ask_reason(self.app, refused, answered)

    def reload_stored(self) -> None:
        """Show the stored notes again (after a restore from the history, or a refused change);
        saving them again changes nothing."""
        area = self.query_one("#notes", TextArea)
        area.text = self.store.get(m.Interview, self.interview_id).notes
        area.move_cursor(area.document.end)
        area.focus()

    # --- what is not saved (asked for by the app when quitting or stopping) --------------------
    def _pending(self, text: str) -> Any:
        from reviewer_tui.recovery import Pending

        return Pending(
            "interview",
            self.interview_id,
            "notes",
            "Interview notes",
            text,
            "long",
            "Interview notes",
            self.reason,
        )

    def unsaved_edits(self) -> list[Any]:
        """The notes, if the newest change on screen is not known to be on disk. Waits briefly
        for the writer thread: a change typed just now is normally committed within milliseconds."""
        saver = self.saver
        if saver is None or not self.is_mounted:
            return []
        self._submit()
        saver.wait_idle(timeout=2)
        if saver.committed >= self.revision:
            return []
        return [self._pending(self.query_one("#notes", TextArea).text)]

    def retry_saves(self) -> None:
        """Submit the text on screen again (as the next key would)."""
        self._submit()
        if self.saver is not None and self.saver.committed < self.revision:
            self.revision += 1
            self.saver.submit(self.revision, self.query_one("#notes", TextArea).text)

    def on_unmount(self) -> None:
        saver = self.saver
        if saver is not None:
            self._submit()
            saver.close()
            if saver.committed < self.revision:
                self.app.keep_on_close(self._pending(self._text))

    @on(Checkbox.Changed, ".matter")
    def _matter(self, event: Checkbox.Changed) -> None:
        event.stop()
        key = (event.checkbox.id or "")[2:]
        store = self.store
        save_with_feedback(
            self,
            "Matters covered",
            lambda: iv.set_matter(store, self.interview_id, key, event.value),
        )

    @on(Checkbox.Changed, "#checked-back")
    def _checked_back(self, event: Checkbox.Changed) -> None:
        event.stop()
        store = self.store
        save_with_feedback(
            self,
            "Checked back",
            lambda: store.update(
                m.Interview, self.interview_id, contentious_points_checked_back=event.value
            ),
        )

    # --- actions --------------------------------------------------------------------------------
    def action_insert_time(self) -> None:
        area = self.query_one("#notes", TextArea)
        area.focus()
        row, column = area.cursor_location
        # A time marks a new passage: start it on a line of its own.
        prefix = "\n" if column > 0 and area.document.get_line(row)[:column].strip() else ""
        area.insert(prefix + iv.time_mark(self.clock()))

    def action_mark_contentious(self) -> None:
        area = self.query_one("#notes", TextArea)
        passage = (
            area.selected_text.strip() or area.document.get_line(area.cursor_location[0]).strip()
        )
        store = self.store
        points: list[list[str]] = []
        if save_with_feedback(
            self,
            "Contentious point",
            lambda: points.append(iv.mark_contentious(store, self.interview_id, passage)),
        ):
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
        """Write the notes on screen to a text file the note taker chooses (rule 6): the way out
        when saving fails. The file is not encrypted, so the prompt says so before anything is
        written, and an encrypted data folder refuses it (nothing readable is kept there)."""
        from reviewer_tui import exports
        from reviewer_tui.screens.dialogs import plain_file_prompt

        name = f"interview-notes-{self.interview_id}-{dt.datetime.now():%Y%m%d-%H%M%S}.txt"
        review_id = self.review_id

        def write(path: str | None) -> None:
            if path:
                self._write_copy(Path(path).expanduser())

        self.app.push_screen(
            plain_file_prompt(
                self.app,
                "Write a copy of the notes to a file",
                str(exports.offered_path(review_id, name)),
                "Delete it once the notes are saved.",
                review_id=review_id,
            ),
            write,
        )

    def _write_copy(self, target: Path) -> None:
        from reviewer_tui.recovery import save_as_file

        text = self.query_one("#notes", TextArea).text
        try:
            save_as_file(self._pending(text), target)
        except OSError as exc:
            self.notify(
                f"No copy was written to {target}: {exc.strerror or exc}. Press F9 to try "
                "another place (a USB stick, say); keep this screen open.",
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        self.notify(
            f"A copy of the notes was written to {target}. It is not encrypted: keep it "
            "safe and delete it once the notes are saved.",
            timeout=10,
            markup=False,
        )

    @property
    def all_saved(self) -> bool:
        return self.committed == self.revision and not self.unsaved

    def action_back(self) -> None:
        """Leave once the last change is on disk. Waiting for the writer happens on a worker
        thread, with the save bar saying so: typing goes on (and is saved) meanwhile."""
        if self._leaving:
            return
        if self.unsaved:
            self._say_not_saved()
            return
        self._submit()
        saver = self.saver
        if saver is None or saver.committed >= self.revision:
            self.dismiss()
            return
        self._leaving = True
        for indicator in self.query(SaveIndicator):
            indicator.update("Saving the last change... the notes close as soon as it is on disk.")
        self._wait_to_leave(self.revision)

    def _say_not_saved(self) -> None:
        self.notify(
            "The last change is NOT SAVED. Type a key to retry or press F9 to write a copy "
            "to a file before leaving.",
            severity="error",
            timeout=10,
        )

    class ReadyToLeave(Message):
        """The writer thread has nothing left to write (asked for at `revision`)."""

        def __init__(self, revision: int) -> None:
            self.revision = revision
            super().__init__()

    @work(thread=True, exclusive=True, exit_on_error=False, group="notes-leave")
    def _wait_to_leave(self, revision: int) -> None:
        saver = self.saver
        if saver is not None:
            saver.wait_idle(timeout=60)
        self.post_message(self.ReadyToLeave(revision))

    def on_notes_screen_ready_to_leave(self, message: ReadyToLeave) -> None:
        if not self._leaving or not self.is_mounted:
            return
        self._submit()
        saver = self.saver
        if saver is None or saver.committed >= self.revision:
            self._leaving = False
            self.dismiss()
            return
        if self.revision != message.revision and not self.unsaved:
            self._wait_to_leave(self.revision)  # typed on while leaving: wait for that too
            return
        self._leaving = False  # failed, or refused (a signed record): the screen says which
        if self.unsaved:
            self._say_not_saved()
        else:
            report_save(self, True)
            self.notify("Still saving the last change; try again in a moment.", severity="warning")
