"""Issue 16 items 1-2: each review kind's products, the executive summary and the learning summary.

For each of the ten kinds, every document the kind requires is generated from a filled review
(the test helper that fills every field, with its kind changed) and read back from the .docx:
its title lines and its sections. The executive summary prints what the reviewer rewrote. The
learning summary and executive summary of the public sample pass the publication check and fit
on two pages (LibreOffice's PDF where it is installed, else the word count)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from reviewer_tui import bundle, domain
from reviewer_tui import models as m
from reviewer_tui.reports import documents, products
from reviewer_tui.reports.register import check_package, register_from_bundle
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE
from tests.test_report_truth import _full_bundle

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFINFO = shutil.which("pdfinfo")

# What the seeds ask of each kind (products.py quotes them); the test states it again by hand so a
# slip in the table shows.
EXPECTED = {
    "internal case review": ["written-review", "learning-summary"],
    "management review": ["management-review", "chronology", "learning-summary"],
    "serious case review": [
        "overview-report",
        "executive-summary",
        "action-plan",
        "learning-summary",
    ],
    "child safeguarding practice review": ["overview-report", "learning-summary"],
    "critical incident review": ["overview-report", "action-plan", "learning-summary"],
    "learning review": ["overview-report", "action-plan", "learning-summary"],
    "child practice review (concise)": ["overview-report", "action-plan", "learning-summary"],
    "child practice review (extended)": ["overview-report", "action-plan", "learning-summary"],
    "significant case review": ["overview-report", "executive-summary", "learning-summary"],
    "case management review": [
        "overview-report",
        "executive-summary",
        "action-plan",
        "learning-summary",
    ],
}


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-templates"
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: folder)
    return folder


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every body paragraph in order, tables left out."""
    return [(p.style.name if p.style else "", p.text) for p in docx.Document(str(path)).paragraphs]


def _shape(path: Path, first_section: str | None) -> tuple[list[str], list[str]]:
    """(the non-empty lines before the first section, the headings at that section's level)."""
    lines = _paragraphs(path)
    if first_section is None:
        return [t for _, t in lines if t.strip()], []
    start = next(
        n for n, (s, t) in enumerate(lines) if t == first_section and s.startswith("Heading")
    )
    level = lines[start][0]
    return (
        [t for _, t in lines[:start] if t.strip()],
        [t for s, t in lines[start:] if s == level],
    )


def _in_order(wanted: list[str], lines: list[str]) -> bool:
    found = iter(lines)
    return all(any(line == w for line in found) for w in wanted)


def test_every_kind_has_its_products_listed_once() -> None:
    assert {k.key for k in domain.REVIEW_KINDS} == set(EXPECTED)
    for kind, names in EXPECTED.items():
        assert [p.document for p in products.kind_products(kind)] == names, kind
        for p in products.kind_products(kind):
            assert p.document in documents.DOCUMENTS
        assert products.PRODUCTS_BY_KIND[kind].source.count("Seed") >= 1


def test_each_kind_writes_every_required_document_with_its_title_lines_and_sections(
    store: Store, tmp_path: Path
) -> None:
    """One filled review, its kind changed in turn (a store per kind costs more than the
    documents)."""
    data = _full_bundle()
    rid = bundle.import_bundle(store, copy.deepcopy(data))
    for kind in EXPECTED:
        store.update_review(rid, review_type=kind)
        _check_kind(store, tmp_path, rid, kind, data["review"])


def _check_kind(store: Store, tmp_path: Path, rid: int, kind: str, review: dict[str, str]) -> None:
    for product in products.kind_products(kind):
        target = tmp_path / f"{kind}-{product.document}.docx"
        documents.generate(store, rid, product.document, target, final=True)
        required = [s for s in product.sections if not s.optional]
        first = (
            products.fill(
                required[0].heading,
                kind=kind,
                child=review["child_name"],
                agency=review["agency"],
                criterion=review["criterion"],
            )
            if required
            else None
        )
        title, sections = _shape(target, first)
        wanted_title = [
            products.fill(line, kind=kind, child=review["child_name"], agency=review["agency"])
            for line in product.title_lines
        ]
        assert _in_order(wanted_title, title), (kind, product.document, wanted_title, title)
        headings = [
            products.fill(
                s.heading,
                kind=kind,
                child=review["child_name"],
                agency=review["agency"],
                criterion=review["criterion"],
            )
            for s in product.sections
        ]
        must = [h for h, s in zip(headings, product.sections, strict=True) if not s.optional]
        assert [h for h in sections if h in must] == must, (kind, product.document, sections)
        assert all(h in headings for h in sections), (kind, product.document, sections)


def test_the_title_lines_say_what_each_nation_calls_its_report(
    store: Store, tmp_path: Path
) -> None:
    """Spot checks written out in full, so the generic test above cannot pass on an empty
    table: Northern Ireland's overview report, Wales's child practice review, England's CSPR."""
    expected = {
        "case management review": (
            ["CASE MANAGEMENT REVIEW", "Tyler Brennan", "OVERVIEW REPORT"],
            "4. Lessons learned",
        ),
        "child practice review (extended)": (
            ["CHILD PRACTICE REVIEW (EXTENDED)", "Tyler Brennan", "CHILD PRACTICE REVIEW REPORT"],
            "2. The learning event: how practitioners and the family took part",
        ),
        "child safeguarding practice review": (
            ["LOCAL CHILD SAFEGUARDING PRACTICE REVIEW", "Tyler Brennan", "FINAL REPORT"],
            "4. Analysis of the systemic or underlying reasons why actions were taken or not taken",
        ),
    }
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for kind, (title, heading) in expected.items():
        data["review"]["review_type"] = kind
        rid = bundle.import_bundle(store, copy.deepcopy(data))
        target = tmp_path / f"{rid}.docx"
        documents.generate(store, rid, "overview-report", target, final=True)
        lines = _paragraphs(target)
        cover = [t for s, t in lines if s == "Cover Title"]
        assert cover == title, kind
        assert ("Heading 1", heading) in lines, kind


def test_report_list_for_a_review_names_its_kinds_documents_first(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reviewer_tui.cli import main

    raw = json.loads(SAMPLE.read_text(encoding="utf-8"))
    raw["review"]["review_type"] = "case management review"
    source = data_dir.parent / "cmr.json"
    source.write_text(json.dumps(raw), encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "import", str(source)]) == 0
    rid = capsys.readouterr().out.strip()
    assert main(["--data-dir", str(data_dir), "report", "--list", rid]) == 0
    out = capsys.readouterr().out
    head, _, rest = out.partition("Other documents")
    assert "Case Management Review" in head
    order = [head.index(f"\n{name} ") for name in EXPECTED["case management review"]]
    assert order == sorted(order)
    assert "management-review" not in head and "management-review" in rest
    assert "Seed 002 (Northern Ireland)" in " ".join(head.split())
    # without a review: every document, as before
    assert main(["--data-dir", str(data_dir), "report", "--list"]) == 0
    every = capsys.readouterr().out
    assert all(f"{name} " in every for name in documents.DOCUMENTS)
    assert main(["--data-dir", str(data_dir), "report", "--list", "999"]) != 0


# --- the executive summary ----------------------------------------------------------------------
def _text(path: Path) -> str:
    return "\n".join(t for _, t in _paragraphs(path))


def test_the_executive_summary_is_drawn_from_the_record_until_rewritten(
    store: Store, tmp_path: Path
) -> None:
    raw = json.loads(SAMPLE.read_text(encoding="utf-8"))
    rid = bundle.import_bundle(store, copy.deepcopy(raw))
    target = tmp_path / "es.docx"
    documents.generate(store, rid, "executive-summary", target)
    text = _text(target)
    assert raw["review"]["reason_for_review"] in text
    for finding in raw["findings"]:
        assert finding["statement"] in text
    for rec in raw["recommendations"]:
        assert rec["action"] in text
    for issue in raw["scope"]["key_issues"]:
        assert issue in text
    # rewritten by the reviewer: the stored text is what prints
    drawn = {p["key"]: p["text"] for p in documents.summary_parts(store, rid)}
    mine = "In short: [the] work *succeeded* {{ not a template }}\nSecond line."
    store.update(m.ReportDetails, rid, summary_findings=mine)
    parts = {p["key"]: p for p in documents.summary_parts(store, rid)}
    assert parts["summary_findings"] == {
        "key": "summary_findings",
        "heading": "Key findings",
        "text": mine,
        "edited": True,
    }
    assert not parts["summary_reason"]["edited"]
    target = tmp_path / "es.docx"
    documents.generate(store, rid, "executive-summary", target)
    text = _text(target)
    assert "In short: [the] work *succeeded* {{ not a template }}\nSecond line." in text
    assert raw["findings"][0]["statement"] not in text  # the drawn findings are replaced
    assert drawn["summary_recommendations"].splitlines()[0][2:] in text  # the rest still drawn
    # emptied again: drawn from the record once more
    store.update(m.ReportDetails, rid, summary_findings="  ")
    documents.generate(store, rid, "executive-summary", target)
    assert raw["findings"][0]["statement"] in _text(target)
    # and it goes through a bundle
    store.update(m.ReportDetails, rid, summary_scope="Our own words on the scope.")
    exported = bundle.export_bundle(store, rid)
    assert exported["report"]["summary_scope"] == "Our own words on the scope."
    again = bundle.import_bundle(store, exported)
    parts = {p["key"]: p for p in documents.summary_parts(store, again)}
    assert parts["summary_scope"]["text"] == "Our own words on the scope."


# --- publication and length -----------------------------------------------------------------------
def _pages(files: list[Path], tmp_path: Path) -> dict[str, int]:
    """Pages of each file: LibreOffice's PDF where installed, else one page per 500 words."""
    if SOFFICE is None or PDFINFO is None:
        return {
            f.stem: -(-len(" ".join(t for _, t in _paragraphs(f)).split()) // 500) for f in files
        }
    pdfs = tmp_path / "pdf"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdfs),
            *map(str, files),
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )
    out = {}
    for f in files:
        info = subprocess.run(
            [PDFINFO, str(pdfs / f"{f.stem}.pdf")], capture_output=True, text=True, check=True
        ).stdout
        out[f.stem] = int(next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1])
    return out


def test_learning_and_executive_summaries_publish_clean_on_two_pages(
    store: Store, tmp_path: Path
) -> None:
    raw = json.loads(SAMPLE.read_text(encoding="utf-8"))
    raw["review"]["review_type"] = "case management review"  # requires both
    rid = bundle.import_bundle(store, copy.deepcopy(raw))
    files = []
    for name in ("learning-summary", "executive-summary"):
        target = tmp_path / f"{name}.docx"
        documents.generate(store, rid, name, target, publication=True)  # refused if not clean
        assert check_package(target, register_from_bundle(raw)) == []
        text = _text(target)
        assert "Child T" in text and "Tyler" not in text and "Kerry" not in text
        files.append(target)
    learning = _text(files[0])
    for heading in (
        "What happened",
        "Key practice episodes",
        "Learning for each agency",
        "Learning across the partnership",
        "What has changed",
    ):
        assert heading in learning
    for entry in raw["chronology"]:
        if entry.get("significant"):
            assert entry["learning"] in learning
    pages = _pages(files, tmp_path)
    assert set(pages) == {"learning-summary", "executive-summary"}
    assert all(1 <= n <= 2 for n in pages.values()), pages


def test_an_organisation_replaces_the_overview_report_template(
    store: Store, tmp_path: Path, no_user_templates: Path
) -> None:
    no_user_templates.mkdir()
    (no_user_templates / "overview-report.md").write_text(
        "# Our board's report\n\n{% for s in product.sections %}## {{ s.heading }}\n\n{% endfor %}",
        encoding="utf-8",
    )
    raw = json.loads(SAMPLE.read_text(encoding="utf-8"))
    raw["review"]["review_type"] = "case management review"
    rid = bundle.import_bundle(store, copy.deepcopy(raw))
    target = tmp_path / "own.docx"
    documents.generate(store, rid, "overview-report", target, final=True)
    lines = _paragraphs(target)
    assert lines[0] == ("Heading 1", "Our board's report")
    assert ("Heading 2", "4. Lessons learned") in lines
