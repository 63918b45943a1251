"""Stage 2, scoping and terms of reference (seed 003 section 2), with the dated scope change log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget

from reviewer_tui import domain
from reviewer_tui import models as m
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.forms import (
    YES_NO,
    ModelForm,
    RowList,
    SaveIndicator,
    Spec,
    StageBody,
    field_group,
    stage_header,
)
from reviewer_tui.screens.stubs import WHOLE_LIST, RevealsStubs, SectionStub, Stub

Holds = Callable[[str, int], bool]  # whether a section holds row (table, id): SectionStub.holds


def ladder_text(level: object) -> str:
    if not isinstance(level, int):
        return "Choose the planned level on the ladder of family involvement."
    return f"Level {level}: {domain.FAMILY_INVOLVEMENT_LEVELS[level]}."


LEVEL_OPTIONS = [(f"{n}. {text}", n) for n, text in domain.FAMILY_INVOLVEMENT_LEVELS.items()]

ISSUES_SPECS = (
    Spec("key_issues", "The most important issues to address", "list"),
    Spec("outside_expert_needed", "Is an outside expert needed at any stage?", "choice", YES_NO),
    Spec("outside_expert_notes", "Outside expert: who, when and why (or why not)", "long"),
    Spec("period_from", "Period reviewed: from", "date"),
    Spec("period_to", "Period reviewed: to", "date"),
)
FAMILY_SPECS = (
    Spec(
        "family_involvement_level",
        "Planned level of family involvement",
        "choice",
        LEVEL_OPTIONS,
        describe=ladder_text,
    ),
    Spec(
        "family_involvement_notes", "How family members will contribute; limiting factors", "long"
    ),
    Spec("family_involvement_facilitator", "Who facilitates the family's involvement"),
)
TIMING_SPECS = (
    Spec("start_date", "Date the review starts", "date"),
    Spec(
        "target_completion",
        "Expected completion date",
        "date",
        help="Filled with the kind's default (six months for English and Welsh reviews) "
        "when the review is commissioned; change it if agreed otherwise.",
    ),
    Spec(
        "media_and_public_interest", "How public, family and media interest will be managed", "long"
    ),
    Spec("agreed_on", "Date the terms of reference were agreed with the commissioner", "date"),
)
ORGANISATION_SPECS = (
    Spec("name", "Organisation or professional group"),
    Spec("code", "Agency code (chronology source)", help="For example SS&S, CYPS, POL, NUR, PRO."),
    Spec("notes", "Notes", "long"),
)
PARALLEL_SPECS = (
    Spec("kind", "Process", help="For example: " + "; ".join(domain.PARALLEL_PROCESS_KINDS) + "."),
    Spec("status", "Status"),
    Spec("notes", "How the review takes account of it and is co-ordinated", "long"),
)
AREA_SPECS = (
    Spec("area", "Other area or partnership"),
    Spec("arrangements", "Agreed roles and responsibilities", "long"),
)
CHANGE_SPECS = (
    Spec("date", "Date raised", "date"),
    Spec("change", "What changed and why", "long"),
    Spec("agreed_with", "Agreed with (name and post)"),
    Spec("agreed_on", "Date agreed", "date"),
)


class TermsOfReferenceScreen(ReviewScreen[None], RevealsStubs):
    CSS_PATH = "stage.tcss"
    BINDINGS = [Binding("escape", "back", "Workspace", id="stage-back")]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        rid = self.review_id
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header("2 Terms of reference", "Scope agreed with the commissioner.")
            yield field_group("Issues and period", ModelForm(m.Scope, rid, ISSUES_SPECS))
            yield field_group(
                "Who contributes",
                RowList(
                    "Organisations",
                    m.Organisation,
                    rid,
                    ORGANISATION_SPECS,
                    lambda: {"name": ""},
                    help="Organisations and professionals contributing, with the codes used in the chronology.",
                ),
            )
            # Below a long list of organisations, each later group is built as it comes into
            # view or takes the focus (a search hit in it builds it too).
            long = len(self.store.rows(m.Organisation, rid)) > WHOLE_LIST
            for n, (title, build, model, holds) in enumerate(self._later_groups(), start=1):
                if not long:
                    yield build()
                    continue
                yield SectionStub(title, model, rid, build, id=f"later-group-{n}", holds=holds)
        yield SaveIndicator()
        yield Footer()

    def _later_groups(self) -> list[tuple[str, Callable[[], Widget], Any, Holds | None]]:
        """(title, what builds the group, the row it edits, the rows of other tables it holds)."""
        rid = self.review_id

        def rows_of(*models: Any) -> Holds:
            tables = {model.__tablename__ for model in models}
            return lambda table, _row_id: table in tables

        def group(title: str, *made: Callable[[], Widget]) -> Callable[[], Widget]:
            return lambda: field_group(title, *(make() for make in made))

        return [
            (
                "Family involvement",
                group("Family involvement", lambda: ModelForm(m.Scope, rid, FAMILY_SPECS)),
                m.Scope,
                None,
            ),
            (
                "Parallel processes and other areas",
                group(
                    "Parallel processes and other areas",
                    lambda: RowList(
                        "Parallel processes",
                        m.ParallelProcess,
                        rid,
                        PARALLEL_SPECS,
                        lambda: {"kind": ""},
                    ),
                    lambda: RowList(
                        "Other areas", m.OtherArea, rid, AREA_SPECS, lambda: {"area": ""}
                    ),
                ),
                m.Review,
                rows_of(m.ParallelProcess, m.OtherArea),
            ),
            (
                "Timing and interest",
                group("Timing and interest", lambda: ModelForm(m.Scope, rid, TIMING_SPECS)),
                m.Scope,
                None,
            ),
            (
                "Scope change log",
                group(
                    "Scope change log",
                    lambda: RowList(
                        "Scope changes",
                        m.ScopeChange,
                        rid,
                        CHANGE_SPECS,
                        lambda: {"date": self.app.today()},
                        help="Whenever new issues emerge, record what was added and when the "
                        "commissioner agreed.",
                    ),
                ),
                m.Review,
                rows_of(m.ScopeChange),
            ),
        ]

    def stubs_to_reveal(self) -> Iterable[Stub]:
        """The later groups' stubs (the rows' stubs of a list are the list's own)."""
        return self.query("#stage-body > SectionStub").results(SectionStub)

    def stub_scroller(self) -> Widget:
        return self.query_one("#stage-body", StageBody)

    def action_back(self) -> None:
        self.dismiss()
