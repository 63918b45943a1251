"""The read model: what needs the lead reviewer's attention, each rule written once.

The rules, each a plain function below and nowhere else:
- a recommendation is OVERDUE when its due date is before today and its status is not done;
- an interview record is UNSIGNED until both the interviewee and the interviewer have signed; it
  is not yet due for signature while the interview is still to come (`awaits_signature`);
- a signed record is CHANGED AFTER SIGNING from a change made with a reason until signed again;
- an escalation is NOT ADVISED while the date the commissioner was advised is blank;
- a finding is FLAGGED for evidence when it rests on nothing recorded at the time (the hindsight
  guard of "Serious Case Reviews: Best Practice" section 4);
- a DATE TO CHECK is accepted but marked: a chronology date in the future or outside the review's
  period (`chronology_date_problem`), training in a profile dated more than three years back
  (`training_date_problem`), a record signed before its interview (`signed_before_interview`).

The queries below fetch the facts the rules need, one query per rule, for one review or for every
review at once (the review list), and the rules decide in Python. The workspace, the review list,
the stage screens and the report context all read these typed results; screens never open a
database connection themselves (the functions taking a `folder` open and close it here).
Stdlib only (sqlite3), so the home screen can paint before SQLAlchemy is imported.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, Protocol

from reviewer_tui.chronology_order import day_sql

if TYPE_CHECKING:
    from reviewer_tui.progress import Deadline, StageStatus
    from reviewer_tui.storage import DataFolder
    from reviewer_tui.summaries import ReviewSummary

# --- the rules ----------------------------------------------------------------------------------
# The status is free text in the bundle ("Agreed – not started", "Completed – released 2 May").
# A status starting with one of these words means the action is done.
DONE_WORDS = ("completed", "complete", "done", "achieved", "implemented", "closed")


def is_done(status: str | None) -> bool:
    words = (status or "").strip().lower().replace("–", " ").replace("-", " ").split()
    return bool(words) and words[0].rstrip(".:,") in DONE_WORDS


def is_overdue(due: dt.date | None, status: str | None, today: dt.date) -> bool:
    """Due before today (due today is not yet overdue) and not done."""
    return due is not None and due < today and not is_done(status)


def is_unsigned(by_interviewee: bool | None, by_interviewer: bool | None) -> bool:
    """Not yet signed by both: one signature is not enough, and blank means not signed."""
    return not (bool(by_interviewee) and bool(by_interviewer))


def is_changed_after_signing(last_reasoned_change: str | None, last_signed: str | None) -> bool:
    """A signed record (an interview record signed by both or agreed, a final report, a
    chronology entry its agency confirmed) is CHANGED AFTER SIGNING from a change made with a
    reason (the store asks for one while it is locked) until it is signed again: a change to one
    of its signing fields after that change. Both are the change history's UTC timestamps (ISO
    text, compared as text); None when there is none. At the same instant the change counts as
    after the signing: a reason is only asked of a record already signed."""
    return last_reasoned_change is not None and (
        last_signed is None or last_signed <= last_reasoned_change
    )


def awaits_signature(
    by_interviewee: bool | None,
    by_interviewer: bool | None,
    scheduled_for: str | None,
    today: dt.date | None,
    started: bool = False,
) -> bool:
    """Unsigned, and the interview is not still to come: an interview on a later day than today
    has no record to sign yet, unless its record has been started all the same (notes, a step
    taken). Without `today`, every unsigned record."""
    if not is_unsigned(by_interviewee, by_interviewer):
        return False
    day = _day_of(scheduled_for)
    return started or today is None or day is None or day <= today


def _day_of(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


def chronology_date_problem(
    when: str,
    today: dt.date | None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    precision: str | None = None,
) -> str | None:
    """A chronology date later than today, or outside the review's period (a month-only date
    counts as the whole month): accepted, but worth a second look. None when it is fine."""
    from reviewer_tui.dates import display_when, effective_precision

    first = _day_of(when)
    if first is None:
        return None
    last = first
    if effective_precision(when, precision) in ("month", "approximate month"):
        last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    shown = display_when(when, precision)
    if today is not None and first > today:
        return f"{shown} is in the future"
    if period_from is not None and last < period_from:
        return f"{shown} is before the review's period (from {_shown_day(period_from)})"
    if period_to is not None and first > period_to:
        return f"{shown} is after the review's period (to {_shown_day(period_to)})"
    return None


def _shown_day(day: dt.date) -> str:
    from reviewer_tui.dates import display_when

    return display_when(day.isoformat(), None)


TRAINING_YEARS = 3  # the profile asks for training in the last three years


def profile_day(interviews: Iterable[object], today: dt.date | None) -> dt.date | None:
    """The day a profile speaks from: the person's last interview held by today (the form asks
    for training in the three years before it), else today."""
    held = [d for d in map(_day_of, interviews) if d is not None and (today is None or d <= today)]
    return max(held) if held else today


def training_date_problem(item: str, today: dt.date | None) -> str | None:
    """A training item whose latest date (a day, a month or a year written in it) is more than
    three years before `today` (the profile's day: `profile_day`). An item with no date in it is
    not judged."""
    from reviewer_tui.dates import latest_date_in

    if today is None:
        return None
    return _training_problem(item, latest_date_in(item), _training_cutoff(today))


def _training_cutoff(today: dt.date | None) -> dt.date | None:
    """Training dated before this day is more than three years before `today`."""
    if today is None:
        return None
    try:
        return today.replace(year=today.year - TRAINING_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - TRAINING_YEARS, day=28)


def _training_problem(item: str, latest: dt.date | None, cutoff: dt.date | None) -> str | None:
    """training_date_problem, given the item's latest date (`latest_date_in`) and the
    profile's `_training_cutoff`."""
    if cutoff is None or latest is None or latest >= cutoff:
        return None
    return f"training dated more than {TRAINING_YEARS} years back: {item.strip()}"


def signed_before_interview(
    scheduled_for: str | None, *signed_on: dt.date | str | None
) -> str | None:
    """A signature dated before the interview took place."""
    held = _day_of(scheduled_for)
    if held is None:
        return None
    days = [d for d in map(_day_of, signed_on) if d is not None]
    if days and min(days) < held:
        return f"signed on {_shown_day(min(days))}, before the interview on {_shown_day(held)}"
    return None


def is_unadvised(advised_on: str | None) -> bool:
    """The commissioner has not been advised while the date is blank (empty, spaces or NULL)."""
    return not (advised_on or "").strip()


NO_EVIDENCE = "no evidence"
LEARNED_LATER = "learned later"
ONLY_ACCOUNTS = "only accounts after the event"


class EvidenceLike(Protocol):
    @property
    def kind(self) -> str: ...  # chronology | interview | record

    @property
    def learned_later(self) -> bool: ...


def evidence_flags(evidence: Iterable[EvidenceLike]) -> tuple[str, ...]:
    """The hindsight guard (seed 003 section 4). Evidence recorded at the time is a record
    examined or a chronology entry not marked learned later. Without any: no evidence at all,
    or entries learned later (with or without interviews), or interviews alone are flagged."""
    items = list(evidence)
    if not items:
        return (NO_EVIDENCE,)
    if any(e.kind == "record" or (e.kind == "chronology" and not e.learned_later) for e in items):
        return ()
    if any(e.kind == "chronology" for e in items):
        return (LEARNED_LATER,)
    return (ONLY_ACCOUNTS,)


# --- typed results ------------------------------------------------------------------------------
@dataclass(frozen=True)
class OverdueRecommendation:
    id: int
    review_id: int
    key: str  # the bundle id, as the report knows it
    number: int  # its place in the action plan
    action: str
    owner: str
    due: dt.date
    days: int  # how many days overdue, 1 or more


@dataclass(frozen=True)
class UnsignedRecord:
    id: int
    review_id: int
    key: str
    who: str  # "Name (pseudonym)"
    when: str  # "2025-09-10 10:00" or "not scheduled"
    state: str  # how far the record has got, e.g. "signed by the interviewee only"
    signed_by_interviewee: bool
    signed_by_interviewer: bool
    changed: str = ""  # "changed after signing" (or "... after it was agreed") when it was

    @property
    def line(self) -> str:
        return f"{self.who}, {self.when}: {self.state}"


@dataclass(frozen=True)
class DateToCheck:
    """A date accepted but marked: where it is, and what is odd about it."""

    review_id: int
    where: str  # "chronology", "profile", "interview" or "period"
    row_id: int
    what: str  # "Chronology entry 'Seen at home'"
    problem: str  # "3 May 2026 is in the future"

    @property
    def line(self) -> str:
        return f"{self.what}: {self.problem}"


@dataclass(frozen=True)
class UnadvisedEscalation:
    id: int
    review_id: int
    number: int  # its place in the list of escalations
    kind: str
    raised_on: str
    summary: str


@dataclass(frozen=True)
class FlaggedFinding:
    id: int
    review_id: int
    key: str
    number: int  # its place in the list of findings
    statement: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ChangedRecord:
    """A final report or a confirmed chronology entry changed after signing (interview records
    changed after signing are among the unsigned records, with that state)."""

    table: str
    id: int
    review_id: int
    what: str  # "Chronology entry 3 May 2024 (SW)", "Final report (draft register: final)"
    changed: str  # in the record's terms: "changed after SW confirmed its chronology"

    @property
    def line(self) -> str:
        return f"{self.what}: {self.changed}"


@dataclass(frozen=True)
class Attention:
    """Everything in one review that the four rules pick out, in the order the reviewer sees it."""

    overdue: tuple[OverdueRecommendation, ...] = ()
    unsigned: tuple[UnsignedRecord, ...] = ()
    unadvised: tuple[UnadvisedEscalation, ...] = ()
    flagged: tuple[FlaggedFinding, ...] = ()
    changed: tuple[ChangedRecord, ...] = ()  # other signed records changed after signing
    dates: tuple[DateToCheck, ...] = ()

    @property
    def any(self) -> bool:
        return bool(
            self.overdue
            or self.unsigned
            or self.unadvised
            or self.flagged
            or self.changed
            or self.dates
        )

    def counts(self) -> dict[str, int]:
        return {
            "overdue": len(self.overdue),
            "unsigned": len(self.unsigned),
            "unadvised": len(self.unadvised),
            "flagged": len(self.flagged),
        }

    def phrases(self) -> list[str]:
        """One short phrase per rule that applies, as the review list shows them."""

        def plural(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        out = []  # each short enough for the review list's 36-column title cell
        if self.unadvised:
            out.append(
                plural(len(self.unadvised), "escalation", "escalations") + " not yet advised"
            )
        if self.overdue:
            out.append(plural(len(self.overdue), "recommendation", "recommendations") + " overdue")
        if self.unsigned:
            out.append(plural(len(self.unsigned), "record", "records") + " not yet signed")
        if self.flagged:
            out.append(plural(len(self.flagged), "finding", "findings") + " flagged (evidence)")
        if self.changed:
            out.append(plural(len(self.changed), "record", "records") + " changed after signing")
        if self.dates:
            out.append(plural(len(self.dates), "date", "dates") + " to check")
        return out


NO_ATTENTION = Attention()


# --- the queries: one per rule, for one review or all -------------------------------------------
def _where(review_id: int | None, column: str) -> tuple[str, tuple[int, ...]]:
    return (f"WHERE {column} = ?", (review_id,)) if review_id is not None else ("", ())


def overdue_recommendations(
    conn: sqlite3.Connection, today: dt.date | None, review_id: int | None = None
) -> dict[int, list[OverdueRecommendation]]:
    """Oldest due date first. (Places are counted here: a window function made this query
    ten times slower on 100 reviews.)"""
    out: dict[int, list[OverdueRecommendation]] = defaultdict(list)
    if today is None:
        return out
    where, args = _where(review_id, "review_id")
    numbers: dict[int, int] = defaultdict(int)
    # (due, status) -> the due day when overdue: the same few dates and statuses recur
    judged: dict[tuple[str | None, str | None], dt.date | None] = {}
    for rec_id, rid, key, action, owner, due, status in conn.execute(
        "SELECT id, review_id, key, action, owner, due, status FROM recommendation "
        f"{where} ORDER BY review_id, position, id",
        args,
    ):
        numbers[rid] += 1
        if (due, status) not in judged:
            when = dt.date.fromisoformat(due) if due else None
            judged[due, status] = when if is_overdue(when, status, today) else None
        day = judged[due, status]
        if day is not None:
            out[rid].append(
                OverdueRecommendation(
                    rec_id,
                    rid,
                    key,
                    numbers[rid],
                    action or "",
                    owner or "",
                    day,
                    (today - day).days,
                )
            )
    for items in out.values():
        items.sort(key=lambda o: (o.due, o.number))
    return out


def _record_state(
    drafted: bool,
    checked: bool,
    sent: bool,
    comments: bool,
    agreed: bool,
    by_them: bool,
    by_us: bool,
) -> str:
    return (
        "signed by the interviewee only"
        if by_them
        else "signed by the interviewer only"
        if by_us
        else "agreed, awaiting signatures"
        if agreed
        else "comments received"
        if comments
        else "sent to the interviewee"
        if sent
        else "contentious points checked back"
        if checked
        else "drafted"
        if drafted
        else "not yet held"
    )


class _Interview(NamedTuple):
    """The facts of one interview the rules read: unsigned records, the profiles' day and
    signatures dated before the interview all come from one query (`_interviews`)."""

    id: int
    review_id: int
    key: str
    person_id: int
    name: str | None
    pseudonym: str | None
    when: str | None
    drafted: int | None
    checked: int | None
    sent: int | None
    comments: int | None
    agreed: int | None
    by_them: int | None
    by_us: int | None
    interviewee_signed_on: str | None
    interviewer_signed_on: str | None
    position: int


def _interviews(conn: sqlite3.Connection, review_id: int | None = None) -> list[_Interview]:
    """Every interview of one review or all, in the review's order. The notes (200 KB to 2 MB
    each) are read only where no later step of the record has been taken: only then does
    "drafted" decide anything (`_record_state`, `awaits_signature`)."""
    where, args = _where(review_id, "i.review_id")
    later_steps = (
        "coalesce(i.contentious_points_checked_back, 0) OR i.sent_to_interviewee_on IS NOT NULL "
        "OR coalesce(i.interviewee_comments != '' OR i.disagreements != '', 0) "
        "OR i.agreed_on IS NOT NULL OR coalesce(i.signed_by_interviewee, 0) "
        "OR coalesce(i.signed_by_interviewer, 0)"
    )
    return [
        _Interview(*row)
        for row in conn.execute(
            "SELECT i.id, i.review_id, i.key, i.person_id, p.full_name, p.pseudonym, "
            f"i.scheduled_for, CASE WHEN {later_steps} THEN 0 ELSE i.notes != '' END, "
            "coalesce(i.contentious_points_checked_back, 0), "
            "i.sent_to_interviewee_on IS NOT NULL, "
            "(i.interviewee_comments != '' OR i.disagreements != ''), i.agreed_on IS NOT NULL, "
            "i.signed_by_interviewee, i.signed_by_interviewer, i.interviewee_signed_on, "
            "i.interviewer_signed_on, i.position "
            f"FROM interview i JOIN person p ON p.id = i.person_id {where} "
            "ORDER BY i.review_id, i.position, i.id",
            args,
        )
    ]


def _by_schedule(interview: _Interview) -> tuple[bool, bool, str, int]:
    """Scheduled ones first, by when, then the unscheduled (NULL before blank, as SQLite sorts);
    each by place."""
    when = interview.when
    return (not when, when is not None, when or "", interview.position)


def unsigned_records(
    conn: sqlite3.Connection,
    review_id: int | None = None,
    today: dt.date | None = None,
    interviews: list[_Interview] | None = None,
) -> dict[int, list[UnsignedRecord]]:
    """Records awaiting signature (`awaits_signature`): an interview still to come is left out.
    `interviews`: `_interviews(conn, review_id)` when the caller has read it already."""
    from reviewer_tui.dates import display_when

    changed = changed_after_signing(conn, review_id)
    if interviews is None:
        interviews = _interviews(conn, review_id)
    out: dict[int, list[UnsignedRecord]] = defaultdict(list)
    for i in sorted(interviews, key=_by_schedule):
        since = changed.get(("interview", i.id))
        wording = since.changed if since is not None else ""
        steps = tuple(
            map(bool, (i.drafted, i.checked, i.sent, i.comments, i.agreed, i.by_them, i.by_us))
        )
        signed = (bool(i.by_them), bool(i.by_us))
        if not awaits_signature(*signed, i.when, today, any(steps)) and not wording:
            continue
        who = f"{i.name} ({i.pseudonym})" if i.pseudonym else (i.name or "(no name)")
        out[i.review_id].append(
            UnsignedRecord(
                i.id,
                i.review_id,
                i.key,
                who,
                display_when(i.when, None) if i.when else "not scheduled",
                wording or _record_state(*steps),
                bool(i.by_them),
                bool(i.by_us),
                wording,
            )
        )
    return out


def unadvised_escalations(
    conn: sqlite3.Connection, review_id: int | None = None
) -> dict[int, list[UnadvisedEscalation]]:
    where, args = _where(review_id, "review_id")
    out: dict[int, list[UnadvisedEscalation]] = defaultdict(list)
    numbers: dict[int, int] = defaultdict(int)
    for esc_id, rid, kind, raised_on, summary, advised in conn.execute(
        "SELECT id, review_id, kind, raised_on, summary, advised_commissioner_on "
        f"FROM escalation {where} ORDER BY review_id, position, id",
        args,
    ):
        numbers[rid] += 1
        if is_unadvised(advised):
            out[rid].append(
                UnadvisedEscalation(esc_id, rid, numbers[rid], kind, raised_on or "", summary or "")
            )
    return out


_ISO_DAY = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"  # a GLOB: YYYY-MM-DD...


def dates_to_check(
    conn: sqlite3.Connection,
    today: dt.date | None,
    review_id: int | None = None,
    interviews: list[_Interview] | None = None,
) -> dict[int, list[DateToCheck]]:
    """Every date accepted but marked: a period reviewed that ends before it begins, and by the
    three rules above, the chronology, the profiles' training, and signatures dated before their
    interview. `interviews`: as for `unsigned_records`."""
    out: dict[int, list[DateToCheck]] = defaultdict(list)
    where, args = _where(review_id, "review_id")
    for rid, start, end in conn.execute(
        f"SELECT review_id, period_from, period_to FROM scope {where} "
        f"{'AND' if where else 'WHERE'} period_from GLOB {_ISO_DAY} AND period_to GLOB {_ISO_DAY} "
        "AND substr(period_to, 1, 10) < substr(period_from, 1, 10)",
        args,
    ):
        start_day, end_day = _day_of(start), _day_of(end)
        if start_day is None or end_day is None:  # not days after all (2025-13-01): left alone
            continue
        out[rid].append(
            DateToCheck(
                rid,
                "period",
                rid,
                "Terms of reference",
                f"the period reviewed ends ({_shown_day(end_day)}) before it begins "
                f"({_shown_day(start_day)})",
            )
        )
    where, args = _where(review_id, "r.id")
    # Only the entries that can have a problem come back from SQLite (10,000 entries judged in
    # Python cost 150 ms on every read of the review list): a day after today or outside the
    # period, compared as ISO text ("YYYY-MM-DD..." sorts as its day does; char(127) after a
    # day sorts after any time on it), and any date or period not in that form (a period not
    # in it lets every entry of its review through). A month's last day is never before its
    # first, so "first day before the period" keeps every month whose last day is.
    # chronology_date_problem still decides each one. Each review's bounds are worked out once
    # (b), not per entry, and each review's entries are read through the index by review, which
    # keeps that lookup out of the per-entry work (a third cheaper than one pass over the table
    # looking up each entry's review). The entries' days are compared as migration 0012's index
    # holds them (k, the same table, read through that index: an entry whose day is fine is
    # never read from the table; half the time of reading every entry, its text and all): as
    # ISO text a "dateTtime" compares with a day as its day does.
    day = day_sql("k")
    latest = f"{today.isoformat()}\x7f" if today is not None else "\x7f"
    entries = conn.execute(
        "WITH b(review_id, lo, hi, period_from, period_to) AS MATERIALIZED (SELECT review_id, "
        f"CASE WHEN period_from IS NULL THEN '' WHEN period_from GLOB {_ISO_DAY} "
        "THEN period_from ELSE char(127) END, "
        f"min(?, CASE WHEN period_to IS NULL THEN char(127) WHEN period_to GLOB {_ISO_DAY} "
        "THEN period_to || char(127) ELSE '' END), period_from, period_to FROM scope) "
        'SELECT c.id, c.review_id, c."when", c.date_precision, c.event, b.period_from, '
        "b.period_to, c.position FROM review r LEFT JOIN b ON b.review_id = r.id "
        "CROSS JOIN chronology_entry k INDEXED BY ix_chronology_entry_order ON k.review_id = r.id "
        "JOIN chronology_entry c ON c.id = k.id "
        f"{where} {'AND' if where else 'WHERE'} (NOT {day} GLOB {_ISO_DAY} "
        f"OR {day} < b.lo OR {day} > coalesce(b.hi, ?))",
        (latest, *args, latest),
    ).fetchall()
    # Sorted here: an ORDER BY has SQLite build a temporary index of every entry (three times
    # the cost of the whole read) for the few that come back.
    entries.sort(key=lambda e: (e[1], str(e[2]), e[7]))
    for row_id, rid, when, precision, event, start, end, _ in entries:
        problem = chronology_date_problem(
            when, today, _day_of(start) if start else None, _day_of(end) if end else None, precision
        )
        if problem:
            event_text = " ".join((event or "").split())
            if len(event_text) > 40:
                event_text = event_text[:39] + "…"
            out[rid].append(
                DateToCheck(rid, "chronology", row_id, f"Chronology '{event_text}'", problem)
            )
    if interviews is None:
        interviews = _interviews(conn, review_id)
    where, args = _where(review_id, "review_id")
    import json

    from reviewer_tui.dates import latest_date_in

    held: dict[int, list[str | None]] = defaultdict(list)
    for interview in interviews:
        held[interview.person_id].append(interview.when)
    latest_in: dict[str, dt.date | None] = {}  # the same courses recur in every profile and review
    for row_id, rid, name, training in conn.execute(
        f"SELECT id, review_id, full_name, training_last_3_years FROM person {where} "
        "ORDER BY review_id, position, id",
        args,
    ):
        cutoff = _training_cutoff(profile_day(held.get(row_id, ()), today))
        try:
            items = json.loads(training or "[]")
        except ValueError:
            items = []
        for item in items if isinstance(items, list) else []:
            text = str(item)
            if text not in latest_in:
                latest_in[text] = latest_date_in(text)
            problem = _training_problem(text, latest_in[text], cutoff)
            if problem:
                out[rid].append(
                    DateToCheck(
                        rid, "profile", row_id, f"Profile of {name or '(no name)'}", problem
                    )
                )
    for i in interviews:
        problem = signed_before_interview(i.when, i.interviewee_signed_on, i.interviewer_signed_on)
        if problem:
            out[i.review_id].append(
                DateToCheck(
                    i.review_id,
                    "interview",
                    i.id,
                    f"Interview record of {i.name or '(no name)'}",
                    problem,
                )
            )
    return out


class _Link(NamedTuple):  # a tuple: 1,000 of them per review list read
    kind: str
    learned_later: bool


def flagged_findings(
    conn: sqlite3.Connection, review_id: int | None = None
) -> dict[int, list[FlaggedFinding]]:
    """Evidence counts only where it belongs to the finding's own review, as on the screen.

    Each query walks from the review's findings to their links to the rows they name (CROSS JOIN
    fixes that order in SQLite): left to choose, SQLite started from the review's 10,000
    chronology entries and looked each up against every finding, 140 ms per read where this
    reads only the few hundred linked rows. UNION, not UNION ALL: the rule asks only which kinds
    of evidence a finding has, so each kind comes back once per finding (714 rows, not 1,790)."""
    where, args = _where(review_id, "f.review_id")
    links: dict[int, list[_Link]] = defaultdict(list)
    for finding_id, kind, known in conn.execute(
        "SELECT l.finding_id, 'chronology', c.known_at_the_time FROM finding f "
        "CROSS JOIN finding_chronology l ON l.finding_id = f.id CROSS JOIN chronology_entry c "
        f"ON c.id = l.chronology_entry_id AND c.review_id = f.review_id {where} "
        "UNION SELECT l.finding_id, 'interview', NULL FROM finding f "
        "CROSS JOIN finding_interview l ON l.finding_id = f.id CROSS JOIN interview x "
        f"ON x.id = l.interview_id AND x.review_id = f.review_id {where} "
        "UNION SELECT l.finding_id, 'record', NULL FROM finding f "
        "CROSS JOIN finding_record l ON l.finding_id = f.id CROSS JOIN record_examined x "
        f"ON x.id = l.record_examined_id AND x.review_id = f.review_id {where}",
        args * 3,
    ):
        links[finding_id].append(_Link(kind, known == 0))
    out: dict[int, list[FlaggedFinding]] = defaultdict(list)
    numbers: dict[int, int] = defaultdict(int)
    for finding_id, rid, key, statement in conn.execute(
        f"SELECT f.id, f.review_id, f.key, f.statement FROM finding f {where} "
        "ORDER BY f.review_id, f.position, f.id",
        args,
    ):
        numbers[rid] += 1
        flags = evidence_flags(links.get(finding_id, ()))
        if flags:
            out[rid].append(
                FlaggedFinding(finding_id, rid, key, numbers[rid], statement or "", flags)
            )
    return out


# --- signed records (issue 15 item 3) ----------------------------------------------------------
CHANGED_AFTER_SIGNING = "changed after signing"
# The fields whose change signs a record (again): changing them never asks for a reason. A
# chronology entry is signed by its agency's confirmation (agency_code.chronology_confirmed_on).
SIGNING_FIELDS: dict[str, frozenset[str]] = {
    "interview": frozenset(
        {
            "signed_by_interviewee",
            "signed_by_interviewer",
            "interviewee_signed_on",
            "interviewer_signed_on",
            "agreed_on",
        }
    ),
    "report_draft": frozenset({"version", "circulated_on"}),
    "chronology_entry": frozenset(),
}
# Arrangements around a record that are not part of what was signed (the interview record
# document does not print them): changed freely.
OUTSIDE_THE_RECORD: dict[str, frozenset[str]] = {
    "interview": frozenset(
        {
            "briefing",
            "confirmation_sent_on",
            "chronology_sent_on",
            "sent_to_interviewee_on",
            "supporter_invited",
            "release_from_duties_agreed",
            "at_normal_workplace",
        }
    ),
}
FINAL_VERSION = "final"


def is_final_version(version: str | None) -> bool:
    """A draft register entry of the final report: its version reads "final"."""
    return (version or "").strip().casefold() == FINAL_VERSION


@dataclass(frozen=True)
class Signed:
    """One signed record, in its own terms. `locked` until it is changed with a reason; from
    then on CHANGED AFTER SIGNING (`changed` says it in the record's words) until signed again."""

    table: str
    id: int
    review_id: int
    what: str  # "This interview record", "This final report", "This chronology entry"
    state: str  # "signed by both", "agreed", "final", "confirmed by its agency (SW)"
    changed: str  # "changed after signing", "changed after it was agreed", ...
    locked: bool
    signed_again: str  # how to sign it again, for the message after a change

    @property
    def question(self) -> str:
        return f"{self.what} is {self.state}. Why change it?"


def _last_change(
    conn: sqlite3.Connection, table: str, item_id: int, fields: Iterable[str], reasoned: bool
) -> str | None:
    names = sorted(fields)
    marks = ", ".join("?" * len(names))
    where = "reason != ''" if reasoned else f"field IN ({marks})"
    row = conn.execute(
        f"SELECT max(changed_at) FROM change_entry WHERE item_id = ? AND item_table = ? "
        f"AND {where}",
        (item_id, table) if reasoned else (item_id, table, *names),
    ).fetchone()
    return row[0] if row else None


def signed_record(conn: sqlite3.Connection, table: str, item_id: int) -> Signed | None:
    """The signed record `table` row `item_id` is, or None (not a kind that is signed, not
    signed, or gone). The one place the locking rule reads the stored values."""
    signing_row, signing_table = item_id, table
    if table == "interview":
        row = conn.execute(
            "SELECT review_id, signed_by_interviewee, signed_by_interviewer, agreed_on "
            "FROM interview WHERE id = ?",
            (item_id,),
        ).fetchone()
        if row is None:
            return None
        if not is_unsigned(row[1], row[2]):
            what, state, changed = "This interview record", "signed by both", CHANGED_AFTER_SIGNING
            again = "It counts as signed again once a signature is recorded again."
        elif row[3]:
            what, state = "This interview record", "agreed"
            changed = "changed after it was agreed"
            again = "It counts as agreed again once an agreed date is recorded again."
        else:
            return None
        review_id = row[0]
    elif table == "report_draft":
        row = conn.execute(
            "SELECT review_id, version FROM report_draft WHERE id = ?", (item_id,)
        ).fetchone()
        if row is None or not is_final_version(row[1]):
            return None
        review_id, what, state = row[0], "This final report", "final"
        changed = "changed after it was made final"
        again = "It counts as final again once its circulation date is recorded again."
    elif table == "chronology_entry":
        row = conn.execute(
            "SELECT c.review_id, a.id, a.code FROM chronology_entry c JOIN agency_code a "
            "ON a.review_id = c.review_id AND a.code = c.source "
            "WHERE c.id = ? AND a.chronology_confirmed_on IS NOT NULL",
            (item_id,),
        ).fetchone()
        if row is None:
            return None
        review_id, signing_row, signing_table = row[0], row[1], "agency_code"
        what, state = "This chronology entry", f"confirmed by its agency ({row[2]})"
        changed = f"changed after {row[2]} confirmed its chronology"
        again = f"It counts as confirmed again once {row[2]}'s confirmation date is recorded again."
    else:
        return None
    fields = SIGNING_FIELDS.get(signing_table, frozenset({"chronology_confirmed_on"}))
    locked = not is_changed_after_signing(
        _last_change(conn, table, item_id, (), reasoned=True),
        _last_change(conn, signing_table, signing_row, fields, reasoned=False),
    )
    return Signed(table, item_id, review_id, what, state, changed, locked, again)


def changed_after_signing(
    conn: sqlite3.Connection, review_id: int | None = None
) -> dict[tuple[str, int], Signed]:
    """Every signed record changed after signing (and not signed since), by (table, id)."""
    where, args = _where(review_id, "review_id")
    extra = "AND" if where else "WHERE"
    out = {}
    for table, item_id in conn.execute(
        f"SELECT DISTINCT item_table, item_id FROM change_entry {where} {extra} reason != ''",
        args,
    ).fetchall():
        signed = signed_record(conn, table, item_id)
        if signed is not None and not signed.locked:
            out[(table, item_id)] = signed
    return out


def changed_records(
    conn: sqlite3.Connection, review_id: int | None = None
) -> dict[int, list[ChangedRecord]]:
    """Final reports and confirmed chronology entries changed after signing, per review."""
    from reviewer_tui.dates import display_when

    out: dict[int, list[ChangedRecord]] = defaultdict(list)
    for (table, item_id), signed in sorted(changed_after_signing(conn, review_id).items()):
        if table == "chronology_entry":
            when, precision, source = conn.execute(
                'SELECT "when", date_precision, source FROM chronology_entry WHERE id = ?',
                (item_id,),
            ).fetchone()
            what = f"Chronology entry {display_when(when, precision)} ({source})"
        elif table == "report_draft":
            what = "Final report (draft register)"
        else:
            continue
        out[signed.review_id].append(
            ChangedRecord(table, item_id, signed.review_id, what, signed.changed)
        )
    return out


def attention(
    conn: sqlite3.Connection, today: dt.date | None, review_id: int | None = None
) -> dict[int, Attention]:
    """Every rule, for one review or for all (one query per rule either way). Without `today`
    nothing is overdue. Reviews with nothing to attend to are left out: use
    .get(id, NO_ATTENTION)."""
    overdue = overdue_recommendations(conn, today, review_id)
    interviews = _interviews(conn, review_id)  # read once for the two rules that need them
    unsigned = unsigned_records(conn, review_id, today, interviews)
    unadvised = unadvised_escalations(conn, review_id)
    flagged = flagged_findings(conn, review_id)
    changed = changed_records(conn, review_id)
    to_check = dates_to_check(conn, today, review_id, interviews)
    ids = (
        set(overdue) | set(unsigned) | set(unadvised) | set(flagged) | set(changed) | set(to_check)
    )
    return {
        rid: Attention(
            tuple(overdue.get(rid, ())),
            tuple(unsigned.get(rid, ())),
            tuple(unadvised.get(rid, ())),
            tuple(flagged.get(rid, ())),
            tuple(changed.get(rid, ())),
            tuple(to_check.get(rid, ())),
        )
        for rid in ids
    }


def review_attention(conn: sqlite3.Connection, review_id: int, today: dt.date | None) -> Attention:
    return attention(conn, today, review_id).get(review_id, NO_ATTENTION)


# --- what each screen reads ---------------------------------------------------------------------
@contextmanager
def reading(folder: DataFolder) -> Iterator[sqlite3.Connection]:
    """One short stdlib connection for one read."""
    conn = folder.connect()
    try:
        yield conn
    finally:
        conn.close()


@dataclass(frozen=True)
class ReviewRow:
    """One line of the review list."""

    summary: ReviewSummary
    attention: Attention = NO_ATTENTION


def review_list(folder: DataFolder, today: dt.date) -> list[ReviewRow]:
    """Every review with what needs attention: one query for the list, one per rule."""
    with reading(folder) as conn:
        return _review_rows(conn, today)


def _review_rows(conn: sqlite3.Connection, today: dt.date) -> list[ReviewRow]:
    from reviewer_tui.summaries import list_reviews

    summaries = list_reviews(conn)
    found = attention(conn, today)
    return [ReviewRow(s, found.get(s.id, NO_ATTENTION)) for s in summaries]


class EarlyReviewList:
    """The review list's first read, made on a thread while the app imports its screens (most of
    the read is SQLite, which runs beside Python work), so the first frame does not wait for it.

    The thread waits for the file's opening check like every reader, reading through a read-only
    connection (`DataFolder.connect_to_read`: the check's quick_check may be left until after
    the first frame), and reads nothing unless the file is already at this version's schema (an update runs after the
    imports, on the main thread). `checked` is set once the opening check has finished, passed
    or not: the main thread waits for it before its own `wait_for_check`, so the two never wait
    for the check at the same moment. `take` gives the rows once, for the same day only; None
    when there are none (the file needed an update, the read failed): the list then reads as
    always, and meets any error there."""

    def __init__(self, folder: DataFolder, today: dt.date) -> None:
        import threading

        self.today = today
        self.checked = threading.Event()
        self._rows: list[ReviewRow] | None = None
        self._thread = threading.Thread(
            target=self._read, args=(folder,), name="first-read", daemon=True
        )
        self._thread.start()

    def _read(self, folder: DataFolder) -> None:
        from reviewer_tui import migrate

        try:
            folder.wait_for_check(pages=False)
        except BaseException:  # noqa: BLE001 - the main thread meets it in its wait_for_check
            return
        finally:
            self.checked.set()
        try:
            conn = folder.connect_to_read()  # read-only: the quick_check may still be to come
            try:
                if migrate.current_revision(conn) == migrate.HEAD_REVISION:
                    self._rows = _review_rows(conn, self.today)
            finally:
                conn.close()
        except Exception:  # noqa: BLE001, S110 - read again on the UI side, which reports it
            pass

    def take(self, today: dt.date) -> list[ReviewRow] | None:
        """The rows read early (waiting for the read if it is still going), once."""
        self._thread.join()
        rows, self._rows = self._rows, None
        return rows if today == self.today else None


@dataclass(frozen=True)
class ReviewState:
    """One review at a glance, for the workspace."""

    summary: ReviewSummary | None  # None when the review has gone
    stages: list[StageStatus] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    attention: Attention = NO_ATTENTION


def review_state(folder: DataFolder, review_id: int, today: dt.date) -> ReviewState:
    from reviewer_tui import progress
    from reviewer_tui.summaries import list_reviews

    with reading(folder) as conn:
        summary = next((s for s in list_reviews(conn, review_id) if s.id == review_id), None)
        if summary is None:
            return ReviewState(None)
        found = review_attention(conn, review_id, today)
        return ReviewState(
            summary,
            progress.stage_statuses(conn, review_id, found),
            progress.deadlines(conn, review_id, today, folder.path),
            found,
        )


def review_attention_now(folder: DataFolder, review_id: int, today: dt.date) -> Attention:
    """The rules for one review, for a stage screen's summary line."""
    with reading(folder) as conn:
        return review_attention(conn, review_id, today)
