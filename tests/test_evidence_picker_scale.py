"""The evidence dialog on a long chronology: it lays out at most picker.SHOWN items, whatever the
chronology's size, finds any item by the words typed, and keeps every tick while the words
change (Done returns them all, in the candidates' order)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, SelectionList, Static

from reviewer_tui import findings as core
from reviewer_tui.screens.findings import EvidenceDialog
from reviewer_tui.screens.picker import SHOWN


def _candidates(n: int) -> dict[str, list[core.Evidence]]:
    entries = [core.Evidence("chronology", i, f"2024-01-01 entry number {i}") for i in range(n)]
    return {"chronology": entries, "interview": [], "record": []}


class Host(App[None]):
    def __init__(self, dialog: EvidenceDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: object = "not dismissed"

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        def done(result: object) -> None:
            self.result = result

        self.push_screen(self.dialog, done)


async def test_a_long_chronology_shows_a_bounded_list_found_by_words() -> None:
    n = 5_000
    dialog = EvidenceDialog(_candidates(n), [("chronology", 4_321)])
    app = Host(dialog)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ticks = dialog.query_one(SelectionList)
        # Laid out: a bounded list, the ticked entry first, not all 5,000.
        assert ticks.option_count == SHOWN
        assert ticks.get_option_at_index(0).value == "chronology:4321"
        assert "chronology:4321" in ticks.selected
        # Found by words, wherever it is in the list; ticked there.
        dialog.query_one("#picker-find", Input).value = "number 4999"
        await pilot.pause()
        values = [ticks.get_option_at_index(i).value for i in range(ticks.option_count)]
        assert values == ["chronology:4321", "chronology:4999"]
        ticks.select("chronology:4999")
        # Other words: the tick is kept though the item is no longer shown.
        dialog.query_one("#picker-find", Input).value = "number 12"
        await pilot.pause()
        assert "chronology:12" in [
            ticks.get_option_at_index(i).value for i in range(ticks.option_count)
        ]
        ticks.deselect("chronology:4321")
        ticks.select("chronology:12")
        dialog.action_done()
        await pilot.pause()
    assert app.result == [("chronology", 12), ("chronology", 4_999)]


async def test_a_short_list_is_shown_whole_without_a_find_box() -> None:
    dialog = EvidenceDialog(_candidates(SHOWN), [])
    app = Host(dialog)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert dialog.query_one(SelectionList).option_count == SHOWN
        assert not dialog.query("#picker-find")


async def test_the_dialog_labels_only_the_entries_it_shows() -> None:
    """A chronology of 10,000 as `candidates` gives it: the dialog reads the labels of those it
    shows, not of every entry, until words are typed to find one."""
    rows = [(i, "2024-01-01", "", f"entry number {i}", 1) for i in range(10_000)]
    chronology = core.ChronologyEvidence(rows)
    candidates = {"chronology": chronology, "interview": [], "record": []}
    dialog = EvidenceDialog(candidates, [("chronology", 9_999)])
    app = Host(dialog)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert dialog.query_one(SelectionList).option_count == SHOWN
        assert len(chronology._made) <= SHOWN
        assert f"1 ticked. Showing {SHOWN} of 10,000 items." in str(
            dialog.query_one(".picker-count", Static).render()
        )
        dialog.query_one("#picker-find", Input).value = "number 9998"
        await pilot.pause()
        ticks = dialog.query_one(SelectionList)
        values = [ticks.get_option_at_index(i).value for i in range(ticks.option_count)]
        assert values == ["chronology:9999", "chronology:9998"]
        dialog.action_done()
        await pilot.pause()
    assert app.result == [("chronology", 9_999)]
