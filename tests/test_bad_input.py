"""Malformed review bundles and interview files: one clear line naming the problem, nothing
stored, no traceback (issue "Trust" item 10). Every JSON file a user chooses is read through one
reader (reviewer_tui.userfile)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reviewer_tui import bundle, packs
from reviewer_tui import models as m
from reviewer_tui.errors import BundleError, InputError
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder
from tests.conftest import REPO, SAMPLE, make_app

DEEP = 100_000  # far past the C parser's recursion limit
NESTED = 600  # parses, but would overflow any recursive walk of the value


def sample() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def with_sequence(raw_number: str) -> bytes:
    """The sample bundle with chronology[0].sequence written as `raw_number` (JSON text)."""
    data = sample()
    data["chronology"][0]["sequence"] = 424242
    return json.dumps(data).replace("424242", raw_number, 1).encode("utf-8")


def deep_bundle(depth: int) -> bytes:
    text = json.dumps(sample())
    return (text[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}").encode("utf-8")


def review_count(folder: DataFolder) -> int:
    conn = folder.connect()
    try:
        return conn.execute("SELECT count(*) FROM review").fetchone()[0]
    finally:
        conn.close()


CASES = {
    "deep_nesting": (lambda: deep_bundle(DEEP), "nested more than"),
    "nested_beyond_a_bundle": (lambda: deep_bundle(NESTED), "nested more than"),
    "number_too_long": (lambda: with_sequence("7" * 5000), "5000 digits"),
    "integer_above_64_bits": (
        lambda: with_sequence(str(10**30)),
        "1000000000000000000000000000000",
    ),
    "integer_just_above_64_bits": (lambda: with_sequence(str(2**63)), "9223372036854775808"),
    "integer_below_64_bits": (lambda: with_sequence(str(-(2**63) - 1)), "-9223372036854775809"),
    "float_overflow": (lambda: with_sequence("1e400"), "1e400"),
    "invalid_utf8": (lambda: with_sequence("1").replace(b"Child T", b"Child \xff", 1), "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_bundle_gets_one_line_and_stores_nothing(
    folder: DataFolder, store: Store, tmp_path: Path, case: str
) -> None:
    make, expected = CASES[case]
    path = tmp_path / f"{case}.json"
    path.write_bytes(make())
    with pytest.raises(BundleError) as refused:
        bundle.import_file(store, path)
    problems = refused.value.problems
    assert len(problems) == 1 and "\n" not in problems[0]
    assert problems[0].startswith("(parse)") and expected in problems[0]
    assert len(problems[0]) < 300
    assert review_count(folder) == 0


def test_largest_64_bit_integer_is_stored_exactly(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "edge.json"
    path.write_bytes(with_sequence(str(2**63 - 1)))
    rid = bundle.import_file(store, path)
    assert store.rows(m.ChronologyEntry, rid)[0].sequence == 2**63 - 1


def test_file_too_large_to_be_a_bundle_is_refused_without_reading_it(
    folder: DataFolder, store: Store, tmp_path: Path
) -> None:
    from reviewer_tui import userfile

    path = tmp_path / "film.json"
    with path.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(userfile.MAX_JSON_BYTES + 1)
    started = time.perf_counter()
    with pytest.raises(BundleError) as refused:
        bundle.import_file(store, path)
    assert time.perf_counter() - started < 1.0
    assert refused.value.problems == [
        f"(file): {path.name} is too large to be a review bundle "
        f"({(userfile.MAX_JSON_BYTES + 1) / 1e6:.0f} MB; the limit is {userfile.MAX_JSON_BYTES // 10**6} MB)"
    ]
    assert review_count(folder) == 0


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


@pytest.mark.parametrize("case", ["deep_nesting", "number_too_long", "integer_above_64_bits"])
def test_cli_import_of_a_malformed_bundle_says_one_line(
    data_dir: Path, tmp_path: Path, case: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(CASES[case][0]())
    result = run_cli("--data-dir", str(data_dir), "import", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"reviewer-tui: {path} was refused; nothing was imported."
    assert len(lines) == 2 and CASES[case][1] in lines[1]
    assert run_cli("--data-dir", str(data_dir), "list").stdout == ""


# --- note-taker packs (note taker <-> reviewer) -----------------------------------------------
def written_back_pack(store: Store, tmp_path: Path) -> tuple[int, int, dict[str, Any]]:
    """A pack of the sample's first interview made here, as the note taker writes it back."""
    rid = bundle.import_file(store, SAMPLE)
    interview = store.rows(m.Interview, rid)[0]
    path = packs.make_pack(store, interview.id, tmp_path / "pack.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    payload["work"] = dict(payload["base"], notes="Typed by the note taker.")
    return rid, interview.id, payload


def pack_cases(payload: dict[str, Any]) -> dict[str, tuple[bytes, str]]:
    def with_work(**values: Any) -> bytes:
        return json.dumps(
            {**payload, "work": {**payload["work"], **values}}, ensure_ascii=False
        ).encode("utf-8")

    text = json.dumps(payload)
    return {
        "deep_nesting": (
            text[:-1].encode() + b', "x": ' + b"[" * DEEP + b"]" * DEEP + b"}",
            "nested more than",
        ),
        "number_too_long": (
            text[:-1].encode() + b', "x": ' + b"9" * 5000 + b"}",
            "5000 digits",
        ),
        "integer_above_64_bits": (
            text[:-1].encode() + b', "x": ' + str(10**30).encode() + b"}",
            "1000000000000000000000000000000",
        ),
        "invalid_utf8": (with_work(notes="caf\u00e9").replace("é".encode(), b"\xe9"), "not UTF-8"),
        "text_as_a_list": (with_work(notes=["a", "b"]), "Notes is not text"),
        "yes_as_text": (
            with_work(contentious_points_checked_back="yes"),
            "Contentious points checked back is not yes, no or not set",
        ),
        "unknown_matter": (with_work(matters_covered=["gossip"]), "Matters covered is not"),
        "not_an_object": (b"[1, 2, 3]", "not a note-taker pack"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "deep_nesting",
        "number_too_long",
        "integer_above_64_bits",
        "invalid_utf8",
        "text_as_a_list",
        "yes_as_text",
        "unknown_matter",
        "not_an_object",
    ],
)
def test_malformed_pack_is_refused_naming_the_problem(
    store: Store, tmp_path: Path, case: str
) -> None:
    rid, interview_id, payload = written_back_pack(store, tmp_path)
    before = store.get(m.Interview, interview_id).model_dump()
    raw, expected = pack_cases(payload)[case]
    path = tmp_path / "from-note-taker.json"
    path.write_bytes(raw)
    with pytest.raises(InputError) as refused:
        packs.merge_pack(store, rid, path)
    message = str(refused.value)
    assert expected in message and "\n" not in message and len(message) < 300
    assert "from-note-taker.json" in message and "nothing was merged" in message
    assert store.get(m.Interview, interview_id).model_dump() == before
    assert packs.conflicts(store, interview_id) == []


def test_pack_too_large_is_refused(store: Store, tmp_path: Path) -> None:
    from reviewer_tui import userfile

    rid, _, _ = written_back_pack(store, tmp_path)
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(userfile.MAX_JSON_BYTES + 1)
    with pytest.raises(InputError, match="too large to be a note-taker pack"):
        packs.merge_pack(store, rid, path)


async def test_interview_screen_shows_why_a_pack_was_refused(
    folder: DataFolder, store: Store, tmp_path: Path
) -> None:
    from textual.widgets import Input

    from reviewer_tui.screens.interviews import InterviewsStageScreen

    rid, _, payload = written_back_pack(store, tmp_path)
    path = tmp_path / "[b]deep.json"  # a file name is shown as it is, never as markup
    path.write_bytes(pack_cases(payload)["deep_nesting"][0])
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewsStageScreen)
        shown = str(list(app._notifications)[-1].message)
        assert "[b]deep.json" in shown and "nested more than" in shown, shown
