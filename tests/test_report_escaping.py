"""User text is data, never template source or formatting (RELIABILITY.md rules 12-13): template
syntax, HTML, Markdown marks, ampersands, tabs, blank lines and emoji are printed literally in the
Word file, in a paragraph, a list item and a table cell; the BEL character is removed there and only
there. Templates are sandboxed; a broken user template is named with its line."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from reviewer_tui import bundle, history
from reviewer_tui import models as m
from reviewer_tui.errors import TemplateProblem
from reviewer_tui.reports import documents, engine
from reviewer_tui.reports.docx_writer import Page, markdown_to_docx
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE

NASTY = (
    "{{ child_name }} {% if %} <b>x</b> *x* _y_ `z` [link](http://example.org) \\ | &amp; & "
    "tab\there\n\n# x\n\n\n1. not a list\n- nor this\n> nor a quote\nemoji 🧒🏽 bell\a end"
)
EXPECTED = NASTY.replace("\a", "")
PIECES = [
    "{{ child_name }}",
    "{% if %}",
    "<b>x</b>",
    "*x*",
    "# x",
    "&",
    "&amp;",
    "\t",
    "🧒🏽",
    "\n\n",
    "[link](http://example.org)",
    "1. not a list",
    "- nor this",
    "> nor a quote",
]


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-templates"
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: folder)
    return folder


def _all_text(doc) -> list[str]:  # noqa: ANN001
    texts = [p.text for p in doc.paragraphs]
    texts += [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return texts


def test_notes_are_printed_literally_in_paragraphs_lists_and_tables(
    store: Store, tmp_path: Path
) -> None:
    rid = bundle.import_file(store, SAMPLE)
    store.update(m.Analysis, rid, supervision_and_case_management=NASTY)  # a paragraph
    store.update(m.Scope, rid, key_issues=[NASTY])  # a list item
    entry = store.rows(m.ChronologyEntry, rid)[0]
    store.update(m.ChronologyEntry, entry.id, event=NASTY)  # a table cell
    interview = store.rows(m.Interview, rid)[0]
    with history.changing(reason="the escaping test writes the signed record"):  # it stays signed
        store.update(m.Interview, interview.id, notes=NASTY)  # interview record in appendix 7.3
    result = documents.generate(store, rid, "management-review", tmp_path / "r.docx", final=True)
    assert result.removed_characters == 4 and result.notices  # one BEL per place, said plainly
    doc = docx.Document(str(tmp_path / "r.docx"))
    texts = _all_text(doc)
    holders = [t for t in texts if EXPECTED in t]
    assert len(holders) >= 4, "each place holds the whole text exactly, BEL removed"
    for piece in PIECES:
        assert any(piece in t for t in holders), piece
    assert not any("\a" in t for t in texts)
    # Nothing became formatting: no bold, italic or heading from the user's marks.
    for paragraph in doc.paragraphs:
        if EXPECTED in paragraph.text:
            assert not paragraph.style.name.startswith("Heading")
            assert not any(run.bold or run.italic for run in paragraph.runs)
    # ...and the stored text is unchanged, BEL included.
    assert store.get(m.Analysis, rid).supervision_and_case_management == NASTY


def test_the_escaping_is_done_by_the_environment_for_every_value() -> None:
    env = engine.make_environment(Path("/nonexistent"))
    template = env.from_string("A {{ v }} B {{ v|upper }} C {{ items|join(', ') }}")
    out = template.render(v="*x* <b> {{ y }}", items=["_a_", "#b"])
    assert "*x*" not in out.replace("\\*", "") and "\\*x\\*" in out
    assert "\\{\\{ y \\}\\}" in out and "\\_a\\_" in out and "\\#b" in out
    content, _removed = markdown_to_docx(out, Page(confidential=False))
    path = Path("/tmp") / "escape-check.docx"
    path.write_bytes(content)
    text = docx.Document(str(path)).paragraphs[0].text
    path.unlink()
    assert text == "A *x* <b> {{ y }} B *X* <B> {{ Y }} C _a_, #b"


def test_sandbox_stops_a_template_reaching_python(no_user_templates: Path) -> None:
    no_user_templates.mkdir()
    (no_user_templates / "chronology.md").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8"
    )
    with pytest.raises(TemplateProblem) as caught:
        engine.render("chronology.md", {}, no_user_templates)
    assert "chronology.md" in str(caught.value) and "line 1" in str(caught.value)


def test_a_user_template_overrides_the_shipped_one_and_a_broken_one_is_named_with_its_line(
    store: Store, tmp_path: Path, no_user_templates: Path
) -> None:
    rid = bundle.import_file(store, SAMPLE)
    no_user_templates.mkdir()
    (no_user_templates / "learning-summary.md").write_text(
        "# Our own summary\n\nFor {{ child }}.\n", encoding="utf-8"
    )
    documents.generate(store, rid, "learning-summary", tmp_path / "own.docx")
    texts = [p.text for p in docx.Document(str(tmp_path / "own.docx")).paragraphs]
    assert texts[:2] == ["Our own summary", "For Tyler Brennan."]

    (no_user_templates / "learning-summary.md").write_text(
        "# Fine\n\nStill fine.\n\n{% if child %}\n{{ child }\n", encoding="utf-8"
    )
    with pytest.raises(TemplateProblem) as caught:
        documents.generate(store, rid, "learning-summary", tmp_path / "broken.docx")
    message = str(caught.value)
    assert "learning-summary.md" in message and str(no_user_templates) in message
    assert "line 6" in message
    assert not (tmp_path / "broken.docx").exists()

    (no_user_templates / "learning-summary.md").write_text(
        "# Fine\n\n{{ no_such_value }}\n", encoding="utf-8"
    )
    with pytest.raises(TemplateProblem) as caught:
        documents.generate(store, rid, "learning-summary", tmp_path / "broken.docx")
    assert "line 3" in str(caught.value) and "no_such_value" in str(caught.value)


def test_templates_export_copies_the_defaults_and_keeps_edits(tmp_path: Path) -> None:
    from reviewer_tui.cli import main

    target = tmp_path / "mine"
    assert main(["templates", "export", str(target)]) == 0
    names = {p.name for p in target.iterdir()}
    assert {"management-review.md", "_macros.md.j2", "reference.docx"} <= names
    assert {f"{d.template}" for d in documents.DOCUMENTS.values()} <= names
    (target / "chronology.md").write_text("edited", encoding="utf-8")
    assert main(["templates", "export", str(target)]) == 0
    assert (target / "chronology.md").read_text(encoding="utf-8") == "edited"


def test_cli_report_list_and_write(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reviewer_tui.cli import main

    assert main(["report", "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in documents.DOCUMENTS) and "management-review" in listed
    assert main(["--data-dir", str(data_dir), "import", str(SAMPLE)]) == 0
    rid = capsys.readouterr().out.strip()
    out = tmp_path / "cli.docx"
    assert (
        main(
            [
                "--data-dir",
                str(data_dir),
                "report",
                rid,
                "--document",
                "management-review",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert "draft version 0.2" in capsys.readouterr().out and out.exists()
    assert (
        main(["--data-dir", str(data_dir), "report", rid, "--document", "no-such", "-o", str(out)])
        == 1
    )
    assert "management-review" in capsys.readouterr().err
