"""The full management review report of the large review (benchmarks/large_review.py: 10,000
chronology entries, 40 findings x 20 evidence, 60 recommendations with progress, 80 people, 60
interviews of ~200 KB notes, two of 2 MB) through the report engine (Jinja -> escaped Markdown ->
markdown-it tokens -> WordprocessingML), against python-docx building the same document directly,
in the same run. Budget: the engine takes at most 0.5x the direct build's CPU time. Then the
report screen's preview of the same report in the real app: the longest a key waits while it
is worked out (budget 50 ms), and the time to its first text (reported).

Both start from the review's bundle (reviewer_tui.bundle.export_bundle on a copy of the large
folder, exported once, outside the timing) and end with the .docx bytes. The engine side is the
path `documents.generate` takes (schema defaults, the read model's attention, the template, the
Word writer). The direct side builds the same context (`build_context`: the same sorted chronology,
the same evidence and progress texts) and writes every section the template prints - cover,
headings, bullets, the family, recommendations, chronology and interview tables (header rows
repeated, widths set), findings with their evidence, profiles, each interview's notes with their
line breaks - through python-docx's own API, styles set by id as the engine does (python-docx's
`paragraph.style = name` costs 2 ms a call) and table cells reached through the row's own cells
(`row.cells` walks the whole table on every call).

    python benchmarks/bench_report.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from budget import budget, reported  # noqa: E402
from large_review import copy_of_large_folder, large_review_id  # noqa: E402

GOAL = 0.5
DOCUMENT = "management-review"


def engine(store: Any, review_id: int, exported: dict[str, Any]) -> bytes:
    from reviewer_tui import bundle
    from reviewer_tui.reports import documents
    from reviewer_tui.reports.docx_writer import markdown_to_docx

    root = bundle.schema()
    data = documents.fill_defaults(exported, root, root)
    markdown = documents.render_markdown(store, review_id, DOCUMENT, version="0.2", data=data)
    page = documents._page(documents.document(DOCUMENT), data, publication=False, version="0.2")
    content, _removed = markdown_to_docx(markdown, page)
    return content


def direct(exported: dict[str, Any]) -> bytes:
    """The same report written straight into python-docx."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm
    from docx.table import _Cell

    from reviewer_tui import bundle
    from reviewer_tui.reports import documents
    from reviewer_tui.reports.context import build_context
    from reviewer_tui.reports.docx_writer import reference_bytes, set_properties

    root = bundle.schema()
    data = documents.fill_defaults(exported, root, root)
    c = build_context(data, document=DOCUMENT, version="0.2")
    doc = Document(io.BytesIO(reference_bytes()))
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    ids = {s.name: s.style_id for s in doc.styles if s.type == 1}
    table_style = doc.styles["Report Table"]
    not_recorded = "Not yet recorded."

    def para(text: str = "", style: str | None = None, bold_label: str = "") -> Any:
        p = doc.add_paragraph()
        if style:
            p._p.style = ids[style]
        if bold_label:
            p.add_run(bold_label).bold = True
        if text:
            p.add_run(text)  # python-docx turns \n into a line break and \t into a tab
        return p

    def heading(text: str, level: int) -> None:
        para(text, f"Heading {level}")

    def bullets(items: list[str]) -> None:
        for item in items or [not_recorded]:
            para(item, "List Bullet")

    def table(header: list[str] | None, rows: list[list[str]], widths: list[float]) -> None:
        t = doc.add_table(rows=0, cols=len(widths))
        t.style = table_style
        t.autofit = False
        for i, width in enumerate(widths):
            t.columns[i].width = Cm(width)
        for n, values in enumerate([header, *rows] if header else rows):
            row = t.add_row()
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if header and n == 0:
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                tr_pr.append(repeat)
            cells = [_Cell(tc, t) for tc in row._tr.tc_lst]  # row.cells is quadratic
            for i, (cell, value) in enumerate(zip(cells, values, strict=False)):
                cell.width = Cm(widths[i])
                p = cell.paragraphs[0]
                p._p.style = ids["Table Heading" if header and n == 0 else "Table Text"]
                p.add_run(value)
        doc.add_paragraph()

    review, lead = c["review"], c["lead_reviewer"]
    for text in ("STRICTLY CONFIDENTIAL", c["kind_name"].upper(), c["child"]):
        para(text, "Cover Title")
    para("MANAGEMENT REVIEW REPORT OF:", "Cover Title")
    para(c["agency"], "Cover Title")
    para(lead["name"], "Author Block", "AUTHOR: ")
    for text in (lead["post"], lead["address"], f"Tel. {lead['telephone']}", c["generated_on"]):
        para(text, "Author Block")
    para("Contents", "TOC Heading").paragraph_format.page_break_before = True

    heading("1. Introduction", 1)
    heading("1.1. Reason for the Review", 2)
    para(c["commissioner"].get("name", ""), None, "Commissioned by: ")
    para(review.get("commissioned_on", ""), None, "Commissioned on: ")
    para(c["criterion"], None, "Criterion: ")
    para(review.get("reason_for_review", ""))
    heading("1.2. Terms of Reference", 2)
    para(c["scope"].get("start_date", ""), None, "Start date: ")
    para("", None, "The issues the review addresses")
    bullets(c["key_issues"])
    para("", None, "Organisations involved, and their part")
    bullets(
        [f"{o['name']} ({o.get('code', '')}): {o.get('notes', '')}" for o in c["organisations"]]
    )
    heading("1.3. Basis of this Report", 2)
    para("", None, "Staff interviewed")
    bullets(
        [
            f"{p['full_name']}, {p['designation']}: interviewed {'; '.join(p['interviewed_at'])}"
            for p in c["interviewed"]
        ]
    )
    para("", None, "Files and documents examined")
    bullets([r["title"] for r in c["records_available"]])
    heading("1.4. Production of this Report", 2)
    for label, value in (
        ("Author: ", f"{lead['name']}, {lead['post']}"),
        ("Agency: ", c["agency"]),
        ("Process for the review: ", c["report"].get("production_process", "")),
        ("Supervision arrangements: ", c["report"].get("supervision_arrangements", "")),
    ):
        para(value, "List Bullet", label)

    heading("2. Family Information", 1)
    heading("2.1. Family Background and Genogram", 2)
    table(
        ["Name", "Also known as", "Relationship", "Date of birth", "Address"],
        [
            [f["name"], ", ".join(f["also_known_as"]), f["relationship"], f["date_of_birth"],
             f["address"]]
            for f in c["family_members"]
        ],
        [3.0, 3.0, 3.0, 2.6, 5.0],
    )  # fmt: skip
    heading("2.2. Summary of Family Background and Circumstances", 2)
    para(c["family_summary"] or not_recorded)
    heading("3. Analysis of Involvement", 1)
    for n, a in enumerate(c["analysis"], 1):
        heading(f"3.{n}. {a['prompt']}", 3)
        para(a["text"] or not_recorded)

    heading("4. What can we Learn?", 1)
    heading("4.1. Findings and the evidence they rest on", 2)
    for f in c["findings"]:
        para(f" {f['statement']}", None, f"Finding {f['number']} ({f.get('kind', '')}).")
        bullets(
            [f"Chronology, {e['when_text']}: {e['event']}" for e in f["chronology"]]
            + [
                f"Interview with {i['person'].get('full_name', '')}, {i['when']}"
                for i in f["interviews"]
            ]
            + [f"Record examined: {r['title']}" for r in f["records"]]
        )
    heading("4.2. Good practice to highlight", 2)
    bullets(c["good_practice"])
    heading("4.3. Ways in which practice can be improved", 2)
    bullets(c["areas_for_development"])
    heading("5. Recommendations for Action", 1)
    table(
        ["No.", "What action", "By whom", "By when", "Intended outcome", "How it will be checked",
         "Status and progress"],
        [
            [str(r["number"]), r["action"], r["owner"], r["due_text"], r["outcome"], r["measure"],
             ("OVERDUE. " if r["overdue"] else "") + r["status_and_progress"]]
            for r in c["recommendations"]
        ],
        [1.0, 3.7, 2.2, 2.5, 2.9, 2.9, 3.0],
    )  # fmt: skip
    heading("6. Sign, Print Name and Date the Report", 1)
    for text in ("Signed: ______________________________", f"Print name: {lead['name']}"):
        para(text, "Signature Line")

    heading("7. Appendices", 1)
    heading("7.1. Chronology of events in family and agency involvement", 2)
    table(
        ["Date & Time", "Event", "Source", "Participation", "Outcome", "Issues"],
        [
            [e["when_text"], e["event"], e["source"], e["participation"], e["outcome"],
             e["issues_text"]]
            for e in c["chronology"]
        ],
        [2.6, 5.2, 1.6, 2.8, 2.9, 1.9],
    )  # fmt: skip
    heading("7.2. Profile of staff interviewed", 2)
    for person in c["interviewed"]:
        heading(person["full_name"], 3)
        for key, label in c["profile_items"]:
            para("", None, label + ":")
            value = person.get(key)
            if key == "previous_employment":
                table(
                    ["Employer", "Dates", "Posts held"],
                    [[j["employer"], j["dates"], j["posts_held"]] for j in value or []],
                    [5.0, 4.0, 7.6],
                )
            elif key == "training_last_3_years":
                bullets(value)
            else:
                para(str(value or not_recorded))
    heading("7.3. Interview transcripts", 2)
    for iv in c["interviews"]:
        person = iv["person"]
        heading(f"Interview with {person['full_name']}, {iv['when']}", 3)
        table(
            None,
            [
                ["Interviewee", f"{person['full_name']}, {person['designation']}"],
                ["Date and time", iv["when"]],
                ["Place", iv["location"]],
                ["Length", f"{iv.get('duration_minutes') or ''} minutes"],
                ["Recording method", iv["recording_method"]],
                ["Note taker", iv["note_taker"]],
                ["Supporter", person.get("supporter", "")],
            ],
            [4.0, 12.6],
        )
        para(iv["notes"] or not_recorded)
        para("", None, "Contentious points checked back during the interview")
        bullets(iv["contentious_points"])
        para("", None, "Comments from the interviewee")
        para(iv["interviewee_comments"] or not_recorded)
        para("", None, "Briefing before the interview, items (a) to (l)")
        bullets(
            [
                f"({b['letter']}) {b['text']}: {'done' if b['done'] else 'not done'}"
                for b in iv["briefing_items"]
            ]
        )
        para("", None, "The record's agreement")
        for label, value in (
            ("Record sent to the interviewee: ", iv.get("sent_to_interviewee_on")),
            ("Agreed: ", iv.get("agreed_on")),
        ):
            para(str(value or not_recorded), None, label)
    heading("8. Family Involvement in Serious Case Reviews", 1)
    para("", None, "Contact with the family")
    table(
        ["Date", "Who", "Level reached", "What happened", "Notes"],
        [
            [x.get("date", ""), x.get("who", ""), str(x.get("level", "")), x.get("action", ""),
             x.get("notes", "")]
            for x in c["family_contacts"]
        ],
        [2.4, 3.0, 3.4, 4.0, 3.8],
    )  # fmt: skip
    section = doc.sections[0]
    section.header.paragraphs[0].add_run("STRICTLY CONFIDENTIAL    ·    DRAFT version 0.2")
    section.footer.paragraphs[0].add_run(f"Management Review Report: {c['child']}    Page ")
    set_properties(doc, {"title": "Management Review Report", "author": lead["name"]})
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


KEY_EVERY = 0.02  # seconds between keys while the preview renders
WAIT_GOAL_MS = 50.0


async def preview_first_text(data_dir: Path, review_id: int) -> tuple[float, float, float, int]:
    """F5 on the report screen of the large review, in the real app under Pilot: the wall time
    until the preview shows its first text, the longest a key waited while the preview was
    worked out (a key every ~20 ms, sent as the terminal driver sends it, from F5 until the
    whole preview is ready; the wait is from sending the key to the field holding its
    character), the median wait of the same keys before F5 (the baseline), and the number of
    parts."""
    import asyncio
    import datetime as dt

    from textual import events
    from textual.widgets import Input, Select, Static

    from reviewer_tui.cli import open_folder
    from reviewer_tui.screens.app import ReviewerApp
    from reviewer_tui.screens.reports import ReportScreen

    folder = open_folder(data_dir)
    app = ReviewerApp(folder, today=lambda: dt.date(2025, 9, 1))
    async with app.run_test(size=(120, 40)) as pilot:
        # The review list refreshes itself on the UI thread as it is first shown and resized
        # (about a second with the large review, on a busy machine): settled before measuring,
        # so what is measured is the preview's cost.
        await pilot.pause()
        await asyncio.sleep(1.0)
        await pilot.pause()
        screen = ReportScreen(review_id)
        await app.push_screen(screen)
        screen.query_one("#document", Select).value = DOCUMENT
        field = screen.query_one("#folder", Input)
        field.focus()
        await pilot.pause()
        status = screen.query_one("#report-status", Static)

        async def key() -> float:
            before = len(field.value)
            sent = time.perf_counter()
            event = events.Key("x", "x")
            event.set_sender(app)
            assert app._driver is not None
            app._driver.send_message(event)
            while len(field.value) == before:
                await asyncio.sleep(0.0005)
            return time.perf_counter() - sent

        idle = []
        for _ in range(50):
            idle.append(await key())
            await asyncio.sleep(KEY_EVERY)
        started = time.perf_counter()
        await pilot.press("f5")
        waits: list[float] = []
        first = 0.0
        while "Preview ready" not in str(status.render()):
            if time.perf_counter() - started > 180:
                raise RuntimeError(f"no preview after 180 s: {status.render()}")
            if not first and screen.shown:
                first = time.perf_counter() - started
            waits.append(await key())
            if os.environ.get("BENCH_REPORT_TRACE"):
                print(f"{time.perf_counter() - started:.2f} wait {waits[-1] * 1000:.0f} ms")
            await asyncio.sleep(KEY_EVERY)
        first = first or time.perf_counter() - started
        parts = len(screen.preview_parts)
        await app.workers.wait_for_complete()
    folder.close()
    return first, max(waits, default=0.0), statistics.median(idle), parts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    from reviewer_tui import bundle
    from reviewer_tui.cli import open_folder
    from reviewer_tui.reviews import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        data_dir = copy_of_large_folder(tmp)
        review_id = large_review_id(data_dir)
        folder = open_folder(data_dir)
        store = Store(folder)
        started = time.process_time()
        exported = bundle.export_bundle(store, review_id)
        export_s = time.process_time() - started
        timings: dict[str, list[float]] = {"engine": [], "direct": []}
        sizes: dict[str, int] = {}
        for _ in range(args.runs):
            for name, build in (
                ("direct", lambda: direct(exported)),
                ("engine", lambda: engine(store, review_id, exported)),
            ):
                started = time.process_time()
                sizes[name] = len(build())
                timings[name].append(time.process_time() - started)
        folder.close()
        import asyncio

        first_s, worst_wait_s, idle_s, parts = asyncio.run(preview_first_text(data_dir, review_id))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    engine_s, direct_s = statistics.median(timings["engine"]), statistics.median(timings["direct"])
    print(
        f"management review report of the large review (engine {sizes['engine'] // 1024} KB, "
        f"direct {sizes['direct'] // 1024} KB .docx), CPU seconds, median of {args.runs}: "
        f"engine {engine_s:.2f} s, python-docx directly {direct_s:.2f} s; bundle export "
        f"{export_s:.2f} s (not in either)"
    )
    budget(
        "report: full management review report of the large review, engine / python-docx",
        engine_s / direct_s,
        GOAL,
        "x",
        direct_s * 1000,
        "python-docx building the same document directly (CPU)",
    )
    reported("report: bundle export of the large review (CPU)", f"{export_s * 1000:.0f} ms")
    budget(
        "report: preview of the large review, longest key wait while rendering (wall)",
        worst_wait_s * 1000,
        WAIT_GOAL_MS,
        "ms",
        idle_s * 1000,
        "median key wait on the same screen before F5",
    )
    reported(
        "report: preview of the large review, F5 to its first text on screen (wall)",
        f"{first_s * 1000:.0f} ms, in {parts} parts",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
