"""The case review domain in plain data: review kinds, stages, ladders and deadlines.

Kept free of heavy imports: the review list uses it before the database layer is loaded.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewKind:
    key: str  # the bundle's review_type value
    name: str  # the proper name shown to the reviewer and on reports
    nation: str
    target_months: int | None  # months from commissioning to completion, where guidance sets one
    guidance: str


REVIEW_KINDS: tuple[ReviewKind, ...] = (
    ReviewKind("internal case review", "Internal Case Review", "One agency", None,
               "Commissioned by an Assistant Director; the report goes back to them."),
    ReviewKind("management review", "Individual Management Review (IMR)", "One agency", None,
               "One agency's contribution to a wider review, in the Management Review Report format."),
    ReviewKind("serious case review", "Serious Case Review", "England", 6,
               "Aim to complete within six months of initiating it."),
    ReviewKind("child safeguarding practice review", "Local Child Safeguarding Practice Review",
               "England", 6, "Publish no later than six months after the decision to review."),
    ReviewKind("critical incident review", "Critical Incident Review", "England", None,
               "Below the serious case threshold; same process, not published."),
    ReviewKind("learning review", "Learning Review", "England or Scotland", None,
               "Below the statutory threshold; same process, not published."),
    ReviewKind("child practice review (concise)", "Child Practice Review (Concise)", "Wales", 6,
               "Usually completed within six months of the referral; action plan within four weeks."),
    ReviewKind("child practice review (extended)", "Child Practice Review (Extended)", "Wales", 6,
               "Two reviewers; usually completed within six months; action plan within four weeks."),
    ReviewKind("significant case review", "Significant Case Review", "Scotland", None,
               "Initial case review: agencies report within 14 calendar days."),
    ReviewKind("case management review", "Case Management Review", "Northern Ireland", None,
               "Overview report, executive summary and action plan."),
)
KINDS_BY_KEY = {k.key: k for k in REVIEW_KINDS}
CRITERIA = ("concern", "progressing well")


def kind_name(key: str) -> str:
    kind = KINDS_BY_KEY.get(key)
    return kind.name if kind else key


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month `months` later, clamped to the month's end (31 Aug + 6 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_target(review_type: str, commissioned_on: dt.date | None) -> dt.date | None:
    kind = KINDS_BY_KEY.get(review_type)
    if kind is None or kind.target_months is None or commissioned_on is None:
        return None
    return add_months(commissioned_on, kind.target_months)


def days_left_text(target: dt.date | None, today: dt.date) -> str:
    if target is None:
        return "no target set"
    days = (target - today).days
    if days > 1:
        return f"{days} days left"
    if days == 1:
        return "1 day left"
    if days == 0:
        return "due today"
    return f"{-days} day{'s' if days < -1 else ''} overdue"


# DOMAIN.md "The stages of one review", in order. Keys are stable; screens attach to them.
STAGES: tuple[tuple[str, str], ...] = (
    ("commissioning", "1 Commissioning"),
    ("scope", "2 Terms of reference"),
    ("records", "3 Records examined"),
    ("chronology", "4 Chronology"),
    ("interviews", "5 People and interviews"),
    ("meeting", "6 Case review meeting"),
    ("analysis", "7 Analysis and learning"),
    ("recommendations", "8 Recommendations and action plan"),
    ("report", "9 Report"),
    ("publication", "10 Publication"),
    ("escalations", "11 Escalations"),
    ("family", "12 Family involvement"),
)
STAGE_TITLES = dict(STAGES)

# Seed 003 section 8: the ten levels of family involvement.
FAMILY_INVOLVEMENT_LEVELS: dict[int, str] = {
    1: "Provide support to the family from agencies as appropriate / requested from the start",
    2: "Tell the family that the agencies will investigate what has happened",
    3: "Inform the family that a review is to be undertaken and explain the purpose and process",
    4: "Return to the family at intervals to inform them of progress",
    5: "Request information from the family on their perspective of what has happened",
    6: "Provide opportunity for the family to contribute written or verbal views to the review",
    7: "Share content of Executive Summary with family",
    8: "Give copy of the Executive Summary to the family",
    9: "Overview Report to be shared with the family",
    10: "Overview Report to be given to the family",
}

# Seed 003 section 2: parallel processes named in the terms-of-reference checklist.
PARALLEL_PROCESS_KINDS: tuple[str, ...] = (
    "Independent health investigation",
    "Domestic homicide review",
    "YJB serious incident review",
    "PPO investigation",
    "Coroner's inquest",
    "Criminal investigation or proceedings",
    "Care proceedings",
    "Complaint investigation",
    "Disciplinary process",
)

# Seed 003 section 6: suggested agency codes for the chronology's Source column.
SEED_AGENCY_CODES: dict[str, str] = {
    "SS&S": "Safeguarding & Specialist Services",
    "CYPS": "Children & Young People's Service",
    "POL": "Police",
    "NUR": "Nursery",
    "CDDFT": "Co Durham & Darlington Foundation NHS Trust",
    "CDPCT": "Co Durham Primary Care Trust",
    "PRO": "Probation",
}


def parse_date(text: str) -> dt.date:
    """A date as the reviewer types it in a form: YYYY-MM-DD or dd/mm/yyyy. Raises ValueError."""
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            if year < 100:
                raise ValueError("write the year in full, for example 14/07/2025")
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        detail = str(exc)
        if "year in full" in detail:
            raise
        raise ValueError(f"'{text}' is not a date: write it as 2025-07-14 or 14/07/2025") from None


def format_date(day: dt.date | None) -> str:
    return day.strftime("%d %b %Y").lstrip("0") if day else "—"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
