"""Stage 4, the chronology (seed 003 section 6, seed 004 section 10 and Appendix I).

Thin over reviewer_tui.chronology: the screen reads the chronology from the database as it is
shown (StoredChronology: counts and lists by aggregate queries; EntryPages: the entries a filter
shows, a page at a time, filtered and searched in SQL), and the table draws only the lines that
fit, so opening, filtering and searching 10,000 entries read what is on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from reviewer_tui import chronology as ch
from reviewer_tui import dates, domain
from reviewer_tui import models as m
from reviewer_tui.deletion import Deleted
from reviewer_tui.errors import DateProblem, InputError
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewModal, ReviewScreen
from reviewer_tui.screens.chronology_table import WIDE, ChronologyTable, TextPane, header_text
from reviewer_tui.screens.deleting import DeleteButton, Deletions, delete_box
from reviewer_tui.screens.forms import (
    YES_NO,
    FieldEditor,
    RecordRow,
    SaveIndicator,
    Spec,
    StageBody,
    field_group,
    focus_first,
    save_with_feedback,
    stage_header,
)
from reviewer_tui.screens.inputs import LeanSelect, SteadyInput
from reviewer_tui.screens.text import lines as join_lines
from reviewer_tui.screens.text import literal, markup
from reviewer_tui.screens.ticks import TickBox

KNOWN_OPTIONS = [(label, key) for key, label in ch.KNOWN_CHOICES]
KNOWN = "known"  # ChronologyScreen._returning: the screen above changed nothing it was not told
EMPTY_CHRONOLOGY = "No entries yet: press n to add some, or i to import an agency's chronology."


def entry_detail(entry: Any, codes: dict[str, str], date_problem: str | None = None) -> Content:
    """The whole entry for the detail pane: the entry's text shown exactly, and what is odd
    about its date (accepted, but to check)."""
    if entry is None:
        return markup("[dim]No entry selected.[/dim]")
    e = entry
    precision = dict(dates.PRECISIONS)[ch.effective_precision(e.when, e.date_precision)]

    def text_or(value: str, empty: str) -> Content:
        return literal(value) if value else markup("[dim]$empty[/dim]", empty=empty)

    source = literal(e.source or "(none)")
    if e.source in codes:
        source += literal(f" ({codes[e.source]})" if codes[e.source] else "")
    else:
        source += markup(" [b $warning]not in the agency code register[/]")
    known = {
        True: "known to practitioners at the time",
        False: "[b]learned later (hindsight)[/b]",
        None: "not recorded",
    }[e.known_at_the_time]
    parts: list[Content | str] = [
        markup(
            "[b]$when[/b]  [dim]$precision[/dim]",
            when=ch.display_when(e.when, e.date_precision),
            precision=precision + (f", sequence {e.sequence}" if e.sequence is not None else ""),
        ),
        *(
            [markup("[b $warning]⚠ $problem: accepted, but check it.[/]", problem=date_problem)]
            if date_problem
            else []
        ),
        markup("[b]Source:[/b] ") + source,
        markup(f"[b]Known:[/b] {known}"),
        "",
        markup("[b]Event[/b]"),
        text_or(e.event, "(none)"),
        "",
        markup("[b]Participation[/b]"),
        text_or(e.participation, "(none)"),
        "",
        markup("[b]Outcome[/b]"),
        text_or(e.outcome, "(none)"),
        "",
        markup("[b]Issues:[/b] ") + text_or(", ".join(e.issues), "(none)"),
    ]
    if e.significant:
        parts += ["", markup("[b $accent]★ Significant Practice Event[/]")]
        for name, label in ch.SPE_FIELDS:
            parts += [
                markup("[b]$label[/b]", label=label),
                text_or(getattr(e, name), "(not written yet)"),
            ]
        answered = [q.question for q in domain.SIGNIFICANCE_QUESTIONS if q.key in e.significance]
        parts += (
            [markup("[b]Significant because:[/b]")] + [f" • {q}" for q in answered]
            if answered
            else [markup("[dim]No significance question answered yes yet.[/dim]")]
        )
    return join_lines(parts)


class ChronologyScreen(ReviewScreen[None]):
    CSS_PATH = "chronology.tcss"
    AUTO_FOCUS = "#chrono-table"  # focused as it opens, before its first frame (base.py)
    BINDINGS = [
        Binding("n", "quick_entry", "New entries", id="chronology-new"),
        Binding("e", "edit", "Edit", id="chronology-edit"),
        Binding("slash", "search", "Search", id="chronology-search"),
        Binding("v", "toggle_detail", "Detail pane", id="chronology-detail"),
        Binding("s", "toggle_significant", "SPE only", id="chronology-spe-only"),
        Binding("ctrl+l", "clear_filters", "Clear filters", id="chronology-clear"),
        Binding("g", "agency_codes", "Agency codes", id="chronology-codes"),
        Binding("i", "import_file", "Import", id="chronology-import"),
        Binding("x", "export_csv", "Export CSV", id="chronology-export"),
        Binding("escape", "clear_search_or_leave", "Workspace", id="stage-back"),
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        self._view: ch.StoredChronology | None = None  # made on mount (reload)
        self.codes: dict[str, str] = {}
        self.deletions = Deletions(self)
        self.flt = ch.ChronologyFilter()
        # What the screen above can have changed: one entry (its id), nothing the screen does
        # not already know (KNOWN: the quick-entry form reports each entry it adds, and the
        # first showing follows on_mount's read), or anything (None: read everything again).
        self._returning: int | str | None = KNOWN
        self.date_problem: Any = lambda when, precision: None  # read with the register
        self.date_marks: set[int] = set()  # entries whose date is to check (date_problem)
        self._options: dict[str, list[tuple[Content, str]]] = {}
        self._detail_of: tuple[Any, ...] | None = None  # (entry, date problem, codes) shown
        self._header_drawn = ""  # the table's column names as drawn
        self._status_drawn: tuple[str, list[Any]] | None = None  # the status line drawn

    @property
    def view(self) -> ch.StoredChronology:
        """The chronology as stored: its counts, lists and filtered pages."""
        if self._view is None:
            self._view = ch.StoredChronology(self.store, self.review_id)
        return self._view

    def _set_width_classes(self, width: int, update: bool = True) -> None:
        self.set_class(width < 90, "-narrow", update=update)
        self.set_class(width >= WIDE, "-wide", update=update)

    def compose(self) -> ComposeResult:
        # The width's classes before anything is mounted: added on the first Resize, after
        # every widget was styled, they would restyle the whole screen a second time.
        self._set_width_classes(self.app.size.width, update=False)
        self._read_stored()  # the filters' choices are given now: set later, they recompose
        options = self._filter_options()
        self._options = dict(options)
        yield Header()
        yield Static("4 Chronology", classes="stage-title", id="chrono-title")
        with Horizontal(id="filters"):
            yield LeanSelect(
                options["#filter-source"], prompt="Any agency", id="filter-source", compact=True
            )
            yield LeanSelect(
                options["#filter-issue"], prompt="Any issue", id="filter-issue", compact=True
            )
            yield LeanSelect(KNOWN_OPTIONS, prompt="Known: any", id="filter-known", compact=True)
            yield TickBox("SPE only", id="filter-spe", compact=True)
            yield SteadyInput(placeholder="/ search text", id="filter-text", compact=True)
        with Horizontal(id="chrono-main"):
            with Vertical(id="table-side"):
                yield Static("", id="table-header")
                table = ChronologyTable(id="chrono-table")
                # Wide or not as the screen is (its first Resize then changes nothing): set on
                # that Resize, it laid the table out and painted the screen a second time.
                table.wide = self.app.size.width >= WIDE
                yield table
            yield TextPane(id="detail")
        yield Static("", id="chrono-status")
        yield SaveIndicator()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(ChronologyTable)
        table.known_codes = frozenset(self.codes)
        table.sized = self._draw_header  # for the size the table has now, in the same frame
        self.apply_filters()  # read in compose

    def on_screen_resume(self) -> None:
        """Back from another screen: refresh only what it can have changed."""
        returning, self._returning = self._returning, None
        if returning == KNOWN:
            return
        if isinstance(returning, int):  # one entry edited
            store = self.store
            try:
                self._upsert(store.get(m.ChronologyEntry, returning))
            except InputError:
                self._remove(returning)
            self._refresh_filter_options()
            self.apply_filters(keep=returning)
        else:  # the register, an import, or anything else: read everything again
            self.reload()

    def on_resize(self) -> None:
        self._set_width_classes(self.size.width)
        self.query_one(ChronologyTable).set_wide(self.size.width >= WIDE)
        self.call_after_refresh(self._draw_header)

    def action_toggle_detail(self) -> None:
        """Show or hide the detail pane (hidden by default below 90 columns, and from 120, where
        the table shows all six columns itself)."""
        if self.has_class("-narrow") or self.has_class("-wide"):
            self.toggle_class("-show-detail")
        else:
            self.toggle_class("-hide-detail")
        self.call_after_refresh(self._draw_header)

    # --- data ---------------------------------------------------------------------------------
    def _read_stored(self) -> None:
        """Read the register, the review's period and the chronology's counts again."""
        store = self.store
        self.codes = {a.code: a.name for a in ch.ensure_agency_codes(store, self.review_id)}
        self.date_problem = ch.date_problems(store, self.review_id, self.app.today())
        self._view = ch.StoredChronology(store, self.review_id)
        self.date_marks = self.date_problem.marked_in(store, self.review_id)

    def reload(self) -> None:
        """Read the register and the chronology again (after an import or a return)."""
        self._read_stored()
        table = self.query_one(ChronologyTable)
        table.known_codes = frozenset(self.codes)
        self._refresh_filter_options()
        self.apply_filters(keep=table.current.id if table.current else None)

    def _filter_options(self) -> dict[str, list[tuple[Content, str]]]:
        sources = sorted(set(self.codes) | set(self.view.sources()), key=str.casefold)
        return {
            "#filter-source": [
                (literal(c if c in self.codes else f"{c} (not in register)"), c) for c in sources
            ],
            "#filter-issue": [(literal(t), t) for t in self.view.issues()],
        }

    def _refresh_filter_options(self) -> None:
        for selector, options in self._filter_options().items():
            self._set_options(selector, options)

    def _set_options(self, selector: str, options: list[tuple[Content, str]]) -> None:
        if self._options.get(selector) == options:
            return  # unchanged: resetting a Select's options reflows the screen
        self._options[selector] = options
        select: Select[str] = self.query_one(selector, Select)
        current = select.value
        with select.prevent(Select.Changed):
            select.set_options(options)
            if current is not Select.NULL and current in {v for _, v in options}:
                select.value = current

    def apply_filters(self, keep: int | None = None) -> None:
        table = self.query_one(ChronologyTable)
        if keep is None and table.current is not None:
            keep = table.current.id
        rows = self.view.filtered(self.flt)
        table.date_marks = self.date_marks
        table.empty_message = (
            "No entry matches the filters: ctrl+l clears them (or Esc in the search box)."
            if self.flt.active and len(self.view)
            else EMPTY_CHRONOLOGY
        )
        table.set_rows(rows, keep, self.view.when_width(self.date_marks))
        self._draw_header()
        self._show_status(len(rows))
        self._show_detail()

    def _draw_header(self) -> None:
        table = self.query_one(ChronologyTable)
        text = header_text(
            table.scrollable_content_region.width or table.size.width or 60,
            table.when_width,
            wide=table.wide,
        )
        if text != self._header_drawn:  # the same on most filter changes: nothing to repaint
            self._header_drawn = text
            self.query_one("#table-header", Static).update(text, layout=False)

    def _show_status(self, shown: int) -> None:
        total = len(self.view)
        spes = self.view.significant_count()
        unknown = {
            code: n for code, n in self.view.source_counts().items() if code not in self.codes
        }
        parts = [
            literal(f"{shown} of {total} shown" if self.flt.active else f"{total} entries"),
            literal(f"{spes} significant"),
        ]
        if unknown:
            parts.append(
                markup(
                    "[b $warning]sources not in the register: $codes (g to edit the register)[/]",
                    codes=", ".join(f"{c or '(blank)'} ×{n}" for c, n in unknown.items()),
                )
            )
        status = Content(" · ").join(parts) + markup(
            "  [dim]★ significant  h learned later  ? unknown source[/dim]"
        )
        drawn = (status.plain, list(status.spans))  # Content's == compares the text only
        if drawn != self._status_drawn:
            self._status_drawn = drawn
            self.query_one("#chrono-status", Static).update(status, layout=False)

    def _show_detail(self) -> None:
        current = self.query_one(ChronologyTable).current
        entry = current.entry if current else None
        problem = self.date_problem(entry.when, entry.date_precision) if entry else None
        shown = (entry, problem, self.codes)
        last = self._detail_of
        if last is not None and last[0] is entry and last[1] == problem and last[2] is self.codes:
            return  # the same entry as it was: a filter or a search key changed nothing here
        self._detail_of = shown
        self.query_one("#detail", TextPane).set_markup(entry_detail(entry, self.codes, problem))

    @on(ChronologyTable.Highlighted)
    def _highlighted(self, event: ChronologyTable.Highlighted) -> None:
        self._show_detail()

    @on(ChronologyTable.Chosen)
    def _chosen(self, event: ChronologyTable.Chosen) -> None:
        self.action_edit()

    # --- filters ------------------------------------------------------------------------------
    @on(Select.Changed, "#filters Select")
    @on(Checkbox.Changed, "#filter-spe")
    @on(Input.Changed, "#filter-text")
    def _filters_changed(self) -> None:
        def value(selector: str) -> str | None:
            v = self.query_one(selector, Select).value
            return None if v is Select.NULL else str(v)

        self.flt = ch.ChronologyFilter(
            source=value("#filter-source"),
            issue=value("#filter-issue"),
            significant_only=self.query_one("#filter-spe", Checkbox).value,
            known=value("#filter-known"),
            text=self.query_one("#filter-text", Input).value,
        )
        self.apply_filters()

    @on(Input.Submitted, "#filter-text")
    def _search_done(self) -> None:
        self.query_one(ChronologyTable).focus()

    def action_search(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def action_toggle_significant(self) -> None:
        box = self.query_one("#filter-spe", Checkbox)
        box.value = not box.value

    def action_clear_filters(self) -> None:
        """Every filter off, then the table filtered once (not once per filter cleared)."""
        with self.prevent(Select.Changed, Checkbox.Changed, Input.Changed):
            for select in self.query("#filters Select").results(Select):
                select.clear()
            self.query_one("#filter-spe", Checkbox).value = False
            self.query_one("#filter-text", Input).value = ""
        self._filters_changed()

    # --- entries ------------------------------------------------------------------------------
    def entry_added(self, entry: Any) -> None:
        """Called by the quick-entry form after each entry is stored."""
        self._upsert(entry, new=True)
        self._refresh_filter_options()
        self.apply_filters(keep=entry.id)

    def _upsert(self, entry: Any, new: bool = False) -> None:
        """Entry `entry` was stored (`new`: added): counted in, its date checked."""
        if new:
            self.view.added(entry)
        else:
            self.view.changed()
        self.date_marks.discard(entry.id)
        if self.date_problem(entry.when, entry.date_precision):
            self.date_marks.add(entry.id)

    def _remove(self, entry_id: int) -> None:
        self.view.changed()
        self.date_marks.discard(entry_id)

    def action_quick_entry(self) -> None:
        self._returning = KNOWN  # each entry it adds comes back through entry_added
        self.app.push_screen(QuickEntryScreen(self.review_id, self))

    def action_edit(self) -> None:
        current = self.query_one(ChronologyTable).current
        if current is None:
            self.notify("No entry to edit.", severity="warning")
            return
        self._returning = current.id
        self.app.push_screen(EntryScreen(current.id, self.codes))

    def action_delete(self) -> None:
        current = self.query_one(ChronologyTable).current
        if current is None:
            return
        when = ch.display_when(current.when, current.entry.date_precision)
        if self.deletions.delete(
            m.ChronologyEntry, current.id, f"the entry of {when}", self._put_back
        ):
            self._remove(current.id)
            self._refresh_filter_options()
            self.apply_filters()

    def _put_back(self, token: Deleted) -> None:
        store = self.store
        self.entry_added(store.get(m.ChronologyEntry, token.row_id))

    async def action_undo(self) -> None:
        await self.deletions.undo()

    # --- other screens ------------------------------------------------------------------------
    def action_agency_codes(self) -> None:
        self.app.push_screen(AgencyCodesScreen(self.review_id))

    def action_import_file(self) -> None:
        from reviewer_tui.screens.chronology_import import ChronologyImportScreen

        self.app.push_screen(ChronologyImportScreen(self.review_id))

    def action_export_csv(self) -> None:
        """Export what the table shows: the filtered entries when a filter is on."""
        from reviewer_tui import exports
        from reviewer_tui.screens.dialogs import plain_file_prompt

        filtered = self.flt.active
        chosen = [v.entry for v in self.view.filtered(self.flt)] if filtered else None
        name = ch.default_export_name(self.review_id, self.app.today(), filtered)
        default = exports.offered_path(self.review_id, name)
        what = (
            f"Export the {len(chosen)} entries the filter shows as CSV"
            if chosen is not None
            else "Export the chronology as CSV"
        )

        def done(path: str | None) -> None:
            if path:
                self.export_to(Path(path).expanduser(), chosen)

        self.app.push_screen(
            plain_file_prompt(self.app, what, str(default), review_id=self.review_id), done
        )

    def export_to(self, path: Path, chosen: list[Any] | None = None) -> None:
        store = self.store
        try:
            count = ch.export_csv(store, self.review_id, path, chosen)
        except OSError as exc:
            self.notify(f"Not exported: {exc}", severity="error", timeout=10, markup=False)
            return
        which = (
            f"{count} of {len(self.view)} entries (those the filter shows)"
            if chosen is not None
            else f"{count} entries"
        )
        self.notify(
            f"Exported {which} in date order to {path}. It holds real names: keep it "
            "with the review's confidential papers.",
            timeout=8,
            markup=False,
        )

    def action_clear_search_or_leave(self) -> None:
        """Esc: in the search box with text in it, clear the search and go back to the table;
        anywhere else (so a second Esc), back to the workspace."""
        search = self.query_one("#filter-text", Input)
        if search.has_focus and search.value:
            search.value = ""
            self.query_one(ChronologyTable).focus()
            return
        self.dismiss()


class _SpaceCheckbox(TickBox, inherit_bindings=False):
    """Space ticks it; Enter is left to the form, which adds the entry."""

    BINDINGS = [Binding("space", "toggle_button", "Toggle", show=False, id="tick-toggle")]


class QuickEntryScreen(ReviewModal[int]):
    """Type one event after another: Enter stores the entry, clears the form and goes back to
    the date, so twenty events can be typed without touching the mouse. Esc closes."""

    DEFAULT_CSS = """
    QuickEntryScreen { align: center bottom; }
    QuickEntryScreen > Vertical { width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; }
    QuickEntryScreen Label.title { text-style: bold; width: 100%; }
    QuickEntryScreen Horizontal { height: auto; }
    QuickEntryScreen Label { width: 14; padding-right: 1; }
    QuickEntryScreen Input { width: 1fr; }
    QuickEntryScreen #qe-sequence { width: 8; }
    QuickEntryScreen #qe-later { width: 1fr; margin-left: 2; }
    QuickEntryScreen .hint { color: $text-muted; height: auto; }
    QuickEntryScreen #qe-message { height: auto; }
    QuickEntryScreen #qe-message.error { color: $error; text-style: bold; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="quick-close"),
        Binding("enter", "submit", "Add entry", show=False, id="quick-add"),
    ]
    FIELDS = (
        ("when", "Date & time"),
        ("source", "Source"),
        ("event", "Event"),
        ("participation", "Participation"),
        ("outcome", "Outcome"),
        ("issues", "Issues"),
    )

    def __init__(self, review_id: int, host: ChronologyScreen | None = None) -> None:
        super().__init__()
        self.review_id = review_id
        self.host = host
        self.added = 0
        self.not_kept = ""  # why the draft of what is typed could not be saved, or ""
        self._last_values: dict[str, Any] | None = None
        # What was typed when Esc said the event had not been added: a second Esc closes without
        # it only if nothing was typed since (text typed after the warning is warned about again)
        self._warned_for: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        codes = list(self.host.codes) if self.host else []
        issues = sorted(set(ch.COMMON_ISSUES) | set(self.host.view.issues() if self.host else []))
        with Vertical():
            yield Label(
                "New chronology entries: Enter adds one and starts the next; Esc closes",
                classes="title",
            )
            for name, label in self.FIELDS:
                with Horizontal():
                    yield Label(label)
                    suggester = None
                    if name == "source":
                        suggester = SuggestFromList(codes, case_sensitive=False)
                    elif name == "issues":
                        suggester = SuggestFromList(issues, case_sensitive=False)
                    yield SteadyInput(
                        id=f"qe-{name}",
                        compact=True,
                        suggester=suggester,
                        placeholder={
                            "when": "14/07/2024 10:30, 3 May 2024, May 2024, c. 3 May 2024",
                            "source": "agency code, e.g. " + ", ".join(codes[:4]),
                            "issues": "tags separated by commas: Decision, Liaison",
                        }.get(name, ""),
                    )
            with Horizontal():
                yield Label("Sequence")
                yield SteadyInput(
                    id="qe-sequence",
                    compact=True,
                    placeholder="0, 1, 2",
                    type="integer",
                    tooltip="Order among events on the same day whose times are not known",
                )
                yield _SpaceCheckbox(
                    "Learned later, not known at the time (hindsight)", id="qe-later", compact=True
                )
            yield Static("", id="qe-message", markup=False)  # quotes what was typed

    def on_mount(self) -> None:
        unfinished = ch.draft(self.store, self.review_id)
        self._show(unfinished)
        if unfinished:
            self._message(
                "Restored the entry you were typing before it was added: press Enter to add it."
            )
        self.query_one("#qe-when", Input).focus()

    def values(self) -> dict[str, str]:
        return {name: self.query_one(f"#qe-{name}", Input).value for name, _ in self.FIELDS}

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _keep_draft(self) -> None:
        """Every keystroke is kept until the entry is added, so a crash loses nothing typed."""
        values = self._last_values = self._draft_values()
        store = self.store
        try:
            ch.save_draft(store, self.review_id, values)
        except Exception as exc:
            from reviewer_tui.screens.forms import save_failure_reason

            reason = save_failure_reason(exc)
            if reason is None:
                raise
            self.not_kept = reason
            self._message(
                f"NOT SAVED: what you are typing could not be kept ({reason}). It is "
                "still on screen; press Enter to add it.",
                error=True,
            )
            return
        self.not_kept = ""

    def _draft_values(self) -> dict[str, Any]:
        return {
            **self.values(),
            "sequence": self.query_one("#qe-sequence", Input).value,
            "later": self.query_one("#qe-later", Checkbox).value,
        }

    def _after_adding(self) -> dict[str, Any]:
        """The form once its entry is added: emptied for the next one, but the source."""
        return {
            name: value if name == "source" else (False if name == "later" else "")
            for name, value in self._draft_values().items()
        }

    def _show(self, values: dict[str, Any]) -> None:
        """Put `values` (as _draft_values gives them) in the form's fields, as one change."""
        with self.prevent(Input.Changed, Checkbox.Changed):
            for name, value in values.items():
                if name == "later":
                    self.query_one("#qe-later", Checkbox).value = bool(value)
                else:
                    self.query_one(f"#qe-{name}", Input).value = value

    def _pending(self, values: dict[str, Any]) -> Any:
        from reviewer_tui.recovery import Pending

        return Pending(
            "chronology_draft",
            self.review_id,
            "draft",
            "New chronology entry (not yet added)",
            values,
            "draft",
            "Chronology quick entry",
            self.not_kept,
        )

    def unsaved_edits(self) -> list[Any]:
        """What is typed, if keeping it as a draft failed (recovery.Pending)."""
        if not self.not_kept or not self.is_mounted:
            return []
        return [self._pending(self._draft_values())]

    def retry_saves(self) -> None:
        if self.not_kept:
            self._keep_draft()

    def on_unmount(self) -> None:
        if self.not_kept and self._last_values is not None:
            self.app.keep_on_close(self._pending(self._last_values))

    def _message(self, text: str, error: bool = False) -> None:
        message = self.query_one("#qe-message", Static)
        message.set_class(error, "error")
        # One line that fits where one line was: repainted in place. A layout of the screen
        # (the chronology under the form too) is only for a message that changes its height.
        same_height = message.size.height == 1 and cell_len(text) <= message.size.width
        message.update(Text(text), layout=not same_height)  # quotes what was typed: never markup

    def action_submit(self) -> None:
        self.submit()

    @on(Input.Submitted)
    def submit(self) -> None:
        values = self.values()
        try:
            when = dates.parse(values["when"], self.app.today())
        except DateProblem as exc:
            self._message(f"Not added: {exc}", error=True)
            self.query_one("#qe-when", Input).focus()
            return
        if not values["event"].strip():
            self._message("Not added: write what happened in Event.", error=True)
            self.query_one("#qe-event", Input).focus()
            return
        sequence_text = self.query_one("#qe-sequence", Input).value.strip()
        store = self.store
        source = values["source"].strip()
        after = self._after_adding()
        created: list[Any] = []
        if not save_with_feedback(
            self,
            "New entry",
            lambda: created.append(
                ch.add_entry(
                    store,
                    self.review_id,
                    when.when,
                    when.precision,
                    sequence=sequence_text,  # validators: a whole number or not set
                    event=values["event"],
                    source=source,
                    participation=values["participation"],
                    outcome=values["outcome"],
                    issues=ch.split_issues(values["issues"]),
                    known_at_the_time=False
                    if self.query_one("#qe-later", Checkbox).value
                    else None,
                    draft_after=after,  # in the entry's transaction: both stored, or neither
                )
            ),
        ):
            self._message(
                "Not added: the entry could not be saved (see below). Your text is still here.",
                error=True,
            )
            return
        entry = created[0]
        self.added += 1
        self._last_values, self.not_kept = after, ""  # the draft now, stored with the entry
        if self.host is not None:
            self.host.entry_added(entry)
        flag = ""
        if self.host is not None and source not in self.host.codes:
            flag = f"  ⚠ '{source or '(blank)'}' is not in the agency code register: it is flagged."
        problem = ch.date_problems(store, self.review_id, self.app.today())(
            entry.when, entry.date_precision
        )
        if problem:
            flag += f"  ⚠ {problem}: accepted, but check it (marked ⚠ in the table)."
        self._message(
            f"Added ({self.added} so far): {entry.when and ch.display_when(entry.when, entry.date_precision)}"
            f" {source} {values['event'][:40]}{flag}"
        )
        self._show(after)  # emptied for the next entry, as its draft already is
        self.query_one("#qe-when", Input).focus()

    def action_close(self) -> None:
        typed = self._draft_values()
        # Anything typed but the source (kept from one entry to the next) would be lost
        if typed != self._after_adding() and typed != self._warned_for:
            self._warned_for = typed
            self._message(
                "The event typed has not been added: press Enter to add it, or Esc again "
                "to close without it."
                if typed["event"].strip()
                else "What is typed has not been added (an entry needs its event): type the "
                "event and press Enter, or Esc again to close without it.",
                error=True,
            )
            return
        with self.prevent(Input.Changed, Checkbox.Changed):
            for name in (
                "when",
                "source",
                "event",
                "participation",
                "outcome",
                "issues",
                "sequence",
            ):
                self.query_one(f"#qe-{name}", Input).value = ""
        ch.save_draft(self.store, self.review_id, {})
        self.dismiss(self.added)


SEQUENCE_HELP = "Order among events on the same day when times are not known (0, 1, 2...)."


class EntryScreen(ReviewScreen[None]):
    """Every field of one entry, saved as it is typed; the Significant Practice Event fields and
    the six significance questions of seed 004 once it is marked significant."""

    CSS_PATH = "stage.tcss"
    BINDINGS = [Binding("escape", "back", "Chronology", id="entry-back")]
    DEFAULT_CSS = """
    EntryScreen #spe.hidden { display: none; }
    EntryScreen #spe Checkbox { width: 100%; margin-top: 1; }
    EntryScreen #spe .question { color: $text-muted; padding-left: 4; }
    """

    def __init__(self, entry_id: int, codes: dict[str, str] | None = None) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.codes = codes or {}

    def describe_when(self, raw: Any) -> str:
        try:
            when = dates.parse(str(raw or ""), self.app.today())
        except DateProblem as exc:
            return f"⚠ {exc}"
        precision = dict(dates.PRECISIONS)[dates.effective_precision(when.when, when.precision)]
        review_id = self.store.get(m.ChronologyEntry, self.entry_id).review_id
        problem = ch.date_problems(self.store, review_id, self.app.today())(
            when.when, when.precision
        )
        warning = f"⚠ {problem}: accepted, but check it. " if problem else ""
        return f"{warning}Read as {when.display()} ({precision.lower()}). {dates.WHEN_HELP}"

    def describe_source(self, raw: Any) -> str:
        code = str(raw or "")
        if code in self.codes:
            return self.codes[code] or "In the agency code register."
        return "⚠ Not in the agency code register: add it there (g on the chronology) or use a known code."

    def compose(self) -> ComposeResult:
        store = self.store
        e = store.get(m.ChronologyEntry, self.entry_id)
        save = self._save
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "Chronology entry",
                "The six proforma columns; Esc returns to the chronology.",
            )
            yield field_group(
                "When and who",
                FieldEditor(
                    Spec("when", "Date and time", describe=self.describe_when),
                    dates.edit_text(e.when, e.date_precision),
                    save,
                ),
                FieldEditor(
                    Spec("sequence", "Sequence on the day", help=SEQUENCE_HELP),
                    "" if e.sequence is None else str(e.sequence),
                    save,
                ),
                FieldEditor(
                    Spec("source", "Source (agency code)", describe=self.describe_source),
                    e.source,
                    save,
                ),
                FieldEditor(
                    Spec(
                        "known_at_the_time",
                        "Did practitioners know this at the time?",
                        "choice",
                        [
                            ("Yes: known at the time", True),
                            ("No: learned later (hindsight)", False),
                        ],
                    ),
                    e.known_at_the_time,
                    save,
                ),
            )
            yield field_group(
                "What happened",
                FieldEditor(Spec("event", "Event", "long"), e.event, save),
                FieldEditor(Spec("participation", "Participation", "long"), e.participation, save),
                FieldEditor(Spec("outcome", "Outcome", "long"), e.outcome, save),
                FieldEditor(
                    Spec(
                        "issues",
                        "Issues (tags separated by commas)",
                        help="For example: " + ", ".join(ch.COMMON_ISSUES),
                    ),
                    ", ".join(e.issues),
                    save,
                ),
                FieldEditor(
                    Spec(
                        "significant",
                        "Significant Practice Event?",
                        "choice",
                        YES_NO,
                        help="Then record risk, response, partnership "
                        "and learning, and which of the six questions apply.",
                    ),
                    e.significant,
                    save,
                ),
            )
            # The Significant Practice Event's fields are built only for an entry marked
            # significant (most are not): four text areas and twelve lines, 25 of the screen's
            # 86 widgets, hidden, cost 130-150 ms of opening the entry (the large review, a
            # loaded machine). Marked significant here, they are built then.
            spe = Vertical(
                *(self._spe_widgets(e) if e.significant else ()),
                id="spe",
                classes="group" + ("" if e.significant else " hidden"),
            )
            spe.border_title = "Significant Practice Event"
            yield spe
        yield SaveIndicator()
        yield Footer()

    def _save(self, name: str, value: Any) -> None:
        store = self.store
        if name == "when":
            when = dates.parse(str(value), self.app.today())
            ch.update_entry(store, self.entry_id, when=when.when, date_precision=when.precision)
        elif name == "sequence":
            ch.update_entry(store, self.entry_id, sequence=str(value))  # validators: a number
        elif name == "issues":
            ch.update_entry(store, self.entry_id, issues=ch.split_issues(str(value)))
        else:
            ch.update_entry(store, self.entry_id, **{name: value})

    def _spe_widgets(self, e: Any) -> list[Widget]:
        """The Significant Practice Event's four fields and the six significance questions."""
        save = self._save
        return [
            *(
                FieldEditor(Spec(name, label, "long"), getattr(e, name), save)
                for name, label in ch.SPE_FIELDS
            ),
            Label("The six significance questions: tick each answered yes", classes="field-label"),
            *(
                widget
                for q in domain.SIGNIFICANCE_QUESTIONS
                for widget in (
                    TickBox(q.short, q.key in e.significance, id=f"q-{q.key}", compact=True),
                    Static(q.question, classes="question"),
                )
            ),
        ]

    @on(FieldEditor.Edited)
    async def _edited(self, event: FieldEditor.Edited) -> None:
        if event.editor.spec.name == "significant":
            spe = self.query_one("#spe")
            if event.value is True and not spe.children:  # stored as it is now
                await spe.mount_all(
                    self._spe_widgets(self.store.get(m.ChronologyEntry, self.entry_id))
                )
            spe.set_class(event.value is not True, "hidden")

    @on(Checkbox.Changed, "#spe Checkbox")
    def _question(self, event: Checkbox.Changed) -> None:
        event.stop()
        answers = [
            key for key in domain.SIGNIFICANCE_KEYS if self.query_one(f"#q-{key}", Checkbox).value
        ]
        store = self.store
        save_with_feedback(
            self,
            "Significance questions",
            lambda: ch.update_entry(store, self.entry_id, significance=answers),
        )

    def action_back(self) -> None:
        self.dismiss()


class AgencyCodesScreen(ReviewScreen[None]):
    """The review's register of chronology source codes (seed 003 section 6), one line each."""

    CSS_PATH = "stage.tcss"
    BINDINGS = [
        Binding("ctrl+n", "add", "Add a code", id="codes-add"),
        Binding("escape", "back", "Chronology", id="codes-back"),
    ]
    DEFAULT_CSS = """
    AgencyCodesScreen #code-rows, AgencyCodesScreen .code-row { height: auto; }
    AgencyCodesScreen .code-row FieldEditor { margin-bottom: 0; }
    AgencyCodesScreen .code-row .code { width: 14; }
    AgencyCodesScreen .code-row .name { width: 1fr; margin: 0 1; }
    AgencyCodesScreen .code-row .confirmed { width: 24; margin-right: 1; }
    AgencyCodesScreen .code-row Button { min-width: 5; width: 5; height: 1; border: none; }
    AgencyCodesScreen #add-code { margin-top: 1; }
    AgencyCodesScreen #unknown-codes { color: $warning; margin-bottom: 1; }
    """

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        store = self.store
        register = ch.ensure_agency_codes(store, self.review_id)
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "Agency codes",
                "The codes used in the chronology's Source column: the organisations in the terms of "
                "reference (their codes win) and the codes you add here. The date after a name is when "
                "that agency confirmed its chronology: from then on its entries ask for a reason "
                "before they change. Suggested codes you may add: "
                + ", ".join(f"{c} ({n})" for c, n in domain.SUGGESTED_AGENCY_CODES.items())
                + ".",
            )
            yield Static("", id="unknown-codes")
            with Vertical(id="code-rows"):
                for row in register:
                    yield self._row(row)
            yield Button("+ Add a code", id="add-code", variant="primary", compact=True)
        yield SaveIndicator()
        yield Footer()

    def on_mount(self) -> None:
        self.show_unknown()

    def show_unknown(self) -> None:
        store = self.store
        codes = {a.code for a in ch.agency_codes(store, self.review_id)}
        unknown = ch.unknown_sources(store, self.review_id, codes)
        self.query_one("#unknown-codes", Static).update(
            literal(
                (
                    "Used in the chronology but not in this register: "
                    + ", ".join(f"{c or '(blank)'} ({n} entries)" for c, n in unknown.items())
                    + ". Add them here, or correct the entries."
                )
                if unknown
                else "Every source in the chronology is in the register."
            )
        )

    def _row(self, row: Any) -> RecordRow:
        def save(name: str, value: Any, row_id: int = row.id) -> None:
            ch.update_agency_code(self.store, row_id, **{name: value})

        return RecordRow(
            FieldEditor(Spec("code", "Code"), row.code, save, compact=True, classes="code"),
            FieldEditor(Spec("name", "Full name"), row.name, save, compact=True, classes="name"),
            FieldEditor(  # issue 15: the agency confirmed its chronology; its entries lock
                Spec("chronology_confirmed_on", "Chronology confirmed on", "date"),
                row.chronology_confirmed_on,
                save,
                compact=True,
                classes="confirmed",
            ),
            DeleteButton("✕", classes="delete-code", tooltip="Remove this code from the register"),
            table=None,
            row_id=row.id,
            classes="code-row",
        )

    @on(FieldEditor.Edited)
    def _edited(self) -> None:
        self.show_unknown()

    @on(Button.Pressed, "#add-code")
    async def action_add(self) -> None:
        store = self.store
        created: list[Any] = []
        if save_with_feedback(
            self,
            "Agency codes",
            lambda: created.append(
                ch.add_agency_code(store, self.review_id, ch.free_code(store, self.review_id))
            ),
        ):
            box = self._row(created[0])
            await self.query_one("#code-rows").mount(box)
            focus_first(box)

    @on(Button.Pressed, ".delete-code")
    async def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        box = event.button.parent
        if not isinstance(box, RecordRow):
            return
        store = self.store
        code_id = box.row_id
        code = store.get(m.AgencyCode, code_id).code
        await delete_box(
            box,
            m.AgencyCode,
            code_id,
            f"the agency code {code}",
            lambda: self._row(store.get(m.AgencyCode, code_id)),
            self.show_unknown,
        )

    def action_back(self) -> None:
        self.dismiss()
