"""Search everywhere in one review (ctrl+f on every screen of a review, or the palette).

Results come grouped by where they are, each with the text around the match and the matching
words highlighted; Enter opens the exact place: the chronology entry selected, the record,
finding or recommendation with the field focused, the line of the interview notes with the
cursor on the match. What was typed is shown as typed: every row is a rich Text built from the
stored text, with the match spans stylized, never markup.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from reviewer_tui import search
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ROW_SCREENS, ReviewScreen
from reviewer_tui.screens.forms import FieldEditor, TextListEditor, recovery_owner

MATCH_STYLE = "bold reverse"
LABEL_STYLE = "bold"
FIELD_STYLE = "dim"

# The screen that shows each table's rows: "module:Class" under reviewer_tui.screens and what it
# is opened with: the review, the row itself, or the row that owns it (search.owner_of).
PLACES: dict[str, tuple[str, str]] = {
    "review": ("commissioning:CommissioningScreen", "review"),
    "scope": ("terms:TermsOfReferenceScreen", "review"),
    "organisation": ("terms:TermsOfReferenceScreen", "review"),
    "parallel_process": ("terms:TermsOfReferenceScreen", "review"),
    "other_area": ("terms:TermsOfReferenceScreen", "review"),
    "scope_change": ("terms:TermsOfReferenceScreen", "review"),
    "agency_code": ("chronology:AgencyCodesScreen", "review"),
    "record_examined": ("records:RecordsScreen", "review"),
    "chronology_entry": ("chronology:ChronologyScreen", "review"),
    "person": ("people:PersonScreen", "row"),
    "previous_employment": ("people:PersonScreen", "owner"),
    "family_member": ("interviews:InterviewsStageScreen", "review"),
    "interview": ("interviews:InterviewScreen", "row"),
    "meeting": ("meeting:MeetingScreen", "review"),
    "meeting_other_attendee": ("meeting:MeetingScreen", "review"),
    "meeting_contribution": ("meeting:MeetingScreen", "review"),
    "analysis": ("findings:AnalysisScreen", "review"),
    "finding": ("findings:AnalysisScreen", "review"),
    "learning": ("findings:AnalysisScreen", "review"),
    "recommendation": ("actions:RecommendationsScreen", "review"),
    "recommendation_progress": ("actions:RecommendationsScreen", "review"),
    "closing_steps": ("actions:RecommendationsScreen", "review"),
    "escalation": ("actions:EscalationsScreen", "review"),
    "family_contact": ("family:FamilyScreen", "review"),
    "limiting_factors_review": ("family:FamilyScreen", "review"),
    "report_details": ("reports:ReportScreen", "review"),
    "report_draft": ("reports:DraftScreen", "row"),
    "draft_recipient": ("reports:DraftScreen", "owner"),
    "draft_item": ("returned:ReturnedDraftsScreen", "review"),
    "delay_entry": ("readiness:TimescalesScreen", "review"),
    "quality_acceptance": ("readiness:QualityScreen", "review"),
}
# Fields shown on another screen than the rest of their row.
FIELD_PLACES: dict[tuple[str, str], str] = {
    ("interview", "notes"): "notes:NotesScreen",
    ("scope", "family_involvement_notes"): "family:FamilyScreen",
    ("scope", "family_involvement_facilitator"): "family:FamilyScreen",
    **{
        ("report_details", f"summary_{part}"): "summary:ExecutiveSummaryScreen"
        for part in ("reason", "scope", "findings", "recommendations")
    },
}


def review_of(screen: Screen[Any], folder: Any) -> int | None:
    """The review `screen` shows, or None (the review list, a dialog)."""
    review_id = getattr(screen, "review_id", None)
    if isinstance(review_id, int):
        return review_id
    for attribute, table in ROW_SCREENS:
        row_id = getattr(screen, attribute, None)
        if isinstance(row_id, int):
            return search.review_of_row(folder, table, row_id)
    return None


# --- the rows ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One line of the list: a group's heading (hit None) or a result."""

    prompt: Text
    hit: search.Hit | None = None


def heading(group: search.Group) -> Text:
    shown = len(group.hits)
    count = f"{group.total} match{'es' if group.total != 1 else ''}"
    if shown < group.total:
        count += f", the first {shown} shown"
    text = Text(group.title, style="bold underline", end="")
    text.append(f"  ({count})", style="bold")
    return text


def hit_text(hit: search.Hit) -> Text:
    """Where the match is, then the text around it with the matching words stylized. The text is
    the stored text (line breaks shown as spaces, so a row stays one line of context)."""
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    text.append(hit.label, style=LABEL_STYLE)
    text.append(f" · {hit.field_label}", style=FIELD_STYLE)
    text.append("\n")
    start = len(text)
    snippet = hit.snippet.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    text.append(("… " if hit.cut_before else "") + snippet + (" …" if hit.cut_after else ""))
    offset = start + (2 if hit.cut_before else 0)
    for begin, end in hit.marks:
        text.stylize(MATCH_STYLE, offset + begin, offset + end)
    return text


def result_rows(results: search.Results) -> list[Row]:
    """Every line the list shows for `results`, in order."""
    rows: list[Row] = []
    for group in results.groups:
        rows.append(Row(heading(group)))
        rows.extend(Row(hit_text(hit), hit) for hit in group.hits)
    return rows


def summary(results: search.Results) -> str:
    if results.problem:
        return results.problem
    if not results.groups:
        return f"Nothing in this review matches {results.query.strip()}."
    places = len(results.groups)
    return (
        f"{results.total} match{'es' if results.total != 1 else ''} in {places} "
        f"place{'s' if places != 1 else ''}. Enter opens the one highlighted."
    )


# --- the screen -------------------------------------------------------------------------------
class SearchScreen(ReviewScreen[None]):
    """Search every text of one review."""

    AUTO_FOCUS = "#search-query"  # focused as it opens, before its first frame (base.py)

    DEFAULT_CSS = """
    SearchScreen #search-query { margin: 0 1; }
    SearchScreen #search-summary { padding: 0 1; height: auto; color: $text-muted; }
    SearchScreen #search-results { height: 1fr; margin: 0 1; }
    SearchScreen #search-results > .option-list--option-disabled { color: $text; }
    """
    BINDINGS = [
        Binding("f8", "focus_results", "Results", id="search-results"),
        Binding("escape", "back", "Back", id="search-back"),
    ]

    class Found(Message):
        """A search finished in the worker: what it found, as rows ready to show."""

        def __init__(self, number: int, results: search.Results, rows: list[Row]) -> None:
            super().__init__()
            self.number = number
            self.results = results
            self.rows = rows

    def __init__(self, review_id: int, query: str = "") -> None:
        super().__init__()
        self.review_id = review_id
        self.query_text = query
        self.number = 0  # searches started; an older one finishing late is ignored
        self.results: search.Results | None = None
        self.hits: dict[str, search.Hit] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            self.query_text,
            placeholder='Search this review: words, or "a phrase" in quotes',
            id="search-query",
        )
        yield Static(search.NO_TERMS, id="search-summary", markup=False)
        yield OptionList(id="search-results")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Search"
        if self.query_text:
            self.start_search(self.query_text)

    @on(Input.Changed, "#search-query")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.start_search(event.value)

    @on(Input.Submitted, "#search-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_focus_results()

    def start_search(self, query: str) -> None:
        self.number += 1
        self.query_text = query
        self._search(self.number, query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, number: int, query: str) -> None:
        results = search.search(self.app.folder, self.review_id, query)
        self.post_message(self.Found(number, results, result_rows(results)))

    def on_search_screen_found(self, message: Found) -> None:
        if message.number != self.number:
            return  # a newer search is under way
        self.results = message.results
        self.hits = {}
        options: list[Option] = []
        for row in message.rows:
            if row.hit is None:
                options.append(Option(row.prompt, disabled=True))
            else:
                key = f"hit-{row.hit.doc_id}"
                self.hits[key] = row.hit
                options.append(Option(row.prompt, id=key))
        results_list = self.query_one("#search-results", OptionList)
        results_list.set_options(options)
        if self.hits:
            results_list.highlighted = next(i for i, o in enumerate(options) if not o.disabled)
        self.query_one("#search-summary", Static).update(summary(message.results))

    def action_focus_results(self) -> None:
        results_list = self.query_one("#search-results", OptionList)
        if self.hits:
            results_list.focus()

    def action_focus_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.hits.get(event.option.id or "")
        if hit is not None:
            self.open_hit(hit)

    def open_hit(self, hit: search.Hit) -> None:
        """Leave the search and open the place of `hit`, with the match shown."""
        app = self.app
        screen = place_screen(app.folder, self.review_id, hit)
        if screen is None:
            app.notify("That has been deleted since the search.", severity="warning")
            return
        self.dismiss()
        open_place(app, screen, hit)

    def action_back(self) -> None:
        self.dismiss()


def _screen_class(name: str) -> Callable[[int], Screen[Any]]:
    module_name, class_name = name.split(":")
    module = importlib.import_module(f"reviewer_tui.screens.{module_name}")
    screen_class: Callable[[int], Screen[Any]] = getattr(module, class_name)
    return screen_class


def place_screen(folder: Any, review_id: int, hit: search.Hit) -> Screen[Any] | None:
    """The screen that shows `hit`, not yet opened; None if its row has gone."""
    name, opened_with = PLACES[hit.table]
    name = FIELD_PLACES.get((hit.table, hit.field), name)
    if opened_with == "review":
        return _screen_class(name)(review_id)
    row_id = hit.row_id if opened_with == "row" else search.owner_of(folder, hit.table, hit.row_id)
    if row_id is None or search.review_of_row(folder, hit.table, hit.row_id) is None:
        return None
    return _screen_class(name)(row_id)


# --- showing the place ------------------------------------------------------------------------
def open_place(app: Any, screen: Screen[Any], hit: search.Hit) -> None:
    """Open `screen` (from place_screen) with `hit`'s row selected and its field focused, the
    cursor on the match when there is one."""
    location = search.locate(app.folder, hit) if hit.snippet else None
    app.push_screen(screen)
    reveal_when_ready(screen, hit, location)


TRIES = 40  # the place's widgets may be built after the screen mounts (records, findings)
TRY_EVERY = 0.05


def reveal_when_ready(
    screen: Screen[Any], hit: search.Hit, location: search.Location | None
) -> None:
    """Select the row and put the cursor on the match once `screen` has built the field."""
    state = {"tries": 0, "selected": False}

    def attempt() -> None:
        if not screen.is_attached:
            return
        if not state["selected"]:
            state["selected"] = select_row(screen, hit)
        if reveal(screen, hit, location) or state["tries"] >= TRIES:
            return
        state["tries"] += 1
        screen.set_timer(TRY_EVERY, attempt)

    screen.call_after_refresh(attempt)


def select_row(screen: Screen[Any], hit: search.Hit) -> bool:
    """Lists that pick a row before its fields show: the chronology and the records."""
    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.records import RecordsScreen

    if isinstance(screen, ChronologyScreen) and hit.table == "chronology_entry":
        screen.apply_filters(keep=hit.row_id)
        return True
    if isinstance(screen, RecordsScreen) and hit.table == "record_examined":
        screen.fill(keep=hit.row_id)
        return True
    return True


def reveal(screen: Screen[Any], hit: search.Hit, location: search.Location | None) -> bool:
    """Focus the field of `hit` on `screen` with the cursor on the match. True once done (or
    when the place is a row of a list, which select_row has shown)."""
    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.notes import NotesScreen
    from reviewer_tui.screens.records import RecordsScreen

    if isinstance(screen, ChronologyScreen):
        return True  # the entry is selected in the list; its detail pane shows the match
    if isinstance(screen, NotesScreen) and hit.field == "notes":
        area = screen.query_one("#notes", TextArea)
        _cursor_to(area, location)
        return True
    owner: tuple[str, int] | None = (hit.table, hit.row_id)
    if isinstance(screen, RecordsScreen):  # one record's form at a time, below the list
        if screen.shown_id != hit.row_id:
            return False
        owner = None
    editor = next(
        (
            e
            for e in screen.query(FieldEditor)
            if e.spec.name == hit.field and recovery_owner(e) == owner
        ),
        None,
    )
    if editor is None:
        _build_row(screen, hit)  # a row of a long list not built yet: the next try finds it
        return False
    widget = editor.editor()
    if isinstance(widget, TextListEditor):
        widget = _list_item(widget, location) or widget
        location = _within_item(widget, location)
    _focus(widget, location)
    return True


def _build_row(screen: Screen[Any], hit: search.Hit) -> None:
    """A long list shows each box beyond its first few as a stub until it is wanted
    (screens/stubs.py): the stub of the hit's row is asked for its box, without the focus (the
    next try focuses the hit's own field)."""
    from reviewer_tui.screens.stubs import Stub

    for stub in screen.query(Stub):
        if stub.stands_for(hit.table, hit.row_id):
            stub.post_message(Stub.Wanted(stub, False))


def _list_item(editor: TextListEditor, location: search.Location | None) -> Widget | None:
    """The item of a list the match is in (the index holds the non-empty items, one a line)."""
    items = [a for a in editor.query("TextArea.item").results(TextArea) if a.text]
    if not items:
        return None
    if location is None:
        return items[0]
    start = 0
    for area in items:
        end = start + len(area.text)
        if location.offset <= end:
            return area
        start = end + 1
    return items[-1]


def _within_item(widget: Widget, location: search.Location | None) -> search.Location | None:
    if location is None or not isinstance(widget, TextArea):
        return location
    at = widget.text.find(location.text[location.offset : location.offset + location.length])
    if at < 0:
        return None
    text = widget.text
    line = text.count("\n", 0, at)
    return search.Location(at, line, at - (text.rfind("\n", 0, at) + 1), location.length, text)


def _focus(widget: Widget, location: search.Location | None) -> None:
    if isinstance(widget, TextArea):
        _cursor_to(widget, location)
    elif isinstance(widget, Input):
        # An Input selects all its text as it gains the focus, and the next key would replace
        # it: the cursor goes on the match with nothing selected.
        widget.select_on_focus = False
        widget.focus()
        widget.cursor_position = location.offset if location is not None else 0
        widget.set_timer(0.5, lambda: setattr(widget, "select_on_focus", True))
        widget.scroll_visible()
    else:
        widget.focus()
        widget.scroll_visible()


def _cursor_to(area: TextArea, location: search.Location | None) -> None:
    area.focus()
    if location is not None:
        area.move_cursor((location.line, location.column), center=True)
    area.scroll_visible()
