"""Rendering the management review report of a large review (1,000 chronology entries, 30
interviews of 1,500 words) through the report engine (Jinja -> escaped Markdown -> markdown-it
tokens -> python-docx), against python-docx building the same content directly, in the same run.
Goal: the engine takes 1.5 times the direct build or less.

Both start from the same review data in memory and end with the .docx bytes; the baseline writes
the same headings, paragraphs, tables (header rows repeated, widths set) and styles, with no
template and no Markdown. Both reach table cells through the row's own cells (python-docx's
`row.cells` walks the whole table on every call, which made either side take seconds).

    python benchmarks/bench_report.py [--runs N]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GOAL = 1.5
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "bundle" / "sample_child_t.json"
WORDS = (
    "the social worker visited home and spoke with mother about school attendance housing "
    "police referral assessment plan supervision manager agreed review meeting child said "
    "felt safe grandfather bus timetable written questions text reply"
).split()


def big_review(entries: int = 1000, interviews: int = 30, words: int = 1500, seed: int = 5) -> dict:
    rng = random.Random(seed)
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    start = dt.date(2022, 1, 1)
    data["chronology"] = [
        {
            "id": f"c{n}",
            "when": (start + dt.timedelta(days=rng.randrange(900))).isoformat()
            + (f"T{rng.randrange(24):02d}:{rng.randrange(60):02d}" if rng.random() < 0.3 else ""),
            "event": " ".join(rng.choice(WORDS) for _ in range(rng.randrange(12, 40))).capitalize()
            + ".",
            "source": rng.choice(["CSC", "POL", "SCH", "EH"]),
            "participation": "Social worker; mother; child.",
            "outcome": " ".join(rng.choice(WORDS) for _ in range(10)).capitalize() + ".",
            "issues": rng.sample(["Decision", "Communication", "Liaison", "Recording"], 2),
        }
        for n in range(entries)
    ]
    people, records = [], []
    template = data["people"][0]
    for n in range(interviews):
        person = copy.deepcopy(template)
        person.update(
            id=f"p{n}",
            full_name=f"Worker Number{n}",
            pseudonym=f"Practitioner {n}",
            also_known_as=[],
        )
        people.append(person)

        def paragraph() -> str:
            return " ".join(rng.choice(WORDS) for _ in range(100)).capitalize() + "."

        notes = "\n\n".join(paragraph() for _ in range(words // 100))
        iv = copy.deepcopy(data["interviews"][0])
        iv.update(id=f"i{n}", person_id=f"p{n}", notes=notes)
        records.append(iv)
    data["people"], data["interviews"] = people, records
    data["meeting"]["attendees"] = []
    data["meeting"]["contributions"] = []
    for rec in data["recommendations"]:
        rec["evidence"], rec["finding_ids"] = [], []
    data["findings"] = []
    return data


def engine(data: dict) -> bytes:
    from reviewer_tui import bundle
    from reviewer_tui.reports import documents
    from reviewer_tui.reports import engine as jinja
    from reviewer_tui.reports.context import build_context
    from reviewer_tui.reports.docx_writer import Page, markdown_to_docx

    root = bundle.schema()
    filled = documents.fill_defaults(data, root, root)
    context = build_context(filled, document="management-review", version="0.2")
    context["title"] = "Management Review Report"
    markdown = jinja.render("management-review.md", context, Path("/nonexistent"))
    content, _removed = markdown_to_docx(
        markdown, Page(title="Management Review Report", draft_version="0.2")
    )
    return content


def direct(data: dict) -> bytes:
    """The same report written straight into python-docx."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm
    from docx.table import _Cell

    from reviewer_tui.domain import ANALYSIS_PROMPTS, PROFILE_ITEMS
    from reviewer_tui.reports.context import chronology_key, when_text
    from reviewer_tui.reports.docx_writer import reference_bytes
    from reviewer_tui.reports.engine import format_date

    doc = Document(io.BytesIO(reference_bytes()))
    ids = {s.name: s.style_id for s in doc.styles if s.type == 1}

    def para(text: str = "", style: str | None = None):  # noqa: ANN202
        # Style ids set directly, as the engine does (paragraph.style = ... costs 2 ms a call).
        p = doc.add_paragraph(text)
        if style:
            p._p.style = ids[style]
        return p

    review = data["review"]
    for text in (
        "STRICTLY CONFIDENTIAL",
        review["review_type"].upper(),
        review["child_name"],
        "MANAGEMENT REVIEW REPORT OF:",
        review["agency"],
    ):
        para(text, "Cover Title")
    for text in (review["lead_reviewer"]["name"], review["lead_reviewer"]["post"]):
        para(text, "Author Block")

    def heading(text: str, level: int) -> None:
        para(text, f"Heading {level}")

    def bullets(items: list[str]) -> None:
        for item in items:
            para(item, "List Bullet")

    def table(header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> None:
        t = doc.add_table(rows=0, cols=len(header))
        t.style = doc.styles["Report Table"]
        for n, values in enumerate([header, *rows]):
            row = t.add_row()
            if n == 0:
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(repeat)
            cells = [_Cell(tc, t) for tc in row._tr.tc_lst]  # row.cells is quadratic
            for i, (cell, value) in enumerate(zip(cells, values, strict=False)):
                if widths:
                    cell._tc.width = Cm(widths[i])
                p = cell.paragraphs[0]
                p._p.style = ids["Table Heading" if n == 0 else "Table Text"]
                p.add_run(value)

    heading("1. Introduction", 1)
    heading("1.1. Reason for the Review", 2)
    para(review["reason_for_review"])
    heading("1.2. Terms of Reference", 2)
    bullets(data["scope"]["key_issues"])
    heading("1.3. Basis of this Report", 2)
    bullets([f"{p['full_name']}, {p['designation']}" for p in data["people"]])
    bullets([r["title"] for r in data["records_examined"]])
    heading("1.4. Production of this Report", 2)
    bullets([data["report"]["production_process"], data["report"]["supervision_arrangements"]])
    heading("2. Family Information", 1)
    table(
        ["Name", "Also known as", "Relationship", "Date of birth", "Address"],
        [
            [
                f["name"],
                ", ".join(f.get("also_known_as", [])),
                f["relationship"],
                f["date_of_birth"],
                f["address"],
            ]
            for f in data["family"]["members"]
        ],
    )
    para(data["family"]["summary"])
    heading("3. Analysis of Involvement", 1)
    for n, (key, prompt) in enumerate(ANALYSIS_PROMPTS, 1):
        heading(f"3.{n}. {prompt}", 3)
        para(data["analysis"].get(key, ""))
    heading("4. What can we Learn?", 1)
    bullets(data["learning"]["good_practice"] + data["learning"]["areas_for_development"])
    heading("5. Recommendations for Action", 1)
    table(
        ["No.", "What action", "By whom", "By when", "Intended outcome", "How it will be checked"],
        [
            [str(n), r["action"], r["owner"], r["due"], r["outcome"], r["measure"]]
            for n, r in enumerate(data["recommendations"], 1)
        ],
    )
    heading("7. Appendices", 1)
    heading("7.1. Chronology of events in family and agency involvement", 2)
    entries = data["chronology"]
    order = sorted(range(len(entries)), key=lambda n: chronology_key(entries[n], n))
    table(
        ["Date & Time", "Event", "Source", "Participation", "Outcome", "Issues"],
        [
            [
                when_text(entries[n]),
                entries[n]["event"],
                entries[n]["source"],
                entries[n]["participation"],
                entries[n]["outcome"],
                ", ".join(entries[n]["issues"]),
            ]
            for n in order
        ],
        [2.6, 5.2, 1.6, 2.8, 2.9, 1.9],
    )
    heading("7.2. Profile of staff interviewed", 2)
    for person in data["people"]:
        heading(person["full_name"], 3)
        for key, label in PROFILE_ITEMS:
            para().add_run(label + ":").bold = True
            value = person.get(key, "")
            if isinstance(value, list):
                continue
            para(value)
    heading("7.3. Interview transcripts", 2)
    people = {p["id"]: p for p in data["people"]}
    for iv in data["interviews"]:
        person = people[iv["person_id"]]
        heading(f"Interview with {person['full_name']}, {format_date(iv['scheduled_for'])}", 3)
        table(
            ["", ""],
            [
                ["Interviewee", person["full_name"]],
                ["Place", iv["location"]],
                ["Note taker", iv["note_taker"]],
            ],
        )
        for chunk in iv["notes"].split("\n\n"):
            para(chunk)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = big_review()
    engine(data), direct(data)  # warm up imports and caches
    timings: dict[str, list[float]] = {"engine": [], "direct": []}
    for _ in range(args.runs):
        for name, build in (("direct", direct), ("engine", engine)):
            started = time.perf_counter()
            size = len(build(data))
            timings[name].append(time.perf_counter() - started)
    engine_s, direct_s = statistics.median(timings["engine"]), statistics.median(timings["direct"])
    ratio = engine_s / direct_s
    print(
        f"report with 1,000 chronology entries and 30 interviews of 1,500 words "
        f"({size // 1024} KB .docx), median of {args.runs} runs:"
    )
    print(f"  python-docx directly: {direct_s * 1000:8.0f} ms")
    print(f"  report engine:        {engine_s * 1000:8.0f} ms")
    print(f"  ratio {ratio:.2f}x (goal {GOAL}x or less): {'OK' if ratio <= GOAL else 'OVER GOAL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
