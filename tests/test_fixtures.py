"""The shared fixtures do what tests rely on: no test reads or writes the person's own folders or
settings, every cursor stands still, `wait_until` fails saying what it waited for; and every
stage of a review opens a screen of its own."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, TextArea

from reviewer_tui.cli import open_folder
from tests.conftest import wait_until, workers_done


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


async def test_workers_done_waits_past_a_worker_cancelled_by_the_next() -> None:
    import asyncio

    from textual import work

    class Checks(Fields):
        runs: list[str] = []

        @work(exclusive=True, group="check")
        async def check(self, name: str) -> None:
            await asyncio.sleep(0.3)
            self.runs.append(name)

    app = Checks()
    async with app.run_test() as pilot:
        app.check("first")
        await pilot.pause()
        app.check("second")  # cancels the first
        await workers_done(pilot)
        assert app.runs == ["second"]


def test_every_stage_opens_a_screen() -> None:
    from reviewer_tui import domain
    from reviewer_tui.screens.workspace import STAGE_SCREENS, stage_screen

    assert set(STAGE_SCREENS) == set(domain.STAGE_TITLES)
    for stage in STAGE_SCREENS:
        assert callable(stage_screen(stage))


def test_a_new_folder_is_what_the_migrations_make(
    migrated_empty_database: Path, data_dir: Path
) -> None:
    """Tests get a new folder by copying one the real migrations made (conftest): the copy is
    that file byte for byte, but for the schema cookie (header bytes 40-43), a counter SQLite's
    backup bumps and nothing reads as content."""
    made = open_folder(data_dir)
    made.close()
    migrated = migrated_empty_database.read_bytes()
    copied = made.db_path.read_bytes()
    assert len(copied) == len(migrated)
    assert copied[:40] == migrated[:40] and copied[44:] == migrated[44:]


def test_what_earlier_tests_left_is_out_of_the_collectors_sight() -> None:
    """Each test starts with what earlier ones left frozen (conftest): a full collection walks
    what this test makes, not the worker's modules and caches (hundreds of thousands of
    objects, a third of a Pilot test's CPU when they were walked again and again)."""
    frozen, tracked = gc.get_freeze_count(), len(gc.get_objects())
    assert frozen > 50_000  # the libraries and the app's modules
    assert tracked < 20_000  # this test's fixtures, not the worker's whole heap
