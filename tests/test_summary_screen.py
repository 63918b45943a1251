"""The executive summary editor (issue 16 item 2) and the report screen's list of the documents
the review's kind requires (item 1): Pilot for what is stored and printed, a snapshot at 80x24."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from textual.widgets import Button, Select, Static, TextArea

from reviewer_tui import bundle
from reviewer_tui import models as m
from reviewer_tui.reports import documents, executive_summary
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from tests.conftest import SAMPLE, make_app, wait_until


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none")


def _sample(store: Store, kind: str = "case management review") -> int:
    raw = json.loads(SAMPLE.read_text(encoding="utf-8"))
    raw["review"]["review_type"] = kind
    return bundle.import_bundle(store, copy.deepcopy(raw))


async def test_report_screen_lists_the_kinds_documents_and_the_edited_summary_prints(
    folder, store: Store, tmp_path: Path
) -> None:  # noqa: ANN001
    rid = _sample(store)
    drawn = {p["key"]: p["text"] for p in documents.summary_parts(store, rid)}
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        from reviewer_tui.screens.reports import ReportScreen
        from reviewer_tui.screens.summary import ExecutiveSummaryScreen

        app.push_screen(ReportScreen(rid))
        await pilot.pause()
        report = app.screen
        line = str(report.query_one("#kind-products", Static).render())
        assert "This Case Management Review requires: Overview Report, Executive Summary, " in line
        options = [str(label) for label, _ in report.query_one("#document", Select)._options]
        assert options[0] == "Overview Report (overview-report), required"
        assert options[3] == "Learning Summary (learning-summary), required"

        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ExecutiveSummaryScreen))
        screen = app.screen
        area = field_widget(screen, "summary_findings", TextArea)
        assert area.text == drawn["summary_findings"]  # shown, not yet stored
        await pilot.pause()
        assert store.get(m.ReportDetails, rid).summary_findings == ""

        area.focus()
        area.move_cursor(area.document.end)
        area.insert("\nAnd [b]one more[/b] of our own.")
        mine = drawn["summary_findings"] + "\nAnd [b]one more[/b] of our own."
        await wait_until(
            pilot,
            lambda: store.get(m.ReportDetails, rid).summary_findings == mine,
            what="the rewritten part to be stored",
        )
        await wait_until(
            pilot,
            lambda: str(screen.query_one("#s-summary_findings", Static).render()).startswith(
                "Rewritten by you"
            ),
            what="the part to say it was rewritten",
        )

        # the part's button: the record's text again, and nothing of ours stored
        button = screen.query_one("#redraw-summary_findings", Button)
        button.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: area.text == drawn["summary_findings"])
        await pilot.pause()
        assert store.get(m.ReportDetails, rid).summary_findings == ""

        # rewrite once more and write the summary: our words print
        area.focus()
        area.load_text("Our own summary of the findings.")
        area.move_cursor(area.document.end)
        area.insert(" [x]")
        await wait_until(
            pilot,
            lambda: (
                store.get(m.ReportDetails, rid).summary_findings
                == "Our own summary of the findings. [x]"
            ),
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is report)
    target = tmp_path / "es.docx"
    documents.generate(store, rid, "executive-summary", target)
    import docx

    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Our own summary of the findings. [x]" in text
    assert drawn["summary_findings"].splitlines()[0][2:] not in text


def _app(data_dir: Path):  # noqa: ANN202
    from reviewer_tui.cli import open_folder
    from reviewer_tui.screens.summary import ExecutiveSummaryScreen

    folder = open_folder(data_dir)
    rid = _sample(Store(folder))
    app = make_app(folder)
    app.sub_title = "snapshot"

    async def open_editor(pilot) -> None:  # noqa: ANN001
        await app.push_screen(ExecutiveSummaryScreen(rid))
        await pilot.pause()

    return app, open_editor


def test_executive_summary_editor_at_80_by_24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    app, open_editor = _app(data_dir)
    assert snap_compare(app, run_before=open_editor, terminal_size=(80, 24))


def test_summary_parts_read_only_what_the_summary_needs(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary's parts are the same as from the whole review_data (rewritten part included),
    without exporting the whole bundle: a large review's took seconds for four paragraphs."""
    rid = _sample(store)
    store.update(m.ReportDetails, rid, summary_reason="Our own [b]reason[/b].")
    whole = executive_summary.texts(documents.review_data(store, rid))

    def whole_bundle(*_: object, **__: object) -> None:
        raise AssertionError("the whole bundle was read for the executive summary")

    monkeypatch.setattr(bundle, "export_bundle", whole_bundle)
    assert documents.summary_parts(store, rid) == whole
    assert whole[0]["edited"] and whole[0]["text"] == "Our own [b]reason[/b]."
    assert "Organisations involved: " in whole[1]["text"]  # drawn from the scope's rows
    assert whole[2]["text"] and whole[3]["text"]  # the sample has findings and recommendations
