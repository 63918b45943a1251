"""The pre-publication quality check: what would weaken the report, each item naming the place
to fix it, and the weaknesses the reviewer accepted with a reason.

Each item has a stable `identity` (the kind of weakness and the bundle id of the row, or the
question's or agency's own words), so an acceptance survives the item's wording changing (a
finding's statement rewritten, a recommendation renumbered) and lapses only when the thing
itself goes. The rules reuse what exists: the hindsight guard and the unsigned rule of
reviewer_tui.read_model, and the publication check of reviewer_tui.reports.register.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from reviewer_tui import domain, read_model
from reviewer_tui.errors import InputError

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

# Owners that name nobody in particular: a recommendation needs one specific owner.
VAGUE_OWNERS = frozenset(
    {
        "all",
        "all agencies",
        "all partners",
        "all staff",
        "agencies",
        "everyone",
        "everybody",
        "management",
        "managers",
        "n/a",
        "na",
        "partners",
        "staff",
        "tbc",
        "tbd",
        "the partnership",
        "to be confirmed",
        "to be decided",
        "unknown",
        "various",
    }
)

# What each kind of weakness is called on the checklist, in the order it lists them.
CHECKS: dict[str, str] = {
    "finding-evidence": "Finding without evidence from the time",
    "recommendation-owner": "Recommendation without a specific owner",
    "recommendation-due": "Recommendation without a due date",
    "recommendation-outcome": "Recommendation without an intended outcome",
    "recommendation-measure": "Recommendation without a way to check it",
    "recommendation-finding": "Recommendation not linked to a finding",
    "question-unanswered": "Terms-of-reference question no finding answers",
    "agency-no-chronology": "Agency with no chronology entries",
    "interview-unsigned": "Interview record not signed",
    "family-below-plan": "Family involvement below the planned level",
    "no-pseudonym": "Person without a pseudonym",
    "named-in-publication": "Name left in the publication version",
}


@dataclass(frozen=True)
class Acceptance:
    identity: str
    item: str
    reason: str
    accepted_on: dt.date | None


@dataclass(frozen=True)
class QualityItem:
    identity: str  # stable: what the acceptance is keyed on
    check: str  # a key of CHECKS
    place: str  # where, in the reviewer's words: "Finding 2", "Recommendation 1"
    problem: str  # what is wrong and how to put it right
    stage: str  # the workspace stage whose screen fixes it (domain.STAGES)
    target: str = ""  # the bundle id of the row, where there is one
    accepted: Acceptance | None = None
    fix: str = ""  # how to put it right (shown on the checklist, never printed)

    @property
    def heading(self) -> str:
        return CHECKS[self.check]

    @property
    def line(self) -> str:
        return f"{self.place}: {self.problem}"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def question_reference(number: int) -> re.Pattern[str]:
    """How a finding cites terms-of-reference question N: "Q2" or "question 2"."""
    return re.compile(rf"\b(?:q|question)\s*{number}(?!\d)", re.IGNORECASE)


# --- the checks ---------------------------------------------------------------------------------
def _findings(store: Store, review_id: int) -> Iterator[QualityItem]:
    with read_model.reading(store.folder) as conn:
        flagged = read_model.flagged_findings(conn, review_id).get(review_id, [])
    for f in flagged:
        what = {
            read_model.NO_EVIDENCE: "no evidence is linked",
            read_model.LEARNED_LATER: "its only chronology evidence was learned later (hindsight)",
            read_model.ONLY_ACCOUNTS: "it rests only on accounts given after the event",
        }[f.flags[0]]
        yield QualityItem(
            f"finding-evidence:{f.key}",
            "finding-evidence",
            f"Finding {f.number}",
            f"{_short(f.statement) or '(no statement)'}: {what}.",
            "analysis",
            f.key,
            fix="Link a record or a chronology entry known at the time.",
        )


def _recommendations(data: dict[str, Any]) -> Iterator[QualityItem]:
    findings = {f.get("id") for f in data.get("findings", [])}
    for n, rec in enumerate(data.get("recommendations", []), start=1):
        key = rec.get("id", str(n))
        place = f"Recommendation {n}"
        action = _short(rec.get("action", "")) or "(no action written)"

        def item(
            check: str,
            problem: str,
            fix: str = "",
            key: str = key,
            place: str = place,
            action: str = action,
        ) -> QualityItem:
            return QualityItem(
                f"{check}:{key}",
                check,
                place,
                f"{action}: {problem}",
                "recommendations",
                key,
                fix=fix,
            )

        owner = (rec.get("owner") or "").strip()
        if not owner:
            yield item("recommendation-owner", "no owner.", "Name the post that will do it.")
        elif _fold(owner).strip(" .") in VAGUE_OWNERS:
            yield item(
                "recommendation-owner",
                f"the owner '{owner}' is nobody in particular.",
                "Name one post.",
            )
        if not rec.get("due"):
            yield item("recommendation-due", "no due date.", "Give the date it is due.")
        if not (rec.get("outcome") or "").strip():
            yield item(
                "recommendation-outcome", "no intended outcome.", "Say what it should change."
            )
        if not (rec.get("measure") or "").strip():
            yield item(
                "recommendation-measure",
                "no way to check it was achieved (a measure).",
                "Say how its achievement will be checked.",
            )
        if not findings & set(rec.get("finding_ids") or []):
            yield item(
                "recommendation-finding",
                "not linked to any finding.",
                "Link the finding it answers.",
            )


def _questions(data: dict[str, Any]) -> Iterator[QualityItem]:
    texts = [f"{f.get('statement', '')}\n{f.get('notes', '')}" for f in data.get("findings", [])]
    folded = [_fold(t) for t in texts]
    questions = data.get("review", {}).get("preliminary_questions", [])
    for n, question in enumerate(questions, start=1):
        if not question.strip():
            continue
        cited = question_reference(n)
        if any(cited.search(t) for t in texts) or any(_fold(question) in t for t in folded):
            continue
        yield QualityItem(
            f"question-unanswered:{_fold(question)}",
            "question-unanswered",
            f"Question Q{n}",
            f"{_short(question)}: no finding answers it.",
            "commissioning",
            fix=f"Cite it as Q{n} in the statement or notes of the finding that answers it.",
        )


def _agencies(data: dict[str, Any]) -> Iterator[QualityItem]:
    sources = {_fold(e.get("source", "")) for e in data.get("chronology", [])}
    sources.discard("")
    for org in data.get("scope", {}).get("organisations", []):
        name, code = org.get("name", ""), org.get("code", "")
        names = {_fold(name), _fold(code)} - {""}
        if names & sources:
            continue
        shown = f"{name} ({code})" if code and name else name or code
        yield QualityItem(
            f"agency-no-chronology:{_fold(code) or _fold(name)}",
            "agency-no-chronology",
            f"Agency {shown}",
            "named in the terms of reference, but no chronology entry has it as the source"
            + (f" ({code})." if code else "."),
            "chronology",
            fix="Add its chronology entries, or take it out of the terms of reference.",
        )


def _unsigned(store: Store, review_id: int) -> Iterator[QualityItem]:
    # The read model's unsigned rule, in this one place (it will also learn "changed after
    # signing"; every item it returns is a record not safely signed).
    with read_model.reading(store.folder) as conn:
        unsigned = read_model.unsigned_records(conn, review_id).get(review_id, [])
    for u in unsigned:
        yield QualityItem(
            f"interview-unsigned:{u.key}",
            "interview-unsigned",
            f"Interview record {u.key}",
            f"{u.line}.",
            "interviews",
            u.key,
            fix="Agree the record and have both sign it.",
        )


def _family(data: dict[str, Any]) -> Iterator[QualityItem]:
    planned = data.get("scope", {}).get("family_involvement_level")
    if not planned:
        return
    levels = [c.get("level") or 0 for c in data.get("family_involvement_record", [])]
    reached = max(levels, default=0)
    if reached >= planned:
        return
    reasons = [
        r
        for r in data.get("limiting_factors_reviews", [])
        if r.get("factors") or (r.get("notes") or "").strip()
    ]
    if reasons:
        return
    got = f"level {reached}" if reached else "no contact recorded"
    yield QualityItem(
        "family-below-plan",
        "family-below-plan",
        "Family involvement",
        f"planned level {planned}, reached {got}, and no limiting factors recorded to say why.",
        "family",
        fix="Record the contact, or the limiting factors that explain it.",
    )


def _pseudonyms(data: dict[str, Any]) -> Iterator[QualityItem]:
    review = data.get("review", {})
    members = data.get("family", {}).get("members", [])
    child_recorded = any(m.get("name") == review.get("child_name") for m in members)
    if review.get("child_name") and not child_recorded and not review.get("child_pseudonym"):
        yield QualityItem(
            "no-pseudonym:child",
            "no-pseudonym",
            "The child",
            "no pseudonym.",
            "commissioning",
            fix="Give one in commissioning.",
        )
    for n, member in enumerate(members, start=1):
        if not (member.get("pseudonym") or "").strip():
            relation = member.get("relationship") or "no relationship given"
            yield QualityItem(
                f"no-pseudonym:{member.get('id', n)}",
                "no-pseudonym",
                f"Family member {n} ({relation})",
                "no pseudonym.",
                "family",
                member.get("id", ""),
                fix="Give one in the family section.",
            )
    for n, person in enumerate(data.get("people", []), start=1):
        if not (person.get("pseudonym") or "").strip():
            role = person.get("designation") or "no designation"
            yield QualityItem(
                f"no-pseudonym:{person.get('id', n)}",
                "no-pseudonym",
                f"Member of staff {n} ({role})",
                "no role pseudonym.",
                "interviews",
                person.get("id", ""),
                fix="Give one under people and interviews.",
            )


# Bundle sections and the stage whose screen edits them, for names left in the publication text.
SECTION_STAGES = {
    "review": ("commissioning", "Commissioning"),
    "scope": ("scope", "Terms of reference"),
    "records_examined": ("records", "Records examined"),
    "family": ("family", "Family"),
    "chronology": ("chronology", "Chronology"),
    "people": ("interviews", "People"),
    "interviews": ("interviews", "Interviews"),
    "meeting": ("meeting", "Meeting"),
    "analysis": ("analysis", "Analysis"),
    "learning": ("analysis", "Learning"),
    "findings": ("analysis", "Findings"),
    "recommendations": ("recommendations", "Action plan"),
    "escalations": ("escalations", "Escalations"),
    "family_involvement_record": ("family", "Family involvement"),
    "limiting_factors_reviews": ("family", "Limiting factors"),
    "closing_steps": ("report", "Closing steps"),
    "report": ("report", "Report"),
    "delay_log": ("report", "Delay log"),
}
# Never printed in the publication version: the names themselves and the working copies.
NOT_PUBLISHED = frozenset(
    {
        "id",
        "person_id",
        "full_name",
        "name",
        "child_name",
        "also_known_as",
        "date_of_birth",
        "address",
        "home_address",
        "pseudonym",
        "child_pseudonym",
        "versions",
        "data",
        "accepted_quality_items",
        "chronology_quick_entry",
    }
)


def _texts(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, (*path, i))
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in NOT_PUBLISHED and not k.endswith("_ids"):
                yield from _texts(v, (*path, k))


def _place(path: tuple[Any, ...]) -> tuple[str, str]:
    section = str(path[0])
    stage, label = SECTION_STAGES.get(section, ("report", section.replace("_", " ").title()))
    if len(path) > 1 and isinstance(path[1], int):
        label += f" {path[1] + 1}"
    field = next((p for p in reversed(path) if isinstance(p, str) and p != section), "")
    if field:
        label += f", {field.replace('_', ' ')}"
    return stage, label


# The names found in each published text, kept between checks in this process, by register
# (the names, pseudonyms, dates of birth and addresses the texts are checked against): a check
# of a review checked before scans only the texts that changed since. The notes of a large
# review are 20 MB, seconds to scan; a text is known by a digest of it, never kept itself.
_FOUND: dict[bytes, dict[bytes, Sequence[tuple[str, str]]]] = {}
_REGISTERS_KEPT = 4
# Text left as it is by the pseudonymiser (reviewer_tui.reports.register.pseudonymise_bundle).
_NOT_PSEUDONYMISED = ("id", "person_id", "evidence")

# How far a check has got: (characters of text checked, of all to check). It may raise to stop
# the check (a screen closed while it runs): the exception goes up to the caller.
Progress = Callable[[int, int], None]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _register_key(register: Any) -> bytes:
    return _digest(
        repr(
            [
                (e.kind, e.pseudonym, e.names, e.dates_of_birth, e.addresses, e.label)
                for e in register.entries
            ]
        )
    )


def known_names() -> list[dict[str, Any]]:
    """The names found in each text checked in this process, per register, most recent last,
    as JSON can carry them: for a check in a child process (reviewer_tui.quality_process) to
    skip what this process has checked. Digests only, never a text; the names found are the
    register's own words."""
    out = []
    for key, found in list(_FOUND.items()):
        clean = [digest for digest, hits in found.items() if not hits]
        out.append(
            {
                "register": key.hex(),
                "clean": b"".join(clean).hex(),  # texts with nothing found: most of them
                "hits": [[digest.hex(), hits] for digest, hits in found.items() if hits],
            }
        )
    return out


def remember_names(known: list[dict[str, Any]]) -> None:
    """Take in what `known_names` (of another process) says, the last one the most recent."""
    for entry in known:
        key = bytes.fromhex(entry["register"])
        found = _FOUND.pop(key, None) or {}
        clean = bytes.fromhex(entry["clean"])
        found.update(dict.fromkeys((clean[i : i + 16] for i in range(0, len(clean), 16)), ()))
        for digest, hits in entry["hits"]:
            found[bytes.fromhex(digest)] = [(words, what) for words, what in hits]
        _FOUND[key] = found
    while len(_FOUND) > _REGISTERS_KEPT:
        del _FOUND[next(iter(_FOUND))]


def _found_in(data: dict[str, Any], progress: Progress | None) -> list[tuple[str, str, str]]:
    """(where, what, the words found) for every name left in the publication text: each text
    as the pseudonymiser leaves it, checked as `find_names_in` checks it. Texts checked before
    against the same register are not checked again."""
    from reviewer_tui.reports.register import _hits, _matcher, register_from_bundle

    register = register_from_bundle(data)
    key = _register_key(register)
    found = _FOUND.pop(key, None) or {}
    _FOUND[key] = found  # the most recent last
    while len(_FOUND) > _REGISTERS_KEPT:
        del _FOUND[next(iter(_FOUND))]
    texts = [(p, t) for p, t in _texts(data, ()) if p and p[0] in SECTION_STAGES]
    total = sum(len(t) for _, t in texts)
    checks: Any = None
    done = step = 0
    out: list[tuple[str, str, str]] = []
    for path, text in texts:
        last_key = next((p for p in reversed(path) if isinstance(p, str)), "")
        kept = last_key in _NOT_PSEUDONYMISED or last_key.endswith("_ids")
        digest = _digest(("=" if kept else "~") + text)
        hits = found.get(digest)
        if hits is None:
            if checks is None:
                checks = _matcher(register)
            public = text if kept else register.pseudonymise(text)
            hits = _hits(public, checks)
            found[digest] = hits
        where = "/".join(map(str, path))
        out.extend((where, what, words) for words, what in hits)
        done += len(text)
        if progress is not None and done - step >= 200_000:
            step = done
            progress(done, total)
    if progress is not None:
        progress(total, total)
    return out


def _named(data: dict[str, Any], progress: Progress | None = None) -> Iterator[QualityItem]:
    paths: dict[str, tuple[Any, ...]] = {}
    for path, _text in _texts(data, ()):
        if path and path[0] in SECTION_STAGES:
            paths["/".join(map(str, path))] = path
    seen = set()
    for where, what, found in _found_in(data, progress):
        path = paths[where]
        # Keyed by the row's bundle id where it has one, so reordering keeps the acceptance.
        row: Any = data
        for part in path[:2]:
            row = row[part] if isinstance(row, (dict, list)) else {}
        anchor = (
            row.get("id") if isinstance(row, dict) and "id" in row else "/".join(map(str, path[:2]))
        )
        field = "/".join(str(p) for p in path[2:] if isinstance(p, str))
        identity = f"named-in-publication:{path[0]}:{anchor}:{field}:{_fold(found)}"
        if identity in seen:
            continue
        seen.add(identity)
        stage, label = _place(path)
        yield QualityItem(
            identity,
            "named-in-publication",
            label,
            f"{what} ('{found}') would stay in the publication version.",
            stage,
            anchor if isinstance(anchor, str) else "",
            fix="Rewrite it, or record the name form so it is replaced.",
        )


# --- where an item is put right -----------------------------------------------------------------
# The table an item's target (a bundle id) is a row of, and the field that puts it right.
FIX_AT: dict[str, tuple[str, str]] = {
    "finding-evidence": ("finding", "statement"),
    "recommendation-owner": ("recommendation", "owner"),
    "recommendation-due": ("recommendation", "due"),
    "recommendation-outcome": ("recommendation", "outcome"),
    "recommendation-measure": ("recommendation", "measure"),
    "recommendation-finding": ("recommendation", "action"),
    "interview-unsigned": ("interview", "agreed_on"),
}
# A missing pseudonym is given where the stage of its item says.
PSEUDONYM_AT = {
    "commissioning": ("review", "child_pseudonym"),
    "family": ("family_member", "pseudonym"),
    "interviews": ("person", "pseudonym"),
}
# Bundle sections of many rows (each with an id) and of one row per review, as tables.
ROWS_OF_SECTION = {
    "chronology": "chronology_entry",
    "findings": "finding",
    "recommendations": "recommendation",
    "people": "person",
    "interviews": "interview",
    "records_examined": "record_examined",
}
ONE_ROW_SECTIONS = {"review": "review", "analysis": "analysis", "learning": "learning"}
KEYED_TABLES = frozenset({*ROWS_OF_SECTION.values(), "family_member"})


def fix_place(store: Store, review_id: int, item: QualityItem) -> tuple[str, int, str] | None:
    """The row and field that put `item` right (table, row id, column), or None where the item
    has no one row (a question, an agency, the family's involvement): then its stage's screen."""
    if item.check == "no-pseudonym":
        table, field = PSEUDONYM_AT.get(item.stage, ("", ""))
    elif item.check == "named-in-publication":
        # identity: named-in-publication:SECTION:ANCHOR:FIELD:NAME (see _named); a section of
        # one row anchors at "section/field", and a nested field's column joins its parts.
        _, section, anchor, path, _ = (item.identity.split(":", 4) + [""] * 5)[:5]
        parts = path.split("/")
        if section in ONE_ROW_SECTIONS:
            parts = anchor.split("/")[1:] + parts
        field = "_".join(p for p in parts if p)
        table = ROWS_OF_SECTION.get(section) or ONE_ROW_SECTIONS.get(section, "")
    else:
        table, field = FIX_AT.get(item.check, ("", ""))
    if not table:
        return None
    if table not in KEYED_TABLES:
        return table, review_id, field
    if not item.target:
        return None
    with read_model.reading(store.folder) as conn:
        row = conn.execute(
            f'SELECT id FROM "{table}" WHERE review_id = ? AND key = ?', (review_id, item.target)
        ).fetchone()
    return None if row is None else (table, int(row[0]), field)


# --- the check ----------------------------------------------------------------------------------
def acceptances(store: Store, review_id: int) -> dict[str, Acceptance]:
    from reviewer_tui import models as m

    return {
        a.identity: Acceptance(a.identity, a.item, a.reason, a.accepted_on)
        for a in store.rows(m.QualityAcceptance, review_id)
    }


def check(
    store: Store,
    review_id: int,
    data: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> list[QualityItem]:
    """Every weakness the report has now, open ones and accepted ones, in checklist order.
    `progress` hears how far the name check (most of the work) has got, first (0, 0) as the
    review is read."""
    if progress is not None:
        progress(0, 0)
    if data is None:
        from reviewer_tui.bundle import export_bundle

        data = export_bundle(store, review_id)
    found = [
        *_findings(store, review_id),
        *_recommendations(data),
        *_questions(data),
        *_agencies(data),
        *_unsigned(store, review_id),
        *_family(data),
        *_pseudonyms(data),
        *_named(data, progress),
    ]
    accepted = acceptances(store, review_id)
    order = list(CHECKS)
    found.sort(key=lambda i: order.index(i.check))
    return [replace(i, accepted=accepted.get(i.identity)) for i in found]


def items_to_data(items: list[QualityItem]) -> list[dict[str, Any]]:
    """The items as JSON can carry them (from a check in a child process to the app)."""
    rows = []
    for item in items:
        row = asdict(item)
        if item.accepted is not None and item.accepted.accepted_on is not None:
            row["accepted"]["accepted_on"] = item.accepted.accepted_on.isoformat()
        rows.append(row)
    return rows


def items_from_data(rows: list[dict[str, Any]]) -> list[QualityItem]:
    """`items_to_data` read back: the same items."""
    items = []
    for row in rows:
        accepted = row.pop("accepted")
        if accepted is not None:
            day = accepted["accepted_on"]
            accepted = Acceptance(
                accepted["identity"],
                accepted["item"],
                accepted["reason"],
                dt.date.fromisoformat(day) if day else None,
            )
        items.append(QualityItem(**row, accepted=accepted))
    return items


def open_items(items: list[QualityItem]) -> list[QualityItem]:
    return [i for i in items if i.accepted is None]


def summary(items: list[QualityItem]) -> str:
    """One line for the report screen and the workspace."""
    if not items:
        return "Quality check: nothing found that would weaken the report."
    still = open_items(items)
    accepted = len(items) - len(still)
    text = f"Quality check: {len(still)} open item{'s' if len(still) != 1 else ''}"
    return text + (f", {accepted} accepted with a reason." if accepted else ".")


def accept(store: Store, review_id: int, item: QualityItem, reason: str, today: dt.date) -> None:
    """Accept a weakness with a reason (stored under its identity; giving a new reason
    replaces the old one)."""
    from sqlmodel import select

    from reviewer_tui import models as m
    from reviewer_tui.reviews import check_text

    reason = check_text(reason, "reason").strip()
    if not reason:
        raise InputError("Give the reason for accepting this item; nothing was recorded.")
    with store.session() as session:
        row = session.exec(
            select(m.QualityAcceptance).where(
                m.QualityAcceptance.review_id == review_id,
                m.QualityAcceptance.identity == item.identity,
            )
        ).first()
        if row is not None:
            row.reason, row.item, row.accepted_on = reason, f"{item.heading}. {item.line}", today
            session.commit()
            return
    store.add_row(
        m.QualityAcceptance,
        review_id,
        identity=item.identity,
        item=f"{item.heading}. {item.line}",
        reason=reason,
        accepted_on=today,
    )


def withdraw(store: Store, review_id: int, identity: str) -> None:
    from sqlmodel import select

    from reviewer_tui import models as m

    with store.session() as session:
        for row in session.exec(
            select(m.QualityAcceptance).where(
                m.QualityAcceptance.review_id == review_id,
                m.QualityAcceptance.identity == identity,
            )
        ):
            session.delete(row)
        session.commit()


def accepted_for_report(items: list[QualityItem]) -> list[dict[str, str]]:
    """The appendix of the final report: each accepted weakness with its reason."""
    return [
        {
            "heading": i.heading,
            "place": i.place,
            "problem": i.problem,
            "reason": i.accepted.reason,
            "accepted_on": domain.format_date(i.accepted.accepted_on),
        }
        for i in items
        if i.accepted is not None
    ]
