"""Text that holds terminal control characters is data, never a command to the terminal.

A review bundle (or a note taker's interview file) from someone else can carry ESC, CSI and
other control characters in any text field; they are stored exactly (RELIABILITY rule 12). Seen
in a real terminal: a review titled "ESC[2J ESC[31m ..." imported from a bundle blanked the
review list on every start and turned the rest red, "ESC]0;...BEL" retitled the terminal window,
and the same title in an Input on the commissioning screen blanked that screen too; `reviewer-tui
list` wrote the codes straight to the terminal. What the app writes to the terminal must hold no
control character that came from a person's text, on any screen and in any widget.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from reviewer_tui import interviews as iv
from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from tests.conftest import REPO, make_app

HOSTILE = "Child Q \x1b[2J\x1b[31mRED\x1b]0;pwned\x07 \x9b31m C1 \x00nul \x7fdel end"
# what may reach the terminal from the user's text: printable characters only
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_output(app) -> str:  # noqa: ANN001
    """Exactly what the app would write to the terminal for a full repaint of the screen."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def user_controls(output: str) -> list[str]:
    """The control sequences in `output` that are not the app's own styling and cursor moves:
    the app writes only CSI sequences ending in m (colour), H (cursor position) and the
    synchronised-update and hyperlink forms; anything else came from user text."""
    own = re.sub(r"\x1b\[[0-9;]*[mHK]|\x1b\[\?2026[hl]|\x1b\]8;[^\x1b]*\x1b\\", "", output)
    own = own.replace("\r\n", "").replace("\n", "")
    return CONTROL.findall(own)


async def test_control_characters_in_user_text_never_reach_the_terminal(
    folder, store: Store
) -> None:  # noqa: ANN001
    from textual.widgets import Input

    from reviewer_tui.screens.forms import FieldEditor

    rid = store.create_review(HOSTILE, "serious case review", "concern")
    iv.add_person(store, rid, "Ann \x1b[2JAble")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert user_controls(terminal_output(app)) == []  # the review list
        assert "RED" in terminal_output(app)  # the printable part of the title is still shown
        await pilot.press("enter")  # the workspace, title in its header
        await pilot.pause()
        assert type(app.screen).__name__ == "WorkspaceScreen"
        assert user_controls(terminal_output(app)) == []
        await pilot.press("c")  # commissioning: the title in an Input
        await pilot.pause()
        assert any(w.value == HOSTILE for w in app.screen.query(Input)) or any(
            f.value == HOSTILE for f in app.screen.query(FieldEditor).results(FieldEditor)
        )  # the title's field (its face until wanted) shows it
        assert user_controls(terminal_output(app)) == []
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("i")  # people and interviews: the name in a table
        await pilot.pause()
        assert user_controls(terminal_output(app)) == []
    assert store.get(m.Review, rid).title == HOSTILE  # stored exactly, as rule 12 says


def test_cli_list_writes_no_control_character_of_a_title(data_dir: Path) -> None:
    folder = open_folder(data_dir)
    try:
        Store(folder).create_review(HOSTILE, "serious case review", "concern")
    finally:
        folder.close()
    done = subprocess.run(
        [sys.executable, "-m", "reviewer_tui", "--data-dir", str(data_dir), "list"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        cwd=REPO,
        timeout=120,
    )
    line = done.stdout.splitlines()[0]
    assert CONTROL.findall(line.replace("\t", "")) == []
    assert "Child Q \u241b[2J\u241b[31mRED" in line and line.rstrip().endswith(
        "end\tSerious Case Review"
    )
