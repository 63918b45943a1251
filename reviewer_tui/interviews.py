"""Stage 5, people and interviews (seed 003 sections 4 and 5): the profile of interviewee, scheduling
with clash warnings, the briefing checklist, the notes a note taker types live, the record's life
until both sign it. One interview carried to a note taker's laptop and back: reviewer_tui/packs.py.

Every change is one short transaction through `Store` (RELIABILITY.md rule 1). Never imports
textual; the screens in reviewer_tui.screens.people / interviews / notes are thin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer_tui import domain
from reviewer_tui.errors import InputError
from reviewer_tui.read_model import awaits_signature, is_unsigned, signed_before_interview
from reviewer_tui.reviews import check_text

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

# Seed 003 section 5: the sixteen matters to be covered. Keys are the bundle's `matters_covered`.
MATTERS: tuple[tuple[str, str], ...] = (
    ("history_before_involvement", "History of the case and family before their involvement"),
    ("specific_involvement", "Their specific involvement in the case"),
    (
        "knowledge_of_child_development_and_abuse",
        "Child development, indicators of abuse or neglect, injuries, conferences",
    ),
    ("knowledge_of_agency_policy", "Their agency's child care and protection procedures"),
    (
        "sensitivity_to_child_needs_and_wishes",
        "Child's needs; direct work; wishes and feelings recorded",
    ),
    (
        "communication_with_professionals",
        "How they related to and communicated with other professionals",
    ),
    ("record_keeping", "Their record keeping"),
    ("key_points_for_assessment_and_decisions", "Key points for assessment and decision-making"),
    (
        "actions_accorded_with_decisions",
        "Actions accorded with decisions; services offered or provided",
    ),
    (
        "racial_cultural_linguistic_religious_identity",
        "Racial, cultural, linguistic and religious identity",
    ),
    ("plans_and_reviewing_processes", "Protection or care plans and reviewing processes"),
    (
        "senior_managers_and_agencies_involved",
        "Senior managers or other agencies involved when needed",
    ),
    (
        "familiarity_with_procedures_and_standards",
        "Familiar with agency and board procedures, standards",
    ),
    ("supervision_received", "Supervision received: practice and feelings about the case"),
    ("training_received", "Training available in the last two years"),
    ("looking_back", "Looking back: what they would do differently; lessons"),
)
MATTER_KEYS = tuple(key for key, _ in MATTERS)
# Short labels for the list beside the notes (the full wording is the tooltip).
MATTER_SHORT: dict[str, str] = {
    "history_before_involvement": "Earlier history",
    "specific_involvement": "Their involvement",
    "knowledge_of_child_development_and_abuse": "Development, abuse",
    "knowledge_of_agency_policy": "Agency procedures",
    "sensitivity_to_child_needs_and_wishes": "Child's wishes, needs",
    "communication_with_professionals": "Working with others",
    "record_keeping": "Record keeping",
    "key_points_for_assessment_and_decisions": "Assessment, decisions",
    "actions_accorded_with_decisions": "Actions vs decisions",
    "racial_cultural_linguistic_religious_identity": "Race, culture, faith",
    "plans_and_reviewing_processes": "Plans and reviews",
    "senior_managers_and_agencies_involved": "Managers, agencies",
    "familiarity_with_procedures_and_standards": "Procedures, standards",
    "supervision_received": "Supervision",
    "training_received": "Training",
    "looking_back": "Looking back, lessons",
}

RECORDING_METHODS: tuple[tuple[str, str], ...] = (
    ("Tape recording", "tape"),
    ("Minute taker present", "minute taker"),
    ("Interviewer's contemporaneous notes", "contemporaneous notes"),
)

# Seed 000 section 4 and seed 003 section 5: shown on the notes screen at all times.
DISCLOSURE_REMINDER = (
    "This record may be disclosed to a later serious case review and to any disciplinary or "
    "criminal proceedings: the interviewee must know."
)

# The record's life (seed 003 section 5 "Record of the Interview"), in order.
RECORD_STATES: tuple[tuple[str, str], ...] = (
    ("not_held", "Not yet held"),
    ("drafted", "Drafted"),
    ("checked_back", "Contentious points checked back"),
    ("sent", "Sent to interviewee"),
    ("comments", "Comments received"),
    ("agreed", "Agreed"),
    ("signed_interviewee", "Signed by interviewee"),
    ("signed", "Signed by both"),
)
STATE_TITLES = dict(RECORD_STATES)


# --- people -------------------------------------------------------------------------------------


def _next_key(store: Store, model: type[Any], review_id: int, prefix: str) -> str:
    return store.new_key(model, review_id, prefix.removesuffix("-"))


def add_person(store: Store, review_id: int, full_name: str = "", **values: Any) -> Any:
    from reviewer_tui.models import Person

    return store.add_row(
        Person,
        review_id,
        key=_next_key(store, Person, review_id, "p-"),
        full_name=full_name,
        **values,
    )


def add_family_member(store: Store, review_id: int, name: str = "", **values: Any) -> Any:
    from reviewer_tui.models import FamilyMember

    return store.add_row(
        FamilyMember,
        review_id,
        key=_next_key(store, FamilyMember, review_id, "fm-"),
        name=name,
        **values,
    )


def previous_employment(store: Store, person_id: int) -> list[Any]:
    from sqlmodel import col, select

    from reviewer_tui.models import PreviousEmployment as PE

    with store.session() as session:
        return list(
            session.exec(select(PE).where(PE.person_id == person_id).order_by(col(PE.position)))
        )


def add_previous_employment(
    store: Store, person_id: int, employer: str = "", dates: str = "", posts_held: str = ""
) -> Any:
    from reviewer_tui.models import PreviousEmployment as PE

    with store.session() as session:
        rows = previous_employment(store, person_id)
        row = PE(
            person_id=person_id,
            position=(rows[-1].position + 1) if rows else 0,
            employer=check_text(employer, "employer"),
            dates=check_text(dates, "dates"),
            posts_held=check_text(posts_held, "posts held"),
        )
        session.add(row)
        session.commit()
        return row


def profile_missing(store: Store, person_id: int) -> list[str]:
    """Which of the ten profile items are still empty, by their form labels."""
    from reviewer_tui.models import Person

    person = store.get(Person, person_id)
    return _missing(person, bool(previous_employment(store, person_id)))


def interview_times(store: Store, person_id: int) -> list[str | None]:
    """When each of a person's interviews is scheduled: the times alone, never the rows (whose
    notes are some 200 KB each in a long review)."""
    from sqlmodel import select

    from reviewer_tui.models import Interview

    with store.session() as session:
        return list(
            session.exec(select(Interview.scheduled_for).where(Interview.person_id == person_id))
        )


def profiles_missing(store: Store, people: Iterable[Any]) -> dict[int, list[str]]:
    """profile_missing for every person in `people` (rows already read), in one query, so a list
    of 80 people costs one read, not 160."""
    from sqlmodel import col, select

    from reviewer_tui.models import PreviousEmployment as PE

    people = list(people)
    ids = [p.id for p in people]
    with store.session() as session:
        employed = set(session.exec(select(PE.person_id).where(col(PE.person_id).in_(ids))))
    return {p.id: _missing(p, p.id in employed) for p in people}


def _missing(person: Any, has_previous_employment: bool) -> list[str]:
    missing = []
    for name, label in domain.PROFILE_ITEMS:
        if name == "previous_employment":
            empty = not has_previous_employment
        else:
            empty = not getattr(person, name)
        if empty:
            missing.append(label)
    return missing


def display_name(person: Any) -> str:
    name = person.full_name or "(no name yet)"
    return f"{name} ({person.pseudonym})" if person.pseudonym else name


# --- scheduling -----------------------------------------------------------------------------------


def local_start(scheduled_for: str | None) -> dt.datetime | None:
    if not scheduled_for:
        return None
    try:
        return dt.datetime.fromisoformat(scheduled_for)
    except ValueError:
        return None


def describe_when(scheduled_for: str | None, duration_minutes: int | None = None) -> str:
    start = local_start(scheduled_for)
    if start is None:
        return "not scheduled"
    text = f"{start:%a} {domain.format_date(start.date())} {start:%H:%M}"
    if duration_minutes:
        end = start + dt.timedelta(minutes=duration_minutes)
        text += f"-{end:%H:%M}"
    return text


DEFAULT_DURATION = 60  # minutes assumed for a clash check when no length is set


@dataclass(frozen=True)
class Clash:
    other_id: int
    reason: str


def clashes(
    store: Store,
    review_id: int,
    interview_id: int | None,
    person_id: int,
    scheduled_for: str | None,
    duration_minutes: int | None,
) -> list[Clash]:
    """Interviews that would clash with this one at the proposed time: the same person booked at an
    overlapping time or on the same day, or any two interviews overlapping (one reviewer holds them).
    """
    from sqlmodel import col, select

    from reviewer_tui.models import Interview, Person

    if local_start(scheduled_for) is None:
        return []
    people = {p.id: p for p in store.rows(Person, review_id)}
    with store.session() as session:  # the times only: not every interview's notes
        times = [
            _Slot(iid, pid, when, minutes)
            for iid, pid, when, minutes in session.exec(
                select(
                    Interview.id,
                    Interview.person_id,
                    Interview.scheduled_for,
                    Interview.duration_minutes,
                )
                .where(Interview.review_id == review_id)
                .order_by(col(Interview.position))
            )
        ]
    return _clashes_among(
        _timed(times),
        people,
        interview_id,
        person_id,
        scheduled_for,
        duration_minutes,
    )


@dataclass(frozen=True)
class _Slot:
    """What a clash check reads of another interview: its time, length and interviewee."""

    id: int | None
    person_id: int
    scheduled_for: str | None
    duration_minutes: int | None


@dataclass(frozen=True)
class _Timed:
    """A scheduled interview's start and end, worked out once for a clash check over many."""

    row: Any  # the interview row (or _Slot)
    start: dt.datetime
    end: dt.datetime


def _timed(rows: Iterable[Any]) -> list[_Timed]:
    """The scheduled ones of `rows`, each with its start and end (a length not set counts as
    DEFAULT_DURATION minutes)."""
    found = []
    for row in rows:
        start = local_start(row.scheduled_for)
        if start is not None:
            minutes = row.duration_minutes or DEFAULT_DURATION
            found.append(_Timed(row, start, start + dt.timedelta(minutes=minutes)))
    return found


def _clashes_among(
    timed: list[_Timed],
    people: dict[int | None, Any],
    interview_id: int | None,
    person_id: int,
    scheduled_for: str | None,
    duration_minutes: int | None,
) -> list[Clash]:
    """`clashes` over interviews already read and timed (the agenda times them once)."""
    from reviewer_tui.models import stored_id

    start = local_start(scheduled_for)
    if start is None:
        return []
    end = start + dt.timedelta(minutes=duration_minutes or DEFAULT_DURATION)
    found = []
    for slot in timed:
        other, o_start, o_end = slot.row, slot.start, slot.end
        if other.id == interview_id:
            continue
        overlaps = start < o_end and o_start < end
        if not overlaps and not (other.person_id == person_id and o_start.date() == start.date()):
            continue  # the usual case in a long agenda: nothing to say, nothing to format
        who = display_name(people[other.person_id]) if other.person_id in people else "someone"
        when = describe_when(other.scheduled_for, other.duration_minutes)
        if overlaps:
            if other.person_id == person_id:
                found.append(
                    Clash(stored_id(other), f"{who} is already being interviewed then ({when})")
                )
            else:
                found.append(Clash(stored_id(other), f"overlaps the interview with {who} ({when})"))
        elif other.person_id == person_id and o_start.date() == start.date():
            found.append(
                Clash(stored_id(other), f"{who} already has an interview that day ({when})")
            )
    return found


def add_interview(store: Store, review_id: int, person_id: int, **values: Any) -> Any:
    from reviewer_tui.models import Interview

    return store.add_row(
        Interview,
        review_id,
        key=_next_key(store, Interview, review_id, "iv-"),
        person_id=person_id,
        **values,
    )


@dataclass(frozen=True)
class AgendaItem:
    interview_id: int
    when: str
    person: str
    location: str
    at_normal_workplace: bool
    state: str
    clashes: tuple[str, ...]
    past: bool


def agenda(
    store: Store,
    review_id: int,
    now: dt.datetime | None = None,
    upcoming_only: bool = False,
    rows: list[Any] | None = None,
    people: list[Any] | None = None,
) -> list[AgendaItem]:
    """Every interview in time order (unscheduled last), with its clashes and record state.

    The interviews and people are read once (or given, when the caller has read them): every
    interview's clashes are found among those rows, not by reading the review again per row."""
    from reviewer_tui.models import Interview, Person, stored_id

    now = now or dt.datetime.now()
    by_id = {p.id: p for p in (store.rows(Person, review_id) if people is None else people)}
    rows = store.rows(Interview, review_id) if rows is None else rows
    timed = _timed(rows)
    items = []
    for row in rows:
        start = local_start(row.scheduled_for)
        past = start is not None and start < now
        if upcoming_only and (start is None or past):
            continue
        found = _clashes_among(
            timed, by_id, row.id, row.person_id, row.scheduled_for, row.duration_minutes
        )
        person = by_id.get(row.person_id)
        items.append(
            AgendaItem(
                stored_id(row),
                describe_when(row.scheduled_for, row.duration_minutes),
                display_name(person) if person else "?",
                row.location,
                bool(row.at_normal_workplace),
                STATE_TITLES[record_state(row)],
                tuple(c.reason for c in found),
                past,
            )
        )
    order = {
        row.id: (local_start(row.scheduled_for) is None, row.scheduled_for or "", row.position)
        for row in rows
    }
    return sorted(items, key=lambda item: order[item.interview_id])


# --- notes ----------------------------------------------------------------------------------------


def time_mark(now: dt.datetime | None = None) -> str:
    """What the 'insert time' key types into the notes."""
    return f"[{(now or dt.datetime.now()):%H:%M}] "


def save_notes(store: Store, interview_id: int, text: str, reason: str = "") -> None:
    """One write-through save of the whole notes text (rule 1): committed before it returns.

    Two plain UPDATEs in one short transaction on the engine (no ORM session, no loading the row:
    the notes may be hundreds of KB): the notes, and the review's last-changed time in the same
    ISO form the model's UTCDateTime column writes. The change history is written in the same
    transaction (history.record_notes); a signed record needs `reason` (errors.Locked).
    """
    from reviewer_tui import history, notes_index

    check_text(text, "notes")
    with store.folder.engine().begin() as conn:
        history.record_notes(conn, interview_id, text, reason)
        # The search index: only the parts this change touched (the trigger would redo them all).
        notes_index.index_notes(conn, interview_id, text)
        done = conn.exec_driver_sql(
            "UPDATE interview SET notes = ? WHERE id = ?", (text, interview_id)
        )
        if done.rowcount != 1:
            raise InputError("That interview no longer exists; the notes were not saved.")
        notes_index.done(conn, interview_id)
        conn.exec_driver_sql(
            "UPDATE review SET updated_at = ? WHERE id = (SELECT review_id FROM interview WHERE id = ?)",
            (domain.utc_now().isoformat(), interview_id),
        )


def set_matter(store: Store, interview_id: int, matter: str, covered: bool) -> list[str]:
    from reviewer_tui.models import Interview

    if matter not in MATTER_KEYS:
        raise InputError(f"'{matter}' is not one of the sixteen matters.")
    current = list(store.get(Interview, interview_id).matters_covered)
    if covered and matter not in current:
        current.append(matter)
    elif not covered and matter in current:
        current.remove(matter)
    ordered = [key for key in MATTER_KEYS if key in current]
    store.update(Interview, interview_id, matters_covered=ordered)
    return ordered


def set_briefing(store: Store, interview_id: int, item: str, done: bool) -> dict[str, bool]:
    from reviewer_tui.models import Interview

    if item not in domain.BRIEFING_KEYS:
        raise InputError(f"'{item}' is not one of the twelve briefing items.")
    briefing = dict(store.get(Interview, interview_id).briefing)
    briefing[item] = done
    store.update(Interview, interview_id, briefing=briefing)
    return briefing


def mark_contentious(store: Store, interview_id: int, passage: str) -> list[str]:
    """Add a passage to the points to check back with the interviewee before the end."""
    from reviewer_tui.models import Interview

    passage = check_text(passage, "passage").strip()
    if not passage:
        raise InputError(
            "Select the passage (or put the cursor on its line) to mark it contentious."
        )
    points = list(store.get(Interview, interview_id).contentious_points)
    if passage not in points:
        points.append(passage)
        store.update(
            Interview,
            interview_id,
            contentious_points=points,
            contentious_points_checked_back=False,
        )
    return points


def remove_contentious(store: Store, interview_id: int, index: int) -> list[str]:
    from reviewer_tui.models import Interview

    points = list(store.get(Interview, interview_id).contentious_points)
    if 0 <= index < len(points):
        points.pop(index)
        store.update(Interview, interview_id, contentious_points=points)
    return points


# --- the record's life ----------------------------------------------------------------------------


def record_state(row: Any) -> str:
    """The furthest state the record has reached, read from its fields."""
    if not is_unsigned(row.signed_by_interviewee, row.signed_by_interviewer):
        return "signed"
    if row.signed_by_interviewee:
        return "signed_interviewee"
    if row.agreed_on:
        return "agreed"
    if row.interviewee_comments.strip() or row.disagreements.strip():
        return "comments"
    if row.sent_to_interviewee_on:
        return "sent"
    if row.contentious_points_checked_back:
        return "checked_back"
    if row.notes.strip():
        return "drafted"
    return "not_held"


def record_steps(row: Any) -> list[tuple[str, bool, str]]:
    """Each step of the record's life: (title, done, detail) for the timeline on screen."""
    fmt = domain.format_date
    return [
        ("Drafted", bool(row.notes.strip()), f"{len(row.notes):,} characters"),
        (
            "Contentious points checked back",
            bool(row.contentious_points_checked_back),
            f"{len(row.contentious_points)} marked",
        ),
        ("Sent to interviewee", bool(row.sent_to_interviewee_on), fmt(row.sent_to_interviewee_on)),
        (
            "Comments received",
            bool(row.interviewee_comments.strip() or row.disagreements.strip()),
            "disagreements recorded" if row.disagreements.strip() else "",
        ),
        ("Agreed", bool(row.agreed_on), fmt(row.agreed_on)),
        ("Signed by interviewee", bool(row.signed_by_interviewee), fmt(row.interviewee_signed_on)),
        ("Signed by interviewer", bool(row.signed_by_interviewer), fmt(row.interviewer_signed_on)),
    ]


def record_warnings(row: Any) -> list[str]:
    """Steps taken out of order: shown, never blocked (the reviewer may be catching up)."""
    out = []
    if row.contentious_points and not row.contentious_points_checked_back:
        out.append(f"{len(row.contentious_points)} contentious point(s) not yet checked back.")
    if (row.signed_by_interviewee or row.signed_by_interviewer) and not row.agreed_on:
        out.append("Signed before an agreed date was recorded.")
    if row.agreed_on and not row.sent_to_interviewee_on:
        out.append("Agreed, but no date the record was sent to the interviewee.")
    if row.disagreements.strip():
        out.append("The interviewee disagrees with part of the record: the particulars stay in it.")
    signed_early = signed_before_interview(
        row.scheduled_for, row.interviewee_signed_on, row.interviewer_signed_on
    )
    if signed_early:
        out.append(f"The record was {signed_early}: accepted, but check the dates.")
    return out


def unsigned(
    store: Store, review_id: int, today: dt.date | None = None, rows: list[Any] | None = None
) -> list[tuple[Any, str]]:
    """Every interview record awaiting signature (read_model.awaits_signature: not signed by
    both, and the interview not still to come), with its state, for the interviews screen.
    `rows`: the review's interviews, when the caller has read them already."""
    from reviewer_tui.models import Interview

    return [
        (row, STATE_TITLES[record_state(row)])
        for row in (store.rows(Interview, review_id) if rows is None else rows)
        if awaits_signature(
            row.signed_by_interviewee,
            row.signed_by_interviewer,
            row.scheduled_for,
            today,
            started=record_state(row) != "not_held",
        )
    ]


def interviews_for_lists(store: Any, review_id: int) -> list[Any]:
    """The review's interviews for the agenda and the records awaiting signature, without the
    whole of their notes (200 KB each on a large review, read for nothing but whether they were
    drafted): each row's `notes` holds their first START characters, or all of them when
    those are blank, so `notes.strip()` says what it says of the notes stored. Read-only rows,
    for showing: never saved back."""
    from sqlalchemy.orm import defer
    from sqlalchemy.orm.attributes import set_committed_value
    from sqlmodel import select

    from reviewer_tui import models as m

    table: Any = m.Interview
    with store.session() as session:
        rows = list(
            session.exec(
                select(m.Interview)
                .where(table.review_id == review_id)
                .order_by(table.position)
                .options(defer(table.notes))
            )
        )
        starts = _notes_starts(session, review_id, [row.id for row in rows])
        for row in rows:
            start = starts.get(row.id) or ""
            if not start.strip() and len(start) == START:  # blank so far: the rest decides
                start = session.exec(select(table.notes).where(table.id == row.id)).one()
            set_committed_value(row, "notes", start)
    return rows


START = 1000  # characters of notes read to see whether they were drafted


def _notes_starts(session: Any, review_id: int, ids: list[int]) -> dict[int, str]:
    """Each interview's first START characters of notes. SQLite's substr() reads the whole
    value first (8 ms for 60 interviews of 200 KB); the file's own pages hold its start, read in
    place as a blob where the driver can (Python's sqlite3, not SQLCipher's) and the file's text
    is UTF-8 (as the app writes it): 0.4 ms. Four bytes a character at most, so 4 x START bytes
    hold START characters; a character cut at the end is dropped."""
    from sqlalchemy import func, text
    from sqlmodel import select

    from reviewer_tui import models as m

    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if hasattr(raw, "blobopen"):
        if connection.execute(text("PRAGMA encoding")).scalar() == "UTF-8":
            starts = {}
            for interview_id in ids:
                with raw.blobopen("interview", "notes", interview_id, readonly=True) as blob:
                    starts[interview_id] = blob.read(4 * START).decode("utf-8", "ignore")[:START]
            return starts
    table: Any = m.Interview
    query = select(table.id, func.substr(table.notes, 1, START)).where(table.review_id == review_id)
    return dict(session.exec(query).all())
