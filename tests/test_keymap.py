"""The reviewer's own keys: keymap.json maps binding ids to keys; a file that would take a key
text fields own is refused with a message, and the standard keys stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.binding import Binding

from reviewer_tui.screens.app import ReviewerApp
from reviewer_tui.screens.keymap import KeymapError, app_bindings, load_keymap, parse_keymap
from tests.conftest import FIXED_TODAY


def _app(folder, keymap: Path) -> ReviewerApp:  # noqa: ANN001
    return ReviewerApp(folder, today=lambda: FIXED_TODAY, keymap_file=keymap)


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _notices(app: ReviewerApp) -> list[str]:
    return [n.message for n in app._notifications]


def test_every_binding_has_an_id() -> None:
    """Keymaps are keyed by binding id: a binding without one could not be remapped."""
    from reviewer_tui.screens.keymap import _binding_classes

    missing = [
        f"{cls.__name__}: {b.key} -> {b.action}"
        for cls in _binding_classes()
        for b in vars(cls).get("BINDINGS", ())
        if isinstance(b, Binding) and not b.id
    ]
    assert missing == []


async def test_a_remapped_key_runs_the_action_and_help_shows_it(folder, tmp_path) -> None:  # noqa: ANN001
    keymap = _write(tmp_path / "keymap.json", {"review-new": "f9", "help": "f8"})
    app = _app(folder, keymap)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewReviewDialog"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")  # the standard key no longer opens it
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewListScreen"
        await pilot.press("f8")
        await pilot.pause()
        text = str(app.screen.query_one("Static").render())
        assert "f9" in text and "New review" in text
        assert not _notices(app)


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        ({"review-new": "ctrl+k"}, "a key text fields use to edit text"),
        ({"review-new": "f6"}, "a key text fields use to edit text"),
        ({"notes-time": "t"}, "works while you type"),
        ({"no-such-binding": "f9"}, "is not a binding id of reviewer-tui"),
        ({"review-new": ""}, "must be a text such as"),
        (["review-new", "f9"], "one JSON object"),
    ],
)
async def test_a_bad_keymap_is_refused_with_a_message_and_standard_keys_stay(
    folder, tmp_path, keys, words
) -> None:  # noqa: ANN001
    keymap = _write(
        tmp_path / "keymap.json", {"help": "f8", **keys} if isinstance(keys, dict) else keys
    )
    app = _app(folder, keymap)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        notices = _notices(app)
        assert len(notices) == 1 and words in notices[0] and str(keymap) in notices[0]
        assert "standard keys" in notices[0]
        await pilot.press("n")  # the whole file was refused: standard keys work
        await pilot.pause()
        assert type(app.screen).__name__ == "NewReviewDialog"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f8")  # not even the good line of the file was used
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewListScreen"


def test_a_damaged_file_gets_a_message(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "keymap.json"
    path.write_bytes(b'{"help": "f8",')
    keymap, problem = load_keymap(path)
    assert keymap == {} and problem is not None and str(path) in problem


def test_no_file_means_standard_keys_and_no_message(tmp_path) -> None:  # noqa: ANN001
    assert load_keymap(tmp_path / "keymap.json") == ({}, None)


def test_the_text_keys_refused_include_those_engineering_lists() -> None:
    bindings = app_bindings()
    for key in ("ctrl+k", "ctrl+u", "f6", "f7", "ctrl+a", "ctrl+z", "ctrl+w", "delete", "enter"):
        with pytest.raises(KeymapError):
            parse_keymap({"review-new": key}, bindings)
    assert parse_keymap({"review-new": "f9,ctrl+t"}, bindings) == {"review-new": "f9,ctrl+t"}
