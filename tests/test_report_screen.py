"""Pilot: the report screen previews a document as Markdown before writing anything, writes a
numbered draft into the chosen folder, lists it in the draft register, and a draft's recipients,
comments and resolutions are recorded; the publication screen refuses a review with a name left in."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, Select, Static, TextArea

from reviewer_tui import bundle
from reviewer_tui.reports import documents, drafts
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import FieldEditor, field_widget
from reviewer_tui.screens.preview_text import PreviewText
from tests.conftest import SAMPLE, make_app, wait_until


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none")


async def _wait_for_file(pilot, folder: Path, pattern: str) -> list[Path]:  # noqa: ANN001
    await wait_until(pilot, lambda: any(folder.glob(pattern)), what=f"{folder / pattern}")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return sorted(folder.glob(pattern))


async def test_preview_then_write_a_draft_and_record_recipients(
    folder, store: Store, tmp_path: Path
) -> None:  # noqa: ANN001
    rid = bundle.import_file(store, SAMPLE)
    out = tmp_path / "word"
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        from reviewer_tui.screens.reports import DraftScreen, ReportScreen

        app.push_screen(ReportScreen(rid))
        await pilot.pause()
        screen = app.screen
        screen.query_one("#folder", Input).value = str(out)
        # the first document the kind requires is chosen; this test writes the report
        assert screen.query_one("#document", Select).value == "written-review"
        screen.query_one("#document", Select).value = "management-review"
        await pilot.press("f5")  # worked out in a child process: the answer comes later
        await wait_until(
            pilot,
            lambda: "Preview ready" in str(screen.query_one("#report-status", Static).render()),
            60,  # the child starts a Python of its own: slow on a loaded machine
        )
        await pilot.pause()
        assert not out.exists()  # previewing writes nothing
        assert "1. Introduction" in screen.markdown_source
        view = screen.query_one("#preview-view", PreviewText)
        await wait_until(pilot, lambda: view.laid_out, what="the preview laid out")
        assert "1. Introduction" in view.text and len(view.lines) > 10

        await pilot.press("ctrl+s")
        written = await _wait_for_file(pilot, out, "*.docx")
        assert [p.name for p in written] == [f"review-{rid}-management-review-draft-0.2.docx"]
        table = screen.query_one("#drafts", DataTable)
        assert table.row_count == 2
        latest = drafts.drafts(store, rid)[-1]
        assert latest.version == "0.2"

        app.push_screen(DraftScreen(latest.id))
        await pilot.pause()
        await pilot.click("#add-recipient")
        await pilot.pause()
        rows = drafts.recipients(store, latest.id)
        assert [r.name for r in rows] == ["New recipient"]
        assert app.screen.query(Button).filter(".delete-recipient")
        # The recipient's comments and their resolution, typed into the screen as a reviewer does.
        # a click on the field's face: its editor is built with the focus, and takes the keys
        await pilot.click(
            next(e for e in app.screen.query(FieldEditor) if e.spec.name == "comments")
        )
        await pilot.press(*"Fine.")
        resolution = field_widget(app.screen, "resolution", TextArea)
        resolution.focus()
        resolution.insert("No change needed.")
        await wait_until(
            pilot,
            lambda: (
                [(r.comments, r.resolution) for r in drafts.recipients(store, latest.id)]
                == [("Fine.", "No change needed.")]
            ),
            what="the comments to be stored",
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        shown = DraftScreen(latest.id)  # opened again, it shows what was stored
        await app.push_screen(shown)
        await wait_until(
            pilot, lambda: any(e.spec.name == "resolution" for e in shown.query(FieldEditor))
        )
        assert field_widget(shown, "comments", TextArea).text == "Fine."
        assert field_widget(shown, "resolution", TextArea).text == "No change needed."


async def test_publication_screen_blocks_and_lists_where(
    folder, store: Store, tmp_path: Path
) -> None:  # noqa: ANN001
    rid = bundle.import_file(store, SAMPLE)
    store.update_review(
        rid, family_summary="The Brennan family moved twice."
    )  # an ambiguous surname
    out = tmp_path / "pub"
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        from reviewer_tui.screens.reports import PublicationScreen

        app.push_screen(PublicationScreen(rid))
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#mode", Select).value == "publication"
        screen.query_one("#document", Select).value = "management-review"
        screen.query_one("#folder", Input).value = str(out)
        await pilot.press("ctrl+s")
        # The quality check runs first and lists what is open (the name left in is one item);
        # ctrl+s again goes on to write, and the publication check refuses the file.
        await wait_until(
            pilot,
            lambda: (
                "Name left in the publication version: Family"
                in str(screen.query_one("#report-status", Static).render())
            ),
            30,
        )
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: "NOT saved" in str(screen.query_one("#report-status", Static).render()),
            30,
        )
        status = str(screen.query_one("#report-status", Static).render())
        assert "NOT saved" in status and "Brennan" in status and "document body" in status
        assert not list(out.glob("*.docx")) and not list(out.glob(".*"))


async def test_a_write_still_running_when_the_screen_is_left_says_how_it_ended(
    folder, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    """ctrl+s then Esc at once: the Word file is still written, and the reviewer is told so on
    the screen they went back to; a folder that cannot be made is refused in plain words."""
    rid = bundle.import_file(store, SAMPLE)
    out = tmp_path / "word [x]"
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        from reviewer_tui.screens.reports import ReportScreen

        app.push_screen(ReportScreen(rid))
        await pilot.pause()
        screen = app.screen
        blocker = tmp_path / "a file"
        blocker.write_text("not a folder", encoding="utf-8")
        screen.query_one("#folder", Input).value = str(blocker / "word")
        await pilot.press("ctrl+s")
        status = screen.query_one("#report-status", Static)
        await wait_until(pilot, lambda: "NOT WRITTEN" in str(status.render()), 60)
        said = str(status.render())
        assert f"NOT WRITTEN to {blocker}" in said and "[Errno" not in said, said

        # The write is held until the screen has been left, as a large review's takes seconds
        left = threading.Event()
        generate = documents.generate

        def held(*args: object, **kwargs: object) -> object:
            left.wait(30)
            return generate(*args, **kwargs)

        monkeypatch.setattr(documents, "generate", held)
        screen.query_one("#folder", Input).value = str(out)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Writing" in str(status.render()), 30)
        await pilot.press("escape")
        assert app.screen is not screen
        left.set()
        written = await _wait_for_file(pilot, out, "*.docx")

        def told() -> bool:
            return any(f"written to {written[0]}" in str(n.message) for n in app._notifications)

        await wait_until(pilot, told, 30, what="a message that the draft was written")


async def test_a_quality_check_ended_after_leaving_says_where_to_go_not_ctrl_s_again(
    folder, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    """The publication version's quality check finds an open item after the reviewer has left:
    the message on the screen they are on says where to go, not "ctrl+s again", a key that
    would do nothing there."""
    from reviewer_tui import quality

    rid = bundle.import_file(store, SAMPLE)
    store.update_review(rid, family_summary="The Brennan family moved twice.")
    left = threading.Event()
    check = quality.check

    def held(*args: object, **kwargs: object) -> object:
        left.wait(30)
        return check(*args, **kwargs)

    monkeypatch.setattr(quality, "check", held)
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        from reviewer_tui.screens.reports import PublicationScreen

        screen = PublicationScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        screen.query_one("#document", Select).value = "management-review"
        screen.query_one("#folder", Input).value = str(tmp_path / "pub")
        await pilot.press("ctrl+s")
        status = screen.query_one("#report-status", Static)
        await wait_until(pilot, lambda: "quality check" in str(status.render()), 30)
        await pilot.press("escape")
        assert app.screen is not screen
        left.set()

        def told() -> list[str]:
            return [str(n.message) for n in app._notifications if "quality check" in str(n.message)]

        await wait_until(pilot, told, 60, what="a message about the quality check")
        (message,) = told()
        assert message.startswith("NOT WRITTEN") and "F8" in message
        assert "ctrl+s again" not in message
    assert not (tmp_path / "pub").exists() or not list((tmp_path / "pub").iterdir())
