"""The data every report template receives, built from the review's bundle form.

Values are plain strings, numbers, booleans, lists and dicts: the templates print them and the
engine escapes them. Sections with nothing recorded are empty, and templates say
"Not yet recorded." for them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reviewer_tui import domain
from reviewer_tui.reports.engine import format_date

# Seed 003, FORMAT FOR MANAGEMENT REVIEW REPORT, section 3: the eleven prompts.
ANALYSIS_PROMPTS: tuple[tuple[str, str], ...] = (
    ("practitioners_sensitive_to_needs_and_knowledgeable",
     "Were practitioners sensitive to the needs of the children in their work, knowledgeable about "
     "child development and vulnerability issues and what to do if they had concerns?"),
    ("policies_and_procedures_in_place",
     "Did the agency have in place policies and procedures for safeguarding children and acting on "
     "concerns for their welfare?"),
    ("key_points_for_assessment_and_decision_making",
     "What were the key points or opportunities for assessment and decision making, and did "
     "assessments and decisions appear to have been reached in an informed and professional way?"),
    ("actions_accorded_with_assessments_and_decisions",
     "Did actions accord with assessments and decisions made?"),
    ("appropriate_services_offered_or_provided",
     "Were appropriate services offered or provided on the basis of assessments?"),
    ("child_protection_or_care_plans_and_reviews",
     "If appropriate, were child protection or care plans in place, with evidence of compliance "
     "with reviewing processes?"),
    ("wishes_and_feelings_ascertained_and_recorded",
     "Were the child's wishes and feelings ascertained, and was this information recorded?"),
    ("sensitivity_to_racial_cultural_linguistic_religious_identity",
     "Was practice sensitive to the racial, cultural, linguistic and religious identity of the "
     "child and family?"),
    ("supervision_and_case_management",
     "Is there evidence of appropriate supervision and case management?"),
    ("service_provision_linked_to_capacity_or_resources",
     "Was service provision linked to capacity issues or resources?"),
    ("consistency_with_agency_and_lscb_procedures",
     "Was the work consistent with agency and safeguarding partnership policy and procedures?"),
)

# Seed 003 section 4, items (a)-(l) of the interview briefing.
BRIEFING_ITEMS: tuple[tuple[str, str], ...] = (
    ("purpose_and_terms", "the purpose and terms of reference of the review"),
    ("format_and_recording", "the format of the interview and how it will be recorded"),
    ("preparation_and_time", "the preparation needed and the time the interview will take"),
    ("location_away_from_workplace", "the location, away from your normal place of work"),
    ("release_from_duties", "release from your duties to attend"),
    ("support_needs", "any support you need, including bringing a supporter"),
    ("interview_purpose_and_expectations", "the purpose of the interview and what is expected of you"),
    ("access_to_interview_record", "your access to the record of the interview"),
    ("access_to_chronology", "your access to the chronology"),
    ("access_to_reports", "your access to the agency and overview reports"),
    ("outcomes_and_debriefing", "the possible outcomes of the review and debriefing"),
    ("confidentiality", "confidentiality"),
)

SIGNIFICANCE_QUESTIONS: dict[str, str] = {
    "changed_assessment": "Changed the assessment of risk or need",
    "indicative_of_pattern": "Indicative of a pattern",
    "statutory_event": "A statutory event",
    "significant_to_child": "Significant to the child",
    "significant_to_adult": "Significant to an adult",
    "learning_point": "A learning point",
}

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
    ("training_last_3_years", "10. Children in need, child protection or related training received "
                              "within and outside the agency in the last 3 years"),
)


def chronology_key(entry: dict[str, Any], position: int) -> tuple[Any, ...]:
    """(date, sequence or 0, time or start of day, position): bundle README "Dates and times"."""
    when = entry.get("when", "")
    day, _, time = when.partition("T")
    return (day, entry.get("sequence") or 0, time or "", position)


def when_text(entry: dict[str, Any]) -> str:
    when = entry.get("when", "")
    precision = entry.get("date_precision")
    try:
        day = dt.date.fromisoformat(when[:10])
    except ValueError:
        return when
    if precision == "month":
        return f"{day:%B %Y}"
    text = format_date(when)
    if precision == "approximate":
        return f"about {text}"
    return text


def _date(value: Any) -> str:
    return format_date(value) if value else ""


def build_context(bundle: dict[str, Any], *, document: str = "", publication: bool = False,
                  version: str | None = None, interview_ids: list[str] | None = None,
                  today: dt.date | None = None) -> dict[str, Any]:
    review = dict(bundle.get("review", {}))
    scope = dict(bundle.get("scope", {}))
    people = [dict(p) for p in bundle.get("people", [])]
    person_by_id = {p["id"]: p for p in people}
    for person in people:
        person.setdefault("previous_employment", [])
        person.setdefault("training_last_3_years", [])
        person["name"] = person.get("full_name", "")
        if publication:
            person["home_address"] = ""

    interviews = []
    for source in bundle.get("interviews", []):
        interview = dict(source)
        if interview_ids and interview["id"] not in interview_ids:
            continue
        interview["person"] = person_by_id.get(interview.get("person_id", ""), {})
        interview["when"] = format_date(interview.get("scheduled_for", ""))
        interview["briefing_items"] = [
            {"key": key, "text": text, "done": bool(interview.get("briefing", {}).get(key))}
            for key, text in BRIEFING_ITEMS
        ]
        interviews.append(interview)
    interviewed_ids = [i.get("person_id") for i in bundle.get("interviews", [])]
    interviewed = [person_by_id[pid] for pid in dict.fromkeys(interviewed_ids) if pid in person_by_id]

    entries = bundle.get("chronology", [])
    order = sorted(range(len(entries)), key=lambda n: chronology_key(entries[n], n))
    chronology = []
    for n in order:
        entry = dict(entries[n])
        entry["when_text"] = when_text(entry)
        entry["issues_text"] = ", ".join(entry.get("issues", []))
        entry["significance_text"] = "; ".join(
            SIGNIFICANCE_QUESTIONS.get(k, k) for k in entry.get("significance", []))
        chronology.append(entry)
    when_by_id = {e["id"]: e["when_text"] for e in chronology}

    records = bundle.get("records_examined", [])
    family = dict(bundle.get("family", {}))
    members = [dict(m) for m in family.get("members", [])]
    member_by_id = {m["id"]: m for m in members}
    for member in members:
        member.setdefault("also_known_as", [])
        if publication:
            member["date_of_birth"] = ""
            member["address"] = ""
            member["also_known_as"] = []

    analysis_in = bundle.get("analysis", {})
    analysis = [{"key": k, "prompt": p, "text": analysis_in.get(k, "")} for k, p in ANALYSIS_PROMPTS]
    learning = dict(bundle.get("learning", {}))
    implications = learning.get("implications", {})
    findings = bundle.get("findings", [])
    finding_by_id = {f["id"]: f for f in findings}
    recommendations = []
    for number, source in enumerate(bundle.get("recommendations", []), start=1):
        rec = dict(source)
        rec["number"] = number
        rec["due_text"] = _date(rec.get("due"))
        rec["evidence_text"] = "; ".join(when_by_id.get(x, "") for x in rec.get("evidence", []))
        rec["findings"] = [finding_by_id[f] for f in rec.get("finding_ids", []) if f in finding_by_id]
        rec.setdefault("progress", [])
        recommendations.append(rec)

    contacts = []
    for source in bundle.get("family_involvement_record", []):
        contact = dict(source)
        names = [member_by_id[x].get("pseudonym" if publication else "name", "")
                 for x in contact.get("family_member_ids", []) if x in member_by_id]
        contact["who"] = ", ".join(names) or "The family"
        contact["level_text"] = domain.FAMILY_INVOLVEMENT_LEVELS.get(contact.get("level", 0), "")
        contacts.append(contact)

    meeting = dict(bundle.get("meeting", {}))
    meeting["attendee_people"] = [person_by_id[a] for a in meeting.get("attendees", [])
                                  if a in person_by_id]
    meeting["contributions"] = [
        {**c, "person": person_by_id.get(c.get("person_id", ""), {})}
        for c in meeting.get("contributions", [])
    ]
    meeting.setdefault("other_attendees", [])

    report = dict(bundle.get("report", {}))
    commissioner = review.get("commissioner", {})
    lead = review.get("lead_reviewer", {})
    child = review.get("child_pseudonym", "") if publication else review.get("child_name", "")
    kind = domain.kind_name(review.get("review_type", ""))
    today = today or dt.date.today()
    return {
        "document": document,
        "publication": publication,
        "draft": version is not None,
        "version": version or "",
        "generated_on": format_date(today),
        "review": review,
        "kind_name": kind,
        "criterion": review.get("criterion", ""),
        "child": child or review.get("child_pseudonym", "") or review.get("child_name", ""),
        "agency": review.get("agency", ""),
        "commissioner": commissioner,
        "lead_reviewer": lead,
        "preliminary_questions": review.get("preliminary_questions", []),
        "scope": scope,
        "key_issues": scope.get("key_issues", []),
        "organisations": scope.get("organisations", []),
        "parallel_processes": scope.get("parallel_processes", []),
        "other_areas": scope.get("other_areas", []),
        "scope_changes": scope.get("scope_changes", []),
        "family_level_text": domain.FAMILY_INVOLVEMENT_LEVELS.get(
            scope.get("family_involvement_level") or 0, ""),
        "records_available": [r for r in records if r.get("available") is not False],
        "records_unavailable": [r for r in records if r.get("available") is False],
        "family_summary": family.get("summary", ""),
        "family_members": members,
        "chronology": chronology,
        "significant_events": [e for e in chronology if e.get("significant")],
        "people": people,
        "interviewed": interviewed,
        "interviews": interviews,
        "meeting": meeting,
        "analysis": analysis,
        "learning": learning,
        "good_practice": learning.get("good_practice", []),
        "areas_for_development": learning.get("areas_for_development", []),
        "implications": implications,
        "findings": findings,
        "recommendations": recommendations,
        "escalations": bundle.get("escalations", []),
        "family_contacts": contacts,
        "limiting_factors_reviews": bundle.get("limiting_factors_reviews", []),
        "closing_steps": bundle.get("closing_steps", {}),
        "report": report,
        "author_date": _date(report.get("author_date")),
        "profile_items": PROFILE_ITEMS,
        "briefing_items": BRIEFING_ITEMS,
    }
