"""Issue 17: a circulated draft comes back as a Word file; everything the recipient did goes into
the draft register, to be resolved before the final version. Returned files are made here from
generated drafts by editing their WordprocessingML (tests/docx_edits.py), as Word would."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from reviewer_tui import models as m
from reviewer_tui.cli import main
from reviewer_tui.errors import InputError
from reviewer_tui.reports import documents, drafts, returned
from reviewer_tui.reports.register import check_package, register_from_bundle
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE
from tests.docx_edits import (
    Returned,
    copy_data,
    encrypted_package,
    old_doc,
    sample_with_draft,
)

OWEN = "Owen Pritchard"
MARCUS = "Marcus Adeyemi"
WHEN = "2025-10-01T09:30:00Z"
LATER = "2025-10-02T16:05:00Z"


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_with_draft(tmp_path_factory.mktemp("drafts"))


@pytest.fixture
def data_dir(tmp_path: Path, made_once: Path) -> Path:
    return copy_data(made_once, tmp_path)


@pytest.fixture
def review(store: Store) -> int:
    with store.session() as s:
        return s.exec(select(m.Review.id)).one()


@pytest.fixture
def draft(made_once: Path, tmp_path: Path) -> Path:
    (tmp_path / "out").mkdir()
    return Path(shutil.copy(made_once / "d.docx", tmp_path / "out" / "d.docx"))


def all_items(store: Store) -> list[m.DraftItem]:
    with store.session() as s:
        return list(s.exec(select(m.DraftItem).order_by(m.DraftItem.id)))


def recipients(store: Store) -> list[m.DraftRecipient]:
    """The recipients of the generated draft (the sample's own 0.1 has one of its own)."""
    with store.session() as s:
        statement = select(m.DraftRecipient).join(
            m.DraftText, m.DraftText.report_draft_id == m.DraftRecipient.report_draft_id
        )
        return list(s.exec(statement.order_by(m.DraftRecipient.position)))


def returned_copy(draft: Path, tmp_path: Path) -> Path:
    """A returned draft with one of everything, saved under a name nothing like the draft's."""
    r = Returned(draft)
    first = r.comment(
        "Return home interviews were offered face to face only at first.",
        "Please add when a phone interview was first offered.",
        OWEN,
        WHEN,
    )
    r.comment("", "Agreed: it was 3 March.", MARCUS, LATER, reply_to=first)
    r.comment("Treating housing as part of the child", "Name the Housing officer [x]?", OWEN, WHEN)
    r.insert("There is no written route", " yet", OWEN, WHEN)
    r.delete("could have started", OWEN, LATER, within="support for the parent could")
    r.edit("at the first Child in Need meeting", "at the second Child in Need meeting")
    r.italic("Reading a school referral")
    r.tracked_italic("Adapting communication", OWEN, WHEN)
    return r.save(tmp_path / "Owen's comments FINAL (2).docx")


def test_a_draft_carries_its_review_document_and_version_in_custom_properties(
    store: Store, review: int, draft: Path
) -> None:
    with zipfile.ZipFile(draft) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("_rels/.rels").decode()
        body = z.read("word/document.xml").decode()
    assert 'PartName="/docProps/custom.xml"' in types and returned.CUSTOM_CONTENT_TYPE in types
    assert returned.CUSTOM_RELTYPE in rels
    opened = docx.Document(str(draft))  # Word's own reader of the package accepts it
    assert opened.core_properties.version == "0.2"
    props = returned.read_package(draft.read_bytes(), "d").properties
    (stored,) = [d for d in drafts.drafts(store, review) if d.version == "0.2"]
    with store.session() as s:
        text = s.get(m.DraftText, stored.id)
    assert props == {
        returned.PROP_REVIEW: str(review),
        returned.PROP_DOCUMENT: "management-review",
        returned.PROP_VERSION: "0.2",
        returned.PROP_FILE_ID: text.file_id,
    }
    assert text.file_id not in body  # not in the visible text
    # the text as generated is kept, section by section, to compare a returned copy with
    kept = {heading: [t for t, _looks in paragraphs] for heading, paragraphs in text.sections}
    assert kept["4.3. Ways in which practice can be improved"] == [
        "Return home interviews were offered face to face only at first.",
        "There is no written route for social workers to ask Housing for a priority move.",
        "Early Help support for the parent could have started at the first Child in Need meeting.",
    ]


def test_everything_the_recipient_did_is_read_into_the_register(
    store: Store, review: int, draft: Path, tmp_path: Path
) -> None:
    copy = returned_copy(draft, tmp_path)
    result = returned.import_returned(store, review, copy)
    assert result.line(copy.name) == (
        "Owen's comments FINAL (2).docx: draft 0.2 of management-review from Owen Pritchard: "
        "3 comments, 2 tracked changes, 1 untracked edit; 2 formatting-only changes in 1 "
        "section, summarised."
    )
    (who,) = recipients(store)
    assert who.name == OWEN  # the comment authors' most frequent name
    items = all_items(store)
    assert all(i.draft_recipient_id == who.id for i in items)
    by_kind: dict[str, list[m.DraftItem]] = {}
    for i in items:
        by_kind.setdefault(i.kind, []).append(i)
    first, reply, housing = by_kind["comment"]
    assert (first.author, first.made_at, first.section, first.anchor, first.added) == (
        OWEN,
        dt.datetime(2025, 10, 1, 9, 30, tzinfo=dt.UTC),
        "4.3. Ways in which practice can be improved",
        "Return home interviews were offered face to face only at first.",
        "Please add when a phone interview was first offered.",
    )
    assert (reply.author, reply.reply_to, reply.added) == (
        MARCUS,
        first.comment_ref,
        "Agreed: it was 3 March.",
    )
    assert housing.section == "4.2. Good practice to highlight"
    assert housing.added == "Name the Housing officer [x]?"  # brackets kept as typed
    (ins,) = by_kind["insertion"]
    assert (ins.author, ins.section, ins.before, ins.added, ins.after) == (
        OWEN,
        "4.3. Ways in which practice can be improved",
        "There is no written route",
        "yet",
        "for social workers to ask Housing",
    )
    (dele,) = by_kind["deletion"]
    assert (dele.made_at, dele.before, dele.removed, dele.after) == (
        dt.datetime(2025, 10, 2, 16, 5, tzinfo=dt.UTC),
        "Early Help support for the parent",
        "could have started",
        "at the second Child in Need",  # the words as they now read
    )
    (edit,) = by_kind["edit"]  # the untracked edit, in words; tracked ones are not repeated
    assert (edit.section, edit.before, edit.removed, edit.added, edit.after) == (
        "4.3. Ways in which practice can be improved",
        "parent could have started at the",
        "first",
        "second",
        "Child in Need meeting.",
    )
    assert returned.describe(edit) == (
        "Edited: …parent could have started at the [-first-] [+second+] Child in Need meeting.…"
    )
    formatting = {i.section: i.count for i in by_kind["formatting"]}
    assert formatting == {"4.2. Good practice to highlight": 2}  # one tracked, one not
    assert (result.formatting, result.formatting_sections) == (2, 1)
    assert all(not returned.is_open(i) for i in by_kind["formatting"])  # summarised, not listed


def test_the_same_file_imported_twice_adds_nothing_the_second_time(
    store: Store, review: int, draft: Path, tmp_path: Path
) -> None:
    copy = returned_copy(draft, tmp_path)
    returned.import_returned(store, review, copy)
    before = [(i.id, i.fingerprint) for i in all_items(store)]
    again = returned.import_returned(store, review, copy, recipient="Someone else")
    assert (again.comments, again.changes, again.edits, again.formatting) == (0, 0, 0, 0)
    assert again.skipped == len(before)
    assert [(i.id, i.fingerprint) for i in all_items(store)] == before
    assert [r.name for r in recipients(store)] == [OWEN]
    assert "already imported, not added again" in again.line(copy.name)


def test_an_unchanged_returned_draft_has_nothing_to_resolve(
    store: Store, review: int, draft: Path
) -> None:
    result = returned.import_returned(store, review, draft, recipient="Panel")
    assert (result.comments, result.changes, result.edits, result.formatting) == (0, 0, 0, 0)
    assert all_items(store) == []


def test_from_names_the_recipient(store: Store, review: int, draft: Path, tmp_path: Path) -> None:
    returned.import_returned(store, review, returned_copy(draft, tmp_path), "The panel chair")
    assert [r.name for r in recipients(store)] == ["The panel chair"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.doc", old_doc(), "this is an old Word .doc file. Open it in Word and save it as "
         ".docx first"),
        ("locked.docx", encrypted_package(), "this file is password-protected"),
        ("cut.docx", "truncate", "this file is damaged or is not a Word .docx file"),
        ("notes.docx", "plain", "this is not a draft written by reviewer-tui"),
        ("odd.docx", "no-document", "this is not a Word .docx file (it has no document in it)"),
        ("bad-xml.docx", "bad-xml", "this file is damaged (word/document.xml is not readable"),
    ],
    ids=["doc", "encrypted", "damaged-zip", "not-ours", "no-document", "bad-xml"],
)  # fmt: skip
def test_a_file_that_cannot_be_used_gets_one_clear_line_and_nothing_is_stored(
    store: Store, review: int, draft: Path, tmp_path: Path, name: str, content: object, message: str
) -> None:
    path = tmp_path / name
    if content == "truncate":
        data = returned_copy(draft, tmp_path).read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif content == "plain":
        out = io.BytesIO()
        docx.Document().save(out)
        path.write_bytes(out.getvalue())
    elif content == "no-document":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "hi")
    elif content == "bad-xml":
        r = Returned(draft)
        r.parts["word/document.xml"] = b"<w:document"
        data = r.bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as z:
            for n in src.namelist():
                z.writestr(n, b"<w:document" if n == "word/document.xml" else src.read(n))
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        returned.import_returned(store, review, path)
    text = str(caught.value)
    assert (
        text.startswith(f"{name}: ") and message in text and text.endswith("Nothing was imported.")
    )
    assert "\n" not in text
    assert all_items(store) == [] and recipients(store) == []


def test_a_draft_of_another_review_is_refused(
    store: Store, review: int, draft: Path, tmp_path: Path
) -> None:
    other = store.create_review("Another review", "internal case review", "concern")
    with pytest.raises(InputError) as caught:
        returned.import_returned(store, other, returned_copy(draft, tmp_path))
    assert str(caught.value) == (
        "Owen's comments FINAL (2).docx: this is draft 0.2 of management-review from another "
        f"review, not a draft of review {other}. Nothing was imported."
    )
    assert all_items(store) == []


def test_each_item_is_resolved_and_the_final_waits_for_them(
    store: Store, review: int, draft: Path, tmp_path: Path
) -> None:
    returned.import_returned(store, review, returned_copy(draft, tmp_path))
    waiting = returned.open_items(store, review)
    assert len(waiting) == 6  # 3 comments, 2 tracked changes, 1 untracked edit
    assert [o.section for o in waiting] == [
        "4.3. Ways in which practice can be improved",
        "4.3. Ways in which practice can be improved",
        "4.3. Ways in which practice can be improved",
        "4.3. Ways in which practice can be improved",
        "4.3. Ways in which practice can be improved",
        "4.2. Good practice to highlight",
    ]  # grouped by section, in the order the sections first come
    assert {o.stage for o in waiting} == {"analysis"}
    final = tmp_path / "final.docx"
    with pytest.raises(InputError, match="6 items from returned drafts are still open"):
        documents.generate(store, review, "management-review", final, final=True)
    assert not final.exists()
    with pytest.raises(InputError, match="a declined item needs its reason"):
        returned.resolve(store, waiting[0].id, "declined")
    with pytest.raises(InputError, match="a changed item needs its reason"):
        returned.resolve(store, waiting[0].id, "changed", "  ")
    with pytest.raises(InputError, match="resolved as one of"):
        returned.resolve(store, waiting[0].id, "ignored")
    returned.resolve(store, waiting[0].id, "declined", "The record shows no phone offer.")
    returned.resolve(store, waiting[1].id, "changed", "Said 'March 2025' instead.")
    for o in waiting[2:]:
        returned.resolve(store, o.id, "accepted", "Accepted before the final: the panel agreed.")
    made = documents.generate(store, review, "management-review", final, final=True)
    assert made.path.exists() and made.version is None
    kept = {i.id: (i.resolution, i.reason) for i in all_items(store)}
    assert kept[waiting[0].id] == ("declined", "The record shows no phone offer.")
    assert kept[waiting[1].id] == ("changed", "Said 'March 2025' instead.")
    assert returned.open_items(store, review) == []


def test_drafts_import_on_the_command_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "import", str(SAMPLE)]) == 0
    rid = capsys.readouterr().out.strip()
    out = tmp_path / "d.docx"
    args = ["--data-dir", str(data_dir), "report", rid, "--document", "management-review"]
    assert main([*args, "-o", str(out)]) == 0
    copy = returned_copy(out, tmp_path)
    capsys.readouterr()
    assert (
        main(["--data-dir", str(data_dir), "drafts", "import", rid, str(copy), "--from", "Panel"])
        == 0
    )
    assert capsys.readouterr().out == (
        "Owen's comments FINAL (2).docx: draft 0.2 of management-review from Panel: 3 comments, "
        "2 tracked changes, 1 untracked edit; 2 formatting-only changes in 1 section, summarised.\n"
    )
    (tmp_path / "old.doc").write_bytes(old_doc())
    assert (
        main(["--data-dir", str(data_dir), "drafts", "import", rid, str(tmp_path / "old.doc")]) == 1
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "save it as .docx first" in err
    assert main([*args, "--final", "-o", str(tmp_path / "f.docx")]) == 1
    assert "6 items from returned drafts are still open" in capsys.readouterr().err


def test_names_a_recipient_typed_stay_in_the_register_and_out_of_the_publication_version(
    store: Store, review: int, draft: Path, tmp_path: Path
) -> None:
    r = Returned(draft)
    r.comment("Treating housing as part of the child", "Kerry Brennan told me so.", OWEN, WHEN)
    returned.import_returned(store, review, r.save(tmp_path / "named.docx"))
    (item,) = [i for i in all_items(store) if i.kind == "comment"]
    assert item.added == "Kerry Brennan told me so."  # working material, kept as typed
    made = documents.generate(
        store, review, "management-review", tmp_path / "pub.docx", publication=True
    )
    register = register_from_bundle(documents.review_data(store, review))
    assert check_package(made.path, register) == []


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def test_a_draft_round_trips_through_libreoffice_with_a_comment_added(
    store: Store, review: int, draft: Path, tmp_path: Path
) -> None:
    """LibreOffice rewrites the whole file (styles, runs, properties) when it saves a .docx:
    the draft is still known by its properties and only what the recipient did is found."""
    if SOFFICE is None:
        if os.environ.get("REVIEWER_TUI_REQUIRE_LIBREOFFICE"):
            pytest.fail("REVIEWER_TUI_REQUIRE_LIBREOFFICE is set but soffice is missing")
        pytest.skip("LibreOffice (soffice) is needed: apt-get install libreoffice-writer-nogui")
    r = Returned(draft)
    r.comment(
        "Return home interviews were offered face to face only at first.",
        "When was a phone call offered?",
        OWEN,
        WHEN,
    )
    r.insert("There is no written route", " yet", OWEN, WHEN)
    (tmp_path / "in").mkdir()
    source = r.save(tmp_path / "in" / "from-owen.docx")
    result = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp_path / "lo"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    saved = tmp_path / "lo" / "from-owen.docx"
    assert saved.read_bytes() != source.read_bytes()  # LibreOffice wrote its own file
    imported = returned.import_returned(store, review, saved)
    assert imported.line(saved.name) == (
        "from-owen.docx: draft 0.2 of management-review from Owen Pritchard: 1 comment, "
        "1 tracked change, 0 untracked edits."
    )
    comment, insertion = all_items(store)
    assert (comment.author, comment.section, comment.anchor, comment.added) == (
        OWEN,
        "4.3. Ways in which practice can be improved",
        "Return home interviews were offered face to face only at first.",
        "When was a phone call offered?",
    )
    assert (insertion.kind, insertion.before, insertion.added) == (
        "insertion",
        "There is no written route",
        "yet",
    )


def test_a_returned_file_is_never_allowed_to_read_other_files(
    store: Store, review: int, draft: Path, tmp_path: Path
) -> None:
    """An XML entity pointing at a local file (XXE) is left unexpanded, never read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-NAME", encoding="utf-8")
    r = Returned(draft)
    r.comment("Treating housing as part of the child", "PLACEHOLDER", OWEN, WHEN)
    data = r.bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    comments = parts["word/comments.xml"].decode()
    head, body = comments.split("?>", 1)
    parts["word/comments.xml"] = (
        f'{head}?><!DOCTYPE x [<!ENTITY s SYSTEM "{secret.as_uri()}">]>'
        + body.replace("PLACEHOLDER", "&s;")
    ).encode()
    path = tmp_path / "xxe.docx"
    with zipfile.ZipFile(path, "w") as z:
        for n, raw in parts.items():
            z.writestr(n, raw)
    returned.import_returned(store, review, path)
    assert "SECRET-NAME" not in repr([i.added for i in all_items(store)])


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(
        st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn")), min_size=1, max_size=40
    ).filter(lambda t: t.strip() == t and t)
)
def test_any_comment_text_is_kept_exactly(
    store: Store, review: int, draft: Path, tmp_path: Path, text: str
) -> None:
    r = Returned(draft)
    r.comment("Treating housing as part of the child", text, f"{text} author", WHEN)
    path = r.save(tmp_path / "any.docx")
    returned.import_returned(store, review, path)
    stored = [i for i in all_items(store) if i.kind == "comment" and i.added == text]
    assert stored and stored[-1].author == f"{text} author"


def test_an_item_on_a_chronology_row_finds_its_entry(
    store: Store, review: int, draft: Path, tmp_path: Path
) -> None:
    r = Returned(draft)
    r.comment("looking at the departures board", "Which platform?", OWEN, WHEN, nth=-1)
    returned.import_returned(store, review, r.save(tmp_path / "chronology.docx"))
    (item,) = returned.open_items(store, review)
    assert item.section == "7.1. Chronology of events in family and agency involvement"
    assert item.stage == "chronology"
    entry = store.get(m.ChronologyEntry, returned.chronology_entry_for(store, review, item))
    assert entry.event.startswith("Tyler went missing for the second time.")
    assert returned.stage_for("5. Recommendations for Action") == "recommendations"
    assert returned.stage_for("4.1. Findings and the evidence they rest on") == "analysis"


def test_templates_never_see_the_drafts_text_nor_the_returned_items(
    store: Store, review: int, draft: Path, tmp_path: Path
) -> None:
    returned.import_returned(store, review, returned_copy(draft, tmp_path))
    data = documents.review_data(store, review)
    (kept,) = [d for d in data["report"]["drafts"] if d.get("file_id")]
    assert kept["sections"] and kept["recipients"][0]["items"]  # the bundle carries them
    shown = returned.without_draft_text(data)
    (trimmed,) = [d for d in shown["report"]["drafts"] if d.get("file_id")]
    assert "sections" not in trimmed and "items" not in trimmed["recipients"][0]
    assert kept["sections"]  # the data given was not changed


@pytest.mark.parametrize("kind", ["draft", "publication"])
def test_a_document_the_register_cannot_record_is_not_left_written(
    store: Store, review: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The file is written, then recorded (a draft's number, the publication's date); when the
    data folder refuses the record (read-only, full), the file goes too: "NOT WRITTEN" is true,
    and no file carries a version the register does not know."""
    import sqlite3

    before = drafts.drafts(store, review)

    def refused(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(store, "add_row" if kind == "draft" else "update", refused)
    out = tmp_path / "word"
    with pytest.raises(sqlite3.OperationalError):
        documents.generate(
            store, review, "management-review", out / f"{kind}.docx", publication=kind != "draft"
        )
    assert list(out.iterdir()) == []  # neither the document nor its temporary file
    monkeypatch.undo()
    assert drafts.drafts(store, review) == before
