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
    ReviewKind(
        "internal case review",
        "Internal Case Review",
        "One agency",
        None,
        "Commissioned by an Assistant Director; the report goes back to them.",
    ),
    ReviewKind(
        "management review",
        "Individual Management Review (IMR)",
        "One agency",
        None,
        "One agency's contribution to a wider review, in the Management Review Report format.",
    ),
    ReviewKind(
        "serious case review",
        "Serious Case Review",
        "England",
        6,
        "Aim to complete within six months of initiating it.",
    ),
    ReviewKind(
        "child safeguarding practice review",
        "Local Child Safeguarding Practice Review",
        "England",
        6,
        "Publish no later than six months after the decision to review.",
    ),
    ReviewKind(
        "critical incident review",
        "Critical Incident Review",
        "England",
        None,
        "Below the serious case threshold; same process, not published.",
    ),
    ReviewKind(
        "learning review",
        "Learning Review",
        "England or Scotland",
        None,
        "Below the statutory threshold; same process, not published.",
    ),
    ReviewKind(
        "child practice review (concise)",
        "Child Practice Review (Concise)",
        "Wales",
        6,
        "Usually completed within six months of the referral; action plan within four weeks.",
    ),
    ReviewKind(
        "child practice review (extended)",
        "Child Practice Review (Extended)",
        "Wales",
        6,
        "Two reviewers; usually completed within six months; action plan within four weeks.",
    ),
    ReviewKind(
        "significant case review",
        "Significant Case Review",
        "Scotland",
        None,
        "Initial case review: agencies report within 14 calendar days.",
    ),
    ReviewKind(
        "case management review",
        "Case Management Review",
        "Northern Ireland",
        None,
        "Overview report, executive summary and action plan.",
    ),
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

# What a recipient did to a returned draft (reports/returned.py), and how the reviewer resolved it.
DRAFT_ITEM_KINDS = ("comment", "insertion", "deletion", "edit", "formatting")
DRAFT_RESOLUTIONS = ("accepted", "declined", "changed")

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

# "Serious Case Reviews: Best Practice" section 6: one county's agency codes, shipped only as
# suggestions for the chronology's Source column. A review's register is its own organisations
# (terms of reference) and what the reviewer adds; a code the review defines always wins.
SUGGESTED_AGENCY_CODES: dict[str, str] = {
    "SS&S": "Safeguarding & Specialist Services",
    "CYPS": "Children & Young People's Service",
    "POL": "Police",
    "NUR": "Nursery",
    "CDDFT": "Co Durham & Darlington Foundation NHS Trust",
    "CDPCT": "Co Durham Primary Care Trust",
    "PRO": "Probation",
}


# --- the vocabularies: defined here once, keyed as the bundle schema keys them -----------------
# Seed 003, FORMAT FOR MANAGEMENT REVIEW REPORT section 3: the eleven analysis prompts, in the
# seed's words ("/" read as "or"). Keys are the bundle's `analysis` keys (Analysis columns).
ANALYSIS_PROMPTS: tuple[tuple[str, str], ...] = (
    (
        "practitioners_sensitive_to_needs_and_knowledgeable",
        "Were practitioners sensitive to the needs of the children in their work, knowledgeable about "
        "child development and vulnerability issues and what to do if they had concerns?",
    ),
    (
        "policies_and_procedures_in_place",
        "Did the agency have in place policies and procedures for safeguarding children and acting on "
        "concerns for their welfare?",
    ),
    (
        "key_points_for_assessment_and_decision_making",
        "What were the key points or opportunities for assessment and decision making, and did "
        "assessments and decisions appear to have been reached in an informed and professional way?",
    ),
    (
        "actions_accorded_with_assessments_and_decisions",
        "Did actions accord with assessments and decisions made?",
    ),
    (
        "appropriate_services_offered_or_provided",
        "Were appropriate services offered or provided on the basis of assessments?",
    ),
    (
        "child_protection_or_care_plans_and_reviews",
        "If appropriate, were child protection or care plans in place, with evidence of compliance "
        "with reviewing processes?",
    ),
    (
        "wishes_and_feelings_ascertained_and_recorded",
        "Were the child's wishes and feelings ascertained, and was this information recorded?",
    ),
    (
        "sensitivity_to_racial_cultural_linguistic_religious_identity",
        "Was practice sensitive to the racial, cultural, linguistic and religious identity of the "
        "child and family?",
    ),
    (
        "supervision_and_case_management",
        "Is there evidence of appropriate supervision and case management?",
    ),
    (
        "service_provision_linked_to_capacity_or_resources",
        "Was service provision linked to capacity issues or resources?",
    ),
    (
        "consistency_with_agency_and_lscb_procedures",
        "Was the work consistent with agency and LSCB policy and procedures?",
    ),
)

# Seed 003 section 4: what the individual meeting with the staff member addresses, (a) to (l),
# as (bundle `briefing` key, letter, checklist text). The confirmation letter lists the same.
BRIEFING_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("purpose_and_terms", "a", "Purpose of the review and terms of reference"),
    ("format_and_recording", "b", "Format and recording arrangements for interviews"),
    ("preparation_and_time", "c", "Preparation for the interview and time needed"),
    ("location_away_from_workplace", "d", "Location (e.g. not at the normal place of work)"),
    ("release_from_duties", "e", "Release from usual duties to prepare and take part"),
    ("support_needs", "f", "Support needs (the option of a supporter)"),
    ("interview_purpose_and_expectations", "g", "Purpose of the interview and what is expected"),
    ("access_to_interview_record", "h", "Access to the record of the interview"),
    ("access_to_chronology", "i", "Access to the chronology"),
    ("access_to_reports", "j", "Access to the agency and overview reports"),
    ("outcomes_and_debriefing", "k", "Possible outcomes and debriefing arrangements"),
    ("confidentiality", "l", "Confidentiality (the record may be disclosed later)"),
)
BRIEFING_KEYS = tuple(key for key, _, _ in BRIEFING_ITEMS)


@dataclass(frozen=True)
class SignificanceQuestion:
    key: str  # the bundle's `significance` value
    short: str  # the label on the entry screen's tick box and in the reports
    question: str  # the seed's question, shown under the tick box


# Seed 004 section 10 and Appendix I: the six questions that make an event significant.
SIGNIFICANCE_QUESTIONS: tuple[SignificanceQuestion, ...] = (
    SignificanceQuestion(
        "changed_assessment",
        "Changed (or could have changed) the assessment",
        "Is this event one that changed, or could have changed, the assessment of the situation "
        "for the child?",
    ),
    SignificanceQuestion(
        "indicative_of_pattern",
        "Indicative of a pattern",
        "Is this event symbolic or indicative of a pattern of events that individually would not "
        "otherwise be considered significant?",
    ),
    SignificanceQuestion(
        "statutory_event",
        "A statutory event",
        "Is this a 'statutory' event, e.g. a child protection conference, court hearing or similar?",
    ),
    SignificanceQuestion(
        "significant_to_child",
        "Significant to the child",
        "Would this have been an event that the child perceived as significant in their life?",
    ),
    SignificanceQuestion(
        "significant_to_adult",
        "Significant to a significant adult",
        "Would this have been an event that a significant adult would perceive as significant in "
        "their life or the life of the child?",
    ),
    SignificanceQuestion(
        "learning_point",
        "A learning point for agencies",
        "Has this event got significance as a learning point for agencies?",
    ),
)
SIGNIFICANCE_KEYS = tuple(q.key for q in SIGNIFICANCE_QUESTIONS)
SIGNIFICANCE_BY_KEY = {q.key: q for q in SIGNIFICANCE_QUESTIONS}

# Seed 003 section 5, the PROFILE OF INTERVIEWEE form: (bundle `people` key, the form's label).
PROFILE_ITEMS: tuple[tuple[str, str], ...] = (
    ("full_name", "1. Full name"),
    ("qualifications", "2. Qualifications"),
    ("designation", "3. Designation"),
    ("time_in_post", "4. Time in post"),
    ("employing_body", "5. Employing body"),
    ("employing_address", "6. Employing address"),
    ("home_address", "7. Home address (where appropriate)"),
    ("previous_employment", "8. Previous employment"),
    ("role_in_case", "9. Description of role in relation to this particular case"),
    (
        "training_last_3_years",
        "10. Children in need, child protection or related training received "
        "both within and outside the agency in the last 3 years",
    ),
)
PROFILE_LABELS = dict(PROFILE_ITEMS)


def format_date(day: dt.date | None) -> str:
    return day.strftime("%d %b %Y").lstrip("0") if day else "—"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
