"""Stage 6, the case review meeting, run live (seed 000 section 5) in the protocol's order, with
reflective prompts beside each part and the hindsight reminder always in view. Every change is
saved as it is made."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from reviewer_tui import meeting as core
from reviewer_tui import models as m
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewerNode
from reviewer_tui.screens.deleting import DeleteButton, delete_box
from reviewer_tui.screens.forms import (
    FieldEditor,
    RecordBox,
    RecordRow,
    SaveIndicator,
    Spec,
    StageBody,
    save_with_feedback,
    stage_header,
)
from reviewer_tui.screens.parts import (
    PART_BINDINGS,
    HindsightBar,
    NarrowAware,
    Part,
    PartStub,
)
from reviewer_tui.screens.stubs import WHOLE_LIST, SectionStub
from reviewer_tui.screens.text import literal
from reviewer_tui.screens.ticks import TickBox, TickList

PARTS = {p.key: p for p in core.PARTS}
FIRST_PART, *LATER_PARTS = PARTS  # the arrangements, then the parts built when wanted

ARRANGEMENT_SPECS = (
    Spec("held_on", "Date and time", help="2025-09-03 10:00 or 03/09/2025 10:00"),
    Spec("location", "Place"),
    Spec("note_taker", "Note taker (name and role)"),
)
CONTRIBUTION_SPECS = (
    Spec("role", "Their role and responsibilities in the case"),
    Spec("went_well", "What worked well with and for the family", "long"),
    Spec("did_not_go_well", "What did not go well with and for the family", "long"),
)


class OtherAttendees(ReviewerNode, Vertical):
    """People present who are not in the review's people list: name and role."""

    DEFAULT_CSS = """
    OtherAttendees { height: auto; }
    OtherAttendees Horizontal { height: auto; }
    OtherAttendees Input { width: 1fr; }
    OtherAttendees Button { min-width: 8; }
    """

    def __init__(self, review_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        yield Label("Others present (lead reviewer, note taker, supporters)", classes="field-label")
        for row in self.store.rows(m.MeetingOtherAttendee, self.review_id):
            yield self._row(row)
        with Horizontal(id="other-new"):
            yield Input(placeholder="Name", id="other-name", compact=True)
            yield Input(placeholder="Role, e.g. Supporter", id="other-role", compact=True)
            yield Button("Add", id="other-add", variant="primary", compact=True)

    def _row(self, row: Any) -> RecordRow:
        def save(name: str, value: Any, row_id: int = row.id) -> None:
            self.store.update(m.MeetingOtherAttendee, row_id, **{name: value})

        return RecordRow(
            FieldEditor(Spec("name", "Name"), row.name, save, compact=True),
            FieldEditor(Spec("role", "Role"), row.role, save, compact=True),
            DeleteButton(
                "✕", classes="other-remove", compact=True, tooltip="Remove from those present"
            ),
            table=m.MeetingOtherAttendee.__tablename__,
            row_id=row.id,
            classes="other-row",
        )

    @on(Button.Pressed, "#other-add")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add(
            self.query_one("#other-name", Input).value, self.query_one("#other-role", Input).value
        )

    @on(Input.Submitted, "#other-name, #other-role")
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.add(
            self.query_one("#other-name", Input).value, self.query_one("#other-role", Input).value
        )

    async def add(self, name: str, role: str) -> None:
        if not name.strip():
            self.notify("Type the attendee's name first.", severity="warning")
            return
        created: list[Any] = []
        store = self.store
        if save_with_feedback(
            self,
            "attendee",
            lambda: created.append(
                store.add_row(m.MeetingOtherAttendee, self.review_id, name=name, role=role)
            ),
        ):
            await self.mount(self._row(created[0]), before=self.query_one("#other-new"))
            self.query_one("#other-name", Input).value = ""
            self.query_one("#other-role", Input).value = ""
            self.query_one("#other-name", Input).focus()

    @on(Button.Pressed, ".other-remove")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        box = event.button.parent
        if not isinstance(box, RecordRow):
            return
        store = self.store
        row_id = box.row_id
        name = " ".join(store.get(m.MeetingOtherAttendee, row_id).name.split())
        await delete_box(
            box,
            m.MeetingOtherAttendee,
            row_id,
            f"{name} from those present",
            lambda: self._row(store.get(m.MeetingOtherAttendee, row_id)),
        )


class Participants(ReviewerNode, Vertical):
    """Part 3: one box per participant, in the order they were ticked as present."""

    DEFAULT_CSS = "Participants { height: auto; }"

    def __init__(self, review_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        views = core.contributions(self.store, self.review_id)
        yield Static(
            "Tick the staff present in part 1: each gets a box here.",
            classes="muted",
            id="no-participants",
        )
        for view in views:
            yield self._box(view)

    def on_mount(self) -> None:
        self._show_hint()

    def _show_hint(self) -> None:
        self.query_one("#no-participants").display = not self.query(".contribution")

    def _box(self, view: core.ContributionView) -> RecordBox:
        def save(name: str, value: Any, row_id: int = view.id) -> None:
            self.store.update(m.MeetingContribution, row_id, **{name: value})

        editors = [FieldEditor(spec, getattr(view, spec.name), save) for spec in CONTRIBUTION_SPECS]
        box = RecordBox(
            *editors,
            table=m.MeetingContribution.__tablename__,
            row_id=view.id,
            classes="subgroup contribution",
            id=f"contribution-{view.id}",
        )
        box.border_title = self._title(view)
        return box

    @staticmethod
    def _title(view: core.ContributionView) -> Content:
        title = view.person_name + (f", {view.designation}" if view.designation else "")
        if not view.attending:
            title += " (not ticked as present)"
        return literal(title)

    async def sync(self) -> None:
        """Add boxes for newly ticked participants and drop boxes emptied by an untick, leaving
        every other box (and anything typed in it) exactly as it is on screen."""
        views = core.contributions(self.store, self.review_id)
        wanted = {f"contribution-{v.id}" for v in views}
        for box in list(self.query(".contribution")):
            typed = any(editor.shown_value() for editor in box.query(FieldEditor))
            if box.id not in wanted and not typed:
                await box.remove()
        for view in views:
            found = self.query(f"#contribution-{view.id}")
            if found:
                found.first().border_title = self._title(view)
            else:
                await self.mount(self._box(view))
        self._show_hint()


class MeetingScreen(NarrowAware):
    CSS_PATH = ["stage.tcss", "parts.tcss"]
    BINDINGS = [
        Binding("escape", "back", "Workspace", id="stage-back"),
        *PART_BINDINGS,
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        # The meeting's own fields are in its parts: their record, for search and a NOT SAVED
        # field's home (the attendees' and participants' rows say their own).
        self.recovery_owner = (m.Meeting.__tablename__, review_id)

    def compose(self) -> ComposeResult:
        store = self.store
        rid = self.review_id
        yield Header()
        yield HindsightBar()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "6 Case review meeting",
                "Run it live, in the Case Review Protocol's order. "
                "Reflective and blame-free: why did it make sense at the time?",
            )
            people = core.people(store, rid)
            # Below a long list of those present, the box of others present and the later parts
            # are built as each comes into view or takes the focus: laid out with the screen,
            # they were most of opening it.
            long = len(people) > WHOLE_LIST
            yield self._part(FIRST_PART, *self._arrangements(people, long))
            for key in LATER_PARTS:
                yield self._later_part(key) if long else self._part(key, *self._contents(key))
        yield SaveIndicator()
        yield Footer()

    def _arrangements(self, people: list[core.PersonChoice], long: bool) -> list[Widget]:
        """Part 1: when and where, and who is present (below a `long` list of people, the
        others present as a stub)."""
        row = self.store.get(m.Meeting, self.review_id)
        # One widget listing every person, ticked if present: a tick box each was some 80
        # widgets of a large review, each styled and laid out before the first frame.
        checks: list[Widget] = [
            Label("Staff present (from the review's people)", classes="field-label")
        ]
        if people:
            checks.append(
                TickList(
                    *[
                        Selection(
                            literal(p.name + (f", {p.designation}" if p.designation else "")),
                            p.id,
                            p.attending,
                        )
                        for p in people
                    ],
                    id="attendance",
                    compact=True,
                )
            )
        else:
            checks.append(
                Static("No people in this review yet: add them in stage 5.", classes="muted")
            )
        return [
            *[
                FieldEditor(spec, getattr(row, spec.name), self._save_meeting)
                for spec in ARRANGEMENT_SPECS
            ],
            Vertical(*checks, id="attendees", classes="subgroup"),
            self._others_stub() if long else OtherAttendees(self.review_id, classes="subgroup"),
        ]

    def _others_stub(self) -> SectionStub:
        """The box of others present, not built yet (search finds their names in it)."""
        others = m.MeetingOtherAttendee.__tablename__
        review_id = self.review_id

        def holds(table: str, _row_id: int) -> bool:
            return table == others

        return SectionStub(
            "Others present (lead reviewer, note taker, supporters)",
            m.MeetingOtherAttendee,
            0,  # any of them: `holds`
            lambda: OtherAttendees(review_id, classes="subgroup"),
            id="others-stub",
            holds=holds,
        )

    def _contents(self, key: str) -> list[Widget]:
        """What part `key` (after the first) holds, from the records as stored now."""
        store = self.store
        rid = self.review_id
        if key == "reason":
            return [Static(literal(core.read_out_text(store, rid)), id="read-out")]
        if key == "participants":
            return [Participants(rid, id="participants")]
        row = store.get(m.Meeting, rid)
        if key == "discussion":
            return [
                FieldEditor(
                    Spec("open_discussion", "The open discussion", "long"),
                    row.open_discussion,
                    self._save_meeting,
                )
            ]
        if key == "focus":
            worries = core.scoping_worries(store, rid)
            return [
                Static(
                    literal(
                        "From the scoping, put to the group:\n"
                        + "\n".join(f"  • {w}" for w in worries)
                        if worries
                        else "No issues were recorded in the scoping (terms of reference)."
                    ),
                    id="scoping-worries",
                    classes="muted",
                ),
                *[
                    FieldEditor(Spec(name, label, "long"), getattr(row, name), self._save_meeting)
                    for name, label in core.focus_fields(store.review(rid).criterion)
                ],
            ]
        ticked = core.next_steps_ticked(row)
        return [
            *[
                TickBox(
                    literal(f"{key}. {text}"),
                    key in ticked,
                    id=f"step-{key}",
                    classes="next-step",
                    compact=True,
                )
                for key, text in core.NEXT_STEPS
            ],
            Static(self._steps_status(len(ticked)), id="steps-status"),
            Static(
                "Steps 3-7 happen after the draft: record their dates under "
                "Recommendations (stage 8), Closing steps.",
                classes="muted",
            ),
        ]

    def _part(self, key: str, *children: Widget) -> Part:
        part = PARTS[key]
        return Part(part.title, part.guidance, part.prompts, *children, id=f"part-{key}")

    def _later_part(self, key: str) -> PartStub:
        """Part `key` as a stub, built from the records as stored when it is wanted (search finds
        the meeting's fields in it, and the participants' boxes in part 3)."""
        contributions = m.MeetingContribution.__tablename__

        def holds(table: str, _row_id: int) -> bool:
            return key == "participants" and table == contributions

        return PartStub(
            PARTS[key].title,
            m.Meeting,
            self.review_id,
            lambda: self._part(key, *self._contents(key)),
            id=f"part-{key}-stub",
            holds=holds,
        )

    def stub_scroller(self) -> Widget:
        return self.query_one("#stage-body", StageBody)

    def _save_meeting(self, name: str, value: Any) -> None:
        store = self.store
        if name == "held_on":
            core.set_meeting_when(store, self.review_id, value)
        else:
            store.update(m.Meeting, self.review_id, **{name: value})

    @on(SelectionList.SelectedChanged, "#attendance")
    async def _attending(self, event: SelectionList.SelectedChanged[Any]) -> None:
        """Store each person ticked or unticked since the list last changed."""
        event.stop()
        store = self.store
        ticked = set(event.selection_list.selected)
        shown = {p.id for p in core.people(store, self.review_id) if p.attending}
        changed = False
        for person_id in sorted(ticked ^ shown):

            def store_one(pid: int = person_id, present: bool = person_id in ticked) -> None:
                core.set_attending(store, self.review_id, pid, present)

            changed |= save_with_feedback(self, "attendance", store_one)
        if changed:
            for participants in self.query("#participants").results(Participants):
                await participants.sync()  # else built from what is stored when it is wanted

    @on(Checkbox.Changed, ".next-step")
    def _next_step(self, event: Checkbox.Changed) -> None:
        event.stop()
        key = str(event.checkbox.id).removeprefix("step-")
        store = self.store
        save_with_feedback(
            self, "next steps", lambda: core.tick_next_step(store, self.review_id, key, event.value)
        )
        self._show_steps_status()

    def _show_steps_status(self) -> None:
        ticked = sum(box.value for box in self.query(".next-step").results(Checkbox))
        self.query_one("#steps-status", Static).update(self._steps_status(ticked))

    @staticmethod
    def _steps_status(ticked: int) -> str:
        total = len(core.NEXT_STEPS)
        if ticked == total:
            return "All seven next steps explained."
        return f"{ticked} of {total} next steps read out."

    def action_back(self) -> None:
        self.dismiss()
