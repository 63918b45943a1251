"""Rules in the core: every rule a screen used to check is applied by the store on every write,
so a screen, the CLI and a bundle import refuse the same value with the same message."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reviewer_tui import bundle, history
from reviewer_tui import models as m
from reviewer_tui.errors import BundleError, InputError
from reviewer_tui.reviews import Store, list_reviews
from tests.conftest import REPO, SAMPLE


@pytest.fixture
def sample(store: Store) -> int:
    return bundle.import_file(store, SAMPLE)


def first(store: Store, model: type[Any], review_id: int) -> Any:
    return store.rows(model, review_id)[0]


def progress_note(store: Store, review_id: int) -> Any:
    from sqlmodel import select

    with store.session() as s:
        return s.exec(select(m.RecommendationProgress)).first()


REFUSED = [  # model, column, value, the message the screen shows
    (m.FamilyContact, "date", None, "A contact needs its date."),
    (m.FamilyContact, "level", None, "A contact needs its level."),
    (
        m.FamilyContact,
        "level",
        11,
        "The level is a step of the family involvement ladder, 1 to 10.",
    ),
    (
        m.Scope,
        "family_involvement_level",
        0,
        "The level is a step of the family involvement ladder, 1 to 10.",
    ),
    (m.LimitingFactorsReview, "date", None, "A reconsideration needs its date."),
    (m.RecommendationProgress, "date", None, "A progress note needs its date."),
    (m.MeetingOtherAttendee, "name", "   ", "An attendee needs a name (delete the row instead)."),
    (m.Interview, "duration_minutes", 0, "The length is between 1 and 1440 minutes."),
    (m.Interview, "duration_minutes", 1441, "The length is between 1 and 1440 minutes."),
    (m.Interview, "duration_minutes", "ninety", "The length is a whole number of minutes."),
    (m.ChronologyEntry, "sequence", "first", "The sequence is a whole number: 0, 1, 2..."),
    (m.ChronologyEntry, "sequence", -1, "The sequence is a whole number: 0, 1, 2..."),
]


def row_of(store: Store, model: type[Any], review_id: int) -> Any:
    if model is m.Scope:
        return store.get(m.Scope, review_id)
    if model is m.RecommendationProgress:
        return progress_note(store, review_id)
    return first(store, model, review_id)


@pytest.mark.parametrize(
    ("model", "column", "value", "message"),
    REFUSED,
    ids=[f"{r[0].__name__}.{r[1]}={r[2]!r}" for r in REFUSED],
)
def test_the_store_refuses_what_the_screen_refused(
    store: Store, sample: int, model: type[Any], column: str, value: Any, message: str
) -> None:
    row = row_of(store, model, sample)
    before = getattr(row, column)
    with pytest.raises(InputError) as refused:
        store.update(model, row.id if model is not m.Scope else sample, **{column: value})
    assert str(refused.value) == message
    assert getattr(row_of(store, model, sample), column) == before  # nothing was stored


def test_typed_numbers_are_stored_as_numbers(store: Store, sample: int) -> None:
    interview = first(store, m.Interview, sample)
    with history.changing(reason="the validator test edits the signed record"):
        store.update(m.Interview, interview.id, duration_minutes=" 90 ")
        assert store.get(m.Interview, interview.id).duration_minutes == 90
        store.update(m.Interview, interview.id, duration_minutes="")
    assert store.get(m.Interview, interview.id).duration_minutes is None
    entry = first(store, m.ChronologyEntry, sample)
    store.update(m.ChronologyEntry, entry.id, sequence="3")
    assert store.get(m.ChronologyEntry, entry.id).sequence == 3


def test_a_new_row_is_checked_too(store: Store, sample: int) -> None:
    with pytest.raises(InputError, match=re.escape("An attendee needs a name (delete the row")):
        store.add_row(m.MeetingOtherAttendee, sample, name=" ", role="Supporter")
    assert [r.role for r in store.rows(m.MeetingOtherAttendee, sample)].count("Supporter") == 0


def test_an_old_value_does_not_block_other_edits(store: Store, sample: int) -> None:
    """Only the columns being changed are checked on an existing row."""
    entry = first(store, m.ChronologyEntry, sample)
    store.update(m.ChronologyEntry, entry.id, event="Visit recorded")
    assert store.get(m.ChronologyEntry, entry.id).event == "Visit recorded"


BUNDLE_REFUSED = [  # where in the bundle, the value, the message
    (("interviews", 0, "duration_minutes"), 2000, "The length is between 1 and 1440 minutes."),
    (
        ("meeting", "other_attendees", 0, "name"),
        "  ",
        "An attendee needs a name (delete the row instead).",
    ),
]


@pytest.mark.parametrize(
    ("where", "value", "message"), BUNDLE_REFUSED, ids=[r[0][-1] for r in BUNDLE_REFUSED]
)
def test_a_bundle_import_gets_the_same_answer(
    store: Store, folder: Any, where: tuple[Any, ...], value: Any, message: str
) -> None:
    data = copy.deepcopy(bundle.load(SAMPLE))
    target = data
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    bundle.validate(data)  # the schema alone lets it through
    with pytest.raises(BundleError) as refused:
        bundle.import_bundle(store, data)
    assert any(problem.endswith(message) for problem in refused.value.problems)
    conn = folder.connect()
    try:
        assert list_reviews(conn) == []  # nothing of it was stored
    finally:
        conn.close()


def test_the_cli_import_refuses_with_the_same_message(tmp_path: Path) -> None:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["interviews"][0]["duration_minutes"] = 2000
    source = tmp_path / "long.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reviewer_tui",
            "--data-dir",
            str(tmp_path / "data"),
            "import",
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert "nothing was imported" in result.stderr
    assert "The length is between 1 and 1440 minutes." in result.stderr
    assert "Traceback" not in result.stderr


def test_no_screen_raises_input_error() -> None:
    """Rules live in the core: a screen shows the core's message, it never makes its own."""
    found = [
        f"{path.name}:{n}"
        for path in sorted((REPO / "screens").glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "InputError(" in line or "DateProblem(" in line
    ]
    assert found == []


def test_today_is_a_valid_progress_note_date(store: Store, sample: int) -> None:
    note = progress_note(store, sample)
    store.update(m.RecommendationProgress, note.id, date=dt.date(2025, 9, 1))
    assert progress_note(store, sample).date == dt.date(2025, 9, 1)


async def test_the_screen_shows_the_core_message(folder: Any, store: Store) -> None:
    """The schedule editor previews the length through the same validator the store applies."""
    from textual.widgets import Input

    from reviewer_tui import interviews as iv
    from reviewer_tui.screens.interviews import InterviewScreen
    from tests.conftest import make_app

    rid = store.create_review("Lengths", "serious case review", "concern")
    ann = iv.add_person(store, rid, "Ann Able", pseudonym="Social Worker 1")
    interview = iv.add_interview(
        store, rid, ann.id, scheduled_for="2025-09-10T10:00", duration_minutes=90
    )
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(InterviewScreen(interview.id))
        await pilot.pause()
        field = app.screen.query_one("#schedule-duration", Input)
        field.focus()
        field.value = "2000"
        await pilot.pause()
        shown = str(app.screen.query_one("#schedule-error").render())
        assert shown == "Not saved yet: The length is between 1 and 1440 minutes."
        assert store.get(m.Interview, interview.id).duration_minutes == 90
        field.value = "45"
        await pilot.pause()
        assert store.get(m.Interview, interview.id).duration_minutes == 45


def test_the_quick_entry_path_is_checked_too(store: Store, sample: int) -> None:
    """Quick entry adds through chronology.add_entry: a negative sequence is refused there too."""
    from reviewer_tui import chronology as ch

    before = len(ch.entries(store, sample))
    with pytest.raises(InputError, match=re.escape("The sequence is a whole number: 0, 1, 2...")):
        ch.add_entry(store, sample, "2025-01-02", "day", sequence="-1", event="Visit")
    assert len(ch.entries(store, sample)) == before
    added = ch.add_entry(store, sample, "2025-01-02", "day", sequence="2", event="Visit")
    assert added.sequence == 2
