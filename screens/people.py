"""One person's PROFILE OF INTERVIEWEE (Serious Case Reviews: Best Practice, section 5): the ten items, previous employment and
training as rows, the role pseudonym used in published versions and their supporter. Can be filled
in before or during the interview; every change is saved as it is made."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from reviewer_tui import domain
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen, Stored
from reviewer_tui.screens.forms import (
    FieldEditor,
    ModelForm,
    RowList,
    SaveIndicator,
    Spec,
    StageBody,
    field_group,
    focus_first,
    save_with_feedback,
    stage_header,
)

LABEL = domain.PROFILE_LABELS
PROFILE_SPECS = (
    Spec("full_name", LABEL["full_name"]),
    Spec("qualifications", LABEL["qualifications"], "long"),
    Spec("designation", LABEL["designation"]),
    Spec("time_in_post", LABEL["time_in_post"]),
    Spec("employing_body", LABEL["employing_body"]),
    Spec("employing_address", LABEL["employing_address"], "long"),
    Spec("home_address", LABEL["home_address"], "long"),
)
ROLE_SPECS = (
    Spec("role_in_case", LABEL["role_in_case"], "long"),
    Spec(
        "training_last_3_years",
        LABEL["training_last_3_years"],
        "list",
        help="One course per item, with its date.",
    ),
)
PUBLICATION_SPECS = (
    Spec(
        "pseudonym",
        "Role pseudonym for publication",
        help="For example 'Social Worker 1' or 'Team Manager': used instead of the name in any "
        "published version.",
    ),
    Spec(
        "also_known_as",
        "Other ways the name is written (found and replaced before publication)",
        "list",
    ),
    Spec("supporter", "Supporter (colleague or staff representative)"),
)
EMPLOYMENT_SPECS = (
    Spec("employer", "Employer"),
    Spec("dates", "Dates"),
    Spec("posts_held", "Posts held"),
)


class EmploymentList(RowList):
    """Item 8, previous employment: rows belonging to one person rather than to the review."""

    def __init__(self, person_id: int, **kwargs: Any) -> None:
        super().__init__(
            LABEL["previous_employment"],
            m.PreviousEmployment,
            0,
            EMPLOYMENT_SPECS,
            lambda: {},
            help="Employer, dates and posts held, one row each.",
            **kwargs,
        )
        self.person_id = person_id

    def compose(self) -> ComposeResult:
        from textual.widgets import Label

        yield Label(self.title, classes="list-title")
        yield Static(self.help, classes="list-help")
        for row in iv.previous_employment(self.store, self.person_id):
            yield self._row(row)
        yield Button("+ Add previous post", classes="add-job", variant="primary")

    @on(Button.Pressed, ".add-job")
    async def _add_job(self, event: Button.Pressed) -> None:
        event.stop()
        store = self.store
        created: list[Any] = []
        if save_with_feedback(
            self,
            "Previous employment",
            lambda: created.append(iv.add_previous_employment(store, self.person_id)),
        ):
            box = self._row(created[0])
            await self.mount(box, before=event.button)
            focus_first(box)
            self.post_message(Stored())  # recount


class PersonScreen(ReviewScreen[None]):
    CSS_PATH = "stage.tcss"
    BINDINGS = [Binding("escape", "back", "Back", id="person-back")]

    def __init__(self, person_id: int, *, just_added: bool = False) -> None:
        super().__init__()
        self.person_id = person_id
        if just_added:
            # Opened by "Add person": the keyboard goes to their name (the first field), as
            # after any add, from the screen's first frame (keys typed on the body go nowhere)
            self.first_focus = "FieldEditor"

    def compose(self) -> ComposeResult:
        pid = self.person_id
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "Profile of interviewee",
                "The PROFILE OF INTERVIEWEE form. Fill it in before or during the interview.",
            )
            yield Static(self._missing_text(), id="profile-missing", markup=False)
            yield field_group("Who they are", ModelForm(m.Person, pid, PROFILE_SPECS))
            yield field_group("Previous employment", EmploymentList(pid, id="jobs"))
            yield field_group("Role and training", ModelForm(m.Person, pid, ROLE_SPECS))
            yield field_group(
                "Publication and support", ModelForm(m.Person, pid, PUBLICATION_SPECS)
            )
        yield SaveIndicator()
        yield Footer()

    def _missing_text(self) -> str:
        from reviewer_tui.read_model import profile_day, training_date_problem

        missing = iv.profile_missing(self.store, self.person_id)
        text = (
            "All ten profile items are filled in."
            if not missing
            else f"{10 - len(missing)} of 10 profile items filled in. Still to fill: "
            + "; ".join(missing)
        )
        person = self.store.get(m.Person, self.person_id)
        day = profile_day(iv.interview_times(self.store, self.person_id), self.app.today())
        for item in person.training_last_3_years:
            problem = training_date_problem(item, day)
            if problem:
                text += f"\n⚠ {problem} (accepted, but check it)"
        return text

    @on(FieldEditor.Edited)
    @on(Stored)
    def _edited(self) -> None:
        self.query_one("#profile-missing", Static).update(self._missing_text())

    def action_back(self) -> None:
        self.dismiss()
