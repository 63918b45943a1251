"""The report screen lays out nothing for a key typed into its folder field, nor for a status that
keeps its three lines (issue 14: each layout of that screen redraws every widget on it, tens of
milliseconds, and a key typed while the preview was worked out waited behind them). The field
still scrolls to show the end of a path longer than it is wide; a longer status still lays out."""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input, Static

from reviewer_tui import bundle
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE, make_app


async def test_typing_a_folder_and_a_short_status_lay_out_nothing(
    folder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    from reviewer_tui.screens.reports import ReportScreen

    rid = bundle.import_file(store, SAMPLE)
    layouts: list[object] = []
    real = Screen._refresh_layout

    def counting(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(self)
        real(self, *args, **kwargs)

    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ReportScreen(rid))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        field = screen.query_one("#folder", Input)
        field.focus()
        field.value = ""
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        typed = "/tmp/" + "a-long-folder-name/" * 4
        await pilot.press(*("slash" if c == "/" else ("minus" if c == "-" else c) for c in typed))
        await pilot.pause()
        assert field.value == typed
        # not one a key: at most the one when the text first outgrew the field (Textual's
        # horizontal scrollbar, zero cells high here, appears: a layout reactive)
        assert len(layouts) <= 1
        layouts.clear()
        # longer than the field: it scrolled to keep the cursor (and the end) in view
        assert field.scroll_offset.x > 0
        assert field.cursor_position == len(typed)
        status = screen.query_one("#report-status", Static)
        screen._status("Preparing the preview…")
        await pilot.pause()
        assert "Preparing the preview" in str(status.render())
        assert layouts == []
        screen._status("\n".join(f"- open item {n}" for n in range(6)), problem=True)
        await pilot.pause()
        assert layouts and status.size.height == 6  # it grew: laid out, nothing cut
