"""Stage 12, family involvement (seed 003 section 8): the level reached on the ladder with its
history, and the limiting factors checklist with the date it was last reconsidered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Label, Static

from reviewer_tui import actions as core
from reviewer_tui import domain
from reviewer_tui import models as m
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewerNode, Stored, container_of
from reviewer_tui.screens.deleting import DeleteButton, delete_box
from reviewer_tui.screens.forms import (
    FieldEditor,
    SaveIndicator,
    Spec,
    StageBody,
    focus_first,
    save_with_feedback,
    stage_header,
)
from reviewer_tui.screens.parts import PART_BINDINGS, NarrowAware, Part, PartStub
from reviewer_tui.screens.stubs import Stub, replace_stubs_in_view
from reviewer_tui.screens.text import literal
from reviewer_tui.screens.ticks import TickBox

LEVEL_OPTIONS = [(f"{n}. {text}", n) for n, text in domain.FAMILY_INVOLVEMENT_LEVELS.items()]
CONTACT_SPECS = (
    Spec("date", "Date", "date"),
    Spec("level", "Level reached on the ladder", "choice", LEVEL_OPTIONS),
    Spec("action", "What was done, in a few words"),
    Spec("notes", "Details of the contact", "long"),
)
FACTOR_LABELS = dict(core.LIMITING_FACTORS)
# A contact's box is 20-30 lines (four fields, the notes six lines tall, a line for each family
# member), and the large review's four with the limiting factors were 70 widgets to style and lay
# out before the first frame, most of them below it. The contacts that start within a screen's
# height of the first are built with the screen; each later one is a ContactStub, and the
# limiting factors a PartStub, until it comes into view or takes the focus (screens/stubs.py).


def contact_box_height(members: list[Any]) -> int:
    """About how many lines a contact's box takes: its frame, the date, level and action (three
    lines each), the notes (eight), the family members under their label, the delete button."""
    return 2 + 3 * 3 + 8 + (1 + len(members) if members else 0) + 3


def level_text(level: int | None) -> str:
    return f"{level}. {domain.FAMILY_INVOLVEMENT_LEVELS[level]}" if level else "not set"


class ContactBox(ReviewerNode, Vertical):
    def __init__(self, view: core.ContactView, members: list[Any]) -> None:
        super().__init__(classes="subgroup contact", id=f"contact-{view.id}")
        self.view = view
        self.members = members
        self.contact_id = view.id
        self.recovery_owner = (m.FamilyContact.__tablename__, view.id)  # a NOT SAVED field's home

    def compose(self) -> ComposeResult:
        def save(name: str, value: Any) -> None:
            self.store.update(m.FamilyContact, self.contact_id, **{name: value})

        for spec in CONTACT_SPECS:
            yield FieldEditor(spec, getattr(self.view, spec.name), save)
        if self.members:
            yield Label(
                "Who was involved (none ticked: the family as a whole)", classes="field-label"
            )
            for member in self.members:
                yield TickBox(
                    literal(
                        member.name + (f" ({member.relationship})" if member.relationship else "")
                    ),
                    member.id in self.view.member_ids,
                    classes="member",
                    name=str(member.id),
                    compact=True,
                )
        with Horizontal(classes="row-buttons"):
            yield DeleteButton("Delete contact", classes="delete-contact", variant="error")

    def on_mount(self) -> None:
        self.border_title = domain.format_date(self.view.date)

    @on(Checkbox.Changed, ".member")
    def _members(self, event: Checkbox.Changed) -> None:
        event.stop()
        ids = [int(str(box.name)) for box in self.query(".member").results(Checkbox) if box.value]
        store = self.store
        save_with_feedback(
            self, "who was involved", lambda: core.set_contact_members(store, self.contact_id, ids)
        )


class ContactStub(Stub):
    """A contact not built yet: its date, level and what was done, in the place and frame of its
    box."""

    def __init__(self, view: core.ContactView) -> None:
        super().__init__(
            literal(
                f"Level reached: {level_text(view.level)}\n"
                + (f"{' '.join(view.action.split())}\n" if view.action.strip() else "")
                + f"Who was involved: {view.members}\nScroll to it or Tab to it to edit."
            ),
            m.FamilyContact,
            view.id,
            classes="subgroup contact stub",
            id=f"contact-stub-{view.id}",
        )
        self.border_title = domain.format_date(view.date)


class FactorsBox(ReviewerNode, Vertical):
    def __init__(self, row: Any) -> None:
        super().__init__(classes="subgroup factors", id=f"factors-{row.id}")
        self.row = row
        self.factors_id: int = row.id
        self.recovery_owner = (
            m.LimitingFactorsReview.__tablename__,
            row.id,
        )  # a NOT SAVED field's home

    def compose(self) -> ComposeResult:
        def save(name: str, value: Any) -> None:
            self.store.update(m.LimitingFactorsReview, self.factors_id, **{name: value})

        yield FieldEditor(Spec("date", "Date reconsidered", "date"), self.row.date, save)
        yield Label("Factors that apply", classes="field-label")
        for key, label in core.LIMITING_FACTORS:
            yield TickBox(label, key in self.row.factors, classes="factor", name=key, compact=True)
        yield FieldEditor(Spec("notes", "What was decided and why", "long"), self.row.notes, save)

    def on_mount(self) -> None:
        self.border_title = f"Reconsidered {domain.format_date(self.row.date)}"

    @on(Checkbox.Changed, ".factor")
    def _factor(self, event: Checkbox.Changed) -> None:
        event.stop()
        store = self.store
        if save_with_feedback(
            self,
            "limiting factors",
            lambda: core.set_factor(store, self.factors_id, str(event.checkbox.name), event.value),
        ):
            self.post_message(Stored())


FACTORS_TITLE = "Limiting factors"


class FamilyScreen(NarrowAware):
    CSS_PATH = ["stage.tcss", "parts.tcss"]
    BINDINGS = [
        Binding("escape", "back", "Workspace", id="stage-back"),
        Binding("ctrl+n", "add_contact", "Add contact", id="family-add-contact"),
        Binding("ctrl+r", "reconsider", "Reconsider factors", id="family-reconsider"),
        *PART_BINDINGS,
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        store = self.store
        rid = self.review_id
        members = store.rows(m.FamilyMember, rid)
        contacts = core.contacts(store, rid)
        built = max(1, -(-self.app.size.height // contact_box_height(members)))  # rounded up
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "12 Family involvement",
                "The ladder of family involvement and the limiting factors, kept under review.",
            )
            yield Static("", id="family-summary")
            yield Part(
                "Contacts with the family: the ladder history",
                "",
                (
                    "Each step may include the steps above it.",
                    "Levels 7-10 carry the greatest risk of litigation: update insurers and the CPS "
                    "when they are considered.",
                    "The family need not be limited to those with parental responsibility; some "
                    "members may be involved and others not.",
                ),
                *[
                    ContactBox(v, members) if n < built else ContactStub(v)
                    for n, v in enumerate(contacts)
                ],
                Button("+ Contact (dated today)", id="add-contact", variant="primary"),
                id="part-contacts",
            )
            if len(contacts) > built:
                yield PartStub(
                    FACTORS_TITLE,
                    m.LimitingFactorsReview,
                    0,
                    self._factors_part,
                    id="part-factors-stub",
                    holds=lambda table, _row_id: table == m.LimitingFactorsReview.__tablename__,
                )
            else:
                yield self._factors_part()
        yield SaveIndicator()
        yield Footer()

    def _factors_part(self) -> Part:
        """The limiting factors, from the reconsiderations as stored now."""
        return Part(
            FACTORS_TITLE,
            "Reconsider them at each meeting of the panel or review team, and record the date.",
            (
                "Where a family member may be responsible for abuse or was a witness, they are not "
                "consulted until an investigation or prosecution concludes.",
                "Any involvement of a perpetrator or witness must be reported to the Police / CPS.",
            ),
            *[FactorsBox(r) for r in self.store.rows(m.LimitingFactorsReview, self.review_id)],
            Button("+ Reconsider now (dated today)", id="reconsider", variant="primary"),
            id="part-factors",
        )

    def stub_scroller(self) -> Widget:
        return self.query_one("#stage-body", StageBody)

    async def on_stub_wanted(self, event: Stub.Wanted) -> None:
        if not isinstance(event.stub, ContactStub):
            return  # the limiting factors' part: NarrowAware builds it

        def build(stub: Stub) -> ContactBox | None:
            store = self.store
            view = next(
                (v for v in core.contacts(store, self.review_id) if v.id == stub.row_id), None
            )
            if view is None:  # deleted meanwhile (restored from the history elsewhere)
                return None
            return ContactBox(view, store.rows(m.FamilyMember, self.review_id))

        # the contacts that came into view with it are built with it: one layout for them all
        await replace_stubs_in_view(event, build, self.stub_scroller(), focus_first)

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_summary()

    def on_field_editor_edited(self, event: FieldEditor.Edited) -> None:
        self.refresh_summary()

    def on_stored(self, event: Stored) -> None:
        self.refresh_summary()

    def refresh_summary(self) -> None:
        store = self.store
        planned = store.get(m.Scope, self.review_id).family_involvement_level
        history = core.contacts(store, self.review_id)
        last = core.last_reconsidered(store, self.review_id)
        today: dt.date = self.app.today()
        lines = [
            f"Planned level: {level_text(planned)}",
            "Current level: "
            + (
                f"{level_text(history[-1].level)} "
                f"(last contact {domain.format_date(history[-1].date)})"
                if history
                else "no contact recorded yet"
            ),
        ]
        if last is None:
            lines.append("Limiting factors: never reconsidered.")
        else:
            days = (today - last.date).days
            applying = len(last.factors)
            ago = (
                "today"
                if days == 0
                else f"{days} day{'s' if days != 1 else ''} ago"
                if days > 0
                else "a future date"
            )
            lines.append(
                f"Limiting factors last reconsidered {domain.format_date(last.date)} "
                f"({ago}): "
                + (
                    f"{applying} appl{'y' if applying != 1 else 'ies'}."
                    if applying
                    else "none apply."
                )
            )
        self.query_one("#family-summary", Static).update(literal("\n".join(lines)))

    def action_add_contact(self) -> None:
        self.query_one("#add-contact", Button).press()

    async def action_reconsider(self) -> None:
        parts = self._parts()
        for stub in self.query("#part-factors-stub").results(PartStub):
            await self.go_to_part(parts.index(stub))  # built first: the button is in it
        self.query_one("#reconsider", Button).press()

    @on(Button.Pressed, ".delete-contact")
    async def _delete_contact(self, event: Button.Pressed) -> None:
        event.stop()
        box = next(a for a in event.button.ancestors if isinstance(a, ContactBox))
        store = self.store
        contact_id = box.contact_id

        def rebuild() -> ContactBox:
            view = next(v for v in core.contacts(store, self.review_id) if v.id == contact_id)
            return ContactBox(view, store.rows(m.FamilyMember, self.review_id))

        await delete_box(
            box,
            m.FamilyContact,
            contact_id,
            f"the contact of {domain.format_date(box.view.date)}",
            rebuild,
            self.refresh_summary,
        )

    @on(Button.Pressed, "#add-contact")
    async def _add_contact(self, event: Button.Pressed) -> None:
        event.stop()
        store = self.store
        level = (
            core.current_level(store, self.review_id)
            or store.get(m.Scope, self.review_id).family_involvement_level
            or 1
        )
        created: list[int] = []
        if save_with_feedback(
            self,
            "contact",
            lambda: created.append(
                core.add_contact(store, self.review_id, self.app.today(), level)
            ),
        ):
            view = next(v for v in core.contacts(store, self.review_id) if v.id == created[0])
            box = ContactBox(view, store.rows(m.FamilyMember, self.review_id))
            await container_of(event.button).mount(box, before=event.button)
            focus_first(box)
            self.refresh_summary()

    @on(Button.Pressed, "#reconsider")
    async def _reconsider(self, event: Button.Pressed) -> None:
        event.stop()
        store = self.store
        created: list[int] = []
        if save_with_feedback(
            self,
            "limiting factors",
            lambda: created.append(
                core.reconsider_factors(store, self.review_id, self.app.today())
            ),
        ):
            box = FactorsBox(store.get(m.LimitingFactorsReview, created[0]))
            await container_of(event.button).mount(box, before=event.button)
            focus_first(box)
            self.refresh_summary()

    def action_back(self) -> None:
        self.dismiss()
