"""The analysis and learning screen: a finding without evidence is flagged on screen and stops
being flagged once an entry is linked; hindsight-only evidence is flagged; learning points are
marked for the training team. Every change is stored as made."""

from __future__ import annotations

from textual.widgets import Checkbox, SelectionList, Static, TextArea

from reviewer_tui import bundle, findings
from reviewer_tui import models as m
from reviewer_tui.screens.forms import field_widget
from tests.conftest import SAMPLE, make_app, wait_until


async def open_analysis(app, pilot, rid):
    from reviewer_tui.screens.findings import AnalysisScreen

    await app.push_screen(AnalysisScreen(rid))
    await pilot.pause()
    return app.screen


def flag_text(box) -> str:
    flag = box.query_one(".finding-flag", Static)
    return str(flag.render()) if flag.display else ""


async def test_flag_shows_until_evidence_is_linked_through_the_dialog(folder, store) -> None:
    from reviewer_tui.screens.findings import EvidenceDialog, FindingBox

    rid = bundle.import_file(store, SAMPLE)
    later = next(e for e in store.rows(m.ChronologyEntry, rid) if e.key == "ch-missing-1")
    at_time = next(e for e in store.rows(m.ChronologyEntry, rid) if e.key == "ch-missing-2")
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_analysis(app, pilot, rid)
        assert "Hindsight" in str(screen.query_one("HindsightBar").render())
        assert len(screen.query(FindingBox)) == 3
        assert all(flag_text(b) == "" for b in screen.query(FindingBox))
        screen.action_add_finding()
        await pilot.pause()
        box = list(screen.query(FindingBox))[-1]
        field_widget(box, "statement", TextArea).text = "The first episode was not linked."
        await pilot.pause()
        assert "No evidence linked" in flag_text(box)
        assert box.has_class("flagged")
        stored = store.get(m.Finding, box.finding_id)
        assert (stored.key, stored.statement) == ("f-4", "The first episode was not linked.")
        assert box.border_title == "Finding 4"  # its place in the list; ids are never shown

        # Link only the entry learned later: flagged as hindsight.
        box.query_one(".link-evidence").press()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        options = dialog.query_one(SelectionList)
        options.select(f"chronology:{later.id}")
        dialog.action_done()
        await pilot.pause()
        assert "learned later" in flag_text(box)
        assert "1 flagged" in str(screen.query_one("#findings-summary", Static).render())
        assert "ch-missing-1" not in str(box.query_one(".finding-evidence", Static).render())

        # Add an entry recorded at the time: no longer flagged.
        box.query_one(".link-evidence").press()
        await pilot.pause()
        app.screen.query_one(SelectionList).select(f"chronology:{at_time.id}")
        app.screen.action_done()
        await pilot.pause()
        assert flag_text(box) == ""
        assert not box.has_class("flagged")
        assert "none flagged" in str(screen.query_one("#findings-summary", Static).render())
        view = findings.finding(store, box.finding_id)
        assert {e.id for e in view.evidence} == {later.id, at_time.id}
        summary = str(screen.query_one("#findings-summary", Static).render())
        assert summary.startswith("4 findings")

        # Deleting the first renumbers the rest by place.
        list(screen.query(FindingBox))[0].query_one(".delete-finding").press()
        await wait_until(pilot, lambda: box.border_title == "Finding 3")
        assert [f.key for f in store.rows(m.Finding, rid)] == ["f-2", "f-3", "f-4"]
        assert str(screen.query_one("#findings-summary", Static).render()).startswith("3 findings")


async def test_learning_points_marked_for_training_are_stored(folder, store) -> None:
    from reviewer_tui.screens.findings import LearningPoints

    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_analysis(app, pilot, rid)
        points = screen.query_one(LearningPoints)
        rows = list(points.query(".point"))
        assert len(rows) == 7
        rows[1].query_one(Checkbox).value = True
        rows[5].query_one(TextArea).text = "No written route to Housing (edited)."
        rows[5].query_one(Checkbox).value = True
        await pilot.pause()
        learning = store.get(m.Learning, rid)
        assert learning.areas_for_development[1] == "No written route to Housing (edited)."
        assert findings.points_for_training(store, rid) == [
            learning.good_practice[1],
            "No written route to Housing (edited).",
        ]
        # Analysis prompts are stored as typed.
        field_widget(screen, "supervision_and_case_management", TextArea).text = "Weekly, recorded."
        await pilot.pause()
        assert store.get(m.Analysis, rid).supervision_and_case_management == "Weekly, recorded."
