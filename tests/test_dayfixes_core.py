"""Issue 13 items 5-8, the core rules: an approximate month keeps its approximation, dates to
check (one rule each, in the read model), stage summaries that say what the record says, the
agency register and the exports folder."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from reviewer_tui import bundle, dates, read_model
from reviewer_tui import chronology as ch
from reviewer_tui import models as m
from reviewer_tui.reviews import Store

TODAY = dt.date(2025, 9, 1)


# --- item 6: dates --------------------------------------------------------------------------
def test_an_approximate_month_keeps_its_approximation(store: Store, tmp_path: Path) -> None:
    when = dates.parse("c. May 2024", TODAY)
    assert when == dates.When("2024-05-01", "approximate month")
    assert when.display() == "c. May 2024"
    assert dates.parse(dates.edit_text(when.when, when.precision), TODAY) == when
    rid = store.create_review("t", "internal case review", "concern")
    ch.add_entry(store, rid, when.when, when.precision, event="Seen at home")
    target = tmp_path / "c.csv"
    ch.export_csv(store, rid, target)
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert rows[1][0] == "c. May 2024" and rows[1][7] == "approximate month"
    out = tmp_path / "b.json"
    assert bundle.export_file(store, rid, out)["chronology"][0]["date_precision"] == (
        "approximate month"
    )
    again = bundle.import_file(store, out)
    copy = ch.entries(store, again)[0]
    assert dates.display_when(copy.when, copy.date_precision) == "c. May 2024"


def test_dates_to_check_are_accepted_and_marked(folder, store: Store) -> None:  # noqa: ANN001
    from reviewer_tui import interviews as iv

    rid = store.create_review("t", "internal case review", "concern")
    store.update(m.Scope, rid, period_from=dt.date(2023, 12, 15), period_to=dt.date(2024, 12, 31))
    for when, event in (
        ("2024-05-03", "Inside"),
        ("2026-01-01", "Future"),
        ("2023-06-30", "Before"),
        ("2025-03-01", "After"),
        ("2023-12-01", "Month touching the period"),
    ):
        ch.add_entry(
            store, rid, when, "month" if "Month" in event else None, event=event, source="X"
        )
    person = iv.add_person(store, rid, "Ann Able")
    store.update(
        m.Person,
        person.id,
        training_last_3_years=[
            "Child protection level 3, March 2021",
            "Working Together 2021 refresher, June 2024",
            "No date given",
        ],
    )
    row = iv.add_interview(store, rid, person.id, scheduled_for="2025-08-10T10:00")
    store.update(m.Interview, row.id, interviewee_signed_on=dt.date(2025, 8, 9))
    with read_model.reading(folder) as conn:
        found = read_model.review_attention(conn, rid, TODAY)
    lines = [d.line for d in found.dates]
    assert lines == [
        "Chronology 'Before': 30 Jun 2023 is before the review's period (from 15 Dec 2023)",
        "Chronology 'After': 1 Mar 2025 is after the review's period (to 31 Dec 2024)",
        "Chronology 'Future': 1 Jan 2026 is in the future",
        "Profile of Ann Able: training dated more than 3 years back: "
        "Child protection level 3, March 2021",
        "Interview record of Ann Able: signed on 9 Aug 2025, before the interview on 10 Aug 2025",
    ]
    assert "5 dates to check" in found.phrases()
    # Everything was stored as typed: warned, never refused.
    assert len(ch.entries(store, rid)) == 5


def test_rules_for_dates_one_each() -> None:
    assert read_model.chronology_date_problem("2025-09-01", TODAY) is None
    assert read_model.chronology_date_problem("2025-09-02T09:00", TODAY) == (
        "2 Sep 2025 09:00 is in the future"
    )
    assert read_model.training_date_problem("Level 3, 2 September 2022", TODAY) is None
    assert read_model.training_date_problem("Level 3, 31 August 2022", TODAY)
    assert read_model.signed_before_interview(None, dt.date(2020, 1, 1)) is None
    assert read_model.signed_before_interview("2025-01-02T10:00", "2025-01-02") is None


# --- item 5: what the workspace says --------------------------------------------------------
def statuses(folder, rid: int) -> dict[str, str]:  # noqa: ANN001
    state = read_model.review_state(folder, rid, TODAY)
    return {s.key: s.summary for s in state.stages}


def test_stage_summaries_say_what_the_record_says(folder, store: Store, tmp_path: Path) -> None:  # noqa: ANN001
    from reviewer_tui import interviews as iv
    from reviewer_tui.reports import documents

    rid = store.create_review("t", "internal case review", "concern")
    store.update(
        m.Meeting,
        rid,
        held_on="2025-08-01T10:00",
        location="Room 2",
        worries_discussed="w",
        could_have_done_differently="c",
        did_well="d",
        learnt="l",
        recommendations_suggested="r",
    )
    assert statuses(folder, rid)["meeting"] == "7 of 9 items, 0 attendees, 0 contributions"
    store.add_row(m.ReportDraft, rid, version="1", document="report")
    sent = store.add_row(m.ReportDraft, rid, version="2", document="report")
    assert statuses(folder, rid)["report"] == "2 drafts, 0 circulated"
    store.update(m.ReportDraft, sent.id, circulated_on=dt.date(2025, 8, 2))
    assert statuses(folder, rid)["report"] == "2 drafts, 1 circulated"
    assert statuses(folder, rid)["publication"] == "not started"
    store.update(m.Review, rid, child_name="Ann Example", child_pseudonym="Child A")
    documents.generate(
        store, rid, "management-review", tmp_path / "p.docx", publication=True, today=TODAY
    )
    assert statuses(folder, rid)["publication"] == "publication version written 1 Sep 2025"

    person = iv.add_person(store, rid, "Ann Able")
    iv.add_interview(store, rid, person.id, scheduled_for="2026-12-15T09:30")
    held = iv.add_interview(store, rid, person.id, scheduled_for="2025-08-15T09:30")
    with read_model.reading(folder) as conn:
        found = read_model.review_attention(conn, rid, TODAY)
    assert [u.line for u in found.unsigned] == ["Ann Able, 15 Aug 2025 09:30: not yet held"]
    assert statuses(folder, rid)["interviews"] == (
        "1 person, 2 interviews, 1 record not yet signed"
    )
    store.update(m.Interview, held.id, signed_by_interviewee=True, signed_by_interviewer=True)
    assert statuses(folder, rid)["interviews"] == "1 person, 2 interviews"


# --- item 7: the agency register ------------------------------------------------------------
def test_the_register_is_the_reviews_own_organisations(store: Store) -> None:
    rid = store.create_review("t", "internal case review", "concern")
    store.add_row(m.Organisation, rid, name="Health visiting service", code="NUR")
    store.add_row(m.Organisation, rid, name="Police Scotland", code="PS")
    register = {a.code: a.name for a in ch.ensure_agency_codes(store, rid)}
    assert register == {"NUR": "Health visiting service", "PS": "Police Scotland"}
    # The shipped examples are suggestions: one added by hand takes its suggested name, and
    # stays, used or not.
    assert ch.add_agency_code(store, rid, "POL").name == "Police"
    assert "POL" in {a.code for a in ch.ensure_agency_codes(store, rid)}


def test_a_register_prefilled_by_an_earlier_version_gives_way(store: Store) -> None:
    from reviewer_tui import domain

    rid = store.create_review("t", "internal case review", "concern")
    for code, name in domain.SUGGESTED_AGENCY_CODES.items():
        store.add_row(m.AgencyCode, rid, code=code, name=name)
    ch.add_entry(store, rid, "2024-01-01", None, event="Seen", source="CYPS")
    store.add_row(m.Organisation, rid, name="Health visiting service", code="NUR")
    register = {a.code: a.name for a in ch.ensure_agency_codes(store, rid)}
    assert register == {
        "CYPS": "Children & Young People's Service",  # used in the chronology: kept
        "NUR": "Health visiting service",  # the review's own definition wins
    }


def test_dates_to_check_finds_in_sql_what_the_rule_finds_entry_by_entry(
    folder,
    store: Store,  # noqa: ANN001
) -> None:
    """The read of the dates to check leaves to SQLite (through the chronology's index) the
    entries whose day is plainly fine; what it finds is exactly what the rule says entry by
    entry, on every side of each boundary, with and without a time, month-only or not."""
    rid = store.create_review("t", "internal case review", "concern")
    start, end = dt.date(2024, 1, 10), dt.date(2024, 12, 20)
    store.update(m.Scope, rid, period_from=start, period_to=end)
    one = dt.timedelta(days=1)
    days = [start - one, start, start + one, end - one, end, end + one, TODAY, TODAY + one]
    days += [dt.date(2023, 12, 31), dt.date(2024, 1, 31)]  # months that touch the period
    written = []
    for day in days:
        for time in ("", "T00:00", "T23:59:59"):
            for precision in (None, "month"):
                if precision and time:
                    continue
                when = day.isoformat() + time
                ch.add_entry(store, rid, when, precision, event=f"{when} {precision}", source="X")
                written.append((when, precision))
    expected = []
    for entry in ch.entries(store, rid):
        problem = read_model.chronology_date_problem(
            entry.when, TODAY, start, end, entry.date_precision
        )
        if problem:
            expected.append((entry.id, problem))
    with read_model.reading(folder) as conn:
        found = read_model.dates_to_check(conn, TODAY, rid)[rid]
    assert sorted((d.row_id, d.problem) for d in found) == sorted(expected)
    assert len(expected) > len(written) // 3  # the boundaries were crossed, both ways
