"""Stage 5 core: scheduling and clashes, the .ics file across summer time, the record's life and an
interview's notes (the note-taker pack: tests/test_note_taker_pack.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer_tui import calendar_export, dates, domain
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.errors import InputError
from reviewer_tui.reviews import Store


def _review(store: Store) -> int:
    return store.create_review("Interviews test", "serious case review", "concern")


def test_parse_when_accepts_common_forms_and_refuses_nonsense() -> None:
    assert dates.parse_local("2025-08-05 10:00", time="required") == "2025-08-05T10:00"
    assert dates.parse_local("05/08/2025 9:05", time="required") == "2025-08-05T09:05"
    assert dates.parse_local("2025-08-05T23:30", time="required") == "2025-08-05T23:30"
    assert dates.parse_local("  ", time="required") == ""
    for bad in ("2025-08-05", "2025-02-30 10:00", "2025-08-05 25:00", "tomorrow at ten"):
        with pytest.raises(InputError):
            dates.parse_local(bad, time="required")


def test_clashes_same_person_and_overlap(store: Store) -> None:
    rid = _review(store)
    a = iv.add_person(store, rid, "Ann Able", pseudonym="Social Worker 1")
    b = iv.add_person(store, rid, "Ben Bell", pseudonym="Team Manager")
    first = iv.add_interview(
        store, rid, a.id, scheduled_for="2025-08-05T10:00", duration_minutes=90
    )
    # Another person at 11:00 overlaps 10:00-11:30.
    found = iv.clashes(store, rid, None, b.id, "2025-08-05T11:00", 60)
    assert [c.other_id for c in found] == [first.id]
    assert "overlaps the interview with Ann Able (Social Worker 1)" in found[0].reason
    # The same person later the same day: warned; the other person then: fine.
    assert (
        "already has an interview that day"
        in iv.clashes(store, rid, None, a.id, "2025-08-05T15:00", 60)[0].reason
    )
    assert iv.clashes(store, rid, None, b.id, "2025-08-05T11:30", 60) == []
    # An interview never clashes with itself.
    assert iv.clashes(store, rid, first.id, a.id, "2025-08-05T10:30", 60) == []


def test_agenda_in_time_order_unscheduled_last(store: Store) -> None:
    rid = _review(store)
    p = iv.add_person(store, rid, "Ann Able")
    late = iv.add_interview(store, rid, p.id, scheduled_for="2025-09-10T14:00")
    none = iv.add_interview(store, rid, p.id)
    early = iv.add_interview(
        store, rid, p.id, scheduled_for="2025-08-01T09:30", at_normal_workplace=True
    )
    items = iv.agenda(store, rid, now=dt.datetime(2025, 8, 15))
    assert [i.interview_id for i in items] == [early.id, late.id, none.id]
    assert items[0].past and items[0].at_normal_workplace and not items[1].past
    upcoming = iv.agenda(store, rid, now=dt.datetime(2025, 8, 15), upcoming_only=True)
    assert [i.interview_id for i in upcoming] == [late.id]


def test_agenda_reads_each_time_once_and_finds_the_clashes_clashes_finds(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The agenda checks every interview against every other: each one's time is worked out
    once (parsed for each pair, 60 interviews took 3,600 parses), and each row's clashes are
    those `clashes` finds for it."""
    rid = _review(store)
    people = [iv.add_person(store, rid, f"Person {n}") for n in range(6)]
    rows = [
        iv.add_interview(
            store,
            rid,
            people[n % 6].id,
            scheduled_for=f"2025-08-{1 + n // 8:02d}T{9 + n % 8:02d}:{30 * (n % 3) % 60:02d}",
            duration_minutes=[45, 60, 90][n % 3],
        )
        for n in range(40)
    ]
    iv.add_interview(store, rid, people[0].id)  # not scheduled
    parses = 0
    original = iv.local_start

    def counted(scheduled_for: str | None) -> dt.datetime | None:
        nonlocal parses
        parses += 1
        return original(scheduled_for)

    monkeypatch.setattr(iv, "local_start", counted)
    items = iv.agenda(store, rid, now=dt.datetime(2025, 8, 15))
    described = sum(len(item.clashes) for item in items)  # each clash shows the other's time
    assert parses <= 5 * len(items) + described  # a few per row, not one per pair
    monkeypatch.setattr(iv, "local_start", original)
    by_id = {item.interview_id: item for item in items}
    assert sum(bool(item.clashes) for item in items) > 5
    for row in rows:
        found = iv.clashes(
            store, rid, row.id, row.person_id, row.scheduled_for, row.duration_minutes
        )
        assert by_id[row.id].clashes == tuple(c.reason for c in found)


def test_ics_parses_and_keeps_2330_bst(store: Store, tmp_path: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    rid = _review(store)
    p = iv.add_person(store, rid, "Amélie Durand", pseudonym="Social Worker 1")
    iv.add_interview(
        store,
        rid,
        p.id,
        scheduled_for="2025-07-14T23:30",
        duration_minutes=45,
        location="Room 2, Library; Church St, Eastholme",
    )
    iv.add_interview(store, rid, p.id, scheduled_for="2025-12-01T09:00", duration_minutes=60)
    iv.add_interview(store, rid, p.id)  # not scheduled: no event
    path = calendar_export.export_calendar(store, rid, tmp_path / "interviews.ics")
    raw = path.read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 2
    london = ZoneInfo("Europe/London")
    summer = events[0]
    start = summer.decoded("dtstart")
    assert start.astimezone(london).replace(tzinfo=None) == dt.datetime(2025, 7, 14, 23, 30)
    assert start.astimezone(dt.UTC) == dt.datetime(2025, 7, 14, 22, 30, tzinfo=dt.UTC)
    assert summer.decoded("dtend") - start == dt.timedelta(minutes=45)
    assert str(summer["location"]) == "Room 2, Library; Church St, Eastholme"
    assert str(summer["summary"]) == "Interview: Social Worker 1"  # the pseudonym, not the name
    winter = events[1].decoded("dtstart")
    assert winter.astimezone(dt.UTC) == dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC)
    assert str(summer["uid"]) != str(events[1]["uid"])


def test_record_life_every_state_to_signed(store: Store) -> None:
    rid = _review(store)
    p = iv.add_person(store, rid, "Ann Able")
    row = iv.add_interview(store, rid, p.id)

    def state() -> str:
        return iv.record_state(store.get(m.Interview, row.id))

    assert state() == "not_held"
    iv.save_notes(store, row.id, "She said the referral was clear.")
    assert state() == "drafted"
    iv.mark_contentious(store, row.id, "the referral was clear")
    assert iv.record_warnings(store.get(m.Interview, row.id))
    store.update(m.Interview, row.id, contentious_points_checked_back=True)
    assert state() == "checked_back"
    store.update(m.Interview, row.id, sent_to_interviewee_on=dt.date(2025, 8, 6))
    assert state() == "sent"
    store.update(
        m.Interview,
        row.id,
        interviewee_comments="Page 2: it was Tuesday.",
        disagreements="She disagrees that the referral was clear.",
    )
    assert state() == "comments"
    stored = store.get(m.Interview, row.id)
    assert stored.notes == "She said the referral was clear."  # comments never written over it
    store.update(m.Interview, row.id, agreed_on=dt.date(2025, 8, 20))
    assert state() == "agreed"
    store.update(
        m.Interview, row.id, signed_by_interviewee=True, interviewee_signed_on=dt.date(2025, 8, 21)
    )
    assert state() == "signed_interviewee"
    assert [r.id for r, _ in iv.unsigned(store, rid)] == [row.id]
    store.update(
        m.Interview, row.id, signed_by_interviewer=True, interviewer_signed_on=dt.date(2025, 8, 22)
    )
    assert state() == "signed"
    assert iv.unsigned(store, rid) == []
    warnings = iv.record_warnings(store.get(m.Interview, row.id))
    assert warnings == [
        "The interviewee disagrees with part of the record: the particulars stay in it."
    ]


def test_matters_briefing_and_contentious(store: Store) -> None:
    rid = _review(store)
    p = iv.add_person(store, rid, "Ann Able")
    row = iv.add_interview(store, rid, p.id)
    iv.set_matter(store, row.id, "looking_back", True)
    assert iv.set_matter(store, row.id, "record_keeping", True) == [
        "record_keeping",
        "looking_back",
    ]
    assert iv.set_matter(store, row.id, "looking_back", False) == ["record_keeping"]
    with pytest.raises(InputError):
        iv.set_matter(store, row.id, "nonsense", True)
    assert iv.set_briefing(store, row.id, "confidentiality", True) == {"confidentiality": True}
    with pytest.raises(InputError):
        iv.mark_contentious(store, row.id, "   ")
    assert iv.mark_contentious(store, row.id, "x") == ["x"]
    assert iv.mark_contentious(store, row.id, "x") == ["x"]
    assert iv.remove_contentious(store, row.id, 0) == []
    assert len(domain.BRIEFING_ITEMS) == 12 and len(iv.MATTERS) == 16


def test_profile_with_previous_employment_and_training(store: Store) -> None:
    rid = _review(store)
    person = iv.add_person(store, rid, "Ann Able")
    assert len(iv.profile_missing(store, person.id)) == 9
    store.update(
        m.Person,
        person.id,
        qualifications="BA, MA",
        designation="Social Worker",
        time_in_post="2 years",
        employing_body="Council",
        employing_address="1 High St",
        home_address="n/a",
        role_in_case="Allocated worker",
        training_last_3_years=["A", "B", "C"],
    )
    iv.add_previous_employment(store, person.id, "First employer", "2015-2018", "SW")
    iv.add_previous_employment(store, person.id, "Second employer", "2018-2021", "Senior SW")
    assert iv.profile_missing(store, person.id) == []
    assert [j.employer for j in iv.previous_employment(store, person.id)] == [
        "First employer",
        "Second employer",
    ]
    member = iv.add_family_member(
        store, rid, "Zoë Smith", pseudonym="Mother", also_known_as=["Zoe"]
    )
    assert member.key == "fm-1" and iv.add_person(store, rid, "X").key == "p-2"


def test_save_notes_stamps_the_review_and_refuses_a_missing_interview(store: Store) -> None:
    rid = _review(store)
    person = iv.add_person(store, rid, "Ann Able")
    row = iv.add_interview(store, rid, person.id)
    before = store.get(m.Review, rid).updated_at
    iv.save_notes(store, row.id, "Zoë said “no” 😊")
    assert store.get(m.Interview, row.id).notes == "Zoë said “no” 😊"
    after = store.get(m.Review, rid).updated_at
    assert after.tzinfo is not None and after >= before
    with pytest.raises(InputError, match="no longer exists"):
        iv.save_notes(store, row.id + 99, "lost?")
    with pytest.raises(InputError):
        iv.save_notes(store, row.id, "half a pair \ud800")
    assert store.get(m.Interview, row.id).notes == "Zoë said “no” 😊"


def test_agenda_reads_the_review_once_however_many_interviews(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: the agenda found each interview's clashes by reading every interview (notes
    included) again, 60 times 20 MB on a large review. Now the reads do not grow with the rows."""
    rid = _review(store)
    reads: list[str] = []
    rows = Store.rows

    def counted(self: Store, model: type, review_id: int) -> list:
        reads.append(model.__name__)
        return rows(self, model, review_id)

    monkeypatch.setattr(Store, "rows", counted)

    def reads_for_an_agenda_of(count: int) -> int:
        while len(store.rows(m.Interview, rid)) < count:
            person = iv.add_person(store, rid, f"Person {count}")
            iv.add_interview(store, rid, person.id, scheduled_for="2025-08-05T10:00")
        reads.clear()
        items = iv.agenda(store, rid, now=dt.datetime(2025, 8, 1))
        assert len(items) == count and all(item.clashes for item in items)  # all at 10:00
        return len(reads)

    assert reads_for_an_agenda_of(2) == reads_for_an_agenda_of(12) == 2


def test_profiles_missing_matches_one_person_at_a_time(store: Store) -> None:
    rid = _review(store)
    with_job = iv.add_person(store, rid, "Has a job", designation="Social worker")
    iv.add_previous_employment(store, with_job.id, "Council", "2019-2021", "Social worker")
    without = iv.add_person(store, rid, "No job yet")
    people = store.rows(m.Person, rid)
    found = iv.profiles_missing(store, people)
    assert found == {p.id: iv.profile_missing(store, p.id) for p in people}
    assert len(found[without.id]) > len(found[with_job.id])


# Characters of 1 to 4 bytes in UTF-8, blank ones among them (Unicode's spaces too).
NOTE_PIECES = ["a", " ", "\n", "\t", "é", "\u00a0", "漢", "\u3000", "😀", "[/]"]


def _notes_as_listed(notes: str) -> str:
    """What the agenda must see of stored notes: their first thousand characters, or all of
    them when those are blank."""
    start = notes[:1000]
    return notes if not start.strip() and len(start) == 1000 else start


def _check_listed_notes(store: Store, rid: int, texts: list[str]) -> None:
    person = iv.add_person(store, rid, full_name="Pat")
    ids = []
    for notes in texts:
        interview = iv.add_interview(store, rid, person.id)
        store.update(m.Interview, interview.id, notes=notes)
        ids.append(interview.id)
    listed = {row.id: row.notes for row in iv.interviews_for_lists(store, rid)}
    for interview_id, notes in zip(ids, texts, strict=True):
        assert listed[interview_id] == _notes_as_listed(notes), (len(notes), notes[:20])


EDGES = [
    "",
    "drafted",
    " " * 1500 + "drafted late",  # blank for its first thousand: the rest is read
    "\u3000" * 1000,  # a thousand blank characters of three bytes each, and nothing after
    "😀" * 1000 + "after",  # the thousandth character ends the 4,000th byte
    "a" + "😀" * 1200,  # a character cut at the 4,000th byte
    "\n" * 999 + "x" + " " * 5000,
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(NOTE_PIECES), st.integers(1, 700)), max_size=4))
def test_the_lists_see_the_start_of_each_interviews_notes_exactly(
    store: Store, pieces: list[tuple[str, int]]
) -> None:
    """The agenda reads each interview's first thousand characters of notes in place, not the
    whole notes: whatever the characters, it sees exactly what was stored."""
    rid = _review(store)
    _check_listed_notes(store, rid, ["".join(piece * count for piece, count in pieces), *EDGES])


def test_an_encrypted_folders_lists_see_the_start_of_the_notes_exactly(data_dir: Path) -> None:
    """SQLCipher's driver reads no value in place: the notes' start is read the other way."""
    pytest.importorskip("sqlcipher3")
    from reviewer_tui import folder_encryption
    from reviewer_tui.cli import open_folder

    folder = open_folder(data_dir)
    folder_encryption.encrypt_folder(folder, "correct horse battery staple")
    store = Store(folder)
    raw = folder.engine().raw_connection()
    try:
        assert not hasattr(raw.dbapi_connection, "blobopen")
    finally:
        raw.close()
    _check_listed_notes(store, _review(store), EDGES)
