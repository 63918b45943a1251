"""Stage 5, people and interviews: the agenda, the records not yet signed, people and family
members (InterviewsStageScreen), and one interview's arrangements, briefing and record
(InterviewScreen). The notes themselves are typed on NotesScreen (screens/notes.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static

from reviewer_tui import dates, domain, history, validators
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.errors import InputError
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewerNode, ReviewScreen, Stored, container_of
from reviewer_tui.screens.deleting import UNDO_KEY, Deletions, ListTable
from reviewer_tui.screens.forms import (
    YES_NO,
    FieldEditor,
    ModelForm,
    RowList,
    SaveIndicator,
    Spec,
    StageBody,
    field_group,
    report_save,
    save_with_feedback,
    stage_header,
)
from reviewer_tui.screens.inputs import LeanSelect
from reviewer_tui.screens.stubs import RevealsStubs, SectionStub, Stub
from reviewer_tui.screens.text import cell, fill_sized, literal
from reviewer_tui.screens.ticks import TickBox

if TYPE_CHECKING:
    from reviewer_tui.screens.app import ReviewerApp

FAMILY_SPECS = (
    Spec("name", "Name"),
    Spec("pseudonym", "Pseudonym for publication"),
    Spec("relationship", "Relationship to the child"),
    Spec("date_of_birth", "Date of birth", "date"),
    Spec("address", "Address", "long"),
    Spec("also_known_as", "Other names they are known by (and spellings)", "list"),
)


def workplace_text(value: Any) -> str:
    if value:
        return (
            "⚠ Serious Case Reviews: Best Practice advises against interviewing at the normal "
            "place of work: consider another venue."
        )
    return "Interviews are best held away from the interviewee's normal place of work."


ARRANGEMENT_SPECS = (
    Spec("location", "Location"),
    Spec(
        "at_normal_workplace",
        "Is this the interviewee's normal place of work?",
        "choice",
        YES_NO,
        describe=workplace_text,
    ),
    Spec("supporter_invited", "Supporter invited?", "choice", YES_NO),
    Spec("release_from_duties_agreed", "Release from duties agreed?", "choice", YES_NO),
    Spec("note_taker", "Note taker"),
    Spec("recording_method", "Recording method", "choice", iv.RECORDING_METHODS),
    Spec(
        "confirmation_sent_on",
        "Written confirmation sent on",
        "date",
        help="Interview format, profile form, terms of reference and purpose of the review.",
    ),
    Spec("chronology_sent_on", "Chronology sent for checking on", "date"),
)
RECORD_SPECS = (
    Spec(
        "contentious_points_checked_back",
        "Contentious points checked back during the interview?",
        "choice",
        YES_NO,
    ),
    Spec("sent_to_interviewee_on", "Record sent to the interviewee on", "date"),
    Spec(
        "interviewee_comments",
        "The interviewee's comments (their words, kept beside the record)",
        "long",
    ),
    Spec(
        "disagreements",
        "Where the interviewee disagrees: the particulars (stay in the record)",
        "long",
    ),
    Spec("agreed_on", "Record agreed on", "date"),
    Spec("signed_by_interviewee", "Signed by the interviewee?", "choice", YES_NO),
    Spec("interviewee_signed_on", "Interviewee signed on", "date"),
    Spec("signed_by_interviewer", "Signed by the interviewer?", "choice", YES_NO),
    Spec("interviewer_signed_on", "Interviewer signed on", "date"),
)


class ScheduleEditor(ReviewerNode, Vertical):
    """Who, when and how long. A clash is shown before anything is saved; the reviewer then keeps
    the time on purpose or changes it."""

    DEFAULT_CSS = """
    ScheduleEditor { height: auto; margin-bottom: 1; }
    ScheduleEditor Label { text-style: bold; }
    ScheduleEditor Input { background: $boost; }
    ScheduleEditor #clash { color: $warning; text-style: bold; height: auto; }
    ScheduleEditor #schedule-error { color: $error; text-style: bold; height: auto; }
    ScheduleEditor #keep-clash, ScheduleEditor #clash, ScheduleEditor #schedule-error { display: none; }
    ScheduleEditor #keep-clash.shown, ScheduleEditor #clash.shown, ScheduleEditor #schedule-error.shown {
        display: block;
    }
    """

    def __init__(self, interview: Any, people: list[Any]) -> None:
        super().__init__()
        self.interview_id = interview.id
        self.review_id = interview.review_id
        self.interview = interview
        self.people = people
        self.pending: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        row = self.interview
        yield Label("Interviewee")
        yield LeanSelect(
            [(literal(iv.display_name(p)), p.id) for p in self.people],
            value=row.person_id,
            allow_blank=False,
            id="schedule-person",
            compact=True,
        )
        yield Label("Date and time (local, 24-hour)")
        yield Input(
            (row.scheduled_for or "").replace("T", " "),
            id="schedule-when",
            compact=True,
            placeholder="YYYY-MM-DD HH:MM",
        )
        yield Label("Length in minutes")
        yield Input(
            str(row.duration_minutes or ""),
            id="schedule-duration",
            compact=True,
            type="integer",
            placeholder="for example 90",
        )
        yield Static("", id="schedule-error", markup=False)
        yield Static("", id="clash", markup=False)
        yield Button("Keep this time despite the clash", id="keep-clash", variant="warning")

    def on_mount(self) -> None:
        self._shown = self._values_raw()

    def _values_raw(self) -> tuple[Any, str, str]:
        return (
            self.query_one("#schedule-person", Select).value,
            self.query_one("#schedule-when", Input).value,
            self.query_one("#schedule-duration", Input).value,
        )

    def _parse(self) -> dict[str, Any]:
        person, when, duration = self._values_raw()
        scheduled_for = dates.parse_local(when, "interview time", time="required")
        minutes = validators.check("interview", "duration_minutes", duration)
        return {"person_id": person, "scheduled_for": scheduled_for, "duration_minutes": minutes}

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Any) -> None:
        event.stop()
        if self._values_raw() == self._shown:
            return
        self._shown = self._values_raw()
        error = self.query_one("#schedule-error", Static)
        try:
            values = self._parse()
        except InputError as exc:
            error.update(Text(f"Not saved yet: {exc}"))  # quotes what was typed: never markup
            error.add_class("shown")
            report_save(self, False, "Schedule", str(exc))
            return
        error.update("")
        error.remove_class("shown")
        store = self.store
        found = iv.clashes(
            store,
            self.review_id,
            self.interview_id,
            values["person_id"],
            values["scheduled_for"],
            values["duration_minutes"],
        )
        keep = self.query_one("#keep-clash", Button)
        if found:
            self.pending = values
            self.query_one("#clash", Static).update(
                "CLASH, not saved yet:\n"
                + "\n".join(f"• {c.reason}" for c in found)
                + "\nChange the time, or keep it with the button below."
            )
            self.query_one("#clash", Static).add_class("shown")
            keep.add_class("shown")
            report_save(self, False, "Schedule", "this time clashes; not saved until you keep it")
            return
        self._save(values)

    def _save(self, values: dict[str, Any]) -> None:
        store = self.store
        if save_with_feedback(
            self, "Schedule", lambda: store.update(m.Interview, self.interview_id, **values)
        ):
            self.pending = None
            self.query_one("#clash", Static).update("")
            self.query_one("#clash", Static).remove_class("shown")
            self.query_one("#keep-clash", Button).remove_class("shown")
            self.post_message(Stored())

    @on(Button.Pressed, "#keep-clash")
    def _keep(self, event: Button.Pressed) -> None:
        event.stop()
        if self.pending is None:
            return
        self._save(self.pending)
        if self.pending is None and event.button.has_focus:
            # The keyboard stays on the button, which now says so, until it moves on: Tab goes
            # to the next field (the location), never back to the date and time.
            event.button.label = "Time kept despite the clash"
            event.button.add_class("shown", "kept")

    def on_descendant_blur(self, event: Any) -> None:
        keep = self.query_one("#keep-clash", Button)
        if event.widget is keep and keep.has_class("kept"):
            keep.remove_class("shown", "kept")
            keep.label = "Keep this time despite the clash"


BRIEFING_TITLE = "Briefing (a)-(l)"


class InterviewScreen(ReviewScreen[None], RevealsStubs):
    CSS_PATH = "stage.tcss"
    BINDINGS = [
        Binding("n", "notes", "Notes", id="interview-notes"),
        Binding("p", "make_pack", "Note-taker pack", id="interview-make-pack"),
        Binding("m", "merge_pack", "Merge a note-taker pack", id="interview-merge-pack"),
        Binding("escape", "back", "Back", id="interview-back"),
    ]
    DEFAULT_CSS = """
    InterviewScreen #record-steps { height: auto; margin-bottom: 1; }
    InterviewScreen #status-line { height: auto; text-style: bold; padding: 0 1; }
    InterviewScreen #record-warnings { color: $warning; height: auto; }
    InterviewScreen #briefing { height: auto; border: round $primary; border-title-color: $accent;
                                border-title-style: bold; padding: 0 1; margin: 0 0 1 0; }
    InterviewScreen #briefing Checkbox { width: 100%; }
    """

    def __init__(self, interview_id: int, *, just_added: bool = False) -> None:
        super().__init__()
        self.interview_id = interview_id
        if just_added:
            # Opened by "Add interview", with the person highlighted then: the keyboard goes to
            # the date, the next thing to fill in, from the screen's first frame (keys typed on
            # the body go nowhere)
            self.first_focus = "#schedule-when"
        self._fresh = False

    def compose(self) -> ComposeResult:
        store = self.store
        row = store.get(m.Interview, self.interview_id)
        people = store.rows(m.Person, row.review_id)
        person = store.get(m.Person, row.person_id)
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                f"Interview with {iv.display_name(person)}",
                "Arrangements, briefing and the record, as Serious Case Reviews: Best Practice "
                "sets them out. Press n for the notes.",
            )
            yield Static("", id="status-line", markup=False)
            yield field_group("The note taker's changes to settle", Vertical(id="versions"))
            yield field_group("When and who", ScheduleEditor(row, people))
            yield field_group(
                "Arrangements", ModelForm(m.Interview, self.interview_id, ARRANGEMENT_SPECS)
            )
            # Below the arrangements, built as it comes into view (or takes the focus): twelve
            # tick boxes, none on a 40-line screen as it opens.
            yield SectionStub(
                BRIEFING_TITLE,
                m.Interview,
                self.interview_id,
                self._briefing_box,
                id="briefing-stub",
            )
            yield field_group(
                "Notes",
                Static("", id="notes-summary", markup=False),
                Button("Open the notes (n)", id="open-notes", variant="primary"),
            )
            interview_id = self.interview_id
            yield field_group(
                "The record",
                Static("", id="record-steps", markup=False),
                Static("", id="record-warnings", markup=False),
                # Below the briefing, built as it comes into view (or takes the focus): nine
                # editors, three of them choices, none on the first screenful.
                SectionStub(
                    "The record's fields",
                    m.Interview,
                    interview_id,
                    lambda: ModelForm(m.Interview, interview_id, RECORD_SPECS),
                    id="record-stub",
                ),
            )
        yield SaveIndicator()
        yield Footer()

    def _briefing_box(self) -> Vertical:
        """The briefing's twelve items, ticked as stored now."""
        briefing = self.store.get(m.Interview, self.interview_id).briefing
        box = Vertical(
            Static(
                "Tick each item when it has been covered with the interviewee.",
                classes="field-help",
            ),
            *[
                TickBox(f"({letter}) {text}", bool(briefing.get(key)), id=f"b-{key}", compact=True)
                for key, letter, text in domain.BRIEFING_ITEMS
            ],
            id="briefing",
        )
        box.border_title = BRIEFING_TITLE
        return box

    def stub_scroller(self) -> Widget:
        return self.query_one("#stage-body", StageBody)

    def on_mount(self) -> None:
        container_of(self.query_one("#versions")).display = False  # shown when there is one
        self.refresh_record()
        self._fresh = True  # the resume that follows the first mount has nothing new to show

    def on_screen_resume(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self.refresh_record()

    def refresh_record(self) -> None:
        store = self.store
        row = store.get(m.Interview, self.interview_id)
        person = store.get(m.Person, row.person_id)  # the heading follows the interviewee
        self.query_one(".stage-title", Static).update(
            Text(f"Interview with {iv.display_name(person)}")
        )
        signed = history.signing_state(store, "interview", self.interview_id)
        state = (  # read_model's rule: changed after signing until signed again
            signed.changed.capitalize()
            if signed is not None and not signed.locked
            else iv.STATE_TITLES[iv.record_state(row)]
        )
        lines = [f"Now: {state}"]
        for title, done, detail in iv.record_steps(row):
            lines.append(
                f"{'✔' if done else '·'} {title}" + (f"  {detail}" if detail and done else "")
            )
        self.query_one("#record-steps", Static).update("\n".join(lines))
        briefed = sum(1 for key in domain.BRIEFING_KEYS if row.briefing.get(key))
        self.query_one("#status-line", Static).update(
            f"{iv.describe_when(row.scheduled_for, row.duration_minutes)} · record: "
            f"{state} · briefing {briefed} of 12"
        )
        self.query_one("#record-warnings", Static).update(
            "\n".join(f"⚠ {w}" for w in iv.record_warnings(row))
        )
        done_matters = len(row.matters_covered)
        self.query_one("#notes-summary", Static).update(
            f"{len(row.notes):,} characters · {done_matters} of 16 matters covered · "
            f"{len(row.contentious_points)} contentious point(s)"
        )
        self.call_later(self._show_versions, row)

    async def _show_versions(self, row: Any) -> None:
        from reviewer_tui import packs

        box = self.query_one("#versions", Vertical)
        await box.remove_children()
        found = packs.conflicts(self.store, self.interview_id)
        container_of(box).display = bool(found)
        if found:
            labels = ", ".join(dict.fromkeys(c.label for c in found))
            await box.mount_all(
                [
                    Static(
                        f"You and the note taker both changed the same text ({labels}) since "
                        "the pack was made. Yours is unchanged until you choose.",
                        markup=False,
                    ),
                    Button("Compare and choose", id="settle", variant="warning"),
                ]
            )

    @on(Button.Pressed, "#settle")
    def _settle(self, event: Button.Pressed) -> None:
        from reviewer_tui.screens.packs import ConflictScreen

        event.stop()
        self.app.push_screen(ConflictScreen(self.interview_id))

    @on(Checkbox.Changed)
    def _briefing(self, event: Checkbox.Changed) -> None:
        event.stop()
        if not (event.checkbox.id or "").startswith("b-"):
            return
        key = (event.checkbox.id or "")[2:]
        store = self.store
        if save_with_feedback(
            self, "Briefing", lambda: iv.set_briefing(store, self.interview_id, key, event.value)
        ):
            self.refresh_record()

    @on(FieldEditor.Edited)
    @on(Stored)
    def _edited(self) -> None:
        self.refresh_record()

    @on(Button.Pressed, "#open-notes")
    def _open_notes(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_notes()

    def action_notes(self) -> None:
        from reviewer_tui.screens.notes import NotesScreen

        self.app.push_screen(NotesScreen(self.interview_id))

    def action_make_pack(self) -> None:
        from reviewer_tui.screens.packs import make_pack_from

        make_pack_from(self, self.interview_id)

    def action_merge_pack(self) -> None:
        from reviewer_tui.screens.packs import merge_pack_into

        review_id = self.store.get(m.Interview, self.interview_id).review_id
        merge_pack_into(self, review_id, self.refresh_record)

    def action_back(self) -> None:
        self.dismiss()


class InterviewsStageScreen(ReviewScreen[None], RevealsStubs):
    AUTO_FOCUS = "#agenda"  # focused as it opens, before its first frame (base.py)
    CSS_PATH = "stage.tcss"
    BINDINGS = [
        Binding("p", "add_person", "Add person", id="interviews-add-person"),
        Binding("i", "add_interview", "Add interview", id="interviews-add"),
        Binding("u", "toggle_upcoming", "Upcoming only", id="interviews-upcoming"),
        Binding("x", "export_ics", "Export .ics", id="interviews-ics"),
        Binding("m", "merge_pack", "Merge a note-taker pack", id="interviews-merge-pack"),
        Binding("escape", "back", "Workspace", id="interviews-back"),
    ]
    DEFAULT_CSS = """
    InterviewsStageScreen DataTable { height: auto; max-height: 14; margin-bottom: 1; }
    InterviewsStageScreen #unsigned { height: auto; color: $warning; margin-bottom: 1; }
    """

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        self.upcoming_only = False
        self.deletions = Deletions(self)
        self.added_person: int | None = None  # highlighted on return, so i schedules with them
        self._fresh = False  # just mounted: the resume that follows has nothing new to show

    def compose(self) -> ComposeResult:
        rid = self.review_id
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "5 People and interviews",
                "Enter opens the highlighted interview or person. Tab moves between the tables.",
            )
            agenda = ListTable(id="agenda", cursor_type="row")
            agenda.border_title = "Agenda"
            yield agenda
            yield Static("", id="unsigned", markup=False)
            people = ListTable(id="people", cursor_type="row")
            people.border_title = "People"
            yield people
            # Below the two tables, built as it comes into view (or takes the focus): its
            # editors were most of the screen's widgets, none of them on its first screenful.
            yield SectionStub(
                "Family members",
                m.Review,
                rid,
                self._family,
                id="family-stub",
                holds=lambda table, _row: table == m.FamilyMember.__tablename__,
            )
        yield SaveIndicator()
        yield Footer()

    def _family(self) -> Widget:
        rid = self.review_id
        return field_group(
            "Family members",
            RowList(
                "Family members",
                m.FamilyMember,
                rid,
                FAMILY_SPECS,
                lambda: {
                    "key": iv._next_key(self.store, m.FamilyMember, rid, "fm-"),
                    "name": "",
                },
            ),
        )

    def stubs_to_reveal(self) -> Iterable[Stub]:
        """The family section's stub (the rows' stubs inside it are the RowList's own)."""
        return self.query("#family-stub").results(SectionStub)

    def stub_scroller(self) -> Widget:
        return self.query_one("#stage-body", StageBody)

    def on_mount(self) -> None:
        self.refresh_tables()
        self._fresh = True

    def on_screen_resume(self) -> None:
        if self._fresh:
            self._fresh = False
            return
        self.refresh_tables()

    def refresh_tables(self) -> None:
        store = self.store
        now = _now(self.app)
        # The review's interviews and people, read once for the agenda, the records awaiting
        # signature and the people list (each used to read them again, per row for clashes).
        held = iv.interviews_for_lists(store, self.review_id)
        people = {p.id: p for p in store.rows(m.Person, self.review_id)}
        table = self.query_one("#agenda", DataTable)
        cursor = table.cursor_row
        agenda = iv.agenda(
            store,
            self.review_id,
            now=now,
            upcoming_only=self.upcoming_only,
            rows=held,
            people=list(people.values()),
        )
        rows = []
        for item in agenda:
            where = ("⚠ normal workplace: " if item.at_normal_workplace else "") + item.location
            rows.append(
                [
                    cell(("⚠ " if item.clashes else "") + item.when),
                    cell(_cut(item.person, 26)),
                    cell(item.state),
                    cell(_cut("⚠ " + item.clashes[0], 30) if item.clashes else ""),
                    cell(_cut(where, 40)),
                ]
            )
        fill_sized(
            table,
            ("When", "Interviewee", "Record", "Clash", "Location"),
            rows,
            [str(item.interview_id) for item in agenda],
        )
        table.move_cursor(row=cursor)
        table.border_title = (
            "Agenda: upcoming only (u for all)"
            if self.upcoming_only
            else "Agenda: all, in time order"
        )
        waiting = iv.unsigned(store, self.review_id, self.app.today(), rows=held)
        self.query_one("#unsigned", Static).update(
            "Records not yet signed:\n"
            + "\n".join(
                f"• {iv.display_name(people[r.person_id])}, {iv.describe_when(r.scheduled_for)}: {state}"
                for r, state in waiting
            )
            if waiting
            else "No interviews yet."
            if not held
            else "Every interview record is signed."
            if all(r.signed_by_interviewee and r.signed_by_interviewer for r in held)
            else "No record is due for signature yet: the interviews are still to come."
        )
        table = self.query_one("#people", DataTable)
        cursor = table.cursor_row
        missing = iv.profiles_missing(store, people.values())
        fill_sized(
            table,
            ("Name", "Pseudonym", "Designation", "Profile"),
            [
                [
                    cell(person.full_name or "(no name yet)"),
                    cell(person.pseudonym),
                    cell(_cut(person.designation, 30)),
                    cell(f"{10 - len(missing[m.stored_id(person)])}/10"),
                ]
                for person in people.values()
            ],
            [str(person.id) for person in people.values()],
        )
        table.move_cursor(row=cursor)
        if self.added_person is not None and str(self.added_person) in {
            str(k.value) for k in table.rows
        }:
            table.move_cursor(row=table.get_row_index(str(self.added_person)))
            table.focus()
            self.added_person = None

    @on(DataTable.RowSelected, "#agenda")
    def _open_interview(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.push_screen(InterviewScreen(int(str(event.row_key.value))))

    @on(DataTable.RowSelected, "#people")
    def _open_person(self, event: DataTable.RowSelected) -> None:
        from reviewer_tui.screens.people import PersonScreen

        event.stop()
        self.app.push_screen(PersonScreen(int(str(event.row_key.value))))

    def action_add_person(self) -> None:
        from reviewer_tui.screens.people import PersonScreen

        store = self.store
        created: list[Any] = []
        if save_with_feedback(
            self, "Person", lambda: created.append(iv.add_person(store, self.review_id))
        ):
            self.added_person = created[0].id
            self.app.push_screen(PersonScreen(created[0].id, just_added=True))

    def action_add_interview(self) -> None:
        """A new interview with the person highlighted in the People table."""
        store = self.store
        table = self.query_one("#people", DataTable)
        if not table.row_count:
            self.notify(
                "Add the person first (p): an interview is always with someone.", severity="warning"
            )
            return
        person_id = int(
            str(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value)
        )
        created: list[Any] = []
        if save_with_feedback(
            self,
            "Interview",
            lambda: created.append(iv.add_interview(store, self.review_id, person_id)),
        ):
            self.app.push_screen(InterviewScreen(created[0].id, just_added=True))

    def action_delete(self) -> None:
        """Delete the highlighted interview or person. An interview's notes (and a person's
        interviews) are long work: the one confirmation dialog asks first; ctrl+z then puts it
        all back until the screen is left."""
        from reviewer_tui.screens.dialogs import ConfirmDelete

        store = self.store
        model: Any
        focused = self.app.focused
        if not isinstance(focused, DataTable) or not focused.row_count:
            self.notify(
                "Highlight an interview in the agenda or a person first.", severity="warning"
            )
            return
        key = int(
            str(focused.coordinate_to_cell_key(Coordinate(focused.cursor_row, 0)).row_key.value)
        )
        if focused.id == "people":
            person = store.get(m.Person, key)
            what = iv.display_name(person)
            held = [i for i in store.rows(m.Interview, self.review_id) if i.person_id == key]
            if not held:
                self._delete(m.Person, key, what)
                return
            dialog = ConfirmDelete(
                "DELETE",
                f"Delete {what} and their interviews?",
                f"Their {len(held)} interview record{'s' if len(held) != 1 else ''} (notes "
                f"included) and their place in the meeting go with them. {UNDO_KEY} in this list "
                "puts everything back until you leave this screen.",
                "the word",
            )
            model, what = m.Person, f"{what} with their interviews"
        else:
            row = store.get(m.Interview, key)
            person = store.get(m.Person, row.person_id)
            what = f"the interview with {iv.display_name(person)}"
            dialog = ConfirmDelete(
                "DELETE",
                f"Delete {what}?",
                f"Its notes ({len(row.notes):,} characters), its record and its links to findings "
                f"go. {UNDO_KEY} in this list puts them back until you leave this screen.",
                "the word",
            )
            model = m.Interview

        def confirmed(word: str | None) -> None:
            if word is not None:
                self._delete(model, key, what)

        self.app.push_screen(dialog, confirmed)

    def _delete(self, model: Any, key: int, what: str) -> None:
        if self.deletions.delete(model, key, what, lambda token: self.refresh_tables()):
            self.refresh_tables()

    async def action_undo(self) -> None:
        await self.deletions.undo()

    def action_toggle_upcoming(self) -> None:
        self.upcoming_only = not self.upcoming_only
        self.refresh_tables()

    def action_export_ics(self) -> None:
        from reviewer_tui import calendar_export, exports
        from reviewer_tui.screens.dialogs import plain_file_prompt

        store = self.store
        default = str(
            exports.offered_path(self.review_id, f"review-{self.review_id}-interviews.ics")
        )

        def chosen(path: str | None) -> None:
            if not path:
                return
            target = Path(path).expanduser()
            if save_with_feedback(
                self,
                "Calendar",
                lambda: calendar_export.export_calendar(store, self.review_id, target),
            ):
                self.notify(f"Calendar written to {target} (one event per scheduled interview).")

        self.app.push_screen(
            plain_file_prompt(
                self.app, "Export interviews as a calendar", default, review_id=self.review_id
            ),
            chosen,
        )

    def action_merge_pack(self) -> None:
        from reviewer_tui.screens.packs import merge_pack_into

        merge_pack_into(self, self.review_id, self.refresh_tables)

    def action_back(self) -> None:
        self.dismiss()


def _now(app: ReviewerApp) -> dt.datetime:
    """Now, on the app's today (tests and snapshots fix the date)."""
    today = app.today()
    now = dt.datetime.now()
    return now if today == now.date() else dt.datetime.combine(today, dt.time(0, 0))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
