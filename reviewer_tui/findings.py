"""Findings and the evidence they rest on, and the learning (stage 7). The analysis prompts are
reviewer_tui.domain.ANALYSIS_PROMPTS.

Seed 003 section 4: conclusions must rest on written evidence recorded at the time, not on
hindsight. So every finding is checked by the read model's rule (read_model.evidence_flags): one
with no evidence at all, or resting only on chronology entries learned later (known_at_the_time
false) or on interviews, is flagged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from reviewer_tui.chronology_order import ORDER_SQL
from reviewer_tui.errors import InputError
from reviewer_tui.read_model import (
    LEARNED_LATER,
    NO_EVIDENCE,
    ONLY_ACCOUNTS,
    evidence_flags,
    flagged_findings,
)
from reviewer_tui.reviews import check_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from reviewer_tui.reviews import Store

KINDS = ("good practice", "area for development")

# Seed 003 section 4, the advice on drawing conclusions.
CONCLUSIONS_ADVICE: tuple[str, ...] = (
    "Hindsight can make the picture seem clearer than it was at the time.",
    "If criticism appears necessary, the evidence must be available to support it.",
    "Criticism must be grounded in fact, not anger.",
    "Ask: had I been handling the case on the information available at the time (not what I "
    "know now), can I say the outcome would have been any different?",
    "Conclusions must rest on written evidence recorded at the time, not on verbal or anecdotal "
    "material produced after the event.",
)

FLAG_TEXT = {
    NO_EVIDENCE: "No evidence linked: link the chronology entries, interviews or records it rests on.",
    LEARNED_LATER: "Rests only on chronology entries learned later (not known at the time): "
    "hindsight. Link evidence recorded at the time.",
    ONLY_ACCOUNTS: "Rests only on interview accounts given after the event: link the records or "
    "chronology entries written at the time that support it.",
}

EVIDENCE_KINDS = ("chronology", "interview", "record")


@dataclass(frozen=True)
class Evidence:
    kind: str  # chronology | interview | record
    id: int
    label: str  # what the reviewer reads: date and event, interviewee, record title
    learned_later: bool = False


@dataclass(frozen=True)
class FindingView:
    id: int
    key: str
    statement: str
    kind: str | None
    notes: str
    evidence: tuple[Evidence, ...] = ()
    flags: tuple[str, ...] = field(default=())
    number: int = 0  # its place in the list, what the reviewer calls it (ids are never shown)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def chronology_label(entry: Any) -> str:
    when = entry.when.replace("T", " ")
    later = " [learned later]" if entry.known_at_the_time is False else ""
    source = f" ({entry.source})" if entry.source else ""
    event = " ".join(entry.event.split())  # whole: the reviewer chooses evidence by it
    return f"{when}{source} {event}{later}"


class _Entry(NamedTuple):
    """The columns of a chronology entry that its label needs."""

    id: int
    when: str
    source: str
    event: str
    known_at_the_time: bool | None


# The chronology in the order the reviewer reads it: by date, then the entry's place among those
# of its day (`sequence`), then the time, then the order entered (`when` is "date" or
# "dateTtime": the part before the first T, then the part after it).
_CHRONOLOGY_IN_ORDER = (
    'SELECT id, "when", source, event, known_at_the_time FROM chronology_entry '
    f"WHERE review_id = ? ORDER BY {ORDER_SQL}"
)


class ChronologyEvidence(Sequence[Evidence]):
    """A review's chronology as evidence, in date order, each entry labelled only when it is
    read: a dialog shows a few hundred of 10,000 entries, and labelling all of them (with the
    10,000 objects) cost more than reading them."""

    def __init__(self, rows: Sequence[Any]) -> None:
        self._rows = rows
        self._made: dict[int, Evidence] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Evidence: ...

    @overload
    def __getitem__(self, index: slice) -> list[Evidence]: ...

    def __getitem__(self, index: int | slice) -> Evidence | list[Evidence]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._rows)))]
        if index < 0:
            index += len(self._rows)
        made = self._made.get(index)
        if made is None:
            stored, when, source, event, known = self._rows[index]
            entry = _Entry(stored, when, source, event, None if known is None else bool(known))
            made = Evidence(
                "chronology", stored, chronology_label(entry), entry.known_at_the_time is False
            )
            self._made[index] = made
        return made

    def __iter__(self) -> Iterator[Evidence]:
        return (self[i] for i in range(len(self._rows)))

    def ids(self) -> list[int]:
        """Every entry's id, in order, without labelling any."""
        return [row[0] for row in self._rows]


def candidates(store: Store, review_id: int) -> dict[str, Sequence[Evidence]]:
    """Everything a finding can rest on, as the reviewer sees it: the chronology in date order
    (sorted by SQLite, labelled as each is read), the interviews with the interviewee's name,
    and the records examined."""
    from sqlmodel import select

    from reviewer_tui import models as m

    # Only the columns a label needs, as plain tuples from the driver: 10,000 rows through the
    # ORM, sorted and labelled in Python, took 300-430 ms.
    with store.session() as s:
        cursor = s.connection().connection.cursor()
        try:
            cursor.execute(_CHRONOLOGY_IN_ORDER, (review_id,))
            rows = cursor.fetchall()
        finally:
            cursor.close()
    persons = {p.id: p for p in store.rows(m.Person, review_id)}
    interview_evidence: list[Evidence] = []
    out: dict[str, Sequence[Evidence]] = {
        "chronology": ChronologyEvidence(rows),
        "interview": interview_evidence,
        "record": [
            Evidence("record", m.stored_id(r), r.title + (f" ({r.holder})" if r.holder else ""))
            for r in store.rows(m.RecordExamined, review_id)
        ],
    }
    # Nor the interviews' notes (200 KB each on a large review): the columns a label needs.
    i = m.Interview
    interview_columns: Any = (i.id, i.person_id, i.scheduled_for)
    with store.session() as s:
        interviews = s.exec(
            select(*interview_columns).where(i.review_id == review_id).order_by(i.position)
        ).all()
    for interview in interviews:
        person = persons.get(interview.person_id)
        name = person.full_name if person else "(removed)"
        when = f", {interview.scheduled_for.replace('T', ' ')}" if interview.scheduled_for else ""
        interview_evidence.append(
            Evidence("interview", int(interview.id), f"Interview with {name}{when}")
        )
    return out


def findings(store: Store, review_id: int) -> list[FindingView]:
    """Every finding with its evidence and its flags, in the order entered.

    Reads the links of every finding at once and only the evidence they name (a large review's
    40 findings name some hundreds of its 10,000 chronology entries): not the whole chronology,
    nor every interview's notes."""
    from reviewer_tui import models as m

    with store.session() as s:
        rows = store.rows(m.Finding, review_id)
        links = _all_links(s, review_id)
        pool = _evidence(s, review_id, [link for found in links.values() for link in found])
    return [
        _view(f, number, links.get(m.stored_id(f), []), pool)
        for number, f in enumerate(rows, start=1)
    ]


def _view(
    f: Any, number: int, named: list[tuple[str, int]], pool: dict[Any, Evidence]
) -> FindingView:
    """The view of finding row `f`, the `number`th of its review, with the evidence `named`."""
    from reviewer_tui import models as m

    evidence = tuple(pool[link] for link in named if link in pool)
    return FindingView(
        m.stored_id(f),
        f.key,
        f.statement,
        f.kind,
        f.notes,
        evidence,
        evidence_flags(evidence),
        number,
    )


def _all_links(
    s: Session, review_id: int, only: int | None = None
) -> dict[int, list[tuple[str, int]]]:
    """The links of every finding of the review (or of the one finding `only`), in three queries:
    for each finding its chronology entries, then interviews, then records, each in the order
    linked."""
    from sqlmodel import col, select

    from reviewer_tui import models as m

    out: dict[int, list[tuple[str, int]]] = {}
    for kind, table, column in (
        ("chronology", m.FindingChronology, m.FindingChronology.chronology_entry_id),
        ("interview", m.FindingInterview, m.FindingInterview.interview_id),
        ("record", m.FindingRecord, m.FindingRecord.record_examined_id),
    ):
        link: Any = table
        statement = (
            select(link.finding_id, column)
            .join(m.Finding, col(m.Finding.id) == link.finding_id)
            .where(m.Finding.review_id == review_id)
            .order_by(link.finding_id, link.position)
        )
        if only is not None:
            statement = statement.where(link.finding_id == only)
        for finding_id, target in s.exec(statement):
            out.setdefault(finding_id, []).append((kind, target))
    return out


def _evidence(s: Session, review_id: int, wanted: list[tuple[str, int]]) -> dict[Any, Evidence]:
    """The Evidence of each (kind, id) in `wanted`, labelled as `candidates` labels it, reading
    only those rows of the review (an interview without its notes)."""
    from sqlmodel import col, select

    from reviewer_tui import models as m

    ids: dict[str, set[int]] = {kind: set() for kind in EVIDENCE_KINDS}
    for kind, target in wanted:
        ids[kind].add(target)
    pool: dict[Any, Evidence] = {}
    if ids["chronology"]:
        # The columns a label needs, as plain rows (as `candidates` reads them): hundreds of
        # whole ORM entries cost a large review's analysis screen a third of its opening.
        c = m.ChronologyEntry
        columns: Any = (c.id, c.when, c.source, c.event, c.known_at_the_time)
        for e in s.exec(
            select(*columns).where(c.review_id == review_id, col(c.id).in_(ids["chronology"]))
        ):
            evidence = Evidence(
                "chronology", int(e.id), chronology_label(e), e.known_at_the_time is False
            )
            pool[("chronology", evidence.id)] = evidence
    if ids["interview"]:
        names: dict[int | None, str] = {
            pid: name
            for pid, name in s.exec(
                select(m.Person.id, m.Person.full_name).where(m.Person.review_id == review_id)
            )
        }
        for stored, person_id, scheduled_for in s.exec(
            select(m.Interview.id, m.Interview.person_id, m.Interview.scheduled_for).where(
                m.Interview.review_id == review_id, col(m.Interview.id).in_(ids["interview"])
            )
        ):
            if stored is None:  # a row read from the table always has its id
                continue
            iid = stored
            name = names.get(person_id, "(removed)")
            when = f", {scheduled_for.replace('T', ' ')}" if scheduled_for else ""
            pool[("interview", iid)] = Evidence("interview", iid, f"Interview with {name}{when}")
    if ids["record"]:
        for r in s.exec(
            select(m.RecordExamined).where(
                m.RecordExamined.review_id == review_id,
                col(m.RecordExamined.id).in_(ids["record"]),
            )
        ):
            label = r.title + (f" ({r.holder})" if r.holder else "")
            pool[("record", m.stored_id(r))] = Evidence("record", m.stored_id(r), label)
    return pool


def flagged_count(conn: sqlite3.Connection, review_id: int) -> int:
    """How many of a review's findings are flagged: the read model's count."""
    return len(flagged_findings(conn, review_id).get(review_id, ()))


def counts(conn: sqlite3.Connection, review_id: int) -> tuple[int, int]:
    """How many findings the review has, and how many of them are flagged."""
    (total,) = conn.execute(
        "SELECT count(*) FROM finding WHERE review_id = ?", (review_id,)
    ).fetchone()
    return int(total), flagged_count(conn, review_id)


def finding(store: Store, finding_id: int) -> FindingView:
    """One finding as `findings` shows it (its number its place in the list), reading only that
    finding, its links and the evidence they name: building one finding's box as it scrolls
    into view read every finding of the review."""
    from sqlalchemy import and_, func, or_
    from sqlmodel import col, select

    from reviewer_tui import models as m

    f = store.get(m.Finding, finding_id)
    table = m.Finding
    with store.session() as s:
        before = s.exec(
            select(func.count())
            .select_from(table)
            .where(
                table.review_id == f.review_id,
                or_(
                    col(table.position) < f.position,
                    and_(col(table.position) == f.position, col(table.id) < finding_id),
                ),
            )
        ).one()
        named = _all_links(s, f.review_id, finding_id).get(finding_id, [])
        pool = _evidence(s, f.review_id, named)
    return _view(f, before + 1, named, pool)


def add_finding(store: Store, review_id: int, statement: str = "", kind: str | None = None) -> int:
    from reviewer_tui import models as m

    if kind is not None and kind not in KINDS:
        raise InputError("A finding is 'good practice' or 'area for development'.")
    row = store.add_row(
        m.Finding,
        review_id,
        key=store.new_key(m.Finding, review_id, "f"),
        statement=statement,
        kind=kind,
    )
    assert row.id is not None
    return row.id


def set_evidence(store: Store, finding_id: int, links: Iterable[tuple[str, int]]) -> None:
    """Replace a finding's evidence with `links` ((kind, id) pairs, in order), in one transaction.
    Every id must belong to the finding's own review."""
    from sqlmodel import select

    from reviewer_tui import models as m

    tables: dict[str, tuple[Any, str, Any]] = {
        "chronology": (m.FindingChronology, "chronology_entry_id", m.ChronologyEntry),
        "interview": (m.FindingInterview, "interview_id", m.Interview),
        "record": (m.FindingRecord, "record_examined_id", m.RecordExamined),
    }
    wanted = list(dict.fromkeys(links))
    with store.session() as s:
        f = s.get(m.Finding, finding_id)
        if f is None:
            raise InputError("That finding no longer exists; the evidence was not saved.")
        for kind, target in wanted:
            if kind not in tables:
                raise InputError(f"{kind!r} is not a kind of evidence.")
            row = s.get(tables[kind][2], target)
            if row is None or row.review_id != f.review_id:
                raise InputError("That evidence is not part of this review.")
        for link_model, _, _ in tables.values():
            for old in s.exec(select(link_model).where(link_model.finding_id == finding_id)):
                s.delete(old)
        s.flush()
        positions = dict.fromkeys(tables, 0)
        for kind, target in wanted:
            link_model, column, _ = tables[kind]
            s.add(link_model(finding_id=finding_id, position=positions[kind], **{column: target}))
            positions[kind] += 1
        s.commit()


def link(store: Store, finding_id: int, kind: str, target: int) -> None:
    current = [(e.kind, e.id) for e in finding(store, finding_id).evidence]
    set_evidence(store, finding_id, [*current, (kind, target)])


def unlink(store: Store, finding_id: int, kind: str, target: int) -> None:
    current = [(e.kind, e.id) for e in finding(store, finding_id).evidence]
    set_evidence(store, finding_id, [x for x in current if x != (kind, target)])


# --- learning: points marked for the training team (seed 000 section 6) -----------------------
def save_learning_points(
    store: Store,
    review_id: int,
    good_practice: list[str],
    areas_for_development: list[str],
    for_training: list[bool],
) -> None:
    """Store both lists of learning points and which are marked for sharing with the learning and
    development (training) team; `for_training` has one flag per point, good practice first.
    A mark is kept as the point's text (app-only), so reordering keeps it."""
    from reviewer_tui.models import Learning

    points = [check_text(p, "learning point") for p in [*good_practice, *areas_for_development]]
    if len(for_training) != len(points):
        raise InputError("Each learning point needs its own training mark.")
    marked = list(dict.fromkeys(p for p, flag in zip(points, for_training, strict=True) if flag))
    store.update(
        Learning,
        review_id,
        good_practice=list(good_practice),
        areas_for_development=list(areas_for_development),
        shared_with_training=marked,
    )


def training_marks(learning: Any) -> tuple[list[bool], list[bool]]:
    marked = set(learning.shared_with_training)
    return (
        [p in marked for p in learning.good_practice],
        [p in marked for p in learning.areas_for_development],
    )


def points_for_training(store: Store, review_id: int) -> list[str]:
    """The learning points to share with the training team, in the order they appear."""
    from reviewer_tui.models import Learning

    learning = store.get(Learning, review_id)
    marked = set(learning.shared_with_training)
    return [p for p in [*learning.good_practice, *learning.areas_for_development] if p in marked]
