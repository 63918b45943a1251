"""database -> bundle -> database carries every column of every table (issue "Trust" item 8).

The tables are read from SQLModel.metadata, so a column added later fails this test until the
bundle carries it or NOT_CARRIED says why it need not. Rows are compared by what they mean, not by
row id: a foreign key is compared as the row it points at, a position as the order in its list.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlmodel import select

from reviewer_tui import actions, bundle
from reviewer_tui import chronology as ch
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE

TABLES_WITH_ROW_IDS = (
    "review",
    "agency_code",
    "change_entry",
    "chronology_entry",
    "draft_item",
    "draft_recipient",
    "escalation",
    "family_contact",
    "family_contact_member",
    "family_member",
    "finding",
    "finding_chronology",
    "finding_interview",
    "finding_record",
    "interview",
    "interview_version",
    "limiting_factors_review",
    "meeting_attendee",
    "meeting_contribution",
    "meeting_other_attendee",
    "organisation",
    "other_area",
    "parallel_process",
    "person",
    "previous_employment",
    "recommendation",
    "recommendation_evidence",
    "recommendation_finding",
    "recommendation_progress",
    "record_examined",
    "report_draft",
    "scope_change",
    "delay_entry",
    "quality_acceptance",
)
NOT_CARRIED: dict[str, str] = {
    **{
        f"{table}.id": "row id of this database: the bundle links rows by their bundle ids and "
        "list order, and an import makes new row ids"
        for table in TABLES_WITH_ROW_IDS
    },
    "review.created_at": "when this database's copy was made: an import is a new copy, listed as new",
    "review.updated_at": "when this database's copy last changed: set by every edit here",
    "app_setting.key": "settings of the data folder, not of any review",
    "app_setting.value": "settings of the data folder, not of any review",
}


def tables() -> list[Any]:
    return [t for t in m.SQLModel.metadata.sorted_tables if t.name != "app_setting"]


def model_of(table: Any) -> Any:
    return next(c for c in m.SQLModel.__subclasses__() if getattr(c, "__table__", None) is table)


def owner_column(table: Any) -> Any:
    """The foreign key a row belongs by: the first one (review_id, person_id, finding_id...)."""
    return next(c for c in table.columns if c.foreign_keys)


def review_rows(s: Any, review_id: int) -> dict[str, list[Any]]:
    """Every row of the review, table by table, parents first, each found through its owner."""
    found: dict[str, list[Any]] = {"review": [s.get(m.Review, review_id)]}
    for table in tables()[1:]:
        model, owner = model_of(table), owner_column(table)
        parent = next(iter(owner.foreign_keys)).column.table
        parent_ids = [
            getattr(r, parent.primary_key.columns.values()[0].name) for r in found[parent.name]
        ]
        found[table.name] = list(
            s.exec(select(model).where(getattr(model, owner.name).in_(parent_ids)))
        )
    return found


def canonical(store: Store, review_id: int) -> dict[str, list[str]]:
    """Every row of the review, every column but NOT_CARRIED, a foreign key replaced by what the
    row it points at is (its bundle id, or its owner and place in the list), a position by the
    row's place among its owner's rows."""
    identity: dict[tuple[str, int], Any] = {}
    out: dict[str, list[str]] = {}
    with store.session() as s:
        found = review_rows(s, review_id)
        # the history last: its item_id names a row of any table, compared as what that row is
        for table in sorted(tables(), key=lambda t: t.name == "change_entry"):
            pk = table.primary_key.columns.values()[0].name
            owner = None if table.name == "review" else owner_column(table).name
            groups: dict[Any, list[Any]] = {}
            for row in found[table.name]:
                groups.setdefault(getattr(row, owner) if owner else None, []).append(row)
            rank = {
                getattr(row, pk): place
                for group in groups.values()
                for place, row in enumerate(
                    sorted(group, key=lambda r: (getattr(r, "position", 0), getattr(r, pk)))
                )
            }
            for row in found[table.name]:
                if "key" in table.c:
                    ident: Any = (table.name, row.key)
                elif owner is None or pk == "review_id":
                    ident = (table.name,)
                else:
                    parent = next(iter(table.c[owner].foreign_keys)).column.table.name
                    ident = (
                        table.name,
                        identity[(parent, getattr(row, owner))],
                        rank[getattr(row, pk)],
                    )
                identity[(table.name, getattr(row, pk))] = ident
            values = []
            for row in found[table.name]:
                value = {}
                for column in table.columns:
                    if f"{table.name}.{column.name}" in NOT_CARRIED:
                        continue
                    v = getattr(row, column.name)
                    if column.foreign_keys:
                        v = identity[(next(iter(column.foreign_keys)).column.table.name, v)]
                    elif table.name == "change_entry" and column.name == "item_id":
                        v = identity[(row.item_table, v)]
                    elif column.name == "position":
                        v = rank[getattr(row, pk)]
                    value[column.name] = v
                values.append(repr(sorted(value.items())))
            out[table.name] = sorted(values)
    return out


def unset_columns(store: Store, review_id: int) -> list[str]:
    """table.column names that no row of the review sets to something other than its default."""
    missing = []
    with store.session() as s:
        found = review_rows(s, review_id)
        for table in tables():
            model = model_of(table)
            for column in table.columns:
                name = f"{table.name}.{column.name}"
                if name in NOT_CARRIED or column.primary_key or column.foreign_keys:
                    continue
                field = model.model_fields[column.name]
                default = (
                    None
                    if column.name == "position"
                    else (field.default_factory() if field.default_factory else field.default)
                )
                if not any(
                    getattr(r, column.name) not in (default, None, "", [], {})
                    for r in found[table.name]
                ):
                    missing.append(name)
    return missing


def review_with_every_field_set(store: Store) -> int:
    """The sample review, plus every field the sample leaves empty."""
    rid = bundle.import_file(store, SAMPLE)
    rows = {
        t.name: store.rows(model_of(t), rid)
        for t in tables()
        if "review_id" in t.c and not t.c.review_id.primary_key and "position" in t.c
    }
    store.archive(rid)
    ch.add_agency_code(store, rid, "CAMHS", "Child and adolescent mental health ✓")
    ch.save_draft(
        store,
        rid,
        {
            "when": "03/02/2025 10:15",
            "source": "POL",
            "event": "Typed, not added «»",
            "participation": "PC Ames",
            "outcome": "Referral",
            "issues": "Liaison, Decision",
            "sequence": "2",
            "later": True,
        },
    )
    record = rows["record_examined"][0]
    store.update(
        m.RecordExamined,
        record.id,
        date_read=dt.date(2025, 8, 1),
        notes="Read twice; p. 14 missing",
    )
    entry = rows["chronology_entry"][0]
    store.update(m.ChronologyEntry, entry.id, date_precision="approximate", sequence=3)
    interview = rows["interview"][0]
    store.update(
        m.Interview,
        interview.id,
        supporter_invited=True,
        release_from_duties_agreed=True,
        at_normal_workplace=False,
    )
    from reviewer_tui import history

    with history.changing(reason="The interviewee's comments came after signing"):  # signed
        store.update(m.Interview, interview.id, disagreements="Disputes para 4")
    with store.session() as s:
        s.add(
            m.InterviewVersion(
                interview_id=interview.id,
                position=1,
                source="note taker's laptop",
                data={
                    "notes": "Their copy ✓",
                    "interviewee_comments": "",
                    "briefing": {"confidentiality": True},
                },
                resolved=True,
                received_at=dt.datetime(2025, 9, 2, 14, 5, 7, 123456, tzinfo=dt.UTC),
            )
        )
        s.commit()
    store.update(m.Meeting, rid, next_steps_read_out=["1", "3", "7"])
    store.update(
        m.ReportDetails,
        rid,
        summary_reason="Why, in our words",
        summary_scope="What was looked at",
        summary_findings="- What we found",
        summary_recommendations="- What should change",
    )
    learning = store.get(m.Learning, rid)
    store.update(m.Learning, rid, shared_with_training=[learning.good_practice[0]])
    person = rows["person"][0]
    store.update(m.Person, person.id, home_address="1 Home Street", supporter="Union rep")
    store.update(m.ReportDetails, rid, publication_written_on=dt.date(2025, 10, 20))
    finding = rows["finding"][0]
    store.update(m.Finding, finding.id, notes="Working note")
    with store.session() as s:
        s.add(m.FindingRecord(finding_id=finding.id, position=1, record_examined_id=record.id))
        rec = rows["recommendation"][1]  # rec-2 answers f-2 only
        s.add(m.RecommendationFinding(recommendation_id=rec.id, position=1, finding_id=finding.id))
        s.add(
            m.PreviousEmployment(
                person_id=person.id,
                position=9,
                employer="Westmarsh BC",
                dates="2015-2019",
                posts_held="Social worker",
            )
        )
        s.commit()
    store.update(m.Recommendation, rec.id, impact="Fewer missed visits")
    actions.add_progress_note(store, rec.id, dt.date(2025, 11, 1), "Form drafted")
    escalation = actions.add_escalation(
        store, rid, "safeguarding concern", "2025-08-01T09:30", "Sibling seen hurt"
    )
    store.update(
        m.Escalation,
        escalation,
        advised_commissioner_on="2025-08-01T11:00",
        action_taken="Referral made",
    )
    store.add_row(
        m.LimitingFactorsReview,
        rid,
        date=dt.date(2025, 8, 3),
        factors=["anger_or_distress"],
        notes="Reconsidered",
    )
    store.update(
        m.ClosingSteps,
        rid,
        distribution_agreed_on=dt.date(2025, 10, 1),
        distribution_notes="By post",
        finalised_on=dt.date(2025, 10, 2),
        presented_on=dt.date(2025, 10, 3),
        presented_to="DMT",
        release_decision="Anonymised",
        release_decided_on=dt.date(2025, 10, 4),
        thanks_sent_on=dt.date(2025, 10, 5),
    )
    draft = rows["report_draft"][0]
    store.update(
        m.ReportDraft,
        draft.id,
        document="management-review",
        generated_at=dt.datetime(2025, 9, 22, 8, 0, tzinfo=dt.UTC),
    )
    with store.session() as s:
        s.add(
            m.DraftRecipient(
                report_draft_id=draft.id,
                position=1,
                name="Owen Pritchard, TM",
                sent_on=dt.date(2025, 9, 22),
                comments="Two corrections",
                resolution="Made",
            )
        )
        s.add(
            m.DraftText(
                report_draft_id=draft.id,
                file_id="0f3c9a",
                sections=[["1. Introduction", [["Text as generated ✓", "b=:4|:15"]]]],
            )
        )
        s.flush()
        s.add(
            m.DraftItem(
                draft_recipient_id=recipient_id(s, draft.id),
                position=1,
                kind="comment",
                author="Owen Pritchard",
                made_at=dt.datetime(2025, 9, 30, 9, 0, tzinfo=dt.UTC),
                section="4.3. Ways in which practice can be improved",
                anchor="face to face",
                before="were offered",
                removed="only",
                added="Add the date [x]",
                after="at first.",
                comment_ref="3",
                reply_to="1",
                count=2,
                fingerprint="abc123",
                resolution="declined",
                reason="Not in the record",
                resolved_at=dt.datetime(2025, 10, 1, 8, 0, tzinfo=dt.UTC),
            )
        )
        s.commit()
    # the change history: the edits above made entries (one with a reason); a restore sets its
    # kind
    code = store.rows(m.AgencyCode, rid)[0]
    store.update(m.AgencyCode, code.id, chronology_confirmed_on=dt.date(2025, 8, 20))
    brief = store.review(rid).brief
    store.update(m.Review, rid, brief=brief + " (a passing thought)")
    history.restore(store, history.history_of(store, rid)[0].id)
    assert store.review(rid).brief == brief
    # Issue 16: the timescale dates, a delay log line and an accepted quality item.
    with store.session() as s:
        s.add(
            m.TimescaleDates(
                review_id=rid,
                incident_known_on=dt.date(2025, 3, 3),
                notified_on=dt.date(2025, 3, 7),
                referred_on=dt.date(2025, 3, 10),
                decided_on=dt.date(2025, 4, 1),
                panel_notified_on=dt.date(2025, 4, 10),
                published_on=dt.date(2025, 11, 1),
                action_plan_finalised_on=dt.date(2025, 11, 20),
            )
        )
        s.commit()
    store.add_row(
        m.DelayEntry,
        rid,
        deadline="target",
        label="Target completion",
        due=dt.date(2025, 10, 31),
        reason="Court proceedings",
        revised_due=dt.date(2025, 12, 1),
        recorded_on=dt.date(2025, 10, 20),
    )
    store.add_row(
        m.QualityAcceptance,
        rid,
        identity="recommendation-owner:r-1",
        item="Recommendation without a specific owner. Recommendation 1: no owner.",
        reason="Agreed at the panel",
        accepted_on=dt.date(2025, 10, 21),
    )
    return rid


def recipient_id(s: Any, draft_id: int) -> int:
    return s.exec(
        select(m.DraftRecipient.id).where(m.DraftRecipient.report_draft_id == draft_id)
    ).first()


def test_every_column_of_every_table_goes_through_a_bundle_and_back(
    store: Store, tmp_path: Path
) -> None:
    rid = review_with_every_field_set(store)
    assert unset_columns(store, rid) == []  # the test itself sets every field
    columns = {f"{t.name}.{c.name}" for t in m.SQLModel.metadata.sorted_tables for c in t.columns}
    assert set(NOT_CARRIED) <= columns  # no stale entries

    out = tmp_path / "review.json"
    bundle.export_file(store, rid, out)
    again = bundle.import_file(store, out)

    before, after = canonical(store, rid), canonical(store, again)
    assert {t: (before[t], after[t]) for t in before if after[t] != before[t]} == {}


def test_not_carried_holds_only_row_ids_and_this_databases_own_timestamps() -> None:
    reasons = set(NOT_CARRIED)
    assert reasons == (
        {f"{t}.id" for t in TABLES_WITH_ROW_IDS}
        | {"review.created_at", "review.updated_at", "app_setting.key", "app_setting.value"}
    )
