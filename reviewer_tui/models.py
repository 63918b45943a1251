"""The database tables. Column names follow the review bundle's keys wherever the bundle has one,
so import and export are a plain copy (see bundle.py). Every list keeps its entry order in
`position`; items other sections point at keep the bundle's id in `key`.

Dates the reviewer types are `datetime.date`; times of events are local wall-clock text exactly
as written (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]`, RELIABILITY rule 14); timestamps the app
makes are aware UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Index, MetaData, String, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel

# Set before any table is declared so constraint names are stable across migrations. Names hold
# every column (column_0_N_...), so two constraints on the same first column never share a name.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_N_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes stored as ISO text (SQLite has no time zone type)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC")
        return value.astimezone(dt.UTC).isoformat()

    def process_result_value(self, value: str | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else dt.datetime.fromisoformat(value)


class LocalTimeText(TypeDecorator[str]):
    """A local date or date-time exactly as the bundle writes it ('YYYY-MM-DD' or
    'YYYY-MM-DDTHH:MM[:SS]', rule 14), kept as text because it may hold a time of day. Not set
    is NULL, as in the DATE columns: an empty string is stored as NULL whoever writes it."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return value or None


def local_time() -> Any:
    """An optional local date or date-time (LocalTimeText); None until set."""
    return Field(default=None, sa_column=Column(LocalTimeText, nullable=True))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Default factories are Python functions: pydantic reads a factory's signature each time it makes
# a default, 170-270 us for the builtin list against 13 us for a function (seconds of importing a
# bundle of 10,000 chronology entries). dict's is quick to read; its factory is made alike.
def _new_list() -> list[Any]:
    return []


def _new_dict() -> dict[str, Any]:
    return {}


def text_list() -> Any:
    return Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))


def stamp(nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    return Field(default_factory=_now, sa_column=Column(UTCDateTime, nullable=False))


# Every table with a row id: SQLite AUTOINCREMENT, so an id is never handed out twice (without
# it SQLite reuses the id of the newest row once it is deleted, and anything keyed by that id,
# a draft, a file name, a pending save, would belong to the next row).
NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


def review_fk() -> Any:
    return Field(foreign_key="review.id", ondelete="CASCADE", index=True)


def review_pk() -> Any:
    return Field(foreign_key="review.id", primary_key=True, ondelete="CASCADE")


class Review(SQLModel, table=True):
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    title: str
    review_type: str
    criterion: str
    child_name: str = ""
    child_pseudonym: str = ""
    agency: str = ""
    commissioner_name: str = ""
    commissioner_post: str = ""
    lead_reviewer_name: str = ""
    lead_reviewer_post: str = ""
    lead_reviewer_address: str = ""
    lead_reviewer_telephone: str = ""
    lead_reviewer_independence_statement: str = ""
    commissioned_on: dt.date | None = None
    brief: str = ""
    preliminary_questions: list[str] = text_list()
    reason_for_review: str = ""
    support_for_reviewer: str = ""
    family_summary: str = ""
    created_at: dt.datetime = stamp()
    updated_at: dt.datetime = stamp()
    archived_at: dt.datetime | None = stamp(nullable=True)


class Scope(SQLModel, table=True):
    review_id: int = review_pk()
    key_issues: list[str] = text_list()
    outside_expert_needed: bool | None = None
    outside_expert_notes: str = ""
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    family_involvement_level: int | None = None
    family_involvement_notes: str = ""
    family_involvement_facilitator: str = ""
    start_date: dt.date | None = None
    target_completion: dt.date | None = None
    media_and_public_interest: str = ""
    agreed_on: dt.date | None = None


class Organisation(SQLModel, table=True):
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    name: str
    code: str = ""
    notes: str = ""


class ParallelProcess(SQLModel, table=True):
    __tablename__ = "parallel_process"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    kind: str
    status: str = ""
    notes: str = ""


class OtherArea(SQLModel, table=True):
    __tablename__ = "other_area"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    area: str
    arrangements: str = ""


class ScopeChange(SQLModel, table=True):
    __tablename__ = "scope_change"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    date: dt.date | None = None
    change: str = ""
    agreed_with: str = ""
    agreed_on: dt.date | None = None


class AgencyCode(SQLModel, table=True):
    """The review's register of chronology source codes (seed 003 section 6)."""

    __tablename__ = "agency_code"
    __table_args__ = (UniqueConstraint("review_id", "code"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    code: str
    name: str = ""
    # The day the reviewer recorded that this agency confirmed its chronology (issue 15 item 3):
    # from then on its entries are locked like a signed record.
    chronology_confirmed_on: dt.date | None = None


class RecordExamined(SQLModel, table=True):
    __tablename__ = "record_examined"
    __table_args__ = (UniqueConstraint("review_id", "key"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    key: str
    title: str
    kind: str = ""
    holder: str = ""
    available: bool | None = None
    reason_unavailable: str = ""
    date_read: dt.date | None = None
    notes: str = ""


class FamilyMember(SQLModel, table=True):
    __tablename__ = "family_member"
    __table_args__ = (UniqueConstraint("review_id", "key"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    key: str
    name: str
    pseudonym: str = ""
    relationship: str = ""
    date_of_birth: dt.date | None = None
    address: str = ""
    also_known_as: list[str] = text_list()


class ChronologyEntry(SQLModel, table=True):
    __tablename__ = "chronology_entry"
    __table_args__ = (
        UniqueConstraint("review_id", "key"),
        # the columns the chronology's counts and lists read (migration 0014)
        Index(
            "ix_chronology_entry_summary",
            "review_id",
            "source",
            "significant",
            "when",
            "date_precision",
            "issues",
        ),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    key: str
    when: str
    date_precision: str | None = None
    sequence: int | None = None
    event: str = ""
    source: str = ""
    participation: str = ""
    outcome: str = ""
    issues: list[str] = text_list()
    significant: bool | None = None
    risk: str = ""
    response: str = ""
    partnership: str = ""
    learning: str = ""
    significance: list[str] = text_list()
    known_at_the_time: bool | None = None


class ChronologyQuickEntry(SQLModel, table=True):
    """What is typed in the chronology's quick-entry form before Enter adds it (RELIABILITY rule
    1), exactly as typed: at most one per review, gone once added or closed, and with the review."""

    __tablename__ = "chronology_quick_entry"
    review_id: int = review_pk()
    when: str = ""
    source: str = ""
    event: str = ""
    participation: str = ""
    outcome: str = ""
    issues: str = ""  # comma-separated, as typed
    sequence: str = ""  # as typed
    later: bool = False  # "learned later, not known at the time"


class Person(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("review_id", "key"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    key: str
    full_name: str
    pseudonym: str = ""
    also_known_as: list[str] = text_list()
    qualifications: str = ""
    designation: str = ""
    time_in_post: str = ""
    employing_body: str = ""
    employing_address: str = ""
    home_address: str = ""
    role_in_case: str = ""
    training_last_3_years: list[str] = text_list()
    supporter: str = ""


class PreviousEmployment(SQLModel, table=True):
    __tablename__ = "previous_employment"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    position: int = 0
    employer: str
    dates: str = ""
    posts_held: str = ""


class Interview(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("review_id", "key"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    key: str
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    scheduled_for: str | None = local_time()
    location: str = ""
    duration_minutes: int | None = None
    recording_method: str | None = None
    note_taker: str = ""
    confirmation_sent_on: dt.date | None = None
    chronology_sent_on: dt.date | None = None
    briefing: dict[str, bool] = Field(
        default_factory=_new_dict, sa_column=Column(JSON, nullable=False)
    )
    notes: str = ""
    contentious_points: list[str] = text_list()
    sent_to_interviewee_on: dt.date | None = None
    interviewee_comments: str = ""
    agreed_on: dt.date | None = None
    signed_by_interviewee: bool | None = None
    signed_by_interviewer: bool | None = None
    matters_covered: list[str] = text_list()
    contentious_points_checked_back: bool | None = None
    disagreements: str = ""
    interviewee_signed_on: dt.date | None = None
    interviewer_signed_on: dt.date | None = None
    # Arrangements the bundle does not carry.
    supporter_invited: bool | None = None
    release_from_duties_agreed: bool | None = None
    at_normal_workplace: bool | None = None


class InterviewVersion(SQLModel, table=True):
    """Beside an interview record (reviewer_tui/packs.py): what a note-taker pack was made from
    (source packs.MADE) or the pack a note taker's record holds (packs.OPENED), both resolved;
    and, unresolved, the note taker's text where both sides changed the same text, kept so
    nothing is overwritten silently until the reviewer chooses."""

    __tablename__ = "interview_version"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", ondelete="CASCADE", index=True)
    position: int = 0
    received_at: dt.datetime = stamp()
    source: str = ""
    data: dict[str, Any] = Field(default_factory=_new_dict, sa_column=Column(JSON, nullable=False))
    resolved: bool = False


class Meeting(SQLModel, table=True):
    review_id: int = review_pk()
    held_on: str | None = local_time()
    location: str = ""
    note_taker: str = ""
    open_discussion: str = ""
    worries_discussed: str = ""
    could_have_done_differently: str = ""
    did_well: str = ""
    learnt: str = ""
    recommendations_suggested: str = ""
    next_steps_explained: bool | None = None
    next_steps_read_out: list[str] = (
        text_list()
    )  # which of seed 000's seven next steps were read out


class MeetingAttendee(SQLModel, table=True):
    __tablename__ = "meeting_attendee"
    __table_args__ = (UniqueConstraint("review_id", "person_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)


class MeetingOtherAttendee(SQLModel, table=True):
    __tablename__ = "meeting_other_attendee"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    name: str
    role: str = ""


class MeetingContribution(SQLModel, table=True):
    __tablename__ = "meeting_contribution"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    role: str = ""
    went_well: str = ""
    did_not_go_well: str = ""


class Analysis(SQLModel, table=True):
    review_id: int = review_pk()
    practitioners_sensitive_to_needs_and_knowledgeable: str = ""
    policies_and_procedures_in_place: str = ""
    key_points_for_assessment_and_decision_making: str = ""
    actions_accorded_with_assessments_and_decisions: str = ""
    appropriate_services_offered_or_provided: str = ""
    child_protection_or_care_plans_and_reviews: str = ""
    wishes_and_feelings_ascertained_and_recorded: str = ""
    sensitivity_to_racial_cultural_linguistic_religious_identity: str = ""
    supervision_and_case_management: str = ""
    service_provision_linked_to_capacity_or_resources: str = ""
    consistency_with_agency_and_lscb_procedures: str = ""


class Learning(SQLModel, table=True):
    review_id: int = review_pk()
    good_practice: list[str] = text_list()
    areas_for_development: list[str] = text_list()
    training: str = ""
    management_and_supervision: str = ""
    partnership: str = ""
    resources: str = ""
    shared_with_training: list[str] = text_list()  # learning points marked for the training team


class Finding(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("review_id", "key"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    key: str
    statement: str = ""
    kind: str | None = None
    notes: str = ""


class FindingChronology(SQLModel, table=True):
    __tablename__ = "finding_chronology"
    __table_args__ = (UniqueConstraint("finding_id", "chronology_entry_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="finding.id", ondelete="CASCADE", index=True)
    position: int = 0
    chronology_entry_id: int = Field(foreign_key="chronology_entry.id", ondelete="CASCADE")


class FindingInterview(SQLModel, table=True):
    __tablename__ = "finding_interview"
    __table_args__ = (UniqueConstraint("finding_id", "interview_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="finding.id", ondelete="CASCADE", index=True)
    position: int = 0
    interview_id: int = Field(foreign_key="interview.id", ondelete="CASCADE")


class FindingRecord(SQLModel, table=True):
    __tablename__ = "finding_record"
    __table_args__ = (UniqueConstraint("finding_id", "record_examined_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="finding.id", ondelete="CASCADE", index=True)
    position: int = 0
    record_examined_id: int = Field(foreign_key="record_examined.id", ondelete="CASCADE")


class Recommendation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("review_id", "key"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    key: str
    action: str = ""
    owner: str = ""
    due: dt.date | None = None
    outcome: str = ""
    measure: str = ""
    status: str = ""
    impact: str = ""


class RecommendationEvidence(SQLModel, table=True):
    __tablename__ = "recommendation_evidence"
    __table_args__ = (UniqueConstraint("recommendation_id", "chronology_entry_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE", index=True)
    position: int = 0
    chronology_entry_id: int = Field(foreign_key="chronology_entry.id", ondelete="CASCADE")


class RecommendationFinding(SQLModel, table=True):
    __tablename__ = "recommendation_finding"
    __table_args__ = (UniqueConstraint("recommendation_id", "finding_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE", index=True)
    position: int = 0
    finding_id: int = Field(foreign_key="finding.id", ondelete="CASCADE")


class RecommendationProgress(SQLModel, table=True):
    __tablename__ = "recommendation_progress"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE", index=True)
    position: int = 0
    date: dt.date
    note: str = ""


class Escalation(SQLModel, table=True):
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    raised_on: str
    kind: str
    summary: str = ""
    advised_commissioner_on: str | None = local_time()
    action_taken: str = ""


class FamilyContact(SQLModel, table=True):
    """One entry of the bundle's family_involvement_record."""

    __tablename__ = "family_contact"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    date: dt.date
    level: int
    action: str = ""
    notes: str = ""


class FamilyContactMember(SQLModel, table=True):
    __tablename__ = "family_contact_member"
    __table_args__ = (UniqueConstraint("family_contact_id", "family_member_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    family_contact_id: int = Field(foreign_key="family_contact.id", ondelete="CASCADE", index=True)
    position: int = 0
    family_member_id: int = Field(foreign_key="family_member.id", ondelete="CASCADE")


class LimitingFactorsReview(SQLModel, table=True):
    __tablename__ = "limiting_factors_review"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    date: dt.date
    factors: list[str] = text_list()
    notes: str = ""


class ClosingSteps(SQLModel, table=True):
    __tablename__ = "closing_steps"
    review_id: int = review_pk()
    distribution_agreed_on: dt.date | None = None
    distribution_notes: str = ""
    finalised_on: dt.date | None = None
    presented_on: dt.date | None = None
    presented_to: str = ""
    release_decision: str = ""
    release_decided_on: dt.date | None = None
    thanks_sent_on: dt.date | None = None


class ReportDetails(SQLModel, table=True):
    __tablename__ = "report_details"
    review_id: int = review_pk()
    author_date: dt.date | None = None
    production_process: str = ""
    supervision_arrangements: str = ""
    consultation_process: str = ""
    submitted_on: dt.date | None = None
    # The executive summary's parts as the reviewer rewrote them ("" = drawn from the record).
    summary_reason: str = ""
    summary_scope: str = ""
    summary_findings: str = ""
    summary_recommendations: str = ""
    publication_written_on: dt.date | None = None  # the last publication version that passed


class ReportDraft(SQLModel, table=True):
    __tablename__ = "report_draft"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    version: str
    circulated_on: dt.date | None = None
    circulated_to: str = ""
    comments_by: dt.date | None = None
    notes: str = ""
    document: str = ""  # which generated document this draft was
    generated_at: dt.datetime | None = stamp(nullable=True)


class DraftRecipient(SQLModel, table=True):
    __tablename__ = "draft_recipient"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    report_draft_id: int = Field(foreign_key="report_draft.id", ondelete="CASCADE", index=True)
    position: int = 0
    name: str
    sent_on: dt.date | None = None
    comments: str = ""
    resolution: str = ""


class DraftText(SQLModel, table=True):
    """A generated draft as it was written: the id carried in the Word file's custom properties
    (so a returned copy is known whatever it is called) and the text of every paragraph, section
    by section, with each paragraph's run formatting (to find untracked edits in a returned copy;
    the record changes after circulation, so regenerating would not give the same text)."""

    __tablename__ = "draft_text"
    report_draft_id: int = Field(
        foreign_key="report_draft.id", primary_key=True, ondelete="CASCADE"
    )
    file_id: str = Field(index=True)
    sections: list[Any] = text_list()  # [[heading, [[text, formatting], ...]], ...]


class DraftItem(SQLModel, table=True):
    """One thing a recipient did to a returned draft: a comment or reply, a tracked insertion or
    deletion, an untracked edit, or a section's count of formatting-only changes; and how the
    reviewer resolved it ("" while open; accepted, declined or changed, with the reason)."""

    __tablename__ = "draft_item"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    draft_recipient_id: int = Field(
        foreign_key="draft_recipient.id", ondelete="CASCADE", index=True
    )
    position: int = 0
    kind: str  # domain.DRAFT_ITEM_KINDS
    author: str = ""
    made_at: dt.datetime | None = stamp(nullable=True)
    section: str = ""
    anchor: str = ""  # the text a comment is anchored to
    before: str = ""  # the words before the change
    removed: str = ""  # the words taken out (a deletion, an untracked edit)
    added: str = ""  # the words put in, or the comment's text
    after: str = ""  # the words after the change
    comment_ref: str = ""  # a comment's id in the returned file, for threading replies
    reply_to: str = ""  # the comment_ref this comment replies to
    count: int = 0  # formatting-only changes in the section
    fingerprint: str = Field(default="", index=True)  # the same item imported again is skipped
    resolution: str = ""  # "" (open) | domain.DRAFT_RESOLUTIONS
    reason: str = ""
    resolved_at: dt.datetime | None = stamp(nullable=True)


class ChangeEntry(SQLModel, table=True):
    """One change to a review's content (issue 15 item 2): which row (table and id) and field,
    the value before and after, when. Keystroke saves of one field close together are one entry
    (reviewer_tui.history). A change to a signed record carries the reason given for it; a
    restore is its own entry. Goes with its review; never printed in a report."""

    __tablename__ = "change_entry"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    item_table: str
    item_id: int = Field(index=True)
    field: str
    old_value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    new_value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    started_at: dt.datetime = stamp()
    changed_at: dt.datetime = stamp()
    kind: str = "edit"  # edit | restore
    reason: str = ""  # why a signed (agreed, final, confirmed) record was changed


class TimescaleDates(SQLModel, table=True):
    """The dates the kind's timescales run from and the dates each was met (reviewer_tui.timescales:
    seeds 001, 002 and 004). One row per review, made when first needed."""

    __tablename__ = "timescale_dates"
    review_id: int = review_pk()
    incident_known_on: dt.date | None = None  # serious harm or death known or suspected
    notified_on: dt.date | None = None  # the Panel and safeguarding partners notified
    referred_on: dt.date | None = None  # the board told of the case / the referral for review
    decided_on: dt.date | None = None  # the decision to carry out the review
    panel_notified_on: dt.date | None = None  # the national panel told of the decision
    published_on: dt.date | None = None
    action_plan_finalised_on: dt.date | None = None


class DelayEntry(SQLModel, table=True):
    """One line of the delay log: a deadline missed or about to be, why, and the revised date."""

    __tablename__ = "delay_entry"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    deadline: str  # the timescale's key, e.g. "notification"
    label: str = ""  # the deadline as it read when the reason was given
    due: dt.date | None = None  # the date it was due
    reason: str = ""
    revised_due: dt.date | None = None
    recorded_on: dt.date | None = None


class QualityAcceptance(SQLModel, table=True):
    """A weakness the pre-publication check found and the reviewer accepted, with the reason.
    Keyed by the weakness's identity (reviewer_tui.quality), never by its wording."""

    __tablename__ = "quality_acceptance"
    __table_args__ = (UniqueConstraint("review_id", "identity"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = review_fk()
    position: int = 0
    identity: str
    item: str = ""  # what the check said when it was accepted
    reason: str = ""
    accepted_on: dt.date | None = None


class AppSetting(SQLModel, table=True):
    """Small settings of the data folder (backup schedule and the like). Never review text: that
    lives in tables that cascade from their review, so deleting a review deletes all of it."""

    __tablename__ = "app_setting"
    key: str = Field(primary_key=True)
    value: str = ""


# Rows that belong to a review and also point at another row of a review: both ends must be in
# the same review (a finding of one review never cites another review's chronology, an interview
# never has another review's person). (table, how the row belongs to its review: its review_id
# or a foreign key to a row with one, the column pointing at a row of a review). Migration 0003
# enforces each with triggers; the store checks first, to say which row was refused
# (reviewer_tui.validators).
SAME_REVIEW: tuple[tuple[str, str, str], ...] = (
    ("interview", "review_id", "person_id"),
    ("meeting_attendee", "review_id", "person_id"),
    ("meeting_contribution", "review_id", "person_id"),
    ("finding_chronology", "finding_id", "chronology_entry_id"),
    ("finding_interview", "finding_id", "interview_id"),
    ("finding_record", "finding_id", "record_examined_id"),
    ("recommendation_evidence", "recommendation_id", "chronology_entry_id"),
    ("recommendation_finding", "recommendation_id", "finding_id"),
    ("family_contact_member", "family_contact_id", "family_member_id"),
)


def stored_id(row: SQLModel) -> int:
    """The id of a row read from the database. SQLModel types every `id` as `int | None` (None
    only before the first insert); a row that came from a query always has one."""
    value = getattr(row, "id", None)
    if not isinstance(value, int):
        raise ValueError(f"a {type(row).__name__} that was never stored has no id")
    return value
