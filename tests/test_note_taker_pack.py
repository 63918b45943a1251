"""The note taker's pack, core: what a pack holds (one interview, nothing else of the review), the
round trip between two data folders, a real conflict only when both changed the same text,
merging twice, and bad packs refused with one line and nothing changed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewer_tui import bundle, history, packs
from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.cli import main, open_folder
from reviewer_tui.errors import InputError, Locked
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[tuple[Store, int, Store]]:
    """The reviewer's data folder holding the sample review, and the note taker's, empty."""
    a, b = open_folder(tmp_path / "reviewer"), open_folder(tmp_path / "note-taker")
    try:
        reviewer = Store(a)
        rid = bundle.import_file(reviewer, SAMPLE)
        for row in reviewer.rows(
            m.Interview, rid
        ):  # records still being written (a signed one asks)
            reviewer.update(
                m.Interview, row.id, signed_by_interviewee=False, signed_by_interviewer=False
            )
            reviewer.update(m.Interview, row.id, agreed_on=None)
        yield reviewer, rid, Store(b)
    finally:
        a.close()
        b.close()


def _interview(store: Store, rid: int) -> m.Interview:
    return store.rows(m.Interview, rid)[0]


def _snapshot(store: Store, interview_id: int) -> dict[str, object]:
    row = store.get(m.Interview, interview_id)
    return row.model_dump() | {"review": store.get(m.Review, row.review_id).model_dump()}


def test_a_pack_holds_the_one_interview_and_nothing_else_of_the_review(
    laptops: tuple[Store, int, Store], tmp_path: Path
) -> None:
    reviewer, rid, _ = laptops
    row = _interview(reviewer, rid)
    person = reviewer.get(m.Person, row.person_id)
    path = packs.make_pack(reviewer, row.id, tmp_path / "pack.json")
    pack = json.loads(path.read_text(encoding="utf-8"))
    # The notes so far are the interview's own (they may name anyone); the rest is checked.
    assert pack.pop("base") == {
        "notes": row.notes,
        "matters_covered": row.matters_covered,
        "contentious_points": row.contentious_points,
        "contentious_points_checked_back": row.contentious_points_checked_back,
    }
    text = json.dumps(pack, ensure_ascii=False)
    assert pack["interviewee"] == {"name": person.full_name, "role": person.designation}
    assert pack["disclosure_reminder"] == iv.DISCLOSURE_REMINDER
    assert [m_["text"] for m_ in pack["matters_to_cover"]] == [t for _, t in iv.MATTERS]
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    review = reviewer.get(m.Review, rid)
    # No other person, no family member, no chronology, no finding, not the review's title.
    others = [p.full_name for p in reviewer.rows(m.Person, rid) if p.id != person.id]
    others += [f.name for f in reviewer.rows(m.FamilyMember, rid)]
    assert others and not [name for name in others if name in text]
    assert review.child_name and review.child_name not in text
    assert review.title not in text
    for entry in sample["chronology"]:
        assert entry["event"] not in text
    for finding in reviewer.rows(m.Finding, rid):
        assert finding.statement and finding.statement not in text
    assert "chronology" not in pack and "findings" not in pack


def test_round_trip_between_two_folders_merges_without_conflict(
    laptops: tuple[Store, int, Store], tmp_path: Path
) -> None:
    reviewer, rid, taker = laptops
    row = _interview(reviewer, rid)
    made = packs.make_pack(reviewer, row.id, tmp_path / "pack.json")
    held = packs.open_pack(taker, made)
    assert packs.open_pack(taker, made) == held  # opened twice: the same record
    assert taker.get(m.Interview, held).notes == row.notes
    iv.save_notes(taker, held, row.notes + "\nShe said the visit was [urgent].")
    iv.set_matter(taker, held, "looking_back", True)
    iv.mark_contentious(taker, held, "the visit was [urgent]")
    back = packs.write_back(taker, held)
    assert back == tmp_path / "pack-with-notes.json"
    # The reviewer corrected a different line meanwhile: both changes are kept, no conflict.
    fixed = "Corrected first line.\n" + row.notes.split("\n", 1)[1]
    iv.save_notes(reviewer, row.id, fixed)
    result = packs.merge_pack(reviewer, rid, back)
    assert result.outcome == "merged", result.message
    stored = reviewer.get(m.Interview, row.id)
    assert stored.notes == fixed + "\nShe said the visit was [urgent]."
    assert "looking_back" in stored.matters_covered
    assert "the visit was [urgent]" in stored.contentious_points
    assert packs.conflicts(reviewer, row.id) == []
    # Merging the same file again changes nothing.
    before = _snapshot(reviewer, row.id)
    again = packs.merge_pack(reviewer, rid, back)
    assert again.outcome == "already merged" and "nothing changed" in again.message
    assert _snapshot(reviewer, row.id) == before
    # The note taker goes on typing and writes back again: only the new words come in.
    iv.save_notes(taker, held, taker.get(m.Interview, held).notes + "\nLater line.")
    packs.write_back(taker, held)
    assert packs.merge_pack(reviewer, rid, back).outcome == "merged"
    assert reviewer.get(m.Interview, row.id).notes == stored.notes + "\nLater line."


def test_a_real_conflict_is_kept_and_shown_in_words(
    laptops: tuple[Store, int, Store], tmp_path: Path
) -> None:
    reviewer, rid, taker = laptops
    row = _interview(reviewer, rid)
    held = packs.open_pack(taker, packs.make_pack(reviewer, row.id, tmp_path / "p.json"))
    iv.save_notes(taker, held, "The meeting was on Tuesday with the nurse.")
    iv.save_notes(reviewer, row.id, "The meeting was on Monday with the nurse.")
    back = packs.write_back(taker, held)
    result = packs.merge_pack(reviewer, rid, back)
    assert result.outcome == "conflict" and result.conflicts == ("notes",)
    assert "both changed the same text (notes)" in result.message
    assert reviewer.get(m.Interview, row.id).notes.endswith("Monday with the nurse.")
    (found,) = packs.conflicts(reviewer, row.id)
    assert found.label == "Notes" and found.field == "notes"
    assert packs.word_diff(found.ours, found.theirs) == [
        ("same", "The meeting was on "),
        ("ours", "Monday"),
        ("theirs", "Tuesday"),
        ("same", " with the nurse."),
    ]
    # Merging the same file twice keeps one copy to settle.
    assert packs.merge_pack(reviewer, rid, back).outcome == "already merged"
    assert len(packs.conflicts(reviewer, row.id)) == 1
    packs.resolve(reviewer, found.version_id, "both")
    notes = reviewer.get(m.Interview, row.id).notes
    assert notes.startswith("The meeting was on Monday") and notes.endswith(
        "Tuesday with the nurse."
    )
    assert packs.conflicts(reviewer, row.id) == []


def test_a_long_diff_keeps_only_the_words_around_each_change() -> None:
    words = " ".join(f"w{n}" for n in range(200))
    pieces = packs.word_diff(words + " end.", words + " finish.")
    assert ("gap", " … ") in pieces and ("ours", "end.") in pieces
    assert sum(len(t) for _, t in pieces) < 120


EDITS: list[tuple[Callable[[dict[str, Any]], object], str]] = [
    (lambda p: p["interviewee"].update(name="Someone Else"), "was edited after it was made"),
    (lambda p: p["base"].update(notes="x"), "was edited after it was made"),
    (lambda p: p.update(work={"notes": 3}), "is damaged"),
    (lambda p: p.update(format="review-bundle"), "is not a note-taker pack"),
    (lambda p: p.update(version=2), "of a version this app cannot read"),
    (lambda p: p.pop("interview"), "is damaged"),
]


def test_bad_packs_get_one_line_and_change_nothing(
    laptops: tuple[Store, int, Store], tmp_path: Path
) -> None:
    reviewer, rid, taker = laptops
    row = _interview(reviewer, rid)
    held = packs.open_pack(taker, packs.make_pack(reviewer, row.id, tmp_path / "p.json"))
    iv.save_notes(taker, held, "their notes")
    good = packs.write_back(taker, held).read_text(encoding="utf-8")
    before = _snapshot(reviewer, row.id)
    for number, (change, says) in enumerate(EDITS):
        pack = json.loads(good)
        change(pack)
        bad = tmp_path / f"bad-{number}.json"
        bad.write_text(json.dumps(pack), encoding="utf-8")
        with pytest.raises(InputError, match=says) as caught:
            packs.merge_pack(reviewer, rid, bad)
        assert "\n" not in str(caught.value) and "nothing was merged" in str(caught.value)
        assert _snapshot(reviewer, row.id) == before
        with pytest.raises(InputError, match=says):
            packs.open_pack(taker, bad)


def test_damaged_and_foreign_packs_are_refused(
    laptops: tuple[Store, int, Store], tmp_path: Path
) -> None:
    reviewer, rid, taker = laptops
    row = _interview(reviewer, rid)
    made = packs.make_pack(reviewer, row.id, tmp_path / "p.json")
    held = packs.open_pack(taker, made)
    back = packs.write_back(taker, held)
    cut = tmp_path / "cut.json"
    cut.write_bytes(back.read_bytes()[:200])
    with pytest.raises(InputError, match="cut.json is damaged"):
        packs.merge_pack(reviewer, rid, cut)
    # A pack of another review of the same folder.
    other = reviewer.create_review("Another review", "serious case review", "concern")
    with pytest.raises(InputError, match="is a pack of another review"):
        packs.merge_pack(reviewer, other, back)
    # A pack made in another folder altogether.
    with pytest.raises(InputError, match="no review in this data folder made it"):
        packs.merge_pack(taker, rid, back)
    # The pack as made holds nothing from the note taker.
    with pytest.raises(InputError, match="holds no notes from the note taker"):
        packs.merge_pack(reviewer, rid, made)
    with pytest.raises(InputError, match="No such file|does not exist|not found|could not"):
        packs.merge_pack(reviewer, rid, tmp_path / "missing.json")
    assert packs.conflicts(reviewer, row.id) == []


def pack_typed_elsewhere(tmp_path: Path, reviewer: Path, rid: str, out: Path, notes: str) -> Path:
    """A pack of the sample's iv-1 made on the command line, typed on the note taker's laptop
    and written back: the file the reviewer merges."""
    assert main(["--data-dir", str(reviewer), "make-pack", rid, "iv-1", "-o", str(out)]) == 0
    taker_folder = open_folder(tmp_path / "taker")
    try:
        taker = Store(taker_folder)
        held = packs.open_pack(taker, out)
        iv.save_notes(taker, held, notes)
        return packs.write_back(taker, held)
    finally:
        taker_folder.close()


def test_cli_makes_merges_and_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reviewer = tmp_path / "reviewer"
    assert main(["--data-dir", str(reviewer), "import", str(SAMPLE)]) == 0
    rid = capsys.readouterr().out.strip()
    out = tmp_path / "pack.json"
    back = pack_typed_elsewhere(tmp_path, reviewer, rid, out, "From the command line.")
    assert str(out) in capsys.readouterr().out and out.exists()
    # The sample's iv-1 is signed: the command line cannot ask why, so it refuses in one line.
    assert main(["--data-dir", str(reviewer), "merge-pack", rid, str(back)]) == 1
    err = capsys.readouterr().err
    assert "signed" in err and "nothing was changed" in err and err.count("\n") == 1
    assert "--reason" in err
    reviewer_folder = open_folder(reviewer)
    try:  # a record still being written, as a note taker's usually is
        store = Store(reviewer_folder)
        interview_id = packs.find_interview(store, int(rid), "iv-1")
        store.update(
            m.Interview, interview_id, signed_by_interviewee=False, signed_by_interviewer=False
        )
        store.update(m.Interview, interview_id, agreed_on=None)
    finally:
        reviewer_folder.close()
    assert main(["--data-dir", str(reviewer), "merge-pack", rid, str(back)]) == 0
    assert "Merged" in capsys.readouterr().out
    assert main(["--data-dir", str(reviewer), "merge-pack", rid, str(back)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert main(["--data-dir", str(reviewer), "make-pack", rid, "iv-99", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "iv-99" in err and "iv-1" in err
    out.write_text("{", encoding="utf-8")
    assert main(["--data-dir", str(reviewer), "merge-pack", rid, str(out)]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_merge_text_combines_changes_to_different_lines_only() -> None:
    base = "one\n\ntwo\n\nthree\n"
    assert packs.merge_text(base, "ONE\n\ntwo\n\nthree\n", base + "four\n") == (
        "ONE\n\ntwo\n\nthree\nfour\n"
    )
    assert packs.merge_text(base, base + "same\n", base + "same\n") == base + "same\n"
    assert packs.merge_text(base, "one\n\nTWO\n\nthree\n", "one\n\n2\n\nthree\n") is None
    # Many repeated (blank) lines: set aside around the change, never compared line by line.
    long = "\n" * 20000
    assert packs.merge_text(long, "a" + long, long + "z") == "a" + long + "z"


def test_a_pack_is_never_written_inside_an_encrypted_data_folder(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    from reviewer_tui import folder_encryption

    folder = open_folder(tmp_path / "data")
    try:
        store = Store(folder)
        rid = store.create_review("Child A", "internal case review", "concern")
        row = iv.add_interview(store, rid, iv.add_person(store, rid, "Ann Able").id)
        folder_encryption.encrypt_folder(folder, "correct horse battery staple")
        with pytest.raises(InputError, match="inside the encrypted data folder"):
            packs.make_pack(store, row.id, tmp_path / "data" / "pack.json")
        assert not (tmp_path / "data" / "pack.json").exists()
        assert packs.make_pack(store, row.id, tmp_path / "pack.json").exists()
    finally:
        folder.close()


def test_merging_into_a_signed_record_needs_a_reason(
    laptops: tuple[Store, int, Store], tmp_path: Path
) -> None:
    reviewer, rid, taker = laptops
    row = _interview(reviewer, rid)
    made = packs.make_pack(reviewer, row.id, tmp_path / "pack.json")
    held = packs.open_pack(taker, made)
    iv.save_notes(taker, held, row.notes + "\nA line typed after the record was agreed.")
    back = packs.write_back(taker, held)
    reviewer.update(m.Interview, row.id, agreed_on=dt.date(2025, 9, 1))
    before = _snapshot(reviewer, row.id)
    with pytest.raises(Locked):
        packs.merge_pack(reviewer, rid, back)
    assert _snapshot(reviewer, row.id) == before
    with history.changing(reason="The note taker's last lines"):
        assert packs.merge_pack(reviewer, rid, back).outcome == "merged"
    assert reviewer.get(m.Interview, row.id).notes.endswith("after the record was agreed.")
    assert any(e.reason == "The note taker's last lines" for e in history.history_of(reviewer, rid))


def test_cli_merges_into_a_signed_record_with_the_reason_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reviewer = tmp_path / "reviewer"
    assert main(["--data-dir", str(reviewer), "import", str(SAMPLE)]) == 0
    rid = capsys.readouterr().out.strip()
    notes = "Typed by the note taker [b]after[/b] signing."
    back = pack_typed_elsewhere(tmp_path, reviewer, rid, tmp_path / "pack.json", notes)
    reason = "The note taker's last page was missing [from] the signed copy"
    command = ["--data-dir", str(reviewer), "merge-pack", rid, str(back), "--reason", reason]
    assert main(command) == 0
    assert "Merged" in capsys.readouterr().out
    reviewer_folder = open_folder(reviewer)
    try:
        store = Store(reviewer_folder)
        interview_id = packs.find_interview(store, int(rid), "iv-1")
        assert store.get(m.Interview, interview_id).notes == notes
        notes_changes = history.history_of(store, int(rid), "interview", interview_id)
        reasons = [c.reason for c in notes_changes if c.column == "notes"]
        assert reasons == [reason]
    finally:
        reviewer_folder.close()
