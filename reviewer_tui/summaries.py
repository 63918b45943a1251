"""The home screen's list of reviews: one stdlib query, so it paints before SQLAlchemy loads.

Below reviews, history and the read model (all three use it), so none of them imports another
in a circle; reviews re-exports `ReviewSummary` and `list_reviews`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from reviewer_tui import domain

__all__ = ["ReviewSummary", "list_reviews"]


@dataclass(frozen=True)
class ReviewSummary:
    id: int
    title: str
    review_type: str
    criterion: str
    commissioned_on: dt.date | None
    target: dt.date | None
    stage: str
    archived: bool
    submitted_on: dt.date | None = None

    def time_left(self, today: dt.date) -> str:
        if self.archived:
            return "archived"
        if self.submitted_on:
            return f"submitted {domain.format_date(self.submitted_on)}"
        return domain.days_left_text(self.target, today)

    @property
    def kind_name(self) -> str:
        return domain.kind_name(self.review_type)


# The furthest stage with anything recorded, checked from the last stage backwards.
_STAGE_PROBES: tuple[tuple[str, str], ...] = (
    (
        "Report submitted",
        "SELECT 1 FROM report_details WHERE review_id = r.id AND submitted_on IS NOT NULL",
    ),
    ("9 Report", "SELECT 1 FROM report_draft WHERE review_id = r.id"),
    ("8 Recommendations", "SELECT 1 FROM recommendation WHERE review_id = r.id"),
    ("7 Analysis and learning", "SELECT 1 FROM finding WHERE review_id = r.id"),
    ("6 Case review meeting", "SELECT 1 FROM meeting_attendee WHERE review_id = r.id"),
    ("5 Interviews", "SELECT 1 FROM interview WHERE review_id = r.id"),
    ("4 Chronology", "SELECT 1 FROM chronology_entry WHERE review_id = r.id"),
    ("3 Records", "SELECT 1 FROM record_examined WHERE review_id = r.id"),
    (
        "2 Terms of reference",
        "SELECT 1 FROM scope WHERE review_id = r.id AND (agreed_on IS NOT NULL "
        "OR key_issues != '[]' OR period_from IS NOT NULL)",
    ),
)
_STAGE_SQL = (
    "CASE "
    + " ".join(f"WHEN EXISTS ({probe}) THEN '{label}'" for label, probe in _STAGE_PROBES)
    + " ELSE '1 Commissioning' END"
)


def list_reviews(conn: sqlite3.Connection, review_id: int | None = None) -> list[ReviewSummary]:
    """Every review (or the one asked for). What needs attention in each is the read model's
    (reviewer_tui.read_model.review_list)."""
    where, args = ("WHERE r.id = ?", (review_id,)) if review_id is not None else ("", ())
    rows = conn.execute(
        f"""SELECT r.id, r.title, r.review_type, r.criterion, r.commissioned_on,
                   s.target_completion, {_STAGE_SQL}, r.archived_at IS NOT NULL, d.submitted_on
            FROM review r LEFT JOIN scope s ON s.review_id = r.id
                 LEFT JOIN report_details d ON d.review_id = r.id {where}
            ORDER BY r.archived_at IS NOT NULL, r.created_at DESC, r.id DESC""",
        args,
    ).fetchall()
    summaries = []
    for rid, title, kind, criterion, commissioned, target, stage, archived, submitted in rows:
        commissioned_on = dt.date.fromisoformat(commissioned) if commissioned else None
        target_day = (
            dt.date.fromisoformat(target)
            if target
            else domain.default_target(kind, commissioned_on)
        )
        summaries.append(
            ReviewSummary(
                rid,
                title,
                kind,
                criterion,
                commissioned_on,
                target_day,
                stage,
                bool(archived),
                dt.date.fromisoformat(submitted) if submitted else None,
            )
        )
    return summaries
