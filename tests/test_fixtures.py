"""The shared fixtures do what tests rely on: no test reads or writes the person's own folders or
settings, every cursor stands still, `wait_until` fails saying what it waited for; and every
stage of a review opens a screen of its own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, TextArea

from tests.conftest import wait_until


def test_every_test_has_its_own_home_and_settings(isolated_folders: Path, tmp_path: Path) -> None:
    from reviewer_tui.reports import engine
    from reviewer_tui.storage import default_data_dir

    assert Path(os.environ["HOME"]) == isolated_folders
    assert not any(name.startswith("REVIEWER_TUI_") for name in os.environ)
    assert default_data_dir().is_relative_to(isolated_folders)
    assert engine.user_template_dir().is_relative_to(isolated_folders)
    assert not isolated_folders.is_relative_to(tmp_path)  # tests may list tmp_path's contents


class Fields(App[None]):
    def compose(self) -> ComposeResult:
        yield Input("typed", id="one-line")
        yield TextArea("typed", id="many-lines")


async def test_cursors_do_not_blink() -> None:
    app = Fields()
    async with app.run_test() as pilot:
        for field in (app.query_one(Input), app.query_one(TextArea)):
            field.focus()
            await pilot.pause()
            shown = app.export_screenshot()
            for _ in range(3):
                await pilot.pause(0.3)  # a blink would hide the cursor within 0.5 s
                assert app.export_screenshot() == shown


async def test_wait_until_says_what_it_waited_for() -> None:
    app = Fields()
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: app.query_one(Input).value == "typed")
        with pytest.raises(AssertionError, match="the value to change"):
            await wait_until(
                pilot,
                lambda: app.query_one(Input).value == "other",
                timeout=0.2,
                what="the value to change",
            )


def test_every_stage_opens_a_screen() -> None:
    from reviewer_tui import domain
    from reviewer_tui.screens.workspace import STAGE_SCREENS, stage_screen

    assert set(STAGE_SCREENS) == set(domain.STAGE_TITLES)
    for stage in STAGE_SCREENS:
        assert callable(stage_screen(stage))
