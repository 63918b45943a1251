"""The genogram of section 2.1: a tree built from the stored family members (grandparents over
parents, each parent over their partnerships, each partnership over its children), checked on
the public sample and on a review with a larger family, in the core and in the Word file (each
generation one list level deeper)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import docx
import pytest
from docx.shared import Cm

from reviewer_tui import bundle
from reviewer_tui import models as m
from reviewer_tui.genogram import OTHERS, Node, genogram, member_label
from reviewer_tui.reports import documents
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE

# (name, relationship, date of birth): a family with two partnerships on each side
LARGE = [
    ("Jean D'Arcy", "Maternal grandmother", dt.date(1957, 2, 1)),
    ("Francis D'Arcy", "Maternal grandfather", dt.date(1955, 6, 17)),
    ("Kerry Brennan", "Mother", dt.date(1986, 11, 5)),
    ("Paul Brennan", "Father, separated from the mother in 2015", None),
    ("Dean Walsh", "Mother's partner since 2019", None),
    ("Tyler Brennan", "Subject child", dt.date(2010, 3, 22)),
    ("Ruby Brennan", "Sister", dt.date(2012, 8, 9)),
    ("Alfie Walsh", "Maternal half-brother", dt.date(2020, 1, 14)),
    ("Lisa Moran", "Maternal aunt", None),
    ("Kai Moran", "Maternal cousin", None),
    ("Margaret Brennan", "Paternal grandmother", None),
    ("Sophie Kerr", "Father's partner", None),
    ("Evie Brennan", "Paternal half-sister", None),
    ("Gwen Price", "Neighbour who looks after the children", None),
]


def _member(name: str, relationship: str, born: dt.date | None) -> dict:
    return {"name": name, "relationship": relationship, "date_of_birth": born}


def _label(name: str) -> str:
    row = next(r for r in LARGE if r[0] == name)
    return member_label(_member(*row))


def _outline(nodes: list[Node], depth: int = 0) -> list[tuple[int, str]]:
    out = []
    for node in nodes:
        text = node.prefix + " and ".join(p.label for p in node.people) + node.suffix
        out.append((depth, text))
        out += _outline(node.children, depth + 1)
    return out


def test_the_sample_family_is_grandfather_over_mother_over_child(raw: dict) -> None:
    members = raw["family"]["members"]
    tree = _outline(genogram(members))
    by_relationship = {x["relationship"]: member_label(x) for x in members}
    assert tree == [
        (0, by_relationship["Maternal grandfather"]),
        (1, by_relationship["Mother of Child T"]),
        (2, by_relationship["Subject child"]),
    ]
    assert by_relationship["Mother of Child T"] == "Kerry Brennan: mother of Child T"


def test_a_larger_family_shows_partnerships_separations_children_and_grandparents() -> None:
    tree = _outline(genogram([_member(*row) for row in LARGE]))
    L = _label  # noqa: N806
    grandparents = " and ".join([L("Jean D'Arcy"), L("Francis D'Arcy")])
    assert tree == [
        (0, grandparents),
        (1, L("Kerry Brennan")),
        (2, f"with {L('Paul Brennan')}"),
        (3, L("Tyler Brennan")),
        (3, L("Ruby Brennan")),
        (2, f"with {L('Dean Walsh')}"),
        (3, L("Alfie Walsh")),
        (1, L("Lisa Moran")),
        (2, L("Kai Moran")),
        (0, L("Margaret Brennan")),
        (1, f"{L('Paul Brennan')} (as above)"),
        (2, f"with {L('Sophie Kerr')}"),
        (3, L("Evie Brennan")),
        (0, OTHERS),
        (1, L("Gwen Price")),
    ]
    assert "separated" in L("Paul Brennan")  # the separation is in the reviewer's own words
    everyone = " ".join(text for _d, text in tree)
    assert all(name in everyone for name, _r, _b in LARGE)  # nobody left out


@pytest.fixture
def raw() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def no_user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewer_tui.reports.engine.user_template_dir", lambda: tmp_path / "none")


def _section_21(path: Path) -> list[tuple[str, str]]:
    doc = docx.Document(str(path))
    paragraphs = doc.paragraphs
    start = next(
        n
        for n, p in enumerate(paragraphs)
        if p.style.name == "Heading 2" and p.text.endswith("Family Background and Genogram")
    )
    out = []
    for p in paragraphs[start + 1 :]:
        if p.style.name.startswith("Heading"):
            break
        out.append((p.style.name, p.text))
    return out


def _level(style: str) -> int:
    return int(style.rsplit(" ", 1)[1]) if style[-1].isdigit() else 1


def test_the_word_file_draws_the_sample_genogram_one_level_a_generation(
    store: Store, tmp_path: Path, raw: dict
) -> None:
    rid = bundle.import_file(store, SAMPLE)
    target = tmp_path / "r.docx"
    documents.generate(store, rid, "management-review", target)
    section = _section_21(target)
    lines = [(s, t) for s, t in section if s.startswith("List Bullet")]
    stored = store.rows(m.FamilyMember, rid)
    expected = []
    for relationship in ("Maternal grandfather", "Mother of Child T", "Subject child"):
        member = next(x for x in stored if x.relationship == relationship)
        born = member.date_of_birth
        expected.append(f"{member_label(member.model_dump())}, born {born.day} {born:%B %Y}")
    assert [t for _s, t in lines] == expected
    assert [_level(s) for s, _t in lines] == [1, 2, 3]


def test_the_word_file_draws_a_larger_family_four_generations_deep(
    store: Store, tmp_path: Path
) -> None:
    rid = bundle.import_file(store, SAMPLE)
    by_name = {row[0]: row for row in LARGE}
    stored = store.rows(m.FamilyMember, rid)
    for member in stored:  # the sample's three, as the larger family records them
        _name, relationship, born = by_name[member.name]
        store.update(m.FamilyMember, member.id, relationship=relationship, date_of_birth=born)
    for n, (name, relationship, born) in enumerate(LARGE):
        if name in {x.name for x in stored}:
            continue
        store.add_row(
            m.FamilyMember,
            rid,
            key=f"fm-large-{n}",
            name=name,
            pseudonym=f"Person {n}",
            relationship=relationship,
            date_of_birth=born,
        )
    target = tmp_path / "r.docx"
    documents.generate(store, rid, "management-review", target)
    lines = [(s, t) for s, t in _section_21(target) if s.startswith("List")]
    texts = [t for _s, t in lines]
    kerry = texts.index(_label("Kerry Brennan") + ", born 5 November 1986")
    assert texts[kerry + 1] == f"with {_label('Paul Brennan')}"
    assert texts[kerry + 2] == _label("Tyler Brennan") + ", born 22 March 2010"
    levels = {t: _level(s) for s, t in lines}
    assert levels[texts[kerry]] == 2 and levels[texts[kerry + 1]] == 3
    # a fourth level: the deepest list style the reference has (3), indented one level more
    assert levels[texts[kerry + 2]] == 3
    doc = docx.Document(str(target))
    fourth = next(p for p in doc.paragraphs if p.text == texts[kerry + 2])
    third = next(p for p in doc.paragraphs if p.text == texts[kerry + 1])

    def indent(p) -> int:  # noqa: ANN001
        direct = p.paragraph_format.left_indent
        if direct is not None:
            return direct
        return p.style.paragraph_format.left_indent or 0

    assert indent(fourth) > indent(third)
    assert indent(fourth) >= Cm(4 * 0.6)  # List Bullet 3 indents 3 x 0.635 cm


def test_the_publication_genogram_uses_pseudonyms_and_no_dates(
    store: Store, tmp_path: Path, raw: dict
) -> None:
    rid = bundle.import_file(store, SAMPLE)
    target = tmp_path / "p.docx"
    documents.generate(store, rid, "management-review", target, publication=True)
    lines = [t for s, t in _section_21(target) if s.startswith("List Bullet")]
    assert lines == ["Maternal grandfather", "Mother of Child T", "Child T: subject child"]
