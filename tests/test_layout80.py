"""Every screen readable at 80x24 and 120x40 (issue 13, items 1, 2, 3 and 10).

Item 1: no text a person reads or chooses by is cut: every label, tick box and button on every
screen and dialog is compared with what it draws (all of its words, in order, and no "…" it did
not hold), and must lie inside the containers around it (or inside one that scrolls).
Item 2: the 80x24 layout of the new-review dialog, the report screen, the review list, the
footer, F1 in dialogs and dropdowns. Item 3: the chronology's six columns at 120. Item 10: a tick
reads as a tick without colour.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, OptionList, SelectionList, Static
from textual.widgets._toggle_button import ToggleButton

from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from reviewer_tui.storage import DataFolder
from tests.conftest import make_app, reach_the_briefing, wait_until
from tests.test_screen_keys import _factories, _sample


# --- what is drawn ---------------------------------------------------------------------------
def screen_text(app: Any) -> str:
    """The whole terminal as a person sees it, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def _full_text(widget: Widget) -> str:
    if isinstance(widget, ToggleButton):
        return widget.label.plain
    if isinstance(widget, Button):
        return widget.label.plain
    rendered = widget.render()
    return str(getattr(rendered, "plain", rendered))


def _drawn(widget: Widget) -> list[str]:
    return [s.text for s in widget.render_lines(Region(0, 0, *widget.outer_size))]


def _clipped_by(widget: Widget) -> str | None:
    """The container that hides part of `widget` (one that scrolls may hide it only
    vertically: it can be scrolled to), or None."""
    region = widget.region
    scrolled = False
    for above in widget.ancestors:
        if not isinstance(above, Widget):
            break
        outer = above.region
        if region.x < outer.x or region.right > outer.right:
            return f"{type(above).__name__}#{above.id} (to the side)"
        if above.is_scrollable and above.styles.overflow_y in ("auto", "scroll"):
            scrolled = True
        elif not scrolled and not outer.contains_region(region):
            return f"{type(above).__name__}#{above.id}"
    return None


def _shown(widget: Widget) -> bool:
    return all(node.display and node.visible for node in widget.ancestors_with_self[:-2])


async def settle(pilot: Any, screen: Any) -> None:
    """Wait until the screen stops changing (a form built after the first refresh)."""
    before = None
    for _ in range(20):
        await pilot.pause()
        now = [(id(w), w.region) for w in screen.query("*")]
        if now == before:
            return
        before = now


def cut_text(screen: Any) -> list[str]:
    """Every label on `screen` that is not shown whole."""
    from reviewer_tui.screens.ticks import TickBox, TickList

    problems = []
    for widget in screen.query("*"):
        name = f"{type(widget).__name__}#{widget.id}"
        if any(type(a).__name__ in ("Header", "Footer") for a in widget.ancestors_with_self):
            continue  # one line each by design: the footer has its own test below
        if isinstance(widget, ToggleButton) and not isinstance(widget, TickBox):
            problems.append(f"{name}: a box that reads ticked and unticked alike without colour")
        if isinstance(widget, SelectionList) and not isinstance(widget, TickList):
            problems.append(f"{name}: a list whose ticks read alike without colour")
        if isinstance(widget, OptionList) and _shown(widget) and widget.region.area:
            drawn = "".join(_drawn(widget))
            if "…" in drawn and not any("…" in str(o.prompt) for o in widget.options):
                problems.append(f"{name}: a choice is cut: {drawn[:120]!r}")
        if not isinstance(widget, Static | ToggleButton | Button) or not _shown(widget):
            continue
        if type(widget).__name__ == "NonSelectableStatic":  # a dropdown's arrow
            continue
        text = _full_text(widget)
        words = text.split()
        if not words:
            continue
        if not widget.region.area:
            problems.append(f"{name}: invisible: {text[:60]!r}")
            continue
        clip = _clipped_by(widget)
        if clip:
            problems.append(f"{name}: hidden by {clip}: {text[:60]!r}")
            continue
        drawn = "\n".join(_drawn(widget))
        folded = "".join(line.strip() for line in _drawn(widget))  # a word wider than the widget
        at = 0
        for word in words:
            if len(word) > widget.content_region.width:  # (a file's path) is folded, not cut
                if word not in folded:
                    problems.append(f"{name}: {word!r} of {text[:60]!r} is cut: {drawn[:80]!r}")
                    break
                continue
            found = drawn.find(word, at)
            if found < 0:
                problems.append(f"{name}: {word!r} of {text[:60]!r} is not drawn: {drawn[:80]!r}")
                break
            at = found + len(word)
        else:
            if "…" in drawn and "…" not in text:
                problems.append(f"{name}: cut with '…': {text[:60]!r}")
    return problems


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_no_screen_or_dialog_cuts_what_a_person_reads(
    size: tuple[int, int], folder: DataFolder, store: Store
) -> None:
    sample = _sample(store)
    app = make_app(folder)
    failures: list[str] = []
    async with app.run_test(size=size) as pilot:
        for name, make in sorted(_factories().items()):
            screen = make(app, sample)
            # Each screen takes the place of the one before it, over the review list: going back
            # to the list between screens rebuilt and repainted it each time (a quarter of this
            # test's time); the list itself is checked like any other screen.
            if len(app.screen_stack) > 1:
                await app.switch_screen(screen)
            else:
                await app.push_screen(screen)
            await wait_until(pilot, lambda s=screen: app.screen is s and s.is_mounted)
            await settle(pilot, screen)
            failures += [f"{name} at {size[0]}x{size[1]}: {p}" for p in cut_text(screen)]
        app.pop_screen()
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert not failures, "\n".join(failures)


# --- item 1: the cases seen ------------------------------------------------------------------
async def test_the_briefing_items_are_on_screen(folder: DataFolder, store: Store) -> None:
    from reviewer_tui.screens.interviews import InterviewScreen

    sample = _sample(store)
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(InterviewScreen(sample.interview_id))
        await pilot.pause()
        await reach_the_briefing(pilot)
        box = app.screen.query_one("#b-confidentiality")
        box.focus()  # Tab reaches it: now it must be seen (once drawn: a loaded machine is slow)
        await wait_until(
            pilot,
            lambda: "(l) Confidentiality (the record may be disclosed later)" in screen_text(app),
            what="the focused briefing item drawn whole",
        )
        assert "(a) Purpose of the review" in "\n".join(
            "\n".join(_drawn(b)) for b in app.screen.query("#briefing TickBox")
        )


async def test_the_seven_next_steps_read_whole_at_120(folder: DataFolder, store: Store) -> None:
    from reviewer_tui.screens.meeting import MeetingScreen
    from reviewer_tui.screens.ticks import TickBox

    sample = _sample(store)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(MeetingScreen(sample.review_id))
        await pilot.pause()
        boxes = [b for b in app.screen.query(TickBox) if (b.id or "").startswith("step-")]
        assert len(boxes) == 7
        for box in boxes:
            drawn = " ".join(" ".join(_drawn(box)).split())
            assert " ".join(box.label.plain.split()) in drawn
            assert "…" not in drawn


# --- item 10: ticks without colour -----------------------------------------------------------
async def test_a_tick_reads_as_a_tick_under_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.app import App, ComposeResult

    from reviewer_tui.screens.ticks import TickBox, TickList

    monkeypatch.setenv("NO_COLOR", "1")

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield TickBox("Ticked", True, id="on")
            yield TickBox("Not ticked", False, id="off")
            yield TickList(("Chosen", 1, True), ("Not chosen", 2, False), id="list")

    app = Host()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert app.no_color
        text = screen_text(app)
        assert "[X] Ticked" in text and "[ ] Not ticked" in text
        assert "[X] Chosen" in text and "[ ] Not chosen" in text
        app.query_one("#off", TickBox).toggle()
        await pilot.pause()
        assert "[X] Not ticked" in screen_text(app)


# --- item 2: 80x24 ---------------------------------------------------------------------------
async def test_new_review_dialog_fits_and_enter_in_title_moves_on(folder: DataFolder) -> None:
    from textual.widgets import Input, Select

    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NewReviewDialog")
        screen = app.screen
        whole = Region(0, 0, 80, 24)
        for button in ("#create", "#cancel"):
            assert whole.contains_region(screen.query_one(button).region), button
        assert "Create" in screen_text(app) and "Cancel" in screen_text(app)
        screen.query_one("#title", Input).value = "Child R"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen, "Enter in the title created the review"
        assert app.focused is screen.query_one("#kind", Select)
        conn = folder.connect()
        try:
            assert conn.execute("SELECT count(*) FROM review").fetchone() == (0,)
        finally:
            conn.close()


async def test_report_result_and_preview_at_80_by_24(
    folder: DataFolder, store: Store, tmp_path: Path
) -> None:
    from textual.widgets import Input

    from reviewer_tui.screens.reports import ReportScreen

    sample = _sample(store)
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ReportScreen(sample.review_id))
        await pilot.pause()
        assert app.screen.query_one("#report-preview").size.width >= 60
        app.screen.query_one("#folder", Input).value = str(tmp_path / "out")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: "written to" in screen_text(app), what="the result")
        (tmp_path / "out").mkdir(exist_ok=True)
        (tmp_path / "out" / "blocked").write_text("x", encoding="utf-8")
        app.screen.query_one("#folder", Input).value = str(tmp_path / "out" / "blocked")
        app.screen.query_one("#stage-body").scroll_home(animate=False)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: "NOT WRITTEN" in screen_text(app), what="the error")


@pytest.mark.parametrize("width", [80, 120])
async def test_review_list_shows_stage_target_and_time_left(
    width: int, folder: DataFolder, store: Store
) -> None:
    from textual.widgets import DataTable

    store.create_review(
        "A title long enough to need more than thirty-six columns " * 2,
        "serious case review",
        "concern",
    )
    _sample(store)
    app = make_app(folder)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for header in ("Title", "Stage", "Target", "Time left"):
            assert header in text, (header, text)
        table = app.screen.query_one("#reviews", DataTable)
        title = table.ordered_columns[0]
        assert title.label.plain == "Title"
        if width == 120:
            assert title.width > 36
        assert "Report submitted" in text  # the sample's stage, whole
        assert "31 Oct 2025" in text  # its target


async def test_the_80_column_footer_shows_every_stage_letter(
    folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.workspace import WorkspaceScreen

    sample = _sample(store)
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(WorkspaceScreen(sample.review_id))
        await wait_until(
            pilot,
            lambda: "c t r h i m f a e y o u" in screen_text(app).splitlines()[-1],
            what="the stage letters in the footer",
        )
        assert "Terms of reference (t)" in screen_text(app)
        await pilot.press("t")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "TermsOfReferenceScreen")


async def test_f1_opens_help_inside_a_dialog(folder: DataFolder) -> None:
    from reviewer_tui.screens.help import HelpScreen

    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NewReviewDialog")
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        assert "Cancel" in screen_text(app)  # the dialog's own keys


async def test_the_ladder_dropdown_opens_clear_of_the_save_line(
    folder: DataFolder, store: Store
) -> None:
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    from reviewer_tui.screens.terms import TermsOfReferenceScreen

    sample = _sample(store)
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(TermsOfReferenceScreen(sample.review_id))
        await pilot.pause()
        select = field_widget(app.screen, "family_involvement_level", Select)
        select.focus()
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: select.expanded)
        await pilot.pause()
        overlay = select.query_one(SelectOverlay).region
        save_line = app.screen.query_one("SaveIndicator").region
        assert overlay.bottom <= save_line.y, (overlay, save_line)
        assert "Every change is saved" in screen_text(app)


# --- item 3: the chronology's six columns ----------------------------------------------------
@pytest.mark.parametrize("width", [120, 160])
async def test_the_chronology_shows_six_columns_from_120(
    width: int, folder: DataFolder, store: Store
) -> None:
    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.chronology_table import ChronologyTable

    sample = _sample(store)
    app = make_app(folder)
    async with app.run_test(size=(width, 40)) as pilot:
        await app.push_screen(ChronologyScreen(sample.review_id))
        await pilot.pause()
        text = screen_text(app)
        entry = app.screen.query_one(ChronologyTable).rows[0].entry
        assert len(entry.event) > 60  # long enough to wrap
        header = app.screen.query_one("#table-header", Static).render()
        for name in ("Date & time", "Source", "Event", "Participation", "Outcome", "Issues"):
            assert name in str(header), (name, header)
        # the first entry's event wraps: its last word is on screen, not cut with "…"
        assert entry.event.split()[-1] in text
        assert entry.participation.split()[0] in text
