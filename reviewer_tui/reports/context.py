"""The data every report template receives, built from the review's bundle form.

Values are plain strings, numbers, booleans, lists and dicts: the templates print them and the
engine escapes them. Sections with nothing recorded are empty, and templates say
"Not yet recorded." for them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reviewer_tui import domain
from reviewer_tui.actions import LIMITING_FACTORS
from reviewer_tui.genogram import genogram
from reviewer_tui.read_model import NO_ATTENTION, Attention
from reviewer_tui.reports.engine import format_date


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
    if precision == "approximate month":
        return f"about {day:%B %Y}"
    text = format_date(when)
    if precision == "approximate":
        return f"about {text}"
    return text


def _date(value: Any) -> str:
    return format_date(value) if value else ""


def build_context(
    bundle: dict[str, Any],
    *,
    document: str = "",
    publication: bool = False,
    version: str | None = None,
    interview_ids: list[str] | None = None,
    today: dt.date | None = None,
    attention: Attention = NO_ATTENTION,
) -> dict[str, Any]:
    """`attention` is the read model's answer for this review on `today`: which recommendations
    are overdue, records unsigned, escalations not advised and findings flagged (by bundle id, or
    by place for escalations, which have none)."""
    overdue_keys = {o.key for o in attention.overdue}
    unsigned_keys = {u.key for u in attention.unsigned}
    changed_keys = {u.key: u.changed for u in attention.unsigned if u.changed}
    unadvised_numbers = {e.number for e in attention.unadvised}
    flags_by_key = {f.key: f.flags for f in attention.flagged}
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
        interview["unsigned"] = interview["id"] in unsigned_keys
        # "changed after signing" (read_model): the record says so wherever it is printed
        interview["changed_after_signing"] = changed_keys.get(interview["id"], "")
        interview["when"] = format_date(interview.get("scheduled_for", ""))
        briefing = interview.get("briefing") or {}
        # An item never ticked is not done (the interview screen shows it unticked); only a
        # briefing with nothing recorded at all is "not yet recorded".
        interview["briefing_recorded"] = bool(briefing)
        interview["briefing_items"] = [
            {"key": key, "letter": letter, "text": text, "done": bool(briefing.get(key))}
            for key, letter, text in domain.BRIEFING_ITEMS
        ]
        interviews.append(interview)
    times_by_person: dict[str, list[str]] = {}
    for source in bundle.get("interviews", []):
        times_by_person.setdefault(source.get("person_id", ""), []).append(
            format_date(source.get("scheduled_for", ""))
        )
    interviewed = []
    for pid, times in times_by_person.items():
        if pid in person_by_id:
            person = person_by_id[pid]
            person["interviewed_at"] = [t for t in times if t]
            interviewed.append(person)

    entries = bundle.get("chronology", [])
    order = sorted(range(len(entries)), key=lambda n: chronology_key(entries[n], n))
    chronology = []
    for n in order:
        entry = dict(entries[n])
        entry["when_text"] = when_text(entry)
        entry["issues_text"] = ", ".join(entry.get("issues", []))
        entry["significance_text"] = "; ".join(
            domain.SIGNIFICANCE_BY_KEY[k].short if k in domain.SIGNIFICANCE_BY_KEY else k
            for k in entry.get("significance", [])
        )
        chronology.append(entry)
    when_by_id = {e["id"]: e["when_text"] for e in chronology}
    place = {e["id"]: n for n, e in enumerate(chronology)}

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
    analysis = [
        {"key": k, "prompt": p, "text": analysis_in.get(k, "")} for k, p in domain.ANALYSIS_PROMPTS
    ]
    learning = dict(bundle.get("learning", {}))
    implications = learning.get("implications", {})
    shared = list(learning.get("shared_with_training") or [])
    training_points = {
        "good_practice": [p for p in learning.get("good_practice", []) if p in shared],
        "areas_for_development": [
            p for p in learning.get("areas_for_development", []) if p in shared
        ],
    }
    listed = set(training_points["good_practice"]) | set(training_points["areas_for_development"])
    training_points["other"] = [p for p in shared if p not in listed]
    record_by_id = {r.get("id"): r for r in records}
    interview_by_id = {i.get("id"): i for i in bundle.get("interviews", [])}
    findings = []
    for number, source in enumerate(bundle.get("findings", []), start=1):
        finding = {**source, "number": number}
        finding["flags"] = list(flags_by_key.get(source["id"], ()))
        ids = source.get("chronology_ids", [])  # shown in date order, as the appendix has them
        finding["chronology"] = [chronology[n] for n in sorted(place[x] for x in ids if x in place)]
        finding["interviews"] = [
            {
                "person": person_by_id.get(interview_by_id[x].get("person_id", ""), {}),
                "when": format_date(interview_by_id[x].get("scheduled_for", "")),
            }
            for x in source.get("interview_ids", [])
            if x in interview_by_id
        ]
        finding["records"] = [
            record_by_id[x] for x in source.get("record_ids", []) if x in record_by_id
        ]
        findings.append(finding)
    finding_by_id = {f["id"]: f for f in findings}
    # The learning summary's learning for each agency: the findings resting on its entries.
    by_source: dict[str, list[str]] = {}
    for finding in findings:
        for entry in finding["chronology"]:
            statements = by_source.setdefault(entry.get("source", ""), [])
            if finding.get("statement") and finding["statement"] not in statements:
                statements.append(finding["statement"])
    agency_learning = [
        {**org, "findings": by_source.get(org.get("code", ""), []) if org.get("code") else []}
        for org in scope.get("organisations", [])
    ]
    recommendations = []
    for number, source in enumerate(bundle.get("recommendations", []), start=1):
        rec = dict(source)
        rec["number"] = number
        rec["overdue"] = rec.get("id") in overdue_keys
        rec["due_text"] = _date(rec.get("due"))
        rec["evidence_text"] = "; ".join(when_by_id.get(x, "") for x in rec.get("evidence", []))
        rec["findings"] = [
            finding_by_id[f] for f in rec.get("finding_ids", []) if f in finding_by_id
        ]
        rec.setdefault("progress", [])
        # The recorded status, then each dated progress note on its own line.
        lines = [rec["status"]] if rec.get("status") else []
        lines += [f"{_date(p.get('date'))}: {p.get('note', '')}" for p in rec["progress"]]
        rec["status_and_progress"] = "\n".join(lines)
        recommendations.append(rec)

    contacts = []
    for source in bundle.get("family_involvement_record", []):
        contact = dict(source)
        names = [
            member_by_id[x].get("pseudonym" if publication else "name", "")
            for x in contact.get("family_member_ids", [])
            if x in member_by_id
        ]
        contact["who"] = ", ".join(names) or "The family"
        contact["level_text"] = domain.FAMILY_INVOLVEMENT_LEVELS.get(contact.get("level", 0), "")
        contacts.append(contact)

    meeting = dict(bundle.get("meeting", {}))
    meeting["attendee_people"] = [
        person_by_id[a] for a in meeting.get("attendees", []) if a in person_by_id
    ]
    meeting["contributions"] = [
        {**c, "person": person_by_id.get(c.get("person_id", ""), {})}
        for c in meeting.get("contributions", [])
    ]
    meeting.setdefault("other_attendees", [])

    factor_words = dict(LIMITING_FACTORS)
    limiting_factors_reviews = [
        {**r, "factor_words": [factor_words.get(k, k) for k in r.get("factors", [])]}
        for r in bundle.get("limiting_factors_reviews", [])
    ]

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
            scope.get("family_involvement_level") or 0, ""
        ),
        "records_available": [r for r in records if r.get("available") is not False],
        "records_unavailable": [r for r in records if r.get("available") is False],
        "family_summary": family.get("summary", ""),
        "family_members": members,
        "genogram": genogram(members),
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
        "training_points": training_points,
        "agency_learning": agency_learning,
        "recommendations": recommendations,
        "escalations": [
            {**e, "unadvised": number in unadvised_numbers}
            for number, e in enumerate(bundle.get("escalations", []), start=1)
        ],
        "attention": attention.counts(),
        "family_contacts": contacts,
        "limiting_factors_reviews": limiting_factors_reviews,
        "closing_steps": bundle.get("closing_steps", {}),
        "report": report,
        "author_date": _date(report.get("author_date")),
        "profile_items": domain.PROFILE_ITEMS,
        "briefing_items": domain.BRIEFING_ITEMS,
    }
