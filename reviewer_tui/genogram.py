"""A genogram of the family, as an indented tree, from the family members the reviewer recorded.

Each member's relationship is the reviewer's own words ("Mother of Child T", "Maternal
grandfather", "Father, separated from the mother in 2015", "Mother's partner"), read for who
they are to the child: grandparents, parents, a parent's partners, brothers and sisters (full,
half or step), aunts, uncles and cousins. The tree runs from the oldest generation down: each
grandparent couple over their children, each parent over their partnerships ("with ..."), each
partnership over its children. Nobody is left out: anyone the words do not place is listed
under "Others in the child's life", as recorded. No Textual, no Word here: the report templates
print the tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SEPARATED = re.compile(
    r"\b(separated|former|ex-|ex |divorced|estranged|no longer|no contact|not in contact)",
    re.IGNORECASE,
)


OTHERS = "Others in the child's life"


@dataclass
class Person:
    label: str  # see member_label
    born: Any = None  # the date of birth as stored, for the template to print


@dataclass
class Node:
    """One line of the tree: one person, a couple ("... and ..."), or a partnership ("with
    ..."), and the lines under it."""

    people: list[Person]
    children: list[Node] = field(default_factory=list)
    prefix: str = ""  # "with " for a parent's partnership
    suffix: str = ""  # " (as above)" for a parent shown twice


@dataclass
class _Member:
    label: str
    born: Any
    role: str  # subject, grandparent, parent, partner, sibling, aunt_uncle, cousin, other
    side: str  # "M" (mother's), "P" (father's) or "" (both, or not said)
    separated: bool


def relationship_role(relationship: str) -> tuple[str, str]:
    """Who someone is to the child, and on which side, from the reviewer's words: the first
    clause says who they are ("Father, separated from the mother" is the father)."""
    text = re.split(r"[,;(]| - | – ", relationship.casefold(), maxsplit=1)[0]
    side = "M" if "maternal" in text else "P" if "paternal" in text else ""
    if re.search(r"\bsubject\b|\bthe child\b|^child$", text):
        return "subject", ""
    if re.search(r"grand(mother|father|parent|ma\b|pa\b|ad\b|dad|mum)|\bnan\b", text):
        return "grandparent", side
    if "cousin" in text:
        return "cousin", side
    if re.search(r"\b(aunt|uncle)", text):
        return "aunt_uncle", side
    if re.search(r"step-?(father|dad)", text):
        return "partner", "M"
    if re.search(r"step-?(mother|mum)", text):
        return "partner", "P"
    if re.search(r"\b(partner|boyfriend|girlfriend|husband|wife|spouse)\b", text):
        return "partner", "P" if re.search(r"\bfather|\bdad", text) else "M"
    if re.search(r"\b(brother|sister|sibling)", text):
        if re.search(r"step-?(brother|sister|sibling)", text):
            return "sibling", "step"
        if "half" in text:
            return "sibling", side or "half"
        return "sibling", ""
    if re.search(r"\b(mother|mum)\b", text):
        return "parent", "M"
    if re.search(r"\b(father|dad)\b", text):
        return "parent", "P"
    return "other", side


def member_label(member: Mapping[str, Any]) -> str:
    """'Kerry Brennan: mother of Child T'; the name alone where the relationship begins with it
    (a publication version's 'Maternal grandfather', whose pseudonym is the relationship)."""
    name = str(member.get("name") or "").strip()
    relationship = str(member.get("relationship") or "").strip()
    if not relationship:
        return name
    if not name or relationship.casefold().startswith(name.casefold()):
        return relationship[:1].upper() + relationship[1:]
    return f"{name}: {relationship[:1].lower() + relationship[1:]}"


def genogram(members: Sequence[Mapping[str, Any]]) -> list[Node]:
    """The family as a tree (see the module's docstring); [] when no one is recorded."""
    people = []
    for m in members:
        role, side = relationship_role(str(m.get("relationship") or ""))
        people.append(
            _Member(
                member_label(m),
                m.get("date_of_birth") or None,
                role,
                side,
                bool(SEPARATED.search(str(m.get("relationship") or ""))),
            )
        )

    def who(role: str, side: Callable[[str], bool] = lambda _s: True) -> list[_Member]:
        return [p for p in people if p.role == role and side(p.side)]

    placed: set[int] = set()

    def node(member: _Member, children: list[Node] | None = None) -> Node:
        placed.add(id(member))
        return Node([Person(member.label, member.born)], children or [])

    mothers = who("parent", lambda s: s == "M")
    fathers = who("parent", lambda s: s == "P")
    mother = mothers[0] if mothers else None
    father = fathers[0] if fathers else None
    full = who("subject") + who("sibling", lambda s: s == "")
    half = {
        "M": who("sibling", lambda s: s == "M"),
        "P": who("sibling", lambda s: s == "P"),
    }

    def partnerships(parent: _Member, side: str, with_other_parent: bool) -> list[Node]:
        """A parent's partnerships, each over its children (their words say if separated)."""
        lines: list[Node] = []
        other = father if side == "M" else mother
        if with_other_parent:
            children = [node(c) for c in full]
            if other is not None:
                placed.add(id(other))
                lines.append(Node([Person(other.label, other.born)], children, "with "))
            else:
                lines.extend(children)
        partners = who("partner", lambda s: s == side)
        loose = half[side]
        for partner in partners:
            placed.add(id(partner))
            children = [node(c) for c in loose] if len(partners) == 1 else []
            lines.append(Node([Person(partner.label, partner.born)], children, "with "))
        if len(partners) != 1:
            lines.extend(node(c) for c in loose)
        return lines

    def line(side: str, parent: Node | None) -> list[Node]:
        """A side of the family: its grandparents over the parent, the aunts and uncles (the
        cousins under the first of them)."""
        below: list[Node] = [parent] if parent is not None else []
        relatives = who("aunt_uncle", lambda s: s == side)
        cousins = [node(c) for c in who("cousin", lambda s: s == side)]
        for n, relative in enumerate(relatives):
            below.append(node(relative, cousins if n == 0 else []))
        if not relatives:
            below.extend(cousins)
        grandparents = who("grandparent", lambda s: s == side)
        if not grandparents:
            return below
        for g in grandparents:
            placed.add(id(g))
        return [Node([Person(g.label, g.born) for g in grandparents], below)]

    if mother is not None:
        tree = line("M", node(mother, partnerships(mother, "M", True)))
        if father is None:
            tree += line("P", None)
        elif (
            who("grandparent", lambda s: s == "P")
            or who("partner", lambda s: s == "P")
            or (
                half["P"]
                or who("aunt_uncle", lambda s: s == "P")
                or who("cousin", lambda s: s == "P")
            )
        ):  # the father's own side: his parents, his other partnerships and children
            again = Node(
                [Person(father.label)], partnerships(father, "P", False), "", " (as above)"
            )
            tree += line("P", again)
    elif father is not None:
        tree = line("M", None) + line("P", node(father, partnerships(father, "P", True)))
    else:
        tree = line("M", None) + line("P", None) + [node(c) for c in full]
    rest = [Node([Person(p.label, p.born)]) for p in people if id(p) not in placed]
    if rest:
        tree.append(Node([Person(OTHERS)], rest))
    return tree
