"""A very long title never pushes a screen's own content off the terminal.

Seen at 80x24: a review whose title was 9,000 characters (imported from a bundle, or pasted)
opened a workspace that was title from top to bottom: no stage list, no footer, so nothing told
the reviewer which keys to press. The title is shown as typed, but in at most a few lines.
"""

from __future__ import annotations

from textual.widgets import DataTable

from reviewer_tui.reviews import Store
from reviewer_tui.screens.bars import Footer
from tests.conftest import make_app


async def test_workspace_with_a_very_long_title_still_shows_the_stages(
    folder, store: Store
) -> None:  # noqa: ANN001
    from reviewer_tui.screens.workspace import WorkspaceScreen

    title = "Child L " + "a long working title " * 450 + "END"
    rid = store.create_review(title, "serious case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(WorkspaceScreen(rid))
        await pilot.pause()
        screen = app.screen
        stages = screen.query_one("#stages", DataTable)
        assert stages.region.height >= 5  # the twelve stages can be seen and scrolled
        assert stages.region.bottom <= 24
        assert screen.query_one(Footer).region.height == 1
        assert screen.query_one("#review-heading").region.y < stages.region.y


async def test_delete_dialog_with_a_very_long_title_keeps_its_field_and_buttons(
    folder, store: Store
) -> None:  # noqa: ANN001
    from textual.widgets import Button, Input

    from reviewer_tui.screens.dialogs import ConfirmDelete

    title = "Child L " + "a long working title " * 450 + "END"
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConfirmDelete(title))
        await pilot.pause()
        for widget in (
            app.screen.query_one("#typed", Input),
            app.screen.query_one("#cancel", Button),
        ):
            assert widget.region.height > 0 and widget.region.bottom <= 24  # on screen, usable
        await pilot.click("#cancel")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDelete)
