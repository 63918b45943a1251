"""What is done and what is left in one review, stage by stage, for the workspace. What needs
attention (overdue, unsigned, not advised, flagged) is the read model's: reviewer_tui.read_model."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer_tui import domain

if TYPE_CHECKING:
    from reviewer_tui.read_model import Attention

COMMISSIONING_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "title"),
    ("review_type", "kind"),
    ("criterion", "criterion"),
    ("child_name", "child's name"),
    ("child_pseudonym", "child's pseudonym"),
    ("agency", "agency"),
    ("commissioner_name", "commissioner"),
    ("commissioner_post", "commissioner's post"),
    ("lead_reviewer_name", "lead reviewer"),
    ("lead_reviewer_post", "lead reviewer's post"),
    ("lead_reviewer_address", "lead reviewer's address"),
    ("lead_reviewer_telephone", "lead reviewer's telephone"),
    ("lead_reviewer_independence_statement", "independence statement"),
    ("commissioned_on", "date commissioned"),
    ("brief", "written brief"),
    ("preliminary_questions", "preliminary questions"),
    ("reason_for_review", "reason for the review"),
    ("support_for_reviewer", "support for the reviewer"),
)
SCOPE_FIELDS: tuple[tuple[str, str], ...] = (
    ("key_issues", "key issues"),
    ("outside_expert_needed", "outside expert decision"),
    ("period_from", "period from"),
    ("period_to", "period to"),
    ("family_involvement_level", "family involvement level"),
    ("family_involvement_notes", "family involvement plan"),
    ("family_involvement_facilitator", "who facilitates family involvement"),
    ("start_date", "start date"),
    ("target_completion", "target completion"),
    ("media_and_public_interest", "public and media interest"),
    ("agreed_on", "date agreed"),
)

# The meeting (the protocol's order): when and where, the open discussion, the five group-focus
# answers and the next steps explained; who attended is counted beside them.
MEETING_FIELDS: tuple[tuple[str, str], ...] = (
    ("held_on", "date"),
    ("location", "place"),
    ("open_discussion", "open discussion"),
    ("worries_discussed", "worries"),
    ("could_have_done_differently", "what could have been done differently"),
    ("did_well", "what went well"),
    ("learnt", "what was learnt"),
    ("recommendations_suggested", "recommendations"),
    ("next_steps_explained", "next steps explained"),
)


@dataclass(frozen=True)
class StageStatus:
    key: str
    title: str
    summary: str  # what the reviewer reads, e.g. "not started" or "12 of 18 items"
    done: int
    total: int | None  # None when the stage is a list with no natural end

    @property
    def started(self) -> bool:
        return self.done > 0


def _filled(value: object) -> bool:
    return value not in (None, "", "[]", "{}")


def _count(conn: sqlite3.Connection, table: str, review_id: int, extra: str = "") -> int:
    return conn.execute(
        f"SELECT count(*) FROM {table} WHERE review_id = ? {extra}", (review_id,)
    ).fetchone()[0]


def _checklist(
    conn: sqlite3.Connection,
    table: str,
    key_column: str,
    review_id: int,
    fields: tuple[tuple[str, str], ...],
) -> tuple[int, list[str]]:
    columns = ", ".join(name for name, _ in fields)
    row = conn.execute(
        f"SELECT {columns} FROM {table} WHERE {key_column} = ?", (review_id,)
    ).fetchone()
    values = row or (None,) * len(fields)
    missing = [
        label for (_, label), value in zip(fields, values, strict=True) if not _filled(value)
    ]
    return len(fields) - len(missing), missing


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def circulated_drafts(conn: sqlite3.Connection, review_id: int) -> int:
    """A draft counts as circulated once it has a date circulated or a recipient it was sent to;
    a generated draft that went nowhere does not."""
    return conn.execute(
        "SELECT count(*) FROM report_draft d WHERE d.review_id = ? AND (d.circulated_on IS NOT "
        "NULL OR EXISTS (SELECT 1 FROM draft_recipient r WHERE r.report_draft_id = d.id AND "
        "r.sent_on IS NOT NULL))",
        (review_id,),
    ).fetchone()[0]


def publication_written(conn: sqlite3.Connection, review_id: int) -> dt.date | None:
    """The day a publication version last passed its check and was written, or None."""
    row = conn.execute(
        "SELECT publication_written_on FROM report_details WHERE review_id = ?", (review_id,)
    ).fetchone()
    return dt.date.fromisoformat(row[0][:10]) if row and row[0] else None


def _list_summary(n: int, one: str, many: str) -> str:
    return "not started" if n == 0 else f"{n} {one if n == 1 else many}"


def stage_statuses(
    conn: sqlite3.Connection, review_id: int, attention: Attention
) -> list[StageStatus]:
    """Every stage's summary, with the attention counts the read model found (overdue,
    unsigned, not advised, flagged): the read model calls this, never the other way round."""
    done_c, _ = _checklist(conn, "review", "id", review_id, COMMISSIONING_FIELDS)
    done_s, _ = _checklist(conn, "scope", "review_id", review_id, SCOPE_FIELDS)
    changes = _count(conn, "scope_change", review_id)
    records = _count(conn, "record_examined", review_id)
    unavailable = _count(conn, "record_examined", review_id, "AND available = 0")
    chronology = _count(conn, "chronology_entry", review_id)
    spes = _count(conn, "chronology_entry", review_id, "AND significant = 1")
    people = _count(conn, "person", review_id)
    interviews = _count(conn, "interview", review_id)
    unsigned = len(attention.unsigned)
    attendees = _count(conn, "meeting_attendee", review_id) + _count(
        conn, "meeting_other_attendee", review_id
    )
    contributions = _count(conn, "meeting_contribution", review_id)
    done_m, _ = _checklist(conn, "meeting", "review_id", review_id, MEETING_FIELDS)
    findings = _count(conn, "finding", review_id)
    recommendations = _count(conn, "recommendation", review_id)
    drafts = _count(conn, "report_draft", review_id)
    circulated = circulated_drafts(conn, review_id)
    publication = publication_written(conn, review_id)
    escalations = _count(conn, "escalation", review_id)
    unadvised = len(attention.unadvised)
    contacts = _count(conn, "family_contact", review_id)
    total_c, total_s = len(COMMISSIONING_FIELDS), len(SCOPE_FIELDS)

    def stage(key: str, summary: str, done: int, total: int | None = None) -> StageStatus:
        return StageStatus(key, domain.STAGE_TITLES[key], summary, done, total)

    scope_summary = f"{done_s} of {total_s} items"
    if changes:
        scope_summary += f"; {changes} scope change{'s' if changes > 1 else ''}"
    records_summary = _list_summary(records, "record", "records")
    if unavailable:
        records_summary += f" ({unavailable} not available)"
    chronology_summary = _list_summary(chronology, "entry", "entries")
    if spes:
        chronology_summary += f", {spes} significant"
    interview_summary = (
        f"{_plural(people, 'person', 'people')}, {_plural(interviews, 'interview', 'interviews')}"
        + (f", {unsigned} record{'s' if unsigned > 1 else ''} not yet signed" if unsigned else "")
        if people or interviews
        else "not started"
    )
    total_m = len(MEETING_FIELDS)
    meeting_summary = (
        f"{done_m} of {total_m} items, {_plural(attendees, 'attendee', 'attendees')}, "
        f"{_plural(contributions, 'contribution', 'contributions')}"
        if done_m or attendees or contributions
        else "not started"
    )
    report_summary = (
        "not started"
        if not drafts
        else f"{_plural(drafts, 'draft', 'drafts')}, {circulated} circulated"
    )
    publication_summary = (
        f"publication version written {domain.format_date(publication)}"
        if publication
        else "not started"
    )
    analysis_summary = _list_summary(findings, "finding", "findings")
    if attention.flagged:
        analysis_summary += f", {len(attention.flagged)} flagged (evidence)"
    recommendations_summary = _list_summary(recommendations, "recommendation", "recommendations")
    if attention.overdue:
        recommendations_summary += f", {len(attention.overdue)} OVERDUE"
    escalation_summary = (
        "none raised"
        if escalations == 0
        else f"{escalations} raised" + (f", {unadvised} NOT YET ADVISED" if unadvised else "")
    )
    return [
        stage("commissioning", f"{done_c} of {total_c} items", done_c, total_c),
        stage("scope", scope_summary, done_s, total_s),
        stage("records", records_summary, records),
        stage("chronology", chronology_summary, chronology),
        stage("interviews", interview_summary, people + interviews),
        stage("meeting", meeting_summary, done_m + (1 if attendees else 0), total_m + 1),
        stage("analysis", analysis_summary, findings),
        stage("recommendations", recommendations_summary, recommendations),
        stage("report", report_summary, drafts),
        stage("publication", publication_summary, 1 if publication else 0, 1),
        stage("escalations", escalation_summary, escalations),
        stage("family", _list_summary(contacts, "contact recorded", "contacts recorded"), contacts),
    ]


@dataclass(frozen=True)
class Deadline:
    label: str
    due: dt.date
    status: str


def deadlines(
    conn: sqlite3.Connection, review_id: int, today: dt.date, holiday_folder: Path | None = None
) -> list[Deadline]:
    """The target completion date and the kind's timescales that can be dated yet (the rules:
    reviewer_tui.timescales)."""
    from reviewer_tui import timescales

    return [
        Deadline(t.label, t.due, t.status)
        for t in timescales.review_timescales(conn, review_id, today, holiday_folder)
        if t.due is not None
    ]
