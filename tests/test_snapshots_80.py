"""Every screen and dialog at 80x24 (issue 13, "done when"): one snapshot each, over the public
sample, plus the interview screen with its briefing in view, a field NOT SAVED, the READ-ONLY
banner and the high-contrast theme. The data are fixed (the sample bundle, FIXED_TODAY) and no
clock or temporary path is drawn. Update with --snapshot-update after a deliberate change and
look at the SVGs in tests/__snapshots__/test_snapshots_80/ before committing them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from reviewer_tui.screens.readiness import QualityScreen
from tests.conftest import make_app, reach_the_briefing, wait_until, workers_done
from tests.test_layout80 import settle
from tests.test_screen_keys import Sample, _factories, _sample

SIZE = (80, 24)
FOLDER_SHOWN = "~/Documents/reviewer-tui"  # the report screen's folder field, not the test's home


def _app(data_dir: Path, read_only: bool = False) -> tuple[Any, Sample]:
    folder = open_folder(data_dir)
    sample = _sample(Store(folder))
    if read_only:
        folder.read_only = True  # drawn as on read-only media (the media itself: test_faults.py)
    app = make_app(folder)
    app.sub_title = "READ-ONLY · snapshot" if read_only else "snapshot"
    return app, sample


def _fixed_clock_and_places(store: Store) -> None:
    """What the picture must not take from the run: the history's times (the sample's records
    were unsigned as the test began) and a pack's write-back place (the test's own folder)."""
    from sqlmodel import select

    if store.folder.read_only:  # drawn as read-only: nothing may be written (nor needs to be)
        return
    with store.session() as session:
        for version in session.exec(select(m.InterviewVersion)).all():
            if isinstance(version.data, dict) and "written_to" in version.data:
                version.data = version.data | {"written_to": "/media/usb/pack-with-notes.json"}
        session.commit()
    conn = store.folder.connect()
    try:
        conn.execute(
            "UPDATE change_entry SET started_at = '2025-09-01T09:00:00.000000+00:00', "
            "changed_at = '2025-09-01T09:00:00.000000+00:00'"
        )
    finally:
        conn.close()


def showing(
    make: Callable[[Any], Any],
    *keys: str,
    then: Callable[[Any], Awaitable[None]] | None = None,
) -> Callable[[Any], Awaitable[None]]:
    """A run_before: open the screen `make` builds, let it settle, run `then`, press `keys`."""

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await workers_done(pilot)
        screen = make(app)
        _fixed_clock_and_places(app.store)
        await app.push_screen(screen)
        await settle(pilot, screen)
        if isinstance(screen, QualityScreen):  # its check starts a moment after it is shown
            await wait_until(
                pilot,
                lambda: "Quality check" in str(screen.query_one("#quality-summary").render()),
                60,
                "the quality check's result",
            )
        for field in screen.query("#folder"):
            field.value = FOLDER_SHOWN
        if then is not None:
            await then(pilot)
        for key in keys:
            await pilot.press(key)
        await workers_done(pilot)
        await settle(pilot, app.screen)

    return run_before


@pytest.mark.parametrize("name", sorted(_factories()))
def test_every_screen_and_dialog_at_80_by_24(snap_compare, data_dir: Path, name: str) -> None:  # noqa: ANN001
    app, sample = _app(data_dir)
    make = _factories()[name]
    assert snap_compare(app, terminal_size=SIZE, run_before=showing(lambda a: make(a, sample)))


def test_interview_with_the_briefing_in_view(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    from reviewer_tui.screens.interviews import InterviewScreen

    app, sample = _app(data_dir)

    async def to_briefing(pilot: Any) -> None:
        await reach_the_briefing(pilot)
        pilot.app.screen.query_one("#b-purpose_and_terms").focus(scroll_visible=False)
        briefing = pilot.app.screen.query_one("#briefing")
        briefing.scroll_visible(top=True, animate=False, immediate=True)
        # The notes section below comes into view and is built, which lengthens the screen: the
        # first scroll could stop short of the top, depending on which came first.
        await settle(pilot, pilot.app.screen)
        briefing.scroll_visible(top=True, animate=False, immediate=True)

    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=showing(lambda a: InterviewScreen(sample.interview_id), then=to_briefing),
    )


def test_a_field_not_saved(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    """A date that cannot be read: the field says why and the save line says NOT SAVED."""
    from textual.widgets import Input

    from reviewer_tui.screens.terms import TermsOfReferenceScreen

    app, sample = _app(data_dir)

    async def bad_date(pilot: Any) -> None:
        field = field_widget(pilot.app.screen, "period_from", Input)
        field.value = "31/02/2025"
        field.focus(scroll_visible=False)
        field.scroll_visible(top=True, animate=False, immediate=True)

    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=showing(lambda a: TermsOfReferenceScreen(sample.review_id), then=bad_date),
    )


def test_read_only(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    from reviewer_tui.screens.interviews import InterviewScreen

    app, sample = _app(data_dir, read_only=True)
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=showing(lambda a: InterviewScreen(sample.interview_id)),
    )


def test_high_contrast(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    from reviewer_tui.screens.meeting import MeetingScreen

    app, sample = _app(data_dir)

    async def high_contrast(pilot: Any) -> None:
        pilot.app.theme = "high-contrast"

    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=showing(lambda a: MeetingScreen(sample.review_id), then=high_contrast),
    )
