"""Stage 8, recommendations and the action plan (seed 003 section 7 part 5; seed 004 sections 7
and 9) with the closing steps after the draft (seed 000 next steps 3-7), and stage 11,
escalations (seed 000 section 6). Every change is saved as made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from reviewer_tui import actions as core
from reviewer_tui import findings, read_model
from reviewer_tui import models as m
from reviewer_tui.errors import InputError
from reviewer_tui.reviews import Store
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewerNode, ReviewModal, container_of
from reviewer_tui.screens.deleting import DeleteButton, delete_box
from reviewer_tui.screens.dialogs import DIALOG_CSS
from reviewer_tui.screens.forms import (
    FieldEditor,
    ModelForm,
    RecordBox,
    SaveIndicator,
    Spec,
    StageBody,
    field_widget,
    save_with_feedback,
    stage_header,
)
from reviewer_tui.screens.parts import PART_BINDINGS, NarrowAware, Part
from reviewer_tui.screens.picker import Picker
from reviewer_tui.screens.stubs import (
    WHOLE_LIST,
    SectionStub,
    Stub,
    StubRun,
    make_whole,
    replace_stub,
    stubs_and_run,
)
from reviewer_tui.screens.text import literal

RECOMMENDATION_SPECS = (
    Spec("action", "What action should be taken", "long"),
    Spec("owner", "By whom (usually a post)"),
    Spec("due", "By when", "date"),
    Spec("outcome", "The outcome it should bring about", "long"),
    Spec("measure", "How achievement will be checked", "long"),
    Spec(
        "status",
        "Status",
        help="For example: "
        + "; ".join(core.STATUS_SUGGESTIONS)
        + ". Start it with 'Completed' when done.",
    ),
    Spec("impact", "Impact, recorded when done and evaluated", "long"),
)
PROGRESS_SPECS = (Spec("date", "Date", "date"), Spec("note", "Progress note", "long"))
CLOSING_SPECS = (
    Spec(
        "distribution_agreed_on",
        "3. Date the commissioner agreed if and how the draft is distributed",
        "date",
    ),
    Spec("distribution_notes", "How the draft is distributed for comment", "long"),
    Spec("finalised_on", "4. Date the report was finalised", "date"),
    Spec("presented_on", "4-5. Date presented (to the Assistant Director, at DMT)", "date"),
    Spec("presented_to", "Presented to"),
    Spec("release_decided_on", "6. Date of the decision on release", "date"),
    Spec(
        "release_decision",
        "6. Release to participants: redaction, anonymisation, debriefing",
        "long",
    ),
    Spec(
        "thanks_sent_on", "7. Date the thanks and agreed actions were sent to participants", "date"
    ),
)
ESCALATION_SPECS = (
    Spec("kind", "Kind", "choice", [(label, key) for key, label in core.ESCALATION_KINDS]),
    Spec("raised_on", "Date raised", help="2025-09-03 or 2025-09-03 14:30"),
    Spec("summary", "What was found and what was done", "long"),
    Spec(
        "advised_commissioner_on",
        "Date the commissioner was advised",
        help="Leave empty until you have told the commissioner: the review list warns until then.",
    ),
    Spec("action_taken", "Action taken: the referral made, the commissioner's decision", "long"),
)


class LinkDialog(ReviewModal[list[int] | None]):
    """Tick items from a list; dismisses with the ids ticked (in the list's order) or None."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="LinkDialog")
        + """
    LinkDialog > Vertical { width: 110; }
    LinkDialog SelectionList { height: auto; max-height: 40vh; }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog-cancel"),
        Binding("ctrl+s", "done", "Done", id="link-done"),
    ]

    def __init__(
        self, title: str, options: list[tuple[str, int]], chosen: list[int], empty: str
    ) -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.chosen = set(chosen)
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title", markup=False)
            if self.options:
                yield Static(
                    "Space ticks an item; ctrl+s or Done keeps the choice, Esc cancels.",
                    classes="hint",
                )
                yield Picker(
                    [(literal(label), value) for label, value in self.options], self.chosen
                )
            else:
                yield Static(self.empty, classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Done", variant="primary", id="done")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        pickers = self.query(Picker)
        picked = pickers.first().picked() if pickers else set()
        self.dismiss([value for _, value in self.options if value in picked])


class ProgressNotes(ReviewerNode, Vertical):
    DEFAULT_CSS = """
    ProgressNotes { height: auto; }
    ProgressNotes .note { height: auto; }
    ProgressNotes .note FieldEditor { margin-bottom: 0; }
    ProgressNotes .note TextArea { height: 3; }
    ProgressNotes .note FieldEditor > .field-face--area { height: 3; }
    """

    def __init__(self, recommendation_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.recommendation_id = recommendation_id

    def compose(self) -> ComposeResult:
        yield Label("Progress notes", classes="field-label")
        for note in core.progress_notes(self.store, self.recommendation_id):
            yield self._row(note)
        yield Button("+ Progress note (dated today)", classes="add-note", variant="primary")

    def _row(self, note: Any) -> RecordBox:
        def save(name: str, value: Any, row_id: int = note.id) -> None:
            self.store.update(m.RecommendationProgress, row_id, **{name: value})

        return RecordBox(
            *[
                FieldEditor(spec, getattr(note, spec.name), save, compact=True)
                for spec in PROGRESS_SPECS
            ],
            table=m.RecommendationProgress.__tablename__,
            row_id=note.id,
            classes="note",
        )

    @on(Button.Pressed, ".add-note")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        store = self.store
        today: dt.date = self.app.today()
        if save_with_feedback(
            self,
            "progress note",
            lambda: core.add_progress_note(store, self.recommendation_id, today),
        ):
            note = core.progress_notes(store, self.recommendation_id)[-1]
            row = self._row(note)
            await self.mount(row, before=event.button)
            field_widget(row, "note").focus()


def renumber(screen: Any) -> None:
    """Recommendations are called by their place in the plan (ids are never shown); a run of
    stubs, at the end, numbers what it holds after them."""
    number = 0
    for number, box in enumerate(screen.query(".recommendation"), start=1):
        box.border_title = f"Recommendation {number}"
    for run in screen.query(StubRun).results(StubRun):
        run.number_from(number + 1)


# A recommendation box is some eighty widgets (seven fields, its progress notes, buttons): a
# large review's sixty were about 5,000 widgets, each styled several times before the first
# frame (over a minute of CPU). A plan of up to WHOLE_LIST (stubs.py) is built with the screen;
# in a longer one only the first box is, and each later one is a RecommendationStub, one widget,
# until it scrolls into view (or to within a screen of it) or takes the focus.


class RecommendationStub(Stub):
    """A recommendation not built yet: its action, owner and due date as text, in the place and
    frame of its box (screens/stubs.py)."""

    def __init__(self, row: Any) -> None:
        super().__init__(
            literal(_stub_text(row)),
            m.Recommendation,
            row.id,
            classes="subgroup recommendation stub",
            id=f"stub-recommendation-{row.id}",
        )

    @property
    def recommendation_id(self) -> int:
        return self.row_id


def _stub_text(row: Any) -> str:
    action = " ".join(str(row.action or "").split()) or "(no action written yet)"
    owner = " ".join(str(row.owner or "").split()) or "owner not set"
    due = row.due.isoformat() if row.due else "no due date"
    return f"{action}\nBy {owner}; due {due}. Scroll to it or Tab to it to edit."


class Lookups:
    """What the recommendation boxes of one screen label their links with, shared by them: the
    review's findings (read once: they do not change on this screen) and the labels of the
    chronology entries linked, read as boxes ask for them (never the whole chronology)."""

    def __init__(self) -> None:
        self._findings: list[Any] | None = None
        self._labels: dict[int, str] = {}

    def findings(self, store: Store, review_id: int) -> list[Any]:
        """The review's findings (rows), in order: a finding's number is its place here."""
        if self._findings is None:
            self._findings = store.rows(m.Finding, review_id)
        return self._findings

    def labels(self, store: Store, review_id: int, entry_ids: list[int]) -> dict[int, str]:
        missing = [i for i in entry_ids if i not in self._labels]
        if missing:
            self._labels.update(core.chronology_labels(store, review_id, missing))
        return {i: self._labels[i] for i in entry_ids if i in self._labels}


class RecommendationBox(ReviewerNode, Vertical):
    def __init__(self, row: Any, lookups: Lookups | None = None) -> None:
        super().__init__(classes="subgroup recommendation", id=f"recommendation-{row.id}")
        self.row = row
        self.lookups = lookups or Lookups()
        self.recommendation_id: int = row.id
        self.recovery_owner = (m.Recommendation.__tablename__, row.id)  # a NOT SAVED field's home

    def compose(self) -> ComposeResult:
        # Overdue or not is known before the fields are built: a class set on the box once its
        # eighty widgets are styled styles every one of them again (half of opening the screen).
        overdue = core.is_overdue(self.row.due, self.row.status, self.app.today())
        self.set_class(overdue, "is-overdue")
        yield Static("", classes="due-status overdue" if overdue else "due-status")
        for spec in RECOMMENDATION_SPECS:
            yield FieldEditor(spec, getattr(self.row, spec.name), self._save)
        yield Static("", classes="links")
        with Horizontal(classes="row-buttons"):
            yield Button("Link findings…", classes="link-findings", variant="primary")
            yield Button("Link chronology…", classes="link-chronology", variant="primary")
        # Below the seven fields, off the first screenful: built as it comes into view or takes
        # the focus (its notes are two editors each).
        rec_id = self.recommendation_id
        yield SectionStub(
            "Progress notes",
            m.Recommendation,
            rec_id,
            lambda: ProgressNotes(rec_id),
            id=f"progress-stub-{rec_id}",
            holds=self._holds,
        )
        with Horizontal(classes="row-buttons"):
            yield DeleteButton(
                "Delete recommendation", classes="delete-recommendation", variant="error"
            )

    def on_mount(self) -> None:
        renumber(self.screen)
        self.show()

    def _holds(self, table: str, row_id: int) -> bool:
        """Whether row `row_id` of `table` is one of this recommendation's progress notes (read
        only when a search asks)."""
        if table != m.RecommendationProgress.__tablename__:
            return False
        try:
            note = self.store.get(m.RecommendationProgress, row_id)
        except InputError:
            return False
        return bool(note.recommendation_id == self.recommendation_id)

    def _save(self, name: str, value: Any) -> None:
        self.store.update(m.Recommendation, self.recommendation_id, **{name: value})

    def on_field_editor_edited(self, event: FieldEditor.Edited) -> None:
        self.show()

    def show(self) -> None:
        store = self.store
        row = store.get(m.Recommendation, self.recommendation_id)
        today: dt.date = self.app.today()
        overdue = core.is_overdue(row.due, row.status, today)
        text = core.due_text(row.due, row.status, today)
        if core.is_done(row.status) and not row.impact.strip():
            text += ". Done: record the impact below."
        status = self.query_one(".due-status", Static)
        status.update(literal(("⚠ " if overdue else "") + text))
        status.set_class(overdue, "overdue")
        self.set_class(overdue, "is-overdue")
        finding_ids, entry_ids = core.recommendation_links(store, self.recommendation_id)
        numbered = {
            f.id: (number, f)
            for number, f in enumerate(self.lookups.findings(store, row.review_id), start=1)
        }
        labels = self.lookups.labels(store, row.review_id, entry_ids)
        lines = [
            "Answers findings: "
            + (
                ", ".join(
                    f"{numbered[i][0]}. {findings.short(numbered[i][1].statement, 50)}"
                    for i in finding_ids
                    if i in numbered
                )
                or "none linked"
            )
        ]
        lines.append(
            "Why it is needed (chronology): "
            + ("; ".join(labels[i] for i in entry_ids if i in labels) or "none linked")
        )
        self.query_one(".links", Static).update(literal("\n".join(lines)))

    @on(Button.Pressed, ".link-findings")
    def _link_findings(self, event: Button.Pressed) -> None:
        event.stop()
        store = self.store
        review_id = store.get(m.Recommendation, self.recommendation_id).review_id
        options = [
            (f"{number}. ({f.kind or 'kind not set'}) {' '.join(f.statement.split())}", f.id)
            for number, f in enumerate(self.lookups.findings(store, review_id), start=1)
        ]
        chosen, _ = core.recommendation_links(store, self.recommendation_id)
        self._open(
            LinkDialog(
                "Which findings does this recommendation answer?",
                options,
                chosen,
                "No findings yet: add them under Analysis and learning.",
            ),
            lambda ids: core.set_recommendation_links(
                store, self.recommendation_id, finding_ids=ids
            ),
        )

    @on(Button.Pressed, ".link-chronology")
    def _link_chronology(self, event: Button.Pressed) -> None:
        event.stop()
        store = self.store
        review_id = store.get(m.Recommendation, self.recommendation_id).review_id
        # The whole chronology only now, when the reviewer chooses from it.
        options = [(e.label, e.id) for e in findings.candidates(store, review_id)["chronology"]]
        _, chosen = core.recommendation_links(store, self.recommendation_id)
        self._open(
            LinkDialog(
                "Which chronology entries show why it is needed?",
                options,
                chosen,
                "No chronology entries yet.",
            ),
            lambda ids: core.set_recommendation_links(
                store, self.recommendation_id, chronology_ids=ids
            ),
        )

    def _open(self, dialog: LinkDialog, save: Callable[[list[int]], None]) -> None:
        def done(ids: list[int] | None) -> None:
            if ids is not None and save_with_feedback(self, "links", lambda: save(ids)):
                self.show()

        self.app.push_screen(dialog, done)


class RecommendationsScreen(NarrowAware):
    CSS_PATH = ["stage.tcss", "parts.tcss"]
    DEFAULT_CSS = "RecommendationsScreen .recommendation.is-overdue { border: round $error; }"
    BINDINGS = [
        Binding("escape", "back", "Workspace", id="stage-back"),
        Binding("ctrl+n", "add_recommendation", "Add recommendation", id="recommendations-add"),
        *PART_BINDINGS,
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        self.lookups = Lookups()  # shared by the boxes

    def compose(self) -> ComposeResult:
        rid = self.review_id
        store = self.store
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "8 Recommendations and action plan",
                "What action, by whom and when; the outcome intended and how "
                "achievement will be checked; then progress and impact.",
            )
            yield Static("", id="plan-summary")
            rows = store.rows(m.Recommendation, rid)
            built = len(rows) if len(rows) <= WHOLE_LIST else 1
            boxes: list[Widget] = [RecommendationBox(r, self.lookups) for r in rows[:built]]
            boxes += stubs_and_run(
                "Recommendations",
                rows[built:],
                RecommendationStub,
                m.Recommendation,
                lambda row: int(row.id),
                built + 1,
            )
            yield Part(
                "Recommendations",
                "Each recommendation is one line of the action plan.",
                (
                    "Does it answer a finding, and does the evidence show why it is needed?",
                    "Is the owner a post that can act on it?",
                    "How will the agency know the outcome has been achieved? (impact measures)",
                    "A systems approach: improve the conditions for practice, not only the "
                    "practitioner.",
                ),
                *boxes,
                Button("+ Add recommendation", id="add-recommendation", variant="primary"),
                id="part-recommendations",
            )
            yield Part(
                "Closing steps after the draft",
                "The Case Review Protocol's next steps 3-7, each with its date.",
                (
                    "The Assistant Director takes responsibility for following up the agreed "
                    "recommendations.",
                ),
                # Below a long plan, built as it comes into view (or takes the focus).
                SectionStub(
                    "Closing steps",
                    m.ClosingSteps,
                    rid,
                    lambda: ModelForm(m.ClosingSteps, rid, CLOSING_SPECS),
                    id="closing-stub",
                )
                if built < len(rows)
                else ModelForm(m.ClosingSteps, rid, CLOSING_SPECS),
                id="part-closing",
            )
        yield SaveIndicator()
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_summary()

    def stub_scroller(self) -> Widget:
        return self.query_one("#stage-body", VerticalScroll)

    async def on_stub_wanted(self, event: Stub.Wanted) -> None:
        if not isinstance(event.stub, RecommendationStub):
            return  # a row of another list: its own list builds it

        def build() -> RecommendationBox | None:
            try:  # as stored now (a restore from the history may have changed it)
                row = self.store.get(m.Recommendation, event.stub.row_id)
            except InputError:  # deleted meanwhile (from another screen): nothing to edit
                return None
            return RecommendationBox(row, self.lookups)

        body = self.query_one("#stage-body", VerticalScroll)
        await replace_stub(
            event,
            build,
            body,
            lambda box: field_widget(box, "action").focus(),
            after=lambda: renumber(self),
        )

    def on_field_editor_edited(self, event: FieldEditor.Edited) -> None:
        self.refresh_summary()

    def refresh_summary(self) -> None:
        # The read model's one rule this line shows, not every rule of the review (the dates
        # to check alone read its 10,000 chronology entries).
        with read_model.reading(self.app.folder) as conn:
            found = read_model.overdue_recommendations(conn, self.app.today(), self.review_id)
        overdue = found.get(self.review_id, [])
        count = len(self.store.rows(m.Recommendation, self.review_id))
        summary = self.query_one("#plan-summary", Static)
        text = f"{count} recommendation{'s' if count != 1 else ''}"
        if overdue:
            text += f", {len(overdue)} OVERDUE"
        summary.update(text)
        summary.set_class(bool(overdue), "overdue")

    @on(Button.Pressed, ".delete-recommendation")
    async def _delete(self, event: Button.Pressed) -> None:
        """Handled here, not in the box: the box is what goes."""
        event.stop()
        box = next(a for a in event.button.ancestors if isinstance(a, RecommendationBox))
        store = self.store
        rec_id = box.recommendation_id

        def changed() -> None:
            renumber(self)
            self.refresh_summary()

        number = list(self.query(".recommendation")).index(box) + 1
        await delete_box(
            box,
            m.Recommendation,
            rec_id,
            f"recommendation {number} with its links and progress notes",
            lambda: RecommendationBox(store.get(m.Recommendation, rec_id)),
            changed,
        )

    def action_add_recommendation(self) -> None:
        self.query_one("#add-recommendation", Button).press()

    @on(Button.Pressed, "#add-recommendation")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        store = self.store
        created: list[int] = []
        if save_with_feedback(
            self,
            "recommendation",
            lambda: created.append(core.add_recommendation(store, self.review_id)),
        ):
            box = RecommendationBox(store.get(m.Recommendation, created[0]), self.lookups)
            await make_whole(container_of(event.button))  # the new one is numbered after all
            await container_of(event.button).mount(box, before=event.button)
            field_widget(box, "action").focus()
            box.scroll_visible()
            self.refresh_summary()

    def action_back(self) -> None:
        self.dismiss()


# --- stage 11: escalations --------------------------------------------------------------------
class EscalationBox(ReviewerNode, Vertical):
    def __init__(self, row: Any) -> None:
        super().__init__(classes="subgroup escalation", id=f"escalation-{row.id}")
        self.row = row
        self.escalation_id: int = row.id

    def compose(self) -> ComposeResult:
        yield Static("", classes="advised-status")

        def save(name: str, value: Any) -> None:
            core.update_escalation(self.store, self.escalation_id, name, value)

        for spec in ESCALATION_SPECS:
            yield FieldEditor(spec, getattr(self.row, spec.name), save)
        with Horizontal(classes="row-buttons"):
            yield DeleteButton("Delete", classes="delete-escalation", variant="error")

    def on_mount(self) -> None:
        self.show()

    def on_field_editor_edited(self, event: FieldEditor.Edited) -> None:
        self.show()

    def show(self) -> None:
        row = self.store.get(m.Escalation, self.escalation_id)
        self.border_title = literal(dict(core.ESCALATION_KINDS).get(row.kind, row.kind))
        status = self.query_one(".advised-status", Static)
        advised = row.advised_commissioner_on
        unadvised = advised is None or read_model.is_unadvised(advised)
        if advised is not None and not unadvised:
            status.update(literal(f"Commissioner advised {advised.replace('T', ' ')}."))
        else:
            status.update(
                "⚠ NOT YET ADVISED: tell the commissioner without delay, then enter the date."
            )
        status.set_class(unadvised, "flag")
        self.set_class(unadvised, "unadvised")


class EscalationsScreen(NarrowAware):
    CSS_PATH = ["stage.tcss", "parts.tcss"]
    DEFAULT_CSS = "EscalationsScreen .escalation.unadvised { border: round $error; }"
    BINDINGS = [
        Binding("escape", "back", "Workspace", id="stage-back"),
        Binding(
            "ctrl+n",
            "add('safeguarding concern')",
            "Safeguarding concern",
            id="escalations-add-safeguarding",
        ),
        Binding(
            "ctrl+g",
            "add('conduct or capability issue')",
            "Conduct issue",
            id="escalations-add-conduct",
        ),
        *PART_BINDINGS,
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        store = self.store
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "11 Escalations",
                "Matters raised with the commissioner during the review.",
            )
            yield Static("", id="escalation-summary")
            boxes = [EscalationBox(r) for r in store.rows(m.Escalation, self.review_id)]
            yield Part(
                "Escalations",
                "",
                (
                    "Immediate safeguarding concerns or practice issues: use the normal referral "
                    "routes, and advise the commissioning Assistant Director without delay.",
                    "A question of a disciplinary or capability issue: discuss with the commissioner "
                    "immediately. It may affect the review's progress or run alongside it.",
                ),
                *boxes,
                Horizontal(
                    Button("+ Safeguarding concern", id="add-safeguarding", variant="error"),
                    Button("+ Conduct or capability issue", id="add-conduct", variant="warning"),
                    classes="row-buttons",
                    id="escalation-buttons",
                ),
                id="part-escalations",
            )
        yield SaveIndicator()
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_summary()

    def on_field_editor_edited(self, event: FieldEditor.Edited) -> None:
        self.refresh_summary()

    def refresh_summary(self) -> None:
        store = self.store
        total = len(store.rows(m.Escalation, self.review_id))
        folder = self.app.folder
        with read_model.reading(folder) as conn:  # the one rule this line shows
            waiting = len(
                read_model.unadvised_escalations(conn, self.review_id).get(self.review_id, [])
            )
        summary = self.query_one("#escalation-summary", Static)
        if total == 0:
            summary.update("None raised.")
        else:
            summary.update(
                f"{total} raised"
                + (
                    f", {waiting} NOT YET ADVISED"
                    if waiting
                    else ", the commissioner advised of all"
                )
            )
        summary.set_class(bool(waiting), "flag")

    @on(Button.Pressed, ".delete-escalation")
    async def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        box = next(a for a in event.button.ancestors if isinstance(a, EscalationBox))
        store = self.store
        esc_id = box.escalation_id
        row = store.get(m.Escalation, esc_id)
        what = f"the {row.kind} raised {row.raised_on.replace('T', ' ')}"
        await delete_box(
            box,
            m.Escalation,
            esc_id,
            what,
            lambda: EscalationBox(store.get(m.Escalation, esc_id)),
            self.refresh_summary,
        )

    @on(Button.Pressed, "#add-safeguarding")
    async def _add_safeguarding(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_add("safeguarding concern")

    @on(Button.Pressed, "#add-conduct")
    async def _add_conduct(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_add("conduct or capability issue")

    async def action_add(self, kind: str) -> None:
        store = self.store
        today = self.app.today().isoformat()
        created: list[int] = []
        if save_with_feedback(
            self,
            "escalation",
            lambda: created.append(core.add_escalation(store, self.review_id, kind, today)),
        ):
            box = EscalationBox(store.get(m.Escalation, created[0]))
            await self.query_one("#part-escalations .part-main").mount(
                box, before=self.query_one("#escalation-buttons")
            )
            field_widget(box, "summary").focus()
            box.scroll_visible()
            self.refresh_summary()

    def action_back(self) -> None:
        self.dismiss()


__all__ = ["EscalationsScreen", "LinkDialog", "RecommendationsScreen"]
