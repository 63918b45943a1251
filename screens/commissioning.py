"""Stage 1, commissioning (seed 000 section 4): who asked for the review, why, and who leads it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from reviewer_tui import domain
from reviewer_tui.models import Review
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.forms import (
    ModelForm,
    SaveIndicator,
    Spec,
    StageBody,
    field_group,
    stage_header,
)


def kind_help(key: object) -> str:
    kind = domain.KINDS_BY_KEY.get(str(key))
    if kind is None:
        return ""
    target = (
        f" Target: {kind.target_months} months from commissioning (filled in the terms of "
        "reference when the commissioning date is set)."
        if kind.target_months
        else ""
    )
    return f"{kind.nation}. {kind.guidance}{target}"


REVIEW_SPECS = (
    Spec("title", "Working title"),
    Spec(
        "review_type",
        "Kind of review",
        "choice",
        [(k.name, k.key) for k in domain.REVIEW_KINDS],
        describe=kind_help,
    ),
    Spec(
        "criterion",
        "Criterion",
        "choice",
        [
            ("Concern: something went badly", "concern"),
            ("Progressing well: notably good practice to share", "progressing well"),
        ],
    ),
    Spec(
        "commissioned_on",
        "Date commissioned",
        "date",
        help="Statutory timescales are counted from this date.",
    ),
)
CHILD_SPECS = (
    Spec("child_name", "Child's full name", help="Confidential: never published."),
    Spec(
        "child_pseudonym", "Child's pseudonym", help="Used in anything published, e.g. 'Child T'."
    ),
    Spec("agency", "Agency", help="As it should appear on the report's title page."),
)
COMMISSIONER_SPECS = (
    Spec("commissioner_name", "Commissioner's name", help="Usually an Assistant Director."),
    Spec("commissioner_post", "Commissioner's post"),
    Spec(
        "brief",
        "The commissioner's written brief",
        "long",
        help="What the concerns are, or why the case is seen as good practice.",
    ),
    Spec("preliminary_questions", "Preliminary questions and areas for exploration", "list"),
    Spec("reason_for_review", "Reason for the review (report section 1.1)", "long"),
)
REVIEWER_SPECS = (
    Spec("lead_reviewer_name", "Lead reviewer's name"),
    Spec("lead_reviewer_post", "Post"),
    Spec("lead_reviewer_address", "Work address (author block)"),
    Spec("lead_reviewer_telephone", "Telephone (author block)"),
    Spec(
        "lead_reviewer_independence_statement",
        "Statement of independence",
        "long",
        help="No direct involvement in, or line management of, the case; anything declared.",
    ),
    Spec("support_for_reviewer", "Support, training or mentoring agreed for the reviewer", "long"),
)


class CommissioningScreen(ReviewScreen[None]):
    CSS_PATH = "stage.tcss"
    BINDINGS = [Binding("escape", "back", "Workspace", id="stage-back")]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "1 Commissioning",
                "The commissioner's brief and the lead reviewer (the Case Review Protocol).",
            )
            yield field_group("The review", ModelForm(Review, self.review_id, REVIEW_SPECS))
            yield field_group(
                "The child and the agency", ModelForm(Review, self.review_id, CHILD_SPECS)
            )
            yield field_group(
                "Commissioner and brief", ModelForm(Review, self.review_id, COMMISSIONER_SPECS)
            )
            yield field_group("Lead reviewer", ModelForm(Review, self.review_id, REVIEWER_SPECS))
        yield SaveIndicator()
        yield Footer()

    def action_back(self) -> None:
        self.dismiss()
