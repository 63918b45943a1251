"""What follows from the findings: recommendations and the action plan (seed 003 section 7 part 5,
seed 004 sections 7 and 9), escalations (seed 000 section 6) and family involvement (seed 003
section 8). Plain functions over the Store; screens stay thin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer_tui import domain
from reviewer_tui.dates import parse_local
from reviewer_tui.errors import InputError
from reviewer_tui.read_model import is_done, is_overdue
from reviewer_tui.reviews import check_text

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

# --- recommendations and the action plan ------------------------------------------------------
# Done and overdue are the read model's rules (one place); named here too for this module's users.
STATUS_SUGGESTIONS = ("Agreed – not started", "In progress", "Completed")


def due_text(due: dt.date | None, status: str, today: dt.date) -> str:
    if due is None:
        return "no due date"
    if is_done(status):
        return f"due {domain.format_date(due)}, done"
    if is_overdue(due, status, today):
        days = (today - due).days
        return f"OVERDUE: due {domain.format_date(due)} ({days} day{'s' if days > 1 else ''} ago)"
    return f"due {domain.format_date(due)} ({domain.days_left_text(due, today)})"


def add_recommendation(store: Store, review_id: int, **values: Any) -> int:
    from reviewer_tui.models import Recommendation

    row = store.add_row(
        Recommendation, review_id, key=store.new_key(Recommendation, review_id, "rec"), **values
    )
    assert row.id is not None
    return row.id


def _check_review(s: Any, model: type[Any], ids: Iterable[int], review_id: int, what: str) -> None:
    for target in ids:
        row = s.get(model, target)
        if row is None or row.review_id != review_id:
            raise InputError(f"That {what} is not part of this review.")


def set_recommendation_links(
    store: Store,
    recommendation_id: int,
    *,
    finding_ids: Iterable[int] | None = None,
    chronology_ids: Iterable[int] | None = None,
) -> None:
    """Replace the findings a recommendation answers and/or the chronology entries showing why
    it is needed, in one transaction."""
    from sqlmodel import select

    from reviewer_tui import models as m

    with store.session() as s:
        rec = s.get(m.Recommendation, recommendation_id)
        if rec is None:
            raise InputError("That recommendation no longer exists; the links were not saved.")
        for ids, link_model, column, target_model, what in (
            (finding_ids, m.RecommendationFinding, "finding_id", m.Finding, "finding"),
            (
                chronology_ids,
                m.RecommendationEvidence,
                "chronology_entry_id",
                m.ChronologyEntry,
                "chronology entry",
            ),
        ):
            if ids is None:
                continue
            wanted = list(dict.fromkeys(ids))
            _check_review(s, target_model, wanted, rec.review_id, what)
            for old in s.exec(
                select(link_model).where(link_model.recommendation_id == recommendation_id)
            ):
                s.delete(old)
            s.flush()
            for pos, target in enumerate(wanted):
                s.add(
                    link_model(
                        recommendation_id=recommendation_id, position=pos, **{column: target}
                    )
                )
        s.commit()


def recommendation_links(store: Store, recommendation_id: int) -> tuple[list[int], list[int]]:
    """(finding ids, chronology entry ids) linked to a recommendation, in order."""
    from sqlmodel import col, select

    from reviewer_tui import models as m

    with store.session() as s:
        findings = [
            x.finding_id
            for x in s.exec(
                select(m.RecommendationFinding)
                .where(m.RecommendationFinding.recommendation_id == recommendation_id)
                .order_by(col(m.RecommendationFinding.position))
            )
        ]
        evidence = [
            x.chronology_entry_id
            for x in s.exec(
                select(m.RecommendationEvidence)
                .where(m.RecommendationEvidence.recommendation_id == recommendation_id)
                .order_by(col(m.RecommendationEvidence.position))
            )
        ]
    return findings, evidence


def chronology_labels(store: Store, review_id: int, entry_ids: Iterable[int]) -> dict[int, str]:
    """The label (findings.chronology_label) of each of `entry_ids` that is in the review, read
    from those rows only: a recommendation names a few entries of a chronology of thousands."""
    from sqlmodel import col, select

    from reviewer_tui import models as m
    from reviewer_tui.findings import chronology_label

    wanted = list(dict.fromkeys(entry_ids))
    out: dict[int, str] = {}
    with store.session() as s:
        for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            for entry in s.exec(
                select(m.ChronologyEntry).where(
                    m.ChronologyEntry.review_id == review_id,
                    col(m.ChronologyEntry.id).in_(wanted[start : start + 500]),
                )
            ):
                out[m.stored_id(entry)] = chronology_label(entry)
    return out


def progress_notes(store: Store, recommendation_id: int) -> list[Any]:
    from sqlmodel import col, select

    from reviewer_tui.models import RecommendationProgress as P

    with store.session() as s:
        return list(
            s.exec(
                select(P).where(P.recommendation_id == recommendation_id).order_by(col(P.position))
            )
        )


def add_progress_note(store: Store, recommendation_id: int, date: dt.date, note: str = "") -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from reviewer_tui import models as m

    note = check_text(note, "progress note")
    with store.session() as s:
        rec = s.get(m.Recommendation, recommendation_id)
        if rec is None:
            raise InputError("That recommendation no longer exists; the note was not saved.")
        last = s.exec(
            select(func.max(m.RecommendationProgress.position)).where(
                m.RecommendationProgress.recommendation_id == recommendation_id
            )
        ).one()
        row = m.RecommendationProgress(
            recommendation_id=recommendation_id, position=(last or 0) + 1, date=date, note=note
        )
        s.add(row)
        _touch(s, rec.review_id)
        s.commit()
        assert row.id is not None
        return row.id


def _touch(s: Any, review_id: int) -> None:
    from reviewer_tui.models import Review

    review = s.get(Review, review_id)
    if review is not None:
        review.updated_at = domain.utc_now()


# --- escalations (seed 000 section 6) ---------------------------------------------------------
ESCALATION_KINDS: tuple[tuple[str, str], ...] = (
    ("safeguarding concern", "Immediate safeguarding concern (also refer through normal routes)"),
    ("conduct or capability issue", "Possible disciplinary, conduct or capability issue"),
)


def add_escalation(
    store: Store, review_id: int, kind: str, raised_on: str, summary: str = ""
) -> int:
    from reviewer_tui.models import Escalation

    if kind not in dict(ESCALATION_KINDS):
        raise InputError(
            "An escalation is a 'safeguarding concern' or a 'conduct or capability issue'."
        )
    row = store.add_row(
        Escalation,
        review_id,
        kind=kind,
        raised_on=parse_local(raised_on, "date raised", required=True),
        summary=summary,
    )
    assert row.id is not None
    return row.id


def update_escalation(store: Store, escalation_id: int, name: str, value: Any) -> None:
    """One field of an escalation, with the dates checked as the bundle needs them."""
    from reviewer_tui.models import Escalation

    if name == "raised_on":
        value = parse_local(value or "", "date raised", required=True)
    elif name == "advised_commissioner_on":
        value = parse_local(value or "", "date the commissioner was advised")
    elif name == "kind" and value not in dict(ESCALATION_KINDS):
        raise InputError("Choose the kind of escalation.")
    store.update(Escalation, escalation_id, **{name: value})


# --- family involvement (seed 003 section 8) --------------------------------------------------
LIMITING_FACTORS: tuple[tuple[str, str], ...] = (
    (
        "criminal_investigation_or_prosecution",
        "A criminal investigation or prosecution where a family member may be responsible, or was "
        "a witness",
    ),
    (
        "allegiance_to_suspect",
        "Someone may have allegiance to a suspect or perpetrator and pass on information",
    ),
    (
        "complicates_children_act_proceedings",
        "Involvement may complicate Children Act proceedings or put children at risk",
    ),
    (
        "potential_claim_against_agencies",
        "The family may have a potential claim against an agency (insurers may have a view)",
    ),
    (
        "anger_or_distress",
        "Anger or distress may make positive involvement exceptionally difficult",
    ),
    ("staff_unwilling_to_share", "Staff may share less freely if non-professionals are included"),
    ("confidentiality_harder", "Confidentiality becomes harder as the circle widens"),
)
FACTOR_KEYS = tuple(k for k, _ in LIMITING_FACTORS)


@dataclass(frozen=True)
class ContactView:
    id: int
    date: dt.date
    level: int
    action: str
    notes: str
    member_ids: tuple[int, ...]
    members: str  # names, or "the family as a whole"


def contacts(store: Store, review_id: int) -> list[ContactView]:
    """The ladder history, oldest first (by date, then as entered)."""
    from sqlmodel import col, select

    from reviewer_tui import models as m

    names = {f.id: f.name for f in store.rows(m.FamilyMember, review_id)}
    out = []
    with store.session() as s:
        for c in store.rows(m.FamilyContact, review_id):
            ids = tuple(
                x.family_member_id
                for x in s.exec(
                    select(m.FamilyContactMember)
                    .where(m.FamilyContactMember.family_contact_id == c.id)
                    .order_by(col(m.FamilyContactMember.position))
                )
            )
            who = ", ".join(names.get(i, "?") for i in ids) or "the family as a whole"
            out.append(ContactView(m.stored_id(c), c.date, c.level, c.action, c.notes, ids, who))
    return sorted(out, key=lambda c: c.date)


def current_level(store: Store, review_id: int) -> int | None:
    """The level reached by the latest contact; None before any contact."""
    history = contacts(store, review_id)
    return history[-1].level if history else None


def add_contact(
    store: Store,
    review_id: int,
    date: dt.date,
    level: int,
    action: str = "",
    notes: str = "",
    member_ids: Iterable[int] = (),
) -> int:
    from reviewer_tui import models as m

    if level not in domain.FAMILY_INVOLVEMENT_LEVELS:
        raise InputError("The level is a step from 1 to 10 on the ladder.")
    with store.session() as s:
        from sqlalchemy import func
        from sqlmodel import select

        last = s.exec(
            select(func.max(m.FamilyContact.position)).where(m.FamilyContact.review_id == review_id)
        ).one()
        row = m.FamilyContact(
            review_id=review_id,
            position=(last or 0) + 1,
            date=date,
            level=level,
            action=check_text(action, "action"),
            notes=check_text(notes, "notes"),
        )
        s.add(row)
        s.flush()
        assert row.id is not None
        ids = list(dict.fromkeys(member_ids))
        _check_review(s, m.FamilyMember, ids, review_id, "family member")
        for pos, member in enumerate(ids):
            s.add(
                m.FamilyContactMember(
                    family_contact_id=row.id, position=pos, family_member_id=member
                )
            )
        _touch(s, review_id)
        s.commit()
        return row.id


def set_contact_members(store: Store, contact_id: int, member_ids: Iterable[int]) -> None:
    from sqlmodel import select

    from reviewer_tui import models as m

    with store.session() as s:
        contact = s.get(m.FamilyContact, contact_id)
        if contact is None:
            raise InputError("That contact no longer exists; the change was not saved.")
        ids = list(dict.fromkeys(member_ids))
        _check_review(s, m.FamilyMember, ids, contact.review_id, "family member")
        for old in s.exec(
            select(m.FamilyContactMember).where(
                m.FamilyContactMember.family_contact_id == contact_id
            )
        ):
            s.delete(old)
        s.flush()
        for pos, member in enumerate(ids):
            s.add(
                m.FamilyContactMember(
                    family_contact_id=contact_id, position=pos, family_member_id=member
                )
            )
        s.commit()


def last_reconsidered(store: Store, review_id: int) -> Any | None:
    """The latest reconsideration of the limiting factors, or None."""
    from reviewer_tui.models import LimitingFactorsReview

    reviews = store.rows(LimitingFactorsReview, review_id)
    return max(reviews, key=lambda r: (r.date, r.position)) if reviews else None


def reconsider_factors(store: Store, review_id: int, date: dt.date) -> int:
    """Start a new reconsideration dated `date`, carrying forward the factors that applied last."""
    from reviewer_tui.models import LimitingFactorsReview

    previous = last_reconsidered(store, review_id)
    row = store.add_row(
        LimitingFactorsReview,
        review_id,
        date=date,
        factors=list(previous.factors) if previous else [],
    )
    assert row.id is not None
    return row.id


def set_factor(store: Store, factors_review_id: int, factor: str, applies: bool) -> list[str]:
    from reviewer_tui.models import LimitingFactorsReview

    if factor not in FACTOR_KEYS:
        raise InputError(f"{factor!r} is not one of the seven limiting factors.")
    current = set(store.get(LimitingFactorsReview, factors_review_id).factors)
    current.add(factor) if applies else current.discard(factor)
    ordered = [k for k in FACTOR_KEYS if k in current]
    store.update(LimitingFactorsReview, factors_review_id, factors=ordered)
    return ordered
