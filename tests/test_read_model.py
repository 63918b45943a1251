"""The read model (issue "One way to do each thing", item 2): each attention rule tested once
here at its boundaries, and the workspace, the review list and the reports showing the same counts
for a review built to hit each rule. Screens open no database connection themselves."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from textual.widgets import DataTable, Static

from reviewer_tui import actions, findings, read_model, records
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.reports import documents
from tests.conftest import FIXED_TODAY, REPO, make_app
from tests.test_user_text_markup import shown

YESTERDAY = FIXED_TODAY - dt.timedelta(days=1)


# --- each rule once, at its boundaries ----------------------------------------------------------
def test_overdue_means_due_before_today_and_not_done() -> None:
    assert read_model.is_overdue(YESTERDAY, "In progress", FIXED_TODAY)
    assert not read_model.is_overdue(FIXED_TODAY, "In progress", FIXED_TODAY)  # due today: not yet
    assert not read_model.is_overdue(YESTERDAY, "Completed – released 2 May", FIXED_TODAY)
    assert read_model.is_overdue(YESTERDAY, "In progress – completion expected May", FIXED_TODAY)
    assert read_model.is_overdue(YESTERDAY, "", FIXED_TODAY)
    assert not read_model.is_overdue(None, "", FIXED_TODAY)


def test_unsigned_until_both_have_signed() -> None:
    assert read_model.is_unsigned(None, None)
    assert read_model.is_unsigned(True, None)  # signed by the interviewee only
    assert read_model.is_unsigned(False, True)  # signed by the interviewer only
    assert not read_model.is_unsigned(True, True)


def test_not_advised_while_the_date_is_blank() -> None:
    assert read_model.is_unadvised("")
    assert read_model.is_unadvised("   ")
    assert read_model.is_unadvised(None)
    assert not read_model.is_unadvised("2025-08-02")


def test_flagged_for_evidence_unless_something_was_recorded_at_the_time() -> None:
    e = findings.Evidence
    assert read_model.evidence_flags([]) == (read_model.NO_EVIDENCE,)
    assert read_model.evidence_flags([e("interview", 1, "")]) == (read_model.ONLY_ACCOUNTS,)
    assert read_model.evidence_flags([e("chronology", 1, "", True), e("interview", 1, "")]) == (
        read_model.LEARNED_LATER,
    )
    assert read_model.evidence_flags([e("chronology", 1, "", False)]) == ()
    assert read_model.evidence_flags([e("record", 1, "")]) == ()


# --- a review built to hit each rule ------------------------------------------------------------
EXPECTED = {"overdue": 1, "unsigned": 2, "unadvised": 1, "flagged": 2}


def build(store) -> int:  # noqa: ANN001
    """One of each rule's cases either side of its boundary; EXPECTED counts what is hit."""
    rid = store.create_review("Child Q", "serious case review", "concern")
    for action, due, status in (
        ("Late action", YESTERDAY, "In progress"),
        ("Due today", FIXED_TODAY, "Agreed – not started"),
        ("Done late", YESTERDAY, "Completed"),
        ("No date", None, ""),
    ):
        rec = actions.add_recommendation(store, rid, action=action, owner="Head of Service")
        store.update(m.Recommendation, rec, due=due, status=status)
    person = iv.add_person(store, rid, "Ann Able")
    for when, by_them, by_us in (
        ("2025-08-10T10:00", True, None),
        ("2025-08-11T10:00", None, True),
        ("2025-08-12T10:00", True, True),
    ):
        row = iv.add_interview(store, rid, person.id, scheduled_for=when)
        store.update(
            m.Interview, row.id, signed_by_interviewee=by_them, signed_by_interviewer=by_us
        )
    actions.add_escalation(store, rid, "safeguarding concern", "2025-08-01", "Told nobody yet")
    advised = actions.add_escalation(store, rid, "conduct or capability issue", "2025-08-01")
    actions.update_escalation(store, advised, "advised_commissioner_on", "2025-08-02")
    findings.add_finding(store, rid, "Nothing linked")
    accounts = findings.add_finding(store, rid, "Interviews only")
    findings.link(store, accounts, "interview", store.rows(m.Interview, rid)[0].id)
    grounded = findings.add_finding(store, rid, "Rests on a record")
    findings.link(store, grounded, "record", records.add_record(store, rid, "Case file").id)
    return rid


def test_the_read_model_counts_each_rule(folder, store) -> None:  # noqa: ANN001
    rid = build(store)
    other = store.create_review("Child P", "serious case review", "concern")
    with read_model.reading(folder) as conn:
        found = read_model.review_attention(conn, rid, FIXED_TODAY)
        everyone = read_model.attention(conn, FIXED_TODAY)
    assert found.counts() == EXPECTED
    assert everyone[rid] == found and other not in everyone
    assert [o.action for o in found.overdue] == ["Late action"] and found.overdue[0].days == 1
    assert [u.state for u in found.unsigned] == [
        "signed by the interviewee only",
        "signed by the interviewer only",
    ]
    assert [e.summary for e in found.unadvised] == ["Told nobody yet"]
    assert [(f.number, f.statement) for f in found.flagged] == [
        (1, "Nothing linked"),
        (2, "Interviews only"),
    ]


async def test_workspace_review_list_and_reports_agree(folder, store) -> None:  # noqa: ANN001
    rid = build(store)
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        listed = shown(app)
        assert "1 escalation not yet advised" in listed
        assert "1 recommendation overdue" in listed
        assert "2 records not yet signed" in listed
        assert "2 findings flagged (evidence)" in listed
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "WorkspaceScreen"
        stages = app.screen.query_one("#stages", DataTable)
        summary = {
            key: str(stages.get_row(key)[1])
            for key in ("recommendations", "interviews", "escalations", "analysis")
        }
        assert summary["recommendations"].endswith(", 1 OVERDUE")
        assert summary["interviews"].endswith(", 2 records not yet signed")
        assert summary["escalations"] == "2 raised, 1 NOT YET ADVISED"
        assert summary["analysis"] == "3 findings, 2 flagged (evidence)"
        alerts = str(app.screen.query_one("#alerts", Static).render())
        assert alerts.count("⚠ Escalation") == 1
        assert alerts.count("✎ Interview record not yet signed") == 2
        assert alerts.count("Recommendation OVERDUE by 1 day:") == 1
    # The reports read the same rules.
    plan = documents.render_markdown(store, rid, "action-plan", today=FIXED_TODAY)
    assert plan.count("OVERDUE") == 1 + EXPECTED["overdue"]  # the count line and the row
    assert "1 of 4 recommendations OVERDUE" in plan
    written = documents.render_markdown(store, rid, "written-review", today=FIXED_TODAY)
    assert written.count("Commissioner advised: not yet") == EXPECTED["unadvised"]


def test_the_report_context_carries_the_rules(folder, store) -> None:  # noqa: ANN001
    from reviewer_tui.reports.context import build_context

    rid = build(store)
    with read_model.reading(folder) as conn:
        found = read_model.review_attention(conn, rid, FIXED_TODAY)
    context = build_context(documents.review_data(store, rid), attention=found, today=FIXED_TODAY)
    assert context["attention"] == EXPECTED
    assert sum(r["overdue"] for r in context["recommendations"]) == EXPECTED["overdue"]
    assert sum(i["unsigned"] for i in context["interviews"]) == EXPECTED["unsigned"]
    assert sum(e["unadvised"] for e in context["escalations"]) == EXPECTED["unadvised"]
    assert sum(bool(f["flags"]) for f in context["findings"]) == EXPECTED["flagged"]


def test_a_due_date_of_today_is_not_overdue_until_tomorrow(folder, store) -> None:  # noqa: ANN001
    rid = store.create_review("Child S", "serious case review", "concern")
    rec = actions.add_recommendation(store, rid, action="Today")
    store.update(m.Recommendation, rec, due=FIXED_TODAY)
    with read_model.reading(folder) as conn:
        assert not read_model.review_attention(conn, rid, FIXED_TODAY).overdue
        tomorrow = read_model.review_attention(conn, rid, FIXED_TODAY + dt.timedelta(days=1))
    assert [o.days for o in tomorrow.overdue] == [1]


def test_evidence_from_another_review_counts_nowhere(folder, store) -> None:  # noqa: ANN001
    """The findings screen ignores a link into another review; the workspace's count once did
    not (its own SQL copy of the rule). Both now read the one rule and agree."""
    import sqlite3

    import pytest

    from reviewer_tui import chronology

    rid = store.create_review("Child A", "serious case review", "concern")
    other = store.create_review("Child B", "serious case review", "concern")
    fid = findings.add_finding(store, rid, "Rests on another review's entry")
    entry = chronology.add_entry(store, other, "2025-03-01", event="Seen at home").id
    with read_model.reading(folder) as conn:
        try:
            conn.execute(
                "INSERT INTO finding_chronology "
                "(finding_id, position, chronology_entry_id) VALUES (?, 0, ?)",
                (fid, entry),
            )
        except sqlite3.IntegrityError:
            pytest.skip("the schema itself refuses a link into another review")
        counted = findings.flagged_count(conn, rid)
    assert [v.flagged for v in findings.findings(store, rid)] == [True]
    assert counted == 1


# --- screens open no connection -----------------------------------------------------------------
FORBIDDEN = re.compile(r"\bconnect\(|\bSession\(|create_engine|\.engine\(|\.session\(")


def test_no_screen_opens_a_database_connection() -> None:
    found = []
    for path in sorted(Path(REPO, "screens").glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if FORBIDDEN.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []


# --- cost does not grow with the chronology (issue 14) -----------------------------------------
def _steps(conn, read) -> int:  # noqa: ANN001
    """SQLite virtual-machine steps (in thousands) that `read` takes: its work, not its time."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    conn.set_progress_handler(count, 1000)
    try:
        read()
    finally:
        conn.set_progress_handler(None, 0)
    return steps[0]


def _grow_chronology(conn, rid: int, entry: int, times: int) -> None:  # noqa: ANN001
    """`times` more copies of chronology entry `entry` in review `rid` (each its own key)."""
    columns = [
        row[1]
        for row in conn.execute("PRAGMA table_info(chronology_entry)")
        if row[1] not in ("id", "key")
    ]
    names = ", ".join(f'"{c}"' for c in columns)
    (start,) = conn.execute("SELECT max(id) FROM chronology_entry").fetchone()
    with conn:
        for n in range(times):
            conn.execute(
                f"INSERT INTO chronology_entry (key, {names}) "
                f"SELECT ?, {names} FROM chronology_entry WHERE id = ?",
                (f"grown-{start + n}", entry),
            )


def test_flagged_findings_read_only_the_linked_entries(folder, store) -> None:  # noqa: ANN001
    """The workspace, the review list and the quality check read the flags on every refresh:
    the query walks findings -> links -> entries, so twenty times the chronology costs about
    the same (SQLite once walked every entry per finding: 140 ms on the large review)."""
    from reviewer_tui import chronology

    rid = store.create_review("Child Q", "serious case review", "concern")
    entry = chronology.add_entry(store, rid, "2025-03-01", event="Seen at home").id
    for n in range(5):
        fid = findings.add_finding(store, rid, f"Finding {n}")
        findings.link(store, fid, "chronology", entry)
    findings.add_finding(store, rid, "Nothing linked")
    with read_model.reading(folder) as conn:
        _grow_chronology(conn, rid, entry, 200)
        small = _steps(conn, lambda: read_model.flagged_findings(conn, rid))
        _grow_chronology(conn, rid, entry, 4000)
        large = _steps(conn, lambda: read_model.flagged_findings(conn, rid))
        found = read_model.flagged_findings(conn, rid)[rid]
    assert [f.statement for f in found] == ["Nothing linked"]
    assert large <= 2 * small + 5, (small, large)


async def test_the_workspace_reads_its_review_once_per_showing(folder, store, monkeypatch) -> None:  # noqa: ANN001
    """Opening the workspace read the whole review three times (mount, first showing, first
    resize), each read growing with the review; now once, again when shown again after a stage
    screen, and never for a resize (the table is laid out again from the last read)."""
    from reviewer_tui.screens.workspace import WorkspaceScreen

    rid = build(store)
    reads: list[int] = []
    real = read_model.review_state

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(read_model, "review_state", counted)
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        await app.push_screen(WorkspaceScreen(rid))
        await pilot.pause()
        workspace = app.screen
        assert isinstance(workspace, WorkspaceScreen) and len(reads) == 1
        await pilot.resize_terminal(100, 50)
        await pilot.pause()
        assert len(reads) == 1
        assert "3 findings, 2 flagged" in str(
            workspace.query_one("#stages", DataTable).get_row("analysis")[1]
        )
        await pilot.press("f")  # the findings stage, then back
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        assert app.screen is workspace and len(reads) == 2
