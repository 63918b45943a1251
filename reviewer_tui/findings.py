"""Findings and the evidence they rest on, and the learning (stage 7). The analysis prompts are
reviewer_tui.domain.ANALYSIS_PROMPTS.

Seed 003 section 4: conclusions must rest on written evidence recorded at the time, not on
hindsight. So every finding is checked by the read model's rule (read_model.evidence_flags): one
with no evidence at all, or resting only on chronology entries learned later (known_at_the_time
false) or on interviews, is flagged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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


def _sort_key(entry: Any) -> tuple[str, int, str, int]:
    date, _, time = entry.when.partition("T")
    return (date, entry.sequence or 0, time, entry.position)


def candidates(store: Store, review_id: int) -> dict[str, list[Evidence]]:
    """Everything a finding can rest on, as the reviewer sees it: the chronology in date order,
    the interviews with the interviewee's name, and the records examined."""
    from sqlmodel import select

    from reviewer_tui import models as m

    # Only the columns a label needs, as plain rows: building 10,000 ORM objects took seconds.
    c = m.ChronologyEntry
    columns: Any = (c.id, c.when, c.sequence, c.position, c.source, c.event, c.known_at_the_time)
    with store.session() as s:
        rows = s.exec(select(*columns).where(c.review_id == review_id)).all()
    entries = sorted(rows, key=_sort_key)
    persons = {p.id: p for p in store.rows(m.Person, review_id)}
    out: dict[str, list[Evidence]] = {
        "chronology": [
            Evidence("chronology", e.id, chronology_label(e), e.known_at_the_time is False)
            for e in entries
        ],
        "interview": [],
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
        out["interview"].append(
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
    out = []
    for number, f in enumerate(rows, start=1):
        named = links.get(m.stored_id(f), [])
        evidence = tuple(pool[link] for link in named if link in pool)
        out.append(
            FindingView(
                m.stored_id(f),
                f.key,
                f.statement,
                f.kind,
                f.notes,
                evidence,
                evidence_flags(evidence),
                number,
            )
        )
    return out


def _all_links(s: Session, review_id: int) -> dict[int, list[tuple[str, int]]]:
    """`_links` of every finding of the review, in three queries: for each finding its chronology
    entries, then interviews, then records, each in the order linked."""
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


def finding(store: Store, finding_id: int) -> FindingView:
    from reviewer_tui import models as m

    row = store.get(m.Finding, finding_id)
    return next(f for f in findings(store, row.review_id) if f.id == finding_id)


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
