"""Issue 17 on screen: from the report screen (ctrl+o) a returned draft is imported, its open
items listed by section with their context, resolved, and the record's screen opened."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import select
from textual.app import App
from textual.widgets import DataTable, Input, Select, Static

from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.reports import returned
from reviewer_tui.reviews import Store
from reviewer_tui.screens.returned import ResolveDialog, ReturnedDraftsScreen
from tests.conftest import make_app, wait_until
from tests.docx_edits import copy_data, old_doc, sample_with_draft
from tests.test_drafts_returned import returned_copy


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_with_draft(tmp_path_factory.mktemp("returned-screen"))


@pytest.fixture
def data_dir(tmp_path: Path, made_once: Path) -> Path:
    return copy_data(made_once, tmp_path)


@pytest.fixture
def review(store: Store) -> int:
    with store.session() as s:
        return s.exec(select(m.Review.id)).one()


@pytest.fixture
def draft(made_once: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(made_once / "d.docx", tmp_path / "d.docx"))


def status(app: App) -> str:
    return str(app.screen.query_one("#returned-status", Static).render())


def rows(app: App) -> list[list[str]]:
    table = app.screen.query_one("#open-items", DataTable)
    return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]


async def test_import_resolve_and_go_to_the_record_from_the_report_screen(
    folder,
    store: Store,
    review: int,
    draft: Path,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    copy = returned_copy(draft, tmp_path)
    (tmp_path / "old.doc").write_bytes(old_doc())
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        from reviewer_tui.screens.reports import ReportScreen

        await app.push_screen(ReportScreen(review))
        await pilot.pause()
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnedDraftsScreen))
        assert status(app) == "No open items from returned drafts."
        # a file that cannot be used: one line, nothing stored
        app.screen.query_one("#returned-file", Input).value = str(tmp_path / "old.doc")
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: "save it as .docx first" in status(app))
        assert "\n" not in status(app) and rows(app) == []
        app.screen.query_one("#returned-file", Input).value = str(copy)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: "3 comments" in status(app))
        assert status(app) == (
            "Owen's comments FINAL (2).docx: draft 0.2 of management-review from Owen "
            "Pritchard: 3 comments, 2 tracked changes, 1 untracked edit; 2 formatting-only "
            "changes in 1 section, summarised."
        )
        shown = rows(app)
        assert len(shown) == 6
        assert shown[0][0] == "4.3. Ways in which practice can be improved"
        assert [r[0] for r in shown[1:5]] == ["", "", "", ""]  # grouped under the section
        assert shown[5][0] == "4.2. Good practice to highlight"
        detail = str(app.screen.query_one("#returned-detail", Static).render())
        assert detail.startswith("4.3. Ways in which practice can be improved · draft 0.2")
        assert shown[0][3] == (
            'Comment on "Return home interviews were offered face to face only at first.": '
            '"Please add when a phone interview was first offered."'
        )
        assert (
            shown[5][3]
            == 'Comment on "Treating housing as part of the child": "Name the Housing officer [x]?"'
        )
        # resolve the first: declining needs a reason
        table = app.screen.query_one("#open-items", DataTable)
        table.focus()
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ResolveDialog))
        app.screen.query_one("#resolution", Select).value = "declined"
        app.screen.query_one("#reason", Input).focus()
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                "Say why it is declined." in str(app.screen.query_one(".error", Static).render())
            ),
        )
        app.screen.query_one("#reason", Input).value = "Not in the record [b]"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnedDraftsScreen))
        await wait_until(pilot, lambda: len(rows(app)) == 5)
        kept = [i for i in store_items(store) if i.resolution]
        assert [(i.resolution, i.reason) for i in kept] == [("declined", "Not in the record [b]")]
        # the record behind an item of section 4.x is changed on the analysis screen
        from reviewer_tui.screens.findings import AnalysisScreen

        app.screen.query_one("#open-items", DataTable).focus()
        await pilot.pause()
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, AnalysisScreen))
        await app.workers.wait_for_complete()


def store_items(store: Store) -> list[m.DraftItem]:
    with store.session() as s:
        return list(s.exec(select(m.DraftItem)))


async def test_the_resolve_dialog_alone_dismisses_with_the_resolution_and_reason() -> None:
    item = returned.OpenItem(
        7, "0.2", "management-review", "Panel", "edit", "", "5. Recommendations", "Edited", "x"
    )
    answers: list[object] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ResolveDialog(item), answers.append)

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one("#resolution", Select).value = "changed"
        app.screen.query_one("#reason", Input).value = "Wrote it as a new recommendation"
        app.screen.query_one("#reason", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
    assert answers == [("changed", "Wrote it as a new recommendation")]


def test_open_items_at_80_by_24(
    snap_compare, data_dir: Path, tmp_path: Path, made_once: Path
) -> None:  # noqa: ANN001
    folder = open_folder(data_dir)
    store = Store(folder)
    with store.session() as s:
        rid = s.exec(select(m.Review.id)).one()
    returned.import_returned(store, rid, returned_copy(made_once / "d.docx", tmp_path))
    app = make_app(folder)
    app.sub_title = "snapshot"

    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.app.push_screen(ReturnedDraftsScreen(rid))
        await pilot.app.workers.wait_for_complete()
        pilot.app.screen.query_one("#open-items", DataTable).focus()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


async def test_an_import_still_running_when_the_screen_is_left_says_how_it_ended(
    folder,
    store: Store,
    review: int,
    draft: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    """ctrl+o then Esc before the file is read: the import goes on, its comments are stored,
    and the reviewer is told so on the screen they went back to."""
    import threading

    copy = returned_copy(draft, tmp_path)
    left = threading.Event()
    real = returned.import_returned

    def held(*args: object, **kwargs: object) -> returned.Imported:
        left.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(returned, "import_returned", held)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = ReturnedDraftsScreen(review)
        await app.push_screen(screen)
        await pilot.pause()
        screen.query_one("#returned-file", Input).value = str(copy)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: "Reading" in status(app))
        await pilot.press("escape")
        assert app.screen is not screen
        left.set()

        def told() -> bool:
            return any("3 comments" in str(n.message) for n in app._notifications)

        await wait_until(pilot, told, 30, what="a message that the draft was read")
    assert len(returned.open_items(store, review)) >= 3


async def test_an_import_the_data_folder_refuses_is_said_not_left_reading(
    folder,
    store: Store,
    review: int,
    draft: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    import sqlite3

    copy = returned_copy(draft, tmp_path)

    def refused(*args: object, **kwargs: object) -> returned.Imported:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(returned, "import_returned", refused)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(ReturnedDraftsScreen(review))
        await pilot.pause()
        app.screen.query_one("#returned-file", Input).value = str(copy)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: "NOT IMPORTED" in status(app))
        assert "full" in status(app)
