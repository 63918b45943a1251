"""User text is data, never markup (issue "Trust" item 1): what a person typed is shown and stored
exactly on every screen, and a crash log never quotes it."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from rich.console import Console
from textual.widgets import DataTable

from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from tests.conftest import make_app


def shown(app) -> str:  # noqa: ANN001
    """The characters on the terminal, as a person sees them (styles dropped)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


async def _open_workspace(pilot, app, review_id: int) -> None:  # noqa: ANN001
    from reviewer_tui.screens.workspace import WorkspaceScreen

    app.push_screen(WorkspaceScreen(review_id))
    await pilot.pause()


async def test_title_with_closing_tag_opens_the_app_on_every_start(folder, store: Store) -> None:  # noqa: ANN001
    title = "Child R [/] review"
    rid = store.create_review(title, "serious case review", "concern")
    for _start in range(2):
        app = make_app(folder)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert title in shown(app)
            await pilot.press("enter")  # opens the review's workspace
            await pilot.pause()
            assert type(app.screen).__name__ == "WorkspaceScreen"
            assert title in shown(app)
        assert app.return_code in (None, 0)
    assert store.get(m.Review, rid).title == title


async def test_draft_and_colour_tags_in_a_title_show_literally(folder, store: Store) -> None:  # noqa: ANN001
    titles = ["Child S [draft]", "[red]x[/red] Child T", "Child U [b]bold[/b] :smile:"]
    ids = [store.create_review(t, "serious case review", "concern") for t in titles]
    app = make_app(folder)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        text = shown(app)
        for title in titles:
            assert title in text
        table = app.screen.query_one("#reviews", DataTable)
        colours = {
            seg.style.color.name
            for y in range(5)
            for seg in table.render_line(y)
            if seg.style and seg.style.color
        }
        assert "red" not in colours
        await _open_workspace(pilot, app, ids[1])
        assert titles[1] in shown(app)
    assert [store.get(m.Review, i).title for i in ids] == titles


async def test_review_list_flag_for_an_unadvised_escalation_is_visible(
    folder, store: Store
) -> None:  # noqa: ANN001
    rid = store.create_review("Child V", "serious case review", "concern")
    store.add_row(m.Escalation, rid, raised_on="2025-08-01", kind="safeguarding concern")
    app = make_app(folder)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        text = shown(app)
        assert "⚠ Child V" in text
        assert "escalation not yet advised" in text
        assert "⚠ Child V" in text  # a long title does not push the flag out of its cell:
    store.rename(rid, "Child V: a very long working title for the serious case review")
    async with make_app(folder).run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert "escalation not yet advised" in shown(pilot.app)


async def test_person_name_ending_in_a_closing_tag_on_people_and_interviews(
    folder, store: Store
) -> None:  # noqa: ANN001
    from reviewer_tui.screens.interviews import InterviewsStageScreen

    rid = store.create_review("Child W", "serious case review", "concern")
    name = "Alex Smith [/b]"
    person = iv.add_person(store, rid, name, designation="[i]Team[/i] Manager")
    iv.add_interview(store, rid, person.id, scheduled_for="2025-09-10T10:00")
    app = make_app(folder)
    async with app.run_test(size=(140, 40)) as pilot:
        app.push_screen(InterviewsStageScreen(rid))
        await pilot.pause()
        assert type(app.screen).__name__ == "InterviewsStageScreen"
        text = shown(app)
        assert name in text
        assert "[i]Team[/i] Manager" in text
    assert store.get(m.Person, person.id).full_name == name


CANARY_APP = """
import sys
from pathlib import Path
from reviewer_tui.cli import open_folder
from reviewer_tui.screens.app import ReviewerApp

class Crashing(ReviewerApp):
    def on_ready(self):
        from rich.errors import MarkupError
        from rich.markup import render
        try:
            render("Child R [/A Person CANARY-2]")  # MarkupError quoting the typed title
        except MarkupError:
            int("Tyler CANARY-1")  # ValueError quoting a typed name

folder = open_folder(Path(sys.argv[1]))
app = Crashing(folder)
app.run()
folder.close()
sys.exit(app.return_code or 0)
"""


def test_crash_log_and_screen_never_quote_user_text(tmp_path: Path) -> None:
    from tests.test_crash import run_in_pty

    data_dir = tmp_path / "data [/] CANARY-3"  # even the folder's name is shown literally
    script = tmp_path / "crash.py"
    script.write_text(CANARY_APP, encoding="utf-8")
    code, output = run_in_pty([sys.executable, str(script), str(data_dir)])
    assert code == 1
    assert "stopped because of an unexpected error" in output
    assert "CANARY-1" not in output and "CANARY-2" not in output
    logs = list((data_dir / "crash-logs").glob("crash-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text(encoding="utf-8")
    assert "CANARY" not in text
    assert "rich.errors.MarkupError" in text and "ValueError" in text  # the types,
    assert "in on_ready" in text and str(script) in text  # and the frames
    assert text.count("Traceback (most recent call last):") == 2
