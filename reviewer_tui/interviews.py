"""Stage 5, people and interviews (seed 003 sections 4 and 5): the profile of interviewee, scheduling
with clash warnings, the briefing checklist, the notes a note taker types live, the record's life
until both sign it, and one interview carried to and from a second laptop.

Every change is one short transaction through `Store` (RELIABILITY.md rule 1). Never imports
textual; the screens in reviewer_tui.screens.people / interviews / notes are thin.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer_tui import domain, userfile
from reviewer_tui.errors import InputError, UserFileError
from reviewer_tui.read_model import awaits_signature, is_unsigned, signed_before_interview
from reviewer_tui.reviews import check_text, check_value

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
    missing = []
    for name, label in domain.PROFILE_ITEMS:
        if name == "previous_employment":
            empty = not previous_employment(store, person_id)
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
    from reviewer_tui.models import Interview, Person, stored_id

    start = local_start(scheduled_for)
    if start is None:
        return []
    end = start + dt.timedelta(minutes=duration_minutes or DEFAULT_DURATION)
    people = {p.id: p for p in store.rows(Person, review_id)}
    found = []
    for other in store.rows(Interview, review_id):
        if other.id == interview_id:
            continue
        o_start = local_start(other.scheduled_for)
        if o_start is None:
            continue
        o_end = o_start + dt.timedelta(minutes=other.duration_minutes or DEFAULT_DURATION)
        who = display_name(people[other.person_id]) if other.person_id in people else "someone"
        when = describe_when(other.scheduled_for, other.duration_minutes)
        if start < o_end and o_start < end:
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
    store: Store, review_id: int, now: dt.datetime | None = None, upcoming_only: bool = False
) -> list[AgendaItem]:
    """Every interview in time order (unscheduled last), with its clashes and record state."""
    from reviewer_tui.models import Interview, Person, stored_id

    now = now or dt.datetime.now()
    people = {p.id: p for p in store.rows(Person, review_id)}
    rows = store.rows(Interview, review_id)
    items = []
    for row in rows:
        start = local_start(row.scheduled_for)
        past = start is not None and start < now
        if upcoming_only and (start is None or past):
            continue
        found = clashes(
            store, review_id, row.id, row.person_id, row.scheduled_for, row.duration_minutes
        )
        person = people.get(row.person_id)
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


def save_notes(store: Store, interview_id: int, text: str) -> None:
    """One write-through save of the whole notes text (rule 1): committed before it returns.

    Two plain UPDATEs in one short transaction on the engine (no ORM session, no loading the row:
    the notes may be hundreds of KB): the notes, and the review's last-changed time in the same
    ISO form the model's UTCDateTime column writes.
    """
    check_text(text, "notes")
    with store.folder.engine().begin() as conn:
        done = conn.exec_driver_sql(
            "UPDATE interview SET notes = ? WHERE id = ?", (text, interview_id)
        )
        if done.rowcount != 1:
            raise InputError("That interview no longer exists; the notes were not saved.")
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


def unsigned(store: Store, review_id: int, today: dt.date | None = None) -> list[tuple[Any, str]]:
    """Every interview record awaiting signature (read_model.awaits_signature: not signed by
    both, and the interview not still to come), with its state, for the interviews screen."""
    from reviewer_tui.models import Interview

    return [
        (row, STATE_TITLES[record_state(row)])
        for row in store.rows(Interview, review_id)
        if awaits_signature(
            row.signed_by_interviewee,
            row.signed_by_interviewer,
            row.scheduled_for,
            today,
            started=record_state(row) != "not_held",
        )
    ]


# --- a second laptop ------------------------------------------------------------------------------

INTERVIEW_FILE_FORMAT = "reviewer-tui-interview"
_NOT_SYNCED = {"id", "review_id", "position", "key", "person_id"}
BASE_SOURCE = "base"  # InterviewVersion rows recording what a laptop last exchanged


def _synced_fields() -> list[str]:
    from reviewer_tui.models import Interview

    return [name for name in Interview.model_fields if name not in _NOT_SYNCED]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _not_set_as_none(data: dict[str, Any]) -> dict[str, Any]:
    """Files and kept copies made before migration 0003 hold '' for a date or time not yet set,
    where the record now holds None (models.LocalTimeText): read both as not set."""
    from sqlalchemy import inspect

    from reviewer_tui.models import Interview, LocalTimeText

    local = {c.name for c in inspect(Interview).columns if isinstance(c.type, LocalTimeText)}
    return {k: None if k in local and v == "" else v for k, v in data.items()}


def interview_data(row: Any) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in _synced_fields()}


def _from_plain(data: dict[str, Any]) -> dict[str, Any]:
    from reviewer_tui.models import Interview

    out: dict[str, Any] = {}
    for name in _synced_fields():
        if name not in data:
            continue
        value = data[name]
        annotation = str(Interview.model_fields[name].annotation)
        if "date" in annotation and isinstance(value, str):
            value = dt.date.fromisoformat(value) if value else None
        out[name] = value
    return out


def _kind(annotation: Any) -> str:
    """What a field of this type holds, in words, for a refusal message."""
    import types
    import typing

    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return _kind(args[0]) + " or null"
    if typing.get_origin(annotation) is list:
        return "a list of texts"
    if typing.get_origin(annotation) is dict:
        return "an object of yes/no (true/false) answers"
    return {
        str: "text",
        int: "a whole number",
        bool: "true or false",
        dt.date: "a date written YYYY-MM-DD",
    }.get(annotation, str(annotation))


def _fits(value: Any, annotation: Any) -> bool:
    import types
    import typing

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, a) for a in args)
    if annotation is type(None):
        return value is None
    if origin is list:
        return isinstance(value, list) and all(_fits(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(_fits(v, args[1]) for v in value.values())
    if annotation is dt.date:
        if not isinstance(value, str):
            return False
        try:
            return value == "" or bool(dt.date.fromisoformat(value))
        except ValueError:
            return False
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, annotation)


def _check_fields(data: dict[str, Any]) -> None:
    """Refuse, naming the field, any value an interview record cannot hold (a date that is not
    one, a list where text belongs, a surrogate that cannot be stored), before anything is kept."""
    from reviewer_tui.models import Interview

    for name, value in data.items():
        annotation = Interview.model_fields[name].annotation
        if not _fits(value, annotation):
            shown = json.dumps(value, ensure_ascii=False)
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            raise InputError(f"{name} holds {shown}, which is not {_kind(annotation)}")
        check_value(value, name)


def _latest_base(store: Store, interview_id: int) -> dict[str, Any] | None:
    from sqlmodel import col, select

    from reviewer_tui.models import InterviewVersion as V

    with store.session() as session:
        row = session.exec(
            select(V)
            .where(V.interview_id == interview_id, V.source == BASE_SOURCE)
            .order_by(col(V.id).desc())
        ).first()
        return _not_set_as_none(row.data) if row else None


def _keep_version(
    store: Store, interview_id: int, data: dict[str, Any], source: str, resolved: bool
) -> None:
    from reviewer_tui.models import InterviewVersion as V

    with store.session() as session:
        session.add(
            V(
                interview_id=interview_id,
                source=check_text(source, "source"),
                data=data,
                resolved=resolved,
            )
        )
        session.commit()


def export_interview(store: Store, interview_id: int, target: Path) -> Path:
    """One interview, its notes and record state, as a JSON file for another laptop. `base` is
    the copy both laptops last shared, so the importer can tell who changed what."""
    from reviewer_tui.models import Interview, Person, Review
    from reviewer_tui.storage import write_atomically

    row = store.get(Interview, interview_id)
    review = store.get(Review, row.review_id)
    person = store.get(Person, row.person_id)
    data = interview_data(row)
    payload = {
        "format": INTERVIEW_FILE_FORMAT,
        "version": 1,
        "exported_at": domain.utc_now().replace(microsecond=0).isoformat(),
        "review_title": review.title,
        "interview_id": row.key,
        "person": {"id": person.key, "full_name": person.full_name},
        "base": _latest_base(store, interview_id),
        "data": data,
    }
    raw = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    write_atomically(Path(target), lambda handle: handle.write(raw))
    # From now on this copy is what both sides share.
    _keep_version(store, interview_id, data, BASE_SOURCE, True)
    return Path(target)


@dataclass(frozen=True)
class ImportResult:
    interview_id: int
    outcome: str  # "unchanged" | "applied" | "kept ours" | "both kept"
    message: str
    differing: tuple[str, ...] = ()


def import_interview(store: Store, review_id: int, source: Path) -> ImportResult:
    """Bring one interview back from another laptop into the same review.

    Only their side changed since the shared copy: theirs is applied (ours is still kept as a
    resolved version). Only ours changed: ours stays. Both changed: ours stays in the record and
    theirs is kept beside it as an unresolved version, shown on screen; nothing is overwritten.
    """
    from sqlmodel import select

    from reviewer_tui.models import Interview, Person

    name = Path(source).name
    try:
        payload = userfile.parse_json(userfile.read_limited(Path(source), "an interview file"))
    except UserFileError as exc:
        raise InputError(
            str(exc)
            if exc.kind == "file"
            else f"{name} could not be read as an interview file: {exc}"
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != INTERVIEW_FILE_FORMAT:
        raise InputError(f"{name} is not an interview file from reviewer-tui.")
    if payload.get("version") != 1 or not isinstance(payload.get("data"), dict):
        raise InputError(f"{name} is an interview file of a version this app cannot read.")
    their_person, base = payload.get("person"), payload.get("base")
    if (
        not isinstance(payload.get("interview_id"), str)
        or not isinstance(their_person, dict)
        or not (base is None or isinstance(base, dict))
    ):
        raise InputError(
            f"{name} could not be read as an interview file: its interview_id, "
            "person or base is not what reviewer-tui writes."
        )
    with store.session() as session:
        row = session.exec(
            select(Interview).where(
                Interview.review_id == review_id, Interview.key == payload["interview_id"]
            )
        ).first()
        person = session.get(Person, row.person_id) if row else None
    if row is None or person is None:
        raise InputError(
            f"This review has no interview '{payload.get('interview_id')}': import the "
            "file into the review it was exported from."
        )
    if their_person.get("id") != person.key:
        raise InputError(
            "That file is about a different person from this review's interview "
            f"'{row.key}'; nothing was imported."
        )
    assert row.id is not None  # read from the database
    fields = _synced_fields()
    theirs = {k: payload["data"].get(k) for k in fields if k in payload["data"]}
    try:
        _check_fields(theirs)
    except InputError as exc:
        raise InputError(
            f"{name} could not be read as an interview file: {exc}; nothing was imported."
        ) from None
    theirs = _not_set_as_none(theirs)
    base = _not_set_as_none(base) if base is not None else None
    ours = interview_data(row)
    differing = tuple(k for k in theirs if theirs[k] != ours.get(k))
    source_name = f"{name}, exported {payload.get('exported_at', '?')}"
    if not differing:
        _keep_version(store, row.id, ours, BASE_SOURCE, True)
        return ImportResult(row.id, "unchanged", "The file matches this record: nothing to change.")
    they_changed = base is None or any(theirs[k] != base.get(k) for k in theirs)
    we_changed = base is None or any(ours.get(k) != base.get(k) for k in theirs)
    if they_changed and not we_changed:
        _keep_version(store, row.id, ours, f"this laptop before importing {source_name}", True)
        store.update(Interview, row.id, **_from_plain(theirs))
        _keep_version(store, row.id, theirs, BASE_SOURCE, True)
        return ImportResult(
            row.id,
            "applied",
            f"Their changes were applied ({', '.join(differing)}); the previous copy is kept.",
            differing,
        )
    if we_changed and not they_changed:
        return ImportResult(
            row.id, "kept ours", "The file holds nothing new: this record is newer.", differing
        )
    _keep_version(store, row.id, theirs, source_name, False)
    return ImportResult(
        row.id,
        "both kept",
        "Both laptops changed this record: ours is unchanged and theirs is kept beside "
        f"it to compare ({', '.join(differing)}).",
        differing,
    )


def other_versions(store: Store, interview_id: int) -> list[Any]:
    """Copies received from another laptop that differ from ours and are not yet resolved."""
    from sqlmodel import col, select

    from reviewer_tui.models import InterviewVersion as V

    with store.session() as session:
        return list(
            session.exec(
                select(V)
                .where(V.interview_id == interview_id, V.resolved == False)  # noqa: E712
                .order_by(col(V.id))
            )
        )


def resolve_version(store: Store, version_id: int, take_theirs: bool) -> None:
    """Settle a kept version: take theirs into the record (ours kept as a version) or keep ours."""
    from reviewer_tui.models import Interview, InterviewVersion

    version = store.get(InterviewVersion, version_id)
    if take_theirs:
        ours = store.get(Interview, version.interview_id)
        assert ours.id is not None  # read from the database
        _keep_version(
            store, ours.id, interview_data(ours), "this laptop before taking the other copy", True
        )
        store.update(Interview, ours.id, **_from_plain(version.data))
    store.update(InterviewVersion, version_id, resolved=True)


def version_differences(ours: Any, data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, ours, theirs) for every field that differs, as text for display."""
    mine = interview_data(ours)
    out = []
    for name, value in _not_set_as_none(data).items():
        if name in mine and mine[name] != value:
            out.append((name, _show(mine[name]), _show(value)))
    return out


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
