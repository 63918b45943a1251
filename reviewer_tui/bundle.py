"""Review bundle import and export (../shared/bundle/README.md).

Two schemas: bundle_schema_v1.json is the shared version 1 exactly, and bundle_schema.json is the
app's schema version 2 ("schema_version": 2), version 1 plus every field the app stores that
version 1 has no place for, so an export holds the whole review. A file without schema_version
is read strictly as version 1. Export always writes schema version 2.

Import: strict parse, JSON Schema, references, then everything in one transaction or nothing.
Export: the same content back, sections and keys in schema order, ids unchanged, validated
before the file is written. Text is copied, never interpreted.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from reviewer_tui import history, userfile, validators
from reviewer_tui import models as m
from reviewer_tui.errors import BundleError, InputError, UserFileError
from reviewer_tui.reviews import Store, check_value
from reviewer_tui.storage import write_atomically


# --- reading ---------------------------------------------------------------------------------
def parse(raw: bytes) -> Any:
    """Parse strictly through the one reader of user files (reviewer_tui.userfile): UTF-8 only,
    no byte-order mark, no repeated keys, no NaN or Infinity, no deep nesting, and only numbers
    SQLite can store."""
    try:
        return userfile.parse_json(raw)
    except UserFileError as exc:
        raise BundleError([f"({exc.kind}): {exc}"]) from None


SCHEMA_VERSION = 2


@cache
def _schema_file(name: str) -> dict[str, Any]:
    return json.loads(resources.files("reviewer_tui").joinpath(name).read_text("utf-8"))


def schema() -> dict[str, Any]:
    """The app's schema (version 1 plus the app's fields), which every export follows."""
    return _schema_file("bundle_schema.json")


def _schema_name_for(bundle: Any) -> str:
    """The schema a file is checked against: version 1 exactly unless it says schema_version."""
    if isinstance(bundle, dict) and "schema_version" in bundle:
        return "bundle_schema.json"
    return "bundle_schema_v1.json"


@cache
def _validator(name: str) -> Any:
    """A validator of schema file `name` with each $ref replaced by what it names (the schemas
    hold no cycles): following a $ref was half the time of checking a bundle, 3.9 s of CPU for
    the large review's against 2.0 s. The messages are the same, as the keywords are."""
    from jsonschema import Draft202012Validator, FormatChecker

    root = _schema_file(name)
    definitions = root.get("$defs", {})

    def inlined(node: Any) -> Any:
        if isinstance(node, list):
            return [inlined(item) for item in node]
        if not isinstance(node, dict):
            return node
        found = {key: inlined(value) for key, value in node.items() if key not in ("$ref", "$defs")}
        if "$ref" not in node:
            return found
        # Only what the inlining keeps exact: a name in $defs, and notes beside it (a rule beside
        # it would replace the named schema's rule of the same keyword instead of adding to it).
        ref, notes = node["$ref"], {"description", "title"}
        if not ref.startswith("#/$defs/") or ref.count("/") != 2 or set(found) - notes:
            raise ValueError(f"{name}: cannot inline {node!r}")
        return {**inlined(definitions[ref.removeprefix("#/$defs/")]), **found}

    return Draft202012Validator(inlined(root), format_checker=FormatChecker())


def _json_path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def schema_problems(bundle: Any) -> list[str]:
    version = bundle.get("schema_version") if isinstance(bundle, dict) else None
    if (
        type(version) is int and version > SCHEMA_VERSION
    ):  # its new fields would each be "not allowed"
        return [
            f"schema_version: this bundle was written by a newer version of reviewer-tui "
            f"(schema_version {version}; this version reads up to {SCHEMA_VERSION}). Install the "
            f"newer version to import it."
        ]
    validator = _validator(_schema_name_for(bundle))
    problems = []
    for error in sorted(
        validator.iter_errors(bundle), key=lambda e: [str(p) for p in e.absolute_path]
    ):
        detail = error.message
        if error.context:
            detail += " [" + "; ".join(sorted({c.message for c in error.context})) + "]"
        problems.append(f"{_json_path(error.absolute_path)}: {detail}")
    return problems


ID_LISTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "family.members": lambda b: (b.get("family") or {}).get("members"),
    "chronology": lambda b: b.get("chronology"),
    "people": lambda b: b.get("people"),
    "interviews": lambda b: b.get("interviews"),
    "recommendations": lambda b: b.get("recommendations"),
    "records_examined": lambda b: b.get("records_examined"),
    "findings": lambda b: b.get("findings"),
}


def reference_problems(bundle: dict[str, Any]) -> list[str]:
    """What the schema cannot check: unique ids, references that resolve, real local times."""
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    codes: dict[str, int] = {}
    for i, agency in enumerate(bundle.get("agency_codes") or []):
        if agency["code"] in codes:
            problems.append(
                f"agency_codes[{i}].code: {agency['code']!r} is already used by "
                f"agency_codes[{codes[agency['code']]}]"
            )
        codes.setdefault(agency["code"], i)
    accepted: dict[str, int] = {}
    for i, item in enumerate(bundle.get("accepted_quality_items") or []):
        if item["identity"] in accepted:
            problems.append(
                f"accepted_quality_items[{i}].identity: {item['identity']!r} is already "
                f"accepted by accepted_quality_items[{accepted[item['identity']]}]"
            )
        accepted.setdefault(item["identity"], i)
    for name, get in ID_LISTS.items():
        seen: dict[str, int] = {}
        for i, item in enumerate(get(bundle) or []):
            if item["id"] in seen:
                problems.append(
                    f"{name}[{i}].id: {item['id']!r} is already used by {name}[{seen[item['id']]}]"
                )
            else:
                seen[item["id"]] = i
        ids[name] = set(seen)

    def ref(path: str, value: str, target: str, what: str) -> None:
        if value not in ids[target]:
            problems.append(f"{path}: {value!r} does not match any {target}[].id ({what})")

    for i, interview in enumerate(bundle.get("interviews") or []):
        ref(f"interviews[{i}].person_id", interview["person_id"], "people", "the interviewee")
    meeting = bundle.get("meeting") or {}
    for i, pid in enumerate(meeting.get("attendees") or []):
        ref(f"meeting.attendees[{i}]", pid, "people", "a meeting attendee")
    for i, contribution in enumerate(meeting.get("contributions") or []):
        ref(
            f"meeting.contributions[{i}].person_id",
            contribution["person_id"],
            "people",
            "a meeting participant",
        )
    for i, contact in enumerate(bundle.get("family_involvement_record") or []):
        for j, fid in enumerate(contact.get("family_member_ids") or []):
            ref(
                f"family_involvement_record[{i}].family_member_ids[{j}]",
                fid,
                "family.members",
                "a family member",
            )
    for i, rec in enumerate(bundle.get("recommendations") or []):
        for j, cid in enumerate(rec.get("evidence") or []):
            ref(f"recommendations[{i}].evidence[{j}]", cid, "chronology", "a chronology entry")
        for j, fid in enumerate(rec.get("finding_ids") or []):
            ref(f"recommendations[{i}].finding_ids[{j}]", fid, "findings", "a finding")
    for i, finding in enumerate(bundle.get("findings") or []):
        for key, target, what in (
            ("chronology_ids", "chronology", "a chronology entry"),
            ("interview_ids", "interviews", "an interview"),
            ("record_ids", "records_examined", "a record examined"),
        ):
            for j, value in enumerate(finding.get(key) or []):
                ref(f"findings[{i}].{key}[{j}]", value, target, what)

    def real_time(path: str, value: Any) -> None:
        if isinstance(value, str) and "T" in value:
            try:
                dt.datetime.fromisoformat(value)
            except ValueError as exc:
                problems.append(f"{path}: {value!r} is not a real date and time ({exc})")

    real_time("exported_at", bundle.get("exported_at"))
    real_time("review.archived_at", (bundle.get("review") or {}).get("archived_at"))
    for i, interview in enumerate(bundle.get("interviews") or []):
        for j, version in enumerate(interview.get("versions") or []):
            real_time(f"interviews[{i}].versions[{j}].received_at", version.get("received_at"))
    for i, draft in enumerate((bundle.get("report") or {}).get("drafts") or []):
        real_time(f"report.drafts[{i}].generated_at", draft.get("generated_at"))
        for j, recipient in enumerate(draft.get("recipients") or []):
            for k, item in enumerate(recipient.get("items") or []):
                where = f"report.drafts[{i}].recipients[{j}].items[{k}]"
                real_time(f"{where}.made_at", item.get("made_at"))
                real_time(f"{where}.resolved_at", item.get("resolved_at"))
    for i, entry in enumerate(bundle.get("chronology") or []):
        real_time(f"chronology[{i}].when", entry.get("when"))
    for i, interview in enumerate(bundle.get("interviews") or []):
        real_time(f"interviews[{i}].scheduled_for", interview.get("scheduled_for"))
    real_time("meeting.held_on", meeting.get("held_on"))
    for i, esc in enumerate(bundle.get("escalations") or []):
        real_time(f"escalations[{i}].raised_on", esc.get("raised_on"))
        real_time(f"escalations[{i}].advised_commissioner_on", esc.get("advised_commissioner_on"))
    return problems


def text_problems(value: Any, path: str = "") -> list[str]:
    """Strings that cannot be stored (lone surrogates from \\ud800-style escapes)."""
    if isinstance(value, str):
        try:
            check_value(value, "text")
        except ValueError as exc:
            return [f"{path or '(top level)'}: {exc}"]
        return []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in text_problems(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in text_problems(v, f"{path}[{i}]")]
    return []


def validate(bundle: Any) -> None:
    problems = schema_problems(bundle)
    if not problems:
        problems = reference_problems(bundle) + text_problems(bundle)
    if problems:
        raise BundleError(problems)


def load(path: Path) -> dict[str, Any]:
    try:
        raw = userfile.read_limited(Path(path), "a review bundle")
    except UserFileError as exc:
        raise BundleError([f"({exc.kind}): {exc}"]) from None
    bundle = parse(raw)
    validate(bundle)
    return bundle


# --- importing ------------------------------------------------------------------------------
def _columns(model: type[Any]) -> dict[str, Any]:
    return {c.name: c.type for c in model.__table__.columns}


def _to_column(value: Any, column_type: Any) -> Any:
    from sqlalchemy import Date

    if isinstance(column_type, Date) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(column_type, m.UTCDateTime) and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


def _row(model: type[Any], data: dict[str, Any], **extra: Any) -> Any:
    """A model row from the bundle keys that are its columns (names match by design), checked
    by the same validators as every other write; a refusal names the row."""
    columns = _columns(model)
    values = {k: _to_column(v, columns[k]) for k, v in data.items() if k in columns and k != "id"}
    try:
        values = validators.check_values(model.__tablename__, values)
    except InputError as exc:
        where = data.get("id") or f"#{extra.get('position', 0) + 1}"
        raise BundleError([f"{model.__tablename__} {where}: {exc}"]) from None
    return model(**values, **extra)


def _flatten(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {f"{prefix}_{k}": v for k, v in (data.get(prefix) or {}).items()}


def import_bundle(store: Store, bundle: dict[str, Any]) -> int:
    """Store a validated bundle as a new review, in one transaction. Returns the review id."""
    with store.session() as s:
        review_data = dict(bundle["review"])
        review_data.update(_flatten(review_data, "commissioner"))
        review_data.update(_flatten(review_data, "lead_reviewer"))
        review = _row(
            m.Review, review_data, family_summary=(bundle.get("family") or {}).get("summary", "")
        )
        s.add(review)
        s.flush()
        rid = review.id

        scope = dict(bundle.get("scope") or {})
        scope.update(_flatten(scope, "outside_expert"))
        s.add(_row(m.Scope, scope, review_id=rid))
        for model, items in (
            (m.Organisation, scope.get("organisations")),
            (m.ParallelProcess, scope.get("parallel_processes")),
            (m.OtherArea, scope.get("other_areas")),
            (m.ScopeChange, scope.get("scope_changes")),
            (m.LimitingFactorsReview, bundle.get("limiting_factors_reviews")),
            (m.Escalation, bundle.get("escalations")),
        ):
            for pos, item in enumerate(items or []):
                s.add(_row(model, item, review_id=rid, position=pos))

        def keyed(model: type[Any], items: list[dict[str, Any]] | None) -> dict[str, Any]:
            rows = {}
            for pos, item in enumerate(items or []):
                row = _row(model, item, review_id=rid, position=pos, key=item["id"])
                s.add(row)
                rows[item["id"]] = row
            s.flush()
            return rows

        for pos, item in enumerate(bundle.get("agency_codes") or []):
            s.add(_row(m.AgencyCode, item, review_id=rid, position=pos))
        if bundle.get("chronology_quick_entry"):
            s.add(_row(m.ChronologyQuickEntry, bundle["chronology_quick_entry"], review_id=rid))
        records = keyed(m.RecordExamined, bundle.get("records_examined"))
        members = keyed(m.FamilyMember, (bundle.get("family") or {}).get("members"))
        chronology = keyed(m.ChronologyEntry, bundle.get("chronology"))
        people = keyed(m.Person, bundle.get("people"))
        for pid, person in people.items():
            source = next(p for p in bundle["people"] if p["id"] == pid)
            for pos, job in enumerate(source.get("previous_employment") or []):
                s.add(_row(m.PreviousEmployment, job, person_id=person.id, position=pos))

        interviews = {}
        for pos, item in enumerate(bundle.get("interviews") or []):
            row = _row(m.Interview, item, review_id=rid, position=pos, key=item["id"])
            row.person_id = people[item["person_id"]].id
            s.add(row)
            interviews[item["id"]] = row
        s.flush()
        for item in bundle.get("interviews") or []:
            for pos, version in enumerate(item.get("versions") or []):
                s.add(
                    _row(
                        m.InterviewVersion,
                        version,
                        interview_id=interviews[item["id"]].id,
                        position=pos,
                    )
                )

        meeting = bundle.get("meeting") or {}
        s.add(_row(m.Meeting, meeting, review_id=rid))
        for pos, pid in enumerate(meeting.get("attendees") or []):
            s.add(m.MeetingAttendee(review_id=rid, position=pos, person_id=people[pid].id))
        for pos, other in enumerate(meeting.get("other_attendees") or []):
            s.add(_row(m.MeetingOtherAttendee, other, review_id=rid, position=pos))
        for pos, c in enumerate(meeting.get("contributions") or []):
            row = _row(m.MeetingContribution, c, review_id=rid, position=pos)
            row.person_id = people[c["person_id"]].id
            s.add(row)

        s.add(_row(m.Analysis, bundle.get("analysis") or {}, review_id=rid))
        learning = dict(bundle.get("learning") or {})
        learning.update(learning.get("implications") or {})
        s.add(_row(m.Learning, learning, review_id=rid))

        findings = keyed(m.Finding, bundle.get("findings"))
        for item in bundle.get("findings") or []:
            fid = findings[item["id"]].id
            for pos, key in enumerate(item.get("chronology_ids") or []):
                s.add(
                    m.FindingChronology(
                        finding_id=fid, position=pos, chronology_entry_id=chronology[key].id
                    )
                )
            for pos, key in enumerate(item.get("interview_ids") or []):
                s.add(
                    m.FindingInterview(
                        finding_id=fid, position=pos, interview_id=interviews[key].id
                    )
                )
            for pos, key in enumerate(item.get("record_ids") or []):
                s.add(
                    m.FindingRecord(
                        finding_id=fid, position=pos, record_examined_id=records[key].id
                    )
                )

        recommendations = keyed(m.Recommendation, bundle.get("recommendations"))
        for item in bundle.get("recommendations") or []:
            rec_id = recommendations[item["id"]].id
            for pos, key in enumerate(item.get("evidence") or []):
                s.add(
                    m.RecommendationEvidence(
                        recommendation_id=rec_id,
                        position=pos,
                        chronology_entry_id=chronology[key].id,
                    )
                )
            for pos, key in enumerate(item.get("finding_ids") or []):
                s.add(
                    m.RecommendationFinding(
                        recommendation_id=rec_id, position=pos, finding_id=findings[key].id
                    )
                )
            for pos, note in enumerate(item.get("progress") or []):
                s.add(_row(m.RecommendationProgress, note, recommendation_id=rec_id, position=pos))

        for pos, item in enumerate(bundle.get("family_involvement_record") or []):
            contact = _row(m.FamilyContact, item, review_id=rid, position=pos)
            s.add(contact)
            s.flush()
            for mpos, key in enumerate(item.get("family_member_ids") or []):
                s.add(
                    m.FamilyContactMember(
                        family_contact_id=contact.id,
                        position=mpos,
                        family_member_id=members[key].id,
                    )
                )

        s.add(_row(m.ClosingSteps, bundle.get("closing_steps") or {}, review_id=rid))
        report = bundle.get("report") or {}
        s.add(_row(m.ReportDetails, report, review_id=rid))
        for pos, item in enumerate(report.get("drafts") or []):
            draft = _row(m.ReportDraft, item, review_id=rid, position=pos)
            s.add(draft)
            s.flush()
            if item.get("file_id"):
                s.add(
                    m.DraftText(
                        report_draft_id=draft.id,
                        file_id=item["file_id"],
                        sections=item.get("sections") or [],
                    )
                )
            for rpos, recipient in enumerate(item.get("recipients") or []):
                holder = _row(m.DraftRecipient, recipient, report_draft_id=draft.id, position=rpos)
                s.add(holder)
                s.flush()
                for ipos, returned in enumerate(recipient.get("items") or []):
                    s.add(_row(m.DraftItem, returned, draft_recipient_id=holder.id, position=ipos))
        if bundle.get("timescales"):
            s.add(_row(m.TimescaleDates, bundle["timescales"], review_id=rid))
        for pos, item in enumerate(bundle.get("delay_log") or []):
            s.add(_row(m.DelayEntry, item, review_id=rid, position=pos))
        for pos, item in enumerate(bundle.get("accepted_quality_items") or []):
            s.add(_row(m.QualityAcceptance, item, review_id=rid, position=pos))
        s.flush()
        history.add_bundle_entries(s.connection(), rid, bundle.get("change_history"))
        s.commit()
        assert rid is not None
        return rid


def import_file(store: Store, path: Path) -> int:
    return import_bundle(store, load(path))


# --- exporting ------------------------------------------------------------------------------
def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _obj(row: Any, *skip: str, **extra: Any) -> dict[str, Any]:
    """The row's bundle keys, leaving out empty optional fields (bundle README rule 5)."""
    internal = {
        "id",
        "review_id",
        "position",
        "key",
        "person_id",
        "recommendation_id",
        "finding_id",
        "report_draft_id",
        "family_contact_id",
        "interview_id",
        *skip,
    }
    out = {"id": row.key} if hasattr(row, "key") else {}
    for name in _columns(type(row)):
        if name not in internal and not _is_empty(getattr(row, name)):
            out[name] = _value(getattr(row, name))
    out.update({k: v for k, v in extra.items() if not _is_empty(v)})
    return out


def _nest(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Fold prefix_key columns back into a nested object (commissioner_name -> commissioner.name)."""
    nested = {k[len(prefix) + 1 :]: data.pop(k) for k in list(data) if k.startswith(prefix + "_")}
    if nested:
        data[prefix] = nested
    return data


def export_bundle(
    store: Store, review_id: int, exported_at: dt.datetime | None = None
) -> dict[str, Any]:
    from sqlmodel import select

    def rows(s: Any, model: type[Any], **where: Any) -> list[Any]:
        statement = select(model)
        for column, value in where.items():
            statement = statement.where(getattr(model, column) == value)
        return list(s.exec(statement.order_by(model.position)))

    with store.session() as s:
        review = s.get(m.Review, review_id)
        if review is None:
            raise BundleError([f"(review): there is no review with id {review_id}"])
        rid = review_id
        stamp = (exported_at or dt.datetime.now()).replace(microsecond=0, tzinfo=None)
        out: dict[str, Any] = {
            "format": "review-bundle",
            "version": 1,
            "schema_version": SCHEMA_VERSION,
            "exported_at": stamp.isoformat(),
        }
        # created_at and updated_at belong to this database's copy: an import is a new copy.
        review_obj = _obj(review, "created_at", "updated_at", "family_summary")
        out["review"] = _nest(_nest(review_obj, "commissioner"), "lead_reviewer")

        scope = _nest(_obj(s.get(m.Scope, rid)), "outside_expert")
        for key, model in (
            ("organisations", m.Organisation),
            ("parallel_processes", m.ParallelProcess),
            ("other_areas", m.OtherArea),
            ("scope_changes", m.ScopeChange),
        ):
            items = [_obj(r) for r in rows(s, model, review_id=rid)]
            if items:
                scope[key] = items
        out["scope"] = scope

        key_of: dict[tuple[type[Any], int], str] = {}

        def keyed(model: type[Any]) -> list[Any]:
            items = rows(s, model, review_id=rid)
            key_of.update({(model, r.id): r.key for r in items})
            return items

        records = keyed(m.RecordExamined)
        out["records_examined"] = [_obj(r) for r in records]
        members = keyed(m.FamilyMember)
        out["family"] = {"summary": review.family_summary, "members": [_obj(r) for r in members]}
        out["agency_codes"] = [_obj(a) for a in rows(s, m.AgencyCode, review_id=rid)]
        out["chronology"] = [_obj(r) for r in keyed(m.ChronologyEntry)]
        quick_entry = s.get(m.ChronologyQuickEntry, rid)
        if quick_entry is not None:
            out["chronology_quick_entry"] = _obj(quick_entry)
        out["people"] = [
            _obj(
                p,
                previous_employment=[
                    _obj(j) for j in rows(s, m.PreviousEmployment, person_id=p.id)
                ],
            )
            for p in keyed(m.Person)
        ]
        out["interviews"] = [
            _obj(
                i,
                person_id=key_of[(m.Person, i.person_id)],
                versions=[
                    {**_obj(v, "data"), "data": v.data}
                    for v in rows(s, m.InterviewVersion, interview_id=i.id)
                ],
            )
            for i in keyed(m.Interview)
        ]

        meeting = _obj(s.get(m.Meeting, rid))
        meeting["attendees"] = [
            key_of[(m.Person, a.person_id)] for a in rows(s, m.MeetingAttendee, review_id=rid)
        ]
        meeting["other_attendees"] = [
            _obj(o) for o in rows(s, m.MeetingOtherAttendee, review_id=rid)
        ]
        meeting["contributions"] = [
            {"person_id": key_of[(m.Person, c.person_id)], **_obj(c)}
            for c in rows(s, m.MeetingContribution, review_id=rid)
        ]
        out["meeting"] = meeting
        out["analysis"] = _obj(s.get(m.Analysis, rid))
        learning = _obj(s.get(m.Learning, rid))
        implications = {
            k: learning.pop(k)
            for k in ("training", "management_and_supervision", "partnership", "resources")
            if k in learning
        }
        out["learning"] = {**learning, "implications": implications}

        findings = keyed(m.Finding)
        out["findings"] = [
            _obj(
                f,
                chronology_ids=[
                    key_of[(m.ChronologyEntry, x.chronology_entry_id)]
                    for x in rows(s, m.FindingChronology, finding_id=f.id)
                ],
                interview_ids=[
                    key_of[(m.Interview, x.interview_id)]
                    for x in rows(s, m.FindingInterview, finding_id=f.id)
                ],
                record_ids=[
                    key_of[(m.RecordExamined, x.record_examined_id)]
                    for x in rows(s, m.FindingRecord, finding_id=f.id)
                ],
            )
            for f in findings
        ]
        out["recommendations"] = [
            _obj(
                r,
                evidence=[
                    key_of[(m.ChronologyEntry, x.chronology_entry_id)]
                    for x in rows(s, m.RecommendationEvidence, recommendation_id=r.id)
                ],
                finding_ids=[
                    key_of[(m.Finding, x.finding_id)]
                    for x in rows(s, m.RecommendationFinding, recommendation_id=r.id)
                ],
                progress=[
                    _obj(p) for p in rows(s, m.RecommendationProgress, recommendation_id=r.id)
                ],
            )
            for r in keyed(m.Recommendation)
        ]
        out["escalations"] = [_obj(e) for e in rows(s, m.Escalation, review_id=rid)]
        out["family_involvement_record"] = [
            _obj(
                c,
                family_member_ids=[
                    key_of[(m.FamilyMember, x.family_member_id)]
                    for x in rows(s, m.FamilyContactMember, family_contact_id=c.id)
                ],
            )
            for c in rows(s, m.FamilyContact, review_id=rid)
        ]
        out["limiting_factors_reviews"] = [
            {**_obj(r), "factors": r.factors}
            for r in rows(s, m.LimitingFactorsReview, review_id=rid)
        ]
        out["closing_steps"] = _obj(s.get(m.ClosingSteps, rid))
        report = _obj(s.get(m.ReportDetails, rid))
        report["drafts"] = []
        for d in rows(s, m.ReportDraft, review_id=rid):
            text = s.get(m.DraftText, d.id)
            recipients = [
                _obj(
                    x,
                    items=[
                        _obj(i, "draft_recipient_id")
                        for i in rows(s, m.DraftItem, draft_recipient_id=x.id)
                    ],
                )
                for x in rows(s, m.DraftRecipient, report_draft_id=d.id)
            ]
            report["drafts"].append(
                _obj(
                    d,
                    recipients=recipients,
                    file_id=text.file_id if text else "",
                    sections=text.sections if text else [],
                )
            )
        out["report"] = report
        out["change_history"] = history.bundle_entries(s.connection(), rid)
        dates = s.get(m.TimescaleDates, rid)
        out["timescales"] = _obj(dates) if dates is not None else {}
        out["delay_log"] = [_obj(d) for d in rows(s, m.DelayEntry, review_id=rid)]
        out["accepted_quality_items"] = [
            _obj(a) for a in rows(s, m.QualityAcceptance, review_id=rid)
        ]
    return _in_schema_order(_prune(out), schema())


def _prune(value: Any) -> Any:
    """Drop empty optional objects and lists, so a just-commissioned review exports minimally.
    A kept interview copy's `data`, and a change's `old` and `new` values, are copied whole:
    there an empty value means "emptied"."""
    whole = ("data", "old", "new")
    if isinstance(value, dict):
        pruned = {k: v if k in whole else _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if not _is_empty(v) or k in ("factors", *whole)}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def _plain_text(sub: dict[str, Any]) -> bool:
    """True when any string, "" included, is valid here (no pattern, format, enum or minimum)."""
    root = schema()
    while "$ref" in sub:
        sub = root["$defs"][sub["$ref"].removeprefix("#/$defs/")]
    return sub.get("type") == "string" and not (
        {"pattern", "format", "enum", "minLength"} & sub.keys()
    )


def _in_schema_order(value: Any, sub: dict[str, Any]) -> Any:
    root = schema()
    while "$ref" in sub:
        sub = root["$defs"][sub["$ref"].removeprefix("#/$defs/")]
    if isinstance(value, dict) and "properties" in sub:
        props = sub["properties"]
        # A required free-text field left empty in the app (a new finding's statement, a
        # progress note's note) was pruned as empty: it goes back as "" so the file stays valid.
        value = {
            **{k: "" for k in sub.get("required", ()) if k not in value and _plain_text(props[k])},
            **value,
        }
        return {k: _in_schema_order(value[k], props[k]) for k in props if k in value}
    if isinstance(value, list) and "items" in sub:
        return [_in_schema_order(v, sub["items"]) for v in value]
    return value


def dumps(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"


def export_file(store: Store, review_id: int, target: Path) -> dict[str, Any]:
    bundle = export_bundle(store, review_id)
    validate(bundle)  # never report success for a file we would refuse
    text = dumps(bundle)
    write_atomically(Path(target), lambda handle: handle.write(text.encode("utf-8")))
    return bundle
