"""The publication version (RELIABILITY.md rules 15-17): every person replaced by their pseudonym
in every form; the saved package checked part by part, text and attributes, runs joined; a name
planted in a header, a comment and the core properties blocks the file with all three places
listed; a pseudonym equal to a real name is refused."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from reviewer_tui import bundle
from reviewer_tui import models as m
from reviewer_tui.errors import PublicationError
from reviewer_tui.reports import documents
from reviewer_tui.reports.register import (
    Entry,
    Register,
    check_package,
    date_forms,
    register_from_bundle,
)
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none")


@pytest.fixture(params=["sample", "full"])
def raw(request: pytest.FixtureRequest) -> dict:
    """The public sample, and the sample with every field filled (tests/test_report_truth.py)."""
    if request.param == "sample":
        return json.loads(SAMPLE.read_text(encoding="utf-8"))
    from tests.test_report_truth import _full_bundle

    return _full_bundle()


def _package_text(path: Path) -> dict[str, str]:
    """Every part as text, tags removed (so runs join), plus attribute values: an independent
    reading of the package, not the checker under test."""
    out = {}
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            xml = package.read(name).decode("utf-8", "ignore")
            attributes = " ".join(re.findall(r'="([^"]*)"', xml))
            text = re.sub(r"<[^>]+>", "", xml)
            out[name] = unicodedata.normalize("NFC", f"{text}\n{attributes}")
    return out


def _identifiers(raw: dict) -> list[str]:
    """The register as the bundle states it: every name and alias, surnames and given names,
    dates of birth in common formats, addresses' postcodes and streets."""
    found: list[str] = []
    review = raw["review"]
    names = [review["child_name"]]  # the author and the commissioner are public roles
    for member in raw["family"]["members"]:
        names += [member["name"], *member.get("also_known_as", [])]
        day = dt.date.fromisoformat(member["date_of_birth"])
        found += [day.isoformat(), f"{day:%d/%m/%Y}", f"{day.day} {day:%B %Y}", f"{day:%d.%m.%Y}"]
        found += re.findall(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", member["address"])
        found += re.findall(r"\d+ [A-Z]\w+ (?:Road|Row|Lane|Street)", member["address"])
    for person in raw["people"]:
        names += [person["full_name"], *person.get("also_known_as", [])]
    public = {review["lead_reviewer"]["name"], review["commissioner"]["name"]}
    names += [o["name"] for o in raw["meeting"]["other_attendees"] if o["name"] not in public]
    names += ["Hannah Lees", "Priti Shah"]  # a supporter and a note taker, in free text only
    for name in names:
        found.append(name)
        parts = name.split()
        if len(parts) >= 2 and len(parts[0].rstrip(".")) > 1 and parts[0] not in ("Mr", "Ms"):
            found += [f"{parts[-1]}, {parts[0]}", f"{parts[-1].upper()}, {parts[0]}"]
            if parts[-1] != "Brennan":  # shared surname: checked below as a whole word
                found.append(parts[-1])
            found.append(parts[0])
    return sorted(set(found))


def _contains(text: str, form: str) -> bool:
    flags = re.IGNORECASE if " " in form else 0
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, flags) is not None


def test_the_sample_publication_version_names_nobody_and_uses_the_pseudonyms(
    store: Store, tmp_path: Path, raw: dict
) -> None:
    rid = bundle.import_bundle(store, copy.deepcopy(raw))
    target = tmp_path / "published.docx"
    result = documents.generate(store, rid, "management-review", target, publication=True)
    assert result.version is None and target.exists()
    parts = _package_text(target)
    leaks = [
        (part, form)
        for part, text in parts.items()
        for form in _identifiers(raw)
        if _contains(text, form) or _contains(text.replace("’", "'"), form.replace("’", "'"))
    ]
    assert leaks == []
    assert not any(_contains(text, "Brennan") for text in parts.values())
    body = parts["word/document.xml"]
    for pseudonym in (
        "Child T",
        "Mother",
        "Maternal grandfather",
        "Social Worker",
        "Team Manager",
        "Family Support Worker",
    ):
        assert pseudonym in body, pseudonym
    assert "STRICTLY CONFIDENTIAL" not in parts["word/header1.xml"]
    core = parts["docProps/core.xml"]
    assert "Child T" in core and "python-docx" not in core
    assert check_package(target, register_from_bundle(raw)) == []


@pytest.mark.parametrize(
    "name",
    [
        "written-review",
        "chronology",
        "chronology-spe",
        "action-plan",
        "learning-summary",
        "terms-of-reference",
    ],
)
def test_other_documents_publish_clean_too(
    store: Store, tmp_path: Path, raw: dict, name: str
) -> None:
    rid = bundle.import_bundle(store, copy.deepcopy(raw))
    target = tmp_path / f"{name}.docx"
    documents.generate(store, rid, name, target, publication=True)
    parts = _package_text(target)
    assert not [(p, f) for p, t in parts.items() for f in _identifiers(raw) if _contains(t, f)]


def _plant(source: Path, target: Path) -> None:
    """A name in a page header, a comment and the core properties, split across runs in the
    header so only joined text finds it."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/header1.xml":
                data = data.replace(
                    b"</w:p>", b"<w:r><w:t>Kerry Bren</w:t></w:r><w:r><w:t>nan</w:t></w:r></w:p>", 1
                )
            elif item.filename == "docProps/core.xml":
                data = re.sub(
                    rb"<dc:creator>[^<]*</dc:creator>",
                    "<dc:creator>Amélie Durand</dc:creator>".encode(),
                    data,
                )
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/comments.xml" '
                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                    b'wordprocessingml.comments+xml"/></Types>',
                )
            new.writestr(item, data)
        new.writestr(
            "word/comments.xml",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                '<w:comment w:id="0" w:author="Reviewer" w:initials="R"><w:p><w:r>'
                "<w:t>Check this with FRANK D’ARCY before 22/03/2010 is published.</w:t>"
                "</w:r></w:p></w:comment></w:comments>"
            ).encode(),
        )


def test_a_planted_name_in_header_comment_and_properties_is_found_in_all_three(
    store: Store, tmp_path: Path, raw: dict
) -> None:
    rid = bundle.import_bundle(store, copy.deepcopy(raw))
    clean = tmp_path / "clean.docx"
    documents.generate(store, rid, "management-review", clean, publication=True)
    planted = tmp_path / "planted.docx"
    _plant(clean, planted)
    hits = documents.check_file(store, rid, planted)  # what generate runs on the saved file
    assert hits == check_package(planted, register_from_bundle(raw))
    places = "\n".join(hits)
    assert "a page header (word/header1.xml)" in places and "'Kerry Brennan'" in places
    assert "the comments (word/comments.xml)" in places and "D’ARCY" in places
    assert "the date of birth of family member 1" in places
    assert (
        "the document properties (docProps/core.xml), <creator>" in places
        and "Amélie Durand" in places
    )


def test_a_name_the_replacement_cannot_resolve_blocks_the_file_and_says_where(
    store: Store, tmp_path: Path
) -> None:
    rid = bundle.import_file(store, SAMPLE)
    store.update_review(
        rid, family_summary="The Brennan family moved. Kerry’s mother lives at 12 Saltings Row."
    )
    target = tmp_path / "out" / "pub.docx"
    with pytest.raises(PublicationError) as caught:
        documents.generate(store, rid, "management-review", target, publication=True)
    assert any("document body" in hit and "'Brennan'" in hit for hit in caught.value.hits)
    assert not target.exists() and not list(target.parent.iterdir())  # nothing left behind
    # Once the sentence is rewritten, the version is made; the address became "[address withheld]".
    store.update_review(
        rid, family_summary="The family moved. Mother’s mother lives at 12 Saltings Row."
    )
    documents.generate(store, rid, "management-review", target, publication=True)
    assert "[address withheld]" in _package_text(target)["word/document.xml"]


def test_a_pseudonym_equal_to_a_real_name_is_refused(store: Store, tmp_path: Path) -> None:
    rid = bundle.import_file(store, SAMPLE)
    member = store.rows(m.FamilyMember, rid)[1]
    store.update(m.FamilyMember, member.id, pseudonym="Owen Pritchard")
    with pytest.raises(PublicationError) as caught:
        documents.generate(store, rid, "management-review", tmp_path / "p.docx", publication=True)
    assert "'Owen Pritchard'" in str(caught.value) and "real name" in str(caught.value)
    assert not (tmp_path / "p.docx").exists()
    store.update(m.FamilyMember, member.id, pseudonym="")
    with pytest.raises(PublicationError, match="has no pseudonym"):
        documents.generate(store, rid, "management-review", tmp_path / "p.docx", publication=True)


def test_the_author_and_the_commissioner_keep_their_names_posts_and_contact(
    store: Store, tmp_path: Path, raw: dict
) -> None:
    """Public roles: the lead reviewer (the report's author) and the commissioner are named in
    the publication version as in the draft, and the package check still passes."""
    rid = bundle.import_bundle(store, copy.deepcopy(raw))
    target = tmp_path / "published.docx"
    documents.generate(store, rid, "management-review", target, publication=True)
    text = _docx_text(target)
    lead = raw["review"]["lead_reviewer"]
    commissioner = raw["review"]["commissioner"]
    assert f"AUTHOR: {lead['name']}" in text
    assert f"Print name: {lead['name']}" in text
    assert lead["post"] in text
    assert lead["address"] in text and f"Tel. {lead['telephone']}" in text  # contact, as drafted
    assert commissioner["name"] in text and commissioner["post"] in text
    assert "the Lead Reviewer" not in text and "the Commissioner" not in text
    assert check_package(target, register_from_bundle(raw)) == []
    import docx

    assert docx.Document(str(target)).core_properties.author == lead["name"]


def _docx_text(path: Path) -> str:
    import docx

    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_sample_publication_reads_as_if_written_with_the_pseudonyms(
    store: Store, tmp_path: Path, raw: dict
) -> None:
    """No pseudonym doubled by the role written beside the name ("Team Manager Team Manager",
    "Child T (Child T)"), no appositive left naming a relative twice ("his mother, Mother")."""
    rid = bundle.import_bundle(store, copy.deepcopy(raw))
    target = tmp_path / "published.docx"
    documents.generate(store, rid, "management-review", target, publication=True)
    text = re.sub(r"[ \t]+", " ", _docx_text(target))  # paragraphs and cells stay apart
    register = register_from_bundle(raw)
    pseudonyms = {e.pseudonym for e in register.entries if e.pseudonym}
    assert pseudonyms
    for pseudonym in pseudonyms:
        p = re.escape(pseudonym)
        assert not re.search(rf"(?i)(?<!\w){p}\s*(?:,\s*|\(\s*){p}(?!\w)", text), pseudonym
        assert not re.search(rf"(?i)(?<!\w){p} {p}(?!\w)", text), pseudonym
    assert "his mother, Mother" not in text


@pytest.mark.parametrize(
    ("written", "published"),
    [
        ("Team Manager Owen Pritchard authorised it.", "Team Manager authorised it."),
        ("Owen Pritchard wrote to Housing.", "The Team Manager wrote to Housing."),
        (
            "Fortnightly with Owen Pritchard, always recorded.",
            "Fortnightly with the Team Manager, always recorded.",
        ),
        (
            "Business support from Priti Shah.",
            "Business support from the Business Support Officer.",
        ),
        (
            "Business support was provided by Priti Shah, Business Support Officer.",
            "Business support was provided by the Business Support Officer.",
        ),
        ("Priti Shah, Business Support Officer", "Business Support Officer"),
        (
            "Tyler Brennan (Child T) lives with his mother, Kerry Brennan, in Eastholme.",
            "Child T lives with his mother in Eastholme.",
        ),
        (
            "His maternal grandfather, Francis D'Arcy, lives nearby.",
            "His maternal grandfather lives nearby.",
        ),
        ("Owen Pritchard (Team Manager, North) chaired.", "The Team Manager (North) chaired."),
        ("Met with Owen Pritchard (Team Manager, North).", "Met with the Team Manager (North)."),
        ("Owen Pritchard; Tyler; Kerry Brennan.", "Team Manager; Child T; Mother."),
        (
            "Present: Owen Pritchard, Priti Shah.",
            "Present: Team Manager, Business Support Officer.",
        ),
        (
            "Ten minutes from school and from Francis D'Arcy.",
            "Ten minutes from school and from the maternal grandfather.",
        ),
        (
            "The family are White British; Kerry Brennan describes them as not religious.",
            "The family are White British; the mother describes them as not religious.",
        ),
        (
            "The assessment recorded Kerry Brennan’s view.",
            "The assessment recorded the mother’s view.",
        ),
        ("Kerry Brennan said no. Tyler agreed.", "The mother said no. Child T agreed."),
        (
            "At Francis D'Arcy's house, Tyler was calm.",
            "At the maternal grandfather's house, Child T was calm.",
        ),
        ("At Owen Pritchard's request.", "At the Team Manager's request."),
        ("Dear Owen Pritchard, thank you.", "Dear Team Manager, thank you."),
        ("Notes:\nKerry Brennan said no.", "Notes:\nThe mother said no."),
        ("Tyler’s Kerry Brennan said no.", "Child T’s mother said no."),
        ("To Kerry Brennan", "To Mother"),
        ("Tyler told his Kerry Brennan.", "Child T told his mother."),
    ],
)
def test_a_pseudonym_fits_the_sentence_it_replaces_a_name_in(written: str, published: str) -> None:
    register = Register(
        [
            Entry("family", "Child T", ["Tyler Brennan", "Tyler"], label="the child"),
            Entry("family", "Mother", ["Kerry Brennan"], label="the mother"),
            Entry("family", "Maternal grandfather", ["Francis D'Arcy"], label="grandfather"),
            Entry("staff", "Team Manager", ["Owen Pritchard"], label="a team manager"),
            Entry("other", "Business Support Officer", ["Priti Shah"], label="a note taker"),
        ]
    )
    assert register.pseudonymise(written) == published


def test_name_forms_are_replaced_consistently() -> None:
    register = Register(
        [
            Entry(
                "family",
                "Child A",
                ["Zoë Ó'Brien", "Zo"],
                [dt.date(2012, 1, 5)],
                ["4 Elm Road, Town, AB1 2CD"],
                label="the child",
            ),
            Entry("staff", "Social Worker 1", ["Siân Jones-Evans"], label="a social worker"),
        ]
    )
    replace = register.pseudonymise
    assert replace("Zoë Ó'Brien’s file") == "Child A’s file"  # possessive, curly apostrophe
    assert replace("Zoe O'Brien's file") == "Child A's file"  # without accents
    assert replace("O’BRIEN, Zoë and Ó'Brien, Zoë") == "Child A and Child A"  # SURNAME, Given
    assert replace("Z. Ó'Brien met Zo and Ms O'Brien") == "Child A met Child A and Child A"
    assert replace("Sian Jones Evans and SIÂN JONES-EVANS") == "Social Worker 1 and Social Worker 1"
    assert replace("a frank zoo") == "a frank zoo"  # single words match as names only
    assert replace("born 5 January 2012 at 4 Elm Road, ab1 2cd") == (
        "born [date of birth withheld] at [address withheld], [address withheld]"
    )
    assert "05/01/2012" in date_forms(dt.date(2012, 1, 5)) and "5th January 2012" in date_forms(
        dt.date(2012, 1, 5)
    )


def test_cli_checks_a_file_edited_after_it_was_made(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reviewer_tui.cli import main

    assert main(["--data-dir", str(data_dir), "import", str(SAMPLE)]) == 0
    rid = capsys.readouterr().out.strip()
    clean = tmp_path / "clean.docx"
    assert (
        main(
            [
                "--data-dir",
                str(data_dir),
                "report",
                rid,
                "--document",
                "learning-summary",
                "--publication",
                "-o",
                str(clean),
            ]
        )
        == 0
    )
    assert main(["--data-dir", str(data_dir), "report", rid, "--check", str(clean)]) == 0
    planted = tmp_path / "planted.docx"
    _plant(clean, planted)
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "report", rid, "--check", str(planted)]) == 1
    err = capsys.readouterr().err
    assert "NOT publishable" in err and "word/header1.xml" in err and "word/comments.xml" in err
    assert "docProps/core.xml" in err


@pytest.mark.parametrize(
    ("written", "published"),
    [
        ("Kerry Brennan said no.", "Jade said no."),
        ("Tyler Brennan told Dean Brennan.", "Kai told Dad."),
        ("She spoke with Kerry Brennan.", "She spoke with Jade."),
    ],
)
def test_a_name_given_as_a_pseudonym_stays_a_name(written: str, published: str) -> None:
    """Only a relationship word ("Mother", "Maternal grandfather") reads as a common noun; an
    invented first name stays a name, whatever its shape."""
    register = Register(
        [
            Entry("family", "Kai", ["Tyler Brennan", "Tyler"], label="the child"),
            Entry("family", "Jade", ["Kerry Brennan"], label="the mother"),
            Entry("family", "Dad", ["Dean Brennan"], label="the father"),
        ]
    )
    assert register.pseudonymise(written) == published
