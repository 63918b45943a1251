"""The case review meeting (seed 000 section 5): its order, its reflective prompts, who attends,
what each participant contributes, and the seven closing next steps.

Screens only arrange what this module says; every change is one short transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer_tui.dates import parse_local
from reviewer_tui.errors import InputError

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

# Seed 003 section 4, the advice on drawing conclusions. Shown on every screen of stages 6-8.
HINDSIGHT_REMINDER = (
    "Hindsight makes the picture seem clearer than it was. Ask: on what was known at the time, "
    "not what we know now, would the outcome have been any different?"
)

# A systems frame (seed 001; Munro): why did it make sense at the time, what helped or hindered.
SYSTEMS_PROMPTS: tuple[str, ...] = (
    "What made sense at the time, given what was known then?",
    "What helped or hindered: the situation, the task, the tools and records, "
    "workload and supervision?",
    "Not who is to blame: why did people act (or not act) as they did?",
)

# The stages of a reflective cycle, used for each participant's account.
REFLECTIVE_CYCLE: tuple[tuple[str, str], ...] = (
    ("Description", "What happened? What was your role and what were you responsible for?"),
    ("Feelings", "What were you thinking and feeling at the time?"),
    ("Evaluation", "What was good and what was difficult, with and for the family?"),
    ("Analysis", "What sense can you make of it? What helped or hindered?"),
    ("Conclusion", "What else could have been done?"),
    ("Action plan", "If it arose again, what would you do?"),
)


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    guidance: str  # what the reviewer does in this part (seed 000 section 5)
    prompts: tuple[str, ...]  # reflective prompts shown beside it


# Seed 000 section 5, in the protocol's order.
PARTS: tuple[Part, ...] = (
    Part(
        "arrangements",
        "1 Date, place and who is here",
        "Record when and where the meeting is held, the note taker and everyone present.",
        (
            "Staff may bring a supervisor or supporter.",
            "Remind everyone that notes may be made available to a later serious case review.",
        ),
    ),
    Part(
        "reason",
        "2 The reason for the meeting and the scope",
        "Set out the reason for the meeting and share the scope of the enquiries. Read out:",
        (
            "This is a reflective, blame-free meeting: a systems approach.",
            "Strengths and areas for development are considered equally.",
        ),
    ),
    Part(
        "participants",
        "3 Each participant",
        "Each participant explains their role in the case and their responsibilities, what they "
        "felt worked well with and for the family, and what did not.",
        tuple(f"{stage}: {question}" for stage, question in REFLECTIVE_CYCLE),
    ),
    Part(
        "discussion",
        "4 Open discussion",
        "An open discussion of the work with the family: how participants experienced the case, "
        "their perceptions and feelings, and how they reached views or decisions.",
        SYSTEMS_PROMPTS,
    ),
    Part(
        "focus",
        "5 The group's focus",
        "Ask the group to focus on the worries from the scoping (or what went particularly well), "
        "what could or should have been done differently, what they did well and would do again, "
        "what they learnt, and what they recommend.",
        (
            "Had I been handling the case on the information available at the time, would the "
            "outcome have been any different?",
            "Criticism needs evidence recorded at the time, and must be grounded in fact, not anger.",
        ),
    ),
    Part(
        "closing",
        "6 Closing: the next steps",
        "Close the meeting by describing the seven next steps. Tick each as it is read out.",
        (
            "Tell participants how and when they will see the draft.",
            "Offer a debriefing and say where support is available.",
        ),
    ),
)

# The group focus questions, as (Meeting column, question). The first depends on the criterion.
FOCUS_FIELDS: tuple[tuple[str, str], ...] = (
    ("worries_discussed", "The worries identified in the scoping: views on them"),
    ("could_have_done_differently", "What may, could or should have been done differently"),
    ("did_well", "What they did well and would want to do again"),
    ("learnt", "What they feel they have learnt from this review"),
    ("recommendations_suggested", "What recommendations they would wish to make for the future"),
)
FOCUS_FIRST_PROGRESSING_WELL = "The things which went particularly well: views on them"

# Seed 000 section 5: the seven next steps the reviewer describes when closing the meeting.
NEXT_STEPS: tuple[tuple[str, str], ...] = (
    (
        "1",
        "A written review of the case: the worries identified, what went well, what could or "
        "should have been done differently, and an analysis of how the case moved forward.",
    ),
    ("2", "Attached to it, a set of relevant recommendations to amend practice."),
    (
        "3",
        "The Assistant Director agrees if and how the draft is distributed to all participants "
        "to comment on.",
    ),
    ("4", "The draft is finalised and presented to the Assistant Director."),
    (
        "5",
        "The Assistant Director decides on presentation at DMT and takes responsibility for "
        "following up the agreed recommendations.",
    ),
    (
        "6",
        "The Assistant Director decides if and how the final report is released to "
        "participants: redaction, anonymisation, and whether staff need a debriefing.",
    ),
    (
        "7",
        "The Assistant Director writes to the participants and the lead reviewer to thank them "
        "and say what is agreed for further action.",
    ),
)
NEXT_STEP_KEYS = tuple(key for key, _ in NEXT_STEPS)


def set_meeting_when(store: Store, review_id: int, text: str) -> None:
    from reviewer_tui.models import Meeting

    store.update(Meeting, review_id, held_on=parse_local(text, "meeting date"))


# --- attendees and contributions -------------------------------------------------------------
@dataclass(frozen=True)
class PersonChoice:
    id: int
    name: str
    designation: str
    attending: bool


def people(store: Store, review_id: int) -> list[PersonChoice]:
    """Everyone in the review's people list, marked if they attend the meeting."""
    from reviewer_tui import models as m

    attending = {a.person_id for a in store.rows(m.MeetingAttendee, review_id)}
    return [
        PersonChoice(m.stored_id(p), p.full_name, p.designation, p.id in attending)
        for p in store.rows(m.Person, review_id)
    ]


def set_attending(store: Store, review_id: int, person_id: int, attending: bool) -> None:
    """Tick or untick a person as present. Ticking gives them a contribution to record (once);
    unticking removes their contribution only if nothing has been written in it."""
    from sqlalchemy import func
    from sqlmodel import select

    from reviewer_tui import models as m

    with store.session() as s:
        person = s.get(m.Person, person_id)
        if person is None or person.review_id != review_id:
            raise InputError("That person is no longer in this review.")
        existing = s.exec(
            select(m.MeetingAttendee).where(
                m.MeetingAttendee.review_id == review_id, m.MeetingAttendee.person_id == person_id
            )
        ).first()
        contributions = list(
            s.exec(
                select(m.MeetingContribution).where(
                    m.MeetingContribution.review_id == review_id,
                    m.MeetingContribution.person_id == person_id,
                )
            )
        )
        if attending and existing is None:
            last = s.exec(
                select(func.max(m.MeetingAttendee.position)).where(
                    m.MeetingAttendee.review_id == review_id
                )
            ).one()
            s.add(
                m.MeetingAttendee(
                    review_id=review_id, person_id=person_id, position=(last or 0) + 1
                )
            )
            if not contributions:
                last_c = s.exec(
                    select(func.max(m.MeetingContribution.position)).where(
                        m.MeetingContribution.review_id == review_id
                    )
                ).one()
                s.add(
                    m.MeetingContribution(
                        review_id=review_id, person_id=person_id, position=(last_c or 0) + 1
                    )
                )
        elif not attending and existing is not None:
            s.delete(existing)
            for c in contributions:
                if not (c.role or c.went_well or c.did_not_go_well):
                    s.delete(c)
        s.commit()


@dataclass(frozen=True)
class ContributionView:
    id: int
    person_id: int
    person_name: str
    designation: str
    attending: bool
    role: str
    went_well: str
    did_not_go_well: str


def contributions(store: Store, review_id: int) -> list[ContributionView]:
    from reviewer_tui import models as m

    persons = {p.id: p for p in store.rows(m.Person, review_id)}
    attending = {a.person_id for a in store.rows(m.MeetingAttendee, review_id)}
    out = []
    for c in store.rows(m.MeetingContribution, review_id):
        person = persons.get(c.person_id)
        out.append(
            ContributionView(
                m.stored_id(c),
                c.person_id,
                person.full_name if person else "(removed)",
                person.designation if person else "",
                c.person_id in attending,
                c.role,
                c.went_well,
                c.did_not_go_well,
            )
        )
    return out


# --- the seven next steps --------------------------------------------------------------------
def next_steps_ticked(meeting: Any) -> set[str]:
    """Which next steps show as read out. A bundle only says whether they were explained, so an
    imported meeting with next_steps_explained true and no app record shows all seven ticked."""
    ticked = {k for k in meeting.next_steps_read_out if k in NEXT_STEP_KEYS}
    if not ticked and meeting.next_steps_explained:
        return set(NEXT_STEP_KEYS)
    return ticked


def tick_next_step(store: Store, review_id: int, key: str, read_out: bool) -> set[str]:
    """Record one next step as read out (or not). All seven read out means they were explained."""
    from reviewer_tui.models import Meeting

    if key not in NEXT_STEP_KEYS:
        raise InputError(f"There is no next step {key!r}.")
    ticked = next_steps_ticked(store.get(Meeting, review_id))
    if read_out:
        ticked.add(key)
    else:
        ticked.discard(key)
    ordered = [k for k in NEXT_STEP_KEYS if k in ticked]
    store.update(
        Meeting,
        review_id,
        next_steps_read_out=ordered,
        next_steps_explained=len(ordered) == len(NEXT_STEP_KEYS),
    )
    return set(ordered)


# --- what to read out -------------------------------------------------------------------------
def read_out_text(store: Store, review_id: int) -> str:
    """The reason for the review and its scope, as plain lines for the reviewer to read out."""
    from reviewer_tui import domain
    from reviewer_tui import models as m

    review = store.review(review_id)
    scope = store.get(m.Scope, review_id)
    lines: list[str] = []
    lines.append(
        "Reason: "
        + (review.reason_for_review or review.brief or "(not written yet: see commissioning)")
    )
    if scope.period_from or scope.period_to:
        lines.append(
            f"Period reviewed: {domain.format_date(scope.period_from)} to "
            f"{domain.format_date(scope.period_to)}"
        )
    if scope.key_issues:
        lines.append("Issues in scope:")
        lines.extend(f"  • {issue}" for issue in scope.key_issues)
    if review.preliminary_questions:
        lines.append("Questions for exploration:")
        lines.extend(f"  • {q}" for q in review.preliminary_questions)
    changes = store.rows(m.ScopeChange, review_id)
    if changes:
        lines.append("Added to the scope since:")
        lines.extend(f"  • {c.change}" for c in changes if c.change)
    return "\n".join(lines)


def scoping_worries(store: Store, review_id: int) -> list[str]:
    """The worries identified in the scoping (the key issues and any added by a scope change),
    put to the group in part 5."""
    from reviewer_tui import models as m

    scope = store.get(m.Scope, review_id)
    added = [c.change for c in store.rows(m.ScopeChange, review_id) if c.change]
    return [*scope.key_issues, *added]


def focus_fields(criterion: str) -> tuple[tuple[str, str], ...]:
    if criterion == "progressing well":
        return ((FOCUS_FIELDS[0][0], FOCUS_FIRST_PROGRESSING_WELL), *FOCUS_FIELDS[1:])
    return FOCUS_FIELDS
