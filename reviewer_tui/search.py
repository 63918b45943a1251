"""Search everywhere in one review (issue 15 item 1).

Every text of a review is in an SQLite FTS5 index that the database itself keeps in step:
migration 0004 made the index and a trigger on each table below, so a change made by any path
(a screen, the CLI, a bundle import, an undo, a deleted review's cascade) reaches it in the same
transaction. This module only reads it.

- Matching ignores case and accents ("Siobhan" finds "Siobhán") and treats every apostrophe
  alike (' ’ ʼ ʻ are all word separators to the tokenizer, so O'Brien finds O’Brien).
- A query is words, each of which must appear, and "phrases in quotes", whose words must appear
  together in that order. Nothing typed is ever FTS syntax: each word and phrase goes to FTS5 as
  a quoted string, so *, -, NEAR, AND, brackets, colons and a lone quote are just text.
- Results come grouped by where they are (the stages, in their order), in each place's own
  order (the chronology by date), one per field however often it matches, each with a snippet
  of the text around the match and the matching words' spans.
  `locate` then finds the exact place of a result's match (line and column) for opening it.

Stdlib only (sqlite3), like the read model: the screens call these functions with the folder.
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress, groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviewer_tui.storage import DataFolder

# The tables and text columns indexed (a JSON list column ends in []): as migration 0004 made
# them (tests/test_search.py checks they agree). (table, row id column, text columns)
SOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "review",
        "id",
        (
            "title",
            "child_name",
            "child_pseudonym",
            "agency",
            "commissioner_name",
            "commissioner_post",
            "lead_reviewer_name",
            "lead_reviewer_post",
            "lead_reviewer_address",
            "lead_reviewer_telephone",
            "lead_reviewer_independence_statement",
            "brief",
            "preliminary_questions[]",
            "reason_for_review",
            "support_for_reviewer",
            "family_summary",
        ),
    ),
    (
        "scope",
        "review_id",
        (
            "key_issues[]",
            "outside_expert_notes",
            "family_involvement_notes",
            "family_involvement_facilitator",
            "media_and_public_interest",
        ),
    ),
    ("organisation", "id", ("name", "code", "notes")),
    ("parallel_process", "id", ("kind", "status", "notes")),
    ("other_area", "id", ("area", "arrangements")),
    ("scope_change", "id", ("change", "agreed_with")),
    ("agency_code", "id", ("code", "name")),
    ("record_examined", "id", ("title", "kind", "holder", "reason_unavailable", "notes")),
    (
        "chronology_entry",
        "id",
        (
            "event",
            "source",
            "participation",
            "outcome",
            "issues[]",
            "risk",
            "response",
            "partnership",
            "learning",
        ),
    ),
    (
        "person",
        "id",
        (
            "full_name",
            "pseudonym",
            "also_known_as[]",
            "qualifications",
            "designation",
            "time_in_post",
            "employing_body",
            "employing_address",
            "home_address",
            "role_in_case",
            "training_last_3_years[]",
            "supporter",
        ),
    ),
    ("previous_employment", "id", ("employer", "dates", "posts_held")),
    ("family_member", "id", ("name", "pseudonym", "relationship", "address", "also_known_as[]")),
    (
        "interview",
        "id",
        (
            "notes",
            "contentious_points[]",
            "interviewee_comments",
            "disagreements",
            "location",
            "note_taker",
        ),
    ),
    (
        "meeting",
        "review_id",
        (
            "open_discussion",
            "worries_discussed",
            "could_have_done_differently",
            "did_well",
            "learnt",
            "recommendations_suggested",
            "location",
            "note_taker",
        ),
    ),
    ("meeting_other_attendee", "id", ("name", "role")),
    ("meeting_contribution", "id", ("role", "went_well", "did_not_go_well")),
    (
        "analysis",
        "review_id",
        (
            "practitioners_sensitive_to_needs_and_knowledgeable",
            "policies_and_procedures_in_place",
            "key_points_for_assessment_and_decision_making",
            "actions_accorded_with_assessments_and_decisions",
            "appropriate_services_offered_or_provided",
            "child_protection_or_care_plans_and_reviews",
            "wishes_and_feelings_ascertained_and_recorded",
            "sensitivity_to_racial_cultural_linguistic_religious_identity",
            "supervision_and_case_management",
            "service_provision_linked_to_capacity_or_resources",
            "consistency_with_agency_and_lscb_procedures",
        ),
    ),
    ("finding", "id", ("statement", "notes")),
    (
        "learning",
        "review_id",
        (
            "good_practice[]",
            "areas_for_development[]",
            "training",
            "management_and_supervision",
            "partnership",
            "resources",
        ),
    ),
    ("recommendation", "id", ("action", "owner", "outcome", "measure", "status", "impact")),
    ("recommendation_progress", "id", ("note",)),
    ("escalation", "id", ("kind", "summary", "action_taken")),
    ("family_contact", "id", ("action", "notes")),
    ("limiting_factors_review", "id", ("notes",)),
    ("closing_steps", "review_id", ("distribution_notes", "presented_to", "release_decision")),
    (
        "report_details",
        "review_id",
        (
            "production_process",
            "supervision_arrangements",
            "consultation_process",
            "summary_reason",
            "summary_scope",
            "summary_findings",
            "summary_recommendations",
        ),
    ),
    ("report_draft", "id", ("version", "circulated_to", "notes")),
    ("draft_recipient", "id", ("name", "comments", "resolution")),
    ("draft_item", "id", ("author", "section", "anchor", "removed", "added", "reason")),
    ("delay_entry", "id", ("label", "reason")),
    ("quality_acceptance", "id", ("item", "reason")),
)

# The places results are grouped under, in the order of the stages, and the tables in each.
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("commissioning", "Commissioning", ("review",)),
    (
        "scope",
        "Terms of reference",
        ("scope", "organisation", "parallel_process", "other_area", "scope_change"),
    ),
    ("records", "Records", ("record_examined",)),
    ("chronology", "Chronology", ("chronology_entry", "agency_code")),
    ("people", "People and profiles", ("person", "previous_employment", "family_member")),
    ("interviews", "Interviews: notes and comments", ("interview",)),
    ("meeting", "Meeting", ("meeting", "meeting_other_attendee", "meeting_contribution")),
    ("analysis", "Analysis", ("analysis",)),
    ("findings", "Findings", ("finding",)),
    ("learning", "Learning", ("learning",)),
    (
        "recommendations",
        "Recommendations and progress",
        ("recommendation", "recommendation_progress", "closing_steps"),
    ),
    ("escalations", "Escalations", ("escalation",)),
    ("family", "Family contacts", ("family_contact", "limiting_factors_review")),
    (
        "drafts",
        "Report and drafts register",
        ("report_details", "report_draft", "draft_recipient", "draft_item"),
    ),
    ("readiness", "Timescales and quality check", ("delay_entry", "quality_acceptance")),
)
GROUP_OF = {table: key for key, _, tables in GROUPS for table in tables}

# Long texts are indexed in parts (as migration 0004 made them): PART characters each, running
# OVERLAP characters into the next, so a phrase up to OVERLAP long is whole in one part.
PART = 4000
OVERLAP = 200
PER_GROUP = 25  # results shown per place; the heading gives the whole count
SNIPPET_TOKENS = 12
# Marks around matches and cut ends in a snippet: private-use characters, which typed text does
# not hold (one that does only loses that character from its snippet, never raises).
OPEN, CLOSE, CUT = "\ue000", "\ue001", "\ue002"
_MARKS = re.compile(f"([{OPEN}{CLOSE}])")
QUOTES = '"“”„'
NO_TERMS = "Type a word, or a phrase in quotes."


def is_search_table(name: str | None) -> bool:
    """The index's own tables (made by migration 0004, written by its triggers, not models)."""
    return name in ("search_doc", "search_index") or str(name).startswith("search_index_")


def include_name(name: str | None, type_: str, parent_names: Mapping[Any, str | None]) -> bool:
    """For Alembic: compare every table with the models except the index's own."""
    table = name if type_ == "table" else parent_names.get("table_name")
    return not is_search_table(table)


@dataclass(frozen=True)
class Term:
    """One thing the query asks for: a word, or the words of a quoted phrase in order."""

    text: str
    phrase: bool = False

    def fts(self) -> str:
        """As an FTS5 string: quoted, so nothing in it is syntax."""
        return '"' + self.text.replace('"', '""') + '"'


def _has_word(text: str) -> bool:
    """Whether the tokenizer finds a word in `text` (letters, digits, private use, accents)."""
    return any(
        unicodedata.category(ch)[0] in "LNM" or unicodedata.category(ch) == "Co" for ch in text
    )


def parse_query(text: str) -> list[Term]:
    """Words and "quoted phrases". A quote left open makes the rest plain words."""
    text = text.replace("\x00", " ")
    for quote in QUOTES[1:]:
        text = text.replace(quote, '"')
    terms: list[Term] = []
    pieces = text.split('"')
    closed = len(pieces) % 2 == 1  # an even number of quotes: every phrase is closed
    for index, piece in enumerate(pieces):
        inside = index % 2 == 1 and (closed or index < len(pieces) - 1)
        if inside:
            phrase = " ".join(piece.split())
            if _has_word(phrase):
                terms.append(Term(phrase, phrase=True))
        else:
            terms.extend(Term(word) for word in piece.split() if _has_word(word))
    return terms


def fts_query(terms: Sequence[Term]) -> str:
    return " ".join(term.fts() for term in terms)


@dataclass(frozen=True)
class Hit:
    """One field of one row that matches: where it is and a snippet around the match."""

    doc_id: int
    table: str
    row_id: int
    field: str
    part: int  # which part of a long text (PART characters each) the snippet is from
    label: str  # the row in words ("Entry 3 Mar 2024 09:30 (POL)")
    field_label: str  # the field in words ("Event")
    snippet: str  # the text around the match, exactly as stored
    marks: tuple[tuple[int, int], ...]  # spans of `snippet` that matched
    cut_before: bool  # the snippet starts after the field's start
    cut_after: bool

    @property
    def group(self) -> str:
        return GROUP_OF[self.table]


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    total: int  # every match in this place; `hits` holds the first PER_GROUP
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Results:
    query: str
    terms: tuple[Term, ...]
    groups: tuple[Group, ...] = ()
    problem: str = ""  # why there is nothing to show beyond "no match"

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


@dataclass(frozen=True)
class Location:
    """Where in a field's text a result's match is: the character offset, its line (for a list,
    the item) and column, and the match's length."""

    offset: int
    line: int
    column: int
    length: int
    text: str = field(repr=False)


@contextmanager
def _reading(folder: DataFolder) -> Iterator[sqlite3.Connection]:
    conn = folder.connect()
    try:
        yield conn
    finally:
        conn.close()


def search(folder: DataFolder, review_id: int, query: str, per_group: int = PER_GROUP) -> Results:
    with _reading(folder) as conn:
        return search_in(conn, review_id, query, per_group)


def search_in(
    conn: sqlite3.Connection, review_id: int, query: str, per_group: int = PER_GROUP
) -> Results:
    """Every match of `query` in one review, grouped. Never raises for what was typed."""
    terms = tuple(parse_query(query))
    if not terms:
        return Results(query, terms, problem=NO_TERMS)
    match = fts_query(terms)
    try:
        found = conn.execute(_FOUND_SQL, (match, review_id)).fetchall()
    except sqlite3.OperationalError as exc:  # a query FTS5 still refuses: say so, never raise
        return Results(query, terms, problem=f"That search could not be run ({exc}).")
    totals, chosen = _chosen(
        (
            (
                table,
                _first_of_table(
                    json.loads(rows),
                    json.loads(parts) if top else None,
                    ids.split(","),
                    fields.split(_FIELD_SEPARATOR) if top else None,
                    per_group,
                ),
            )
            for table, top, rows, parts, ids, fields in found
            if table in GROUP_OF
        ),
        per_group,
    )
    hits = _hits(conn, match, [i for ids in chosen.values() for i in ids])
    groups = tuple(
        Group(key, title, totals[key], tuple(hits[i] for i in chosen[key] if i in hits))
        for key, title, _ in GROUPS
        if key in totals
    )
    return Results(query, terms, tuple(_in_date_order(conn, g) for g in groups))


# Every document of one review that matches, each table's in one row: its columns' values joined
# (every aggregate of a group is handed the same rows in the same order), and the table's last
# part. A common word matches some 11,000 documents of the large review: fetched as a Python row
# each, they were half the search's time; joined, they are a few strings that json.loads and
# str.split take apart in C (the numbers as JSON arrays: json.loads makes ints without a str
# each). CROSS JOIN: the full-text match first, then each document's place (the other way round
# SQLite would probe the index once per document of every review). No ranking (bm25 costs more
# than the whole search on a common word, and says little about a one-line entry): a place's
# first results are its first rows, and the chronology's are then shown in date order
# (_in_date_order).
_FIELD_SEPARATOR = "\x1f"  # char(31): in no column name (they are SQL names)
_FOUND_SQL = (
    "SELECT d.tbl, max(d.part), json_group_array(d.row_id), json_group_array(d.part), "
    "group_concat(d.id), group_concat(d.field, char(31)) FROM search_index "
    "CROSS JOIN search_doc d ON d.id = search_index.rowid "
    "WHERE search_index MATCH ? AND d.review_id = ? GROUP BY d.tbl"
)


def _first_of_table(
    row_ids: Sequence[int],
    parts: Sequence[int] | None,
    doc_ids: Sequence[int | str],
    fields: Sequence[str] | None,
    per_group: int,
) -> tuple[int, list[tuple[int, int, int]]]:
    """One table's matching documents as parallel columns (`parts` and `fields` None when every
    one is a text's first part): its count of matching fields and its first `per_group`
    (row id, part, document id), in that order.

    A field matches once however many of its parts match (its first matching part stands for
    it). Only long texts have parts after the first, so only a table holding one is compared
    field by field; any other table's count is its length. Only the documents in the rows of
    the first results are looked at one by one; the rest are passed over in C."""
    if parts is None or fields is None:
        count = len(row_ids)
        rows: Sequence[int] = row_ids  # a row counted once per matching field in it
    else:
        keys = set(zip(row_ids, fields, strict=True))
        count = len(keys)
        rows = list(map(itemgetter(0), keys))
    # Every first result is in a row no later than the per_group-th of `rows` in order: only
    # those rows' documents are picked.
    picked: Sequence[int] = range(len(row_ids))
    if len(rows) > per_group:
        last = sorted(rows)[per_group - 1]
        picked = list(compress(itertools.count(), map(last.__ge__, row_ids)))
    at_rows = map(row_ids.__getitem__, picked)
    at_ids = map(int, map(doc_ids.__getitem__, picked))
    if parts is None or fields is None:
        return count, sorted(zip(at_rows, itertools.repeat(0), at_ids))[:per_group]
    ordered = sorted(
        zip(
            at_rows,
            map(parts.__getitem__, picked),
            at_ids,
            map(fields.__getitem__, picked),
            strict=True,
        ),
        reverse=True,
    )
    # Each field's first matching part: a dict keeps the last value given for a key.
    first = dict(
        zip(map(itemgetter(0, 3), ordered), map(itemgetter(0, 1, 2), ordered), strict=True)
    )
    return count, sorted(first.values())[:per_group]


def _chosen(
    tables: Iterable[tuple[str, tuple[int, list[tuple[int, int, int]]]]], per_group: int
) -> tuple[dict[str, int], dict[str, list[int]]]:
    """From each table's (count, first results): each place's count of matching fields and the
    ids of its first `per_group` across its tables, in (row id, part, document id) order."""
    totals: dict[str, int] = {}
    firsts: dict[str, list[tuple[int, int, int]]] = {}
    for table, (count, mine) in tables:
        group = GROUP_OF.get(table)
        if group is None:
            continue
        totals[group] = totals.get(group, 0) + count
        firsts.setdefault(group, []).extend(mine)
    chosen = {
        group: [doc_id for _, _, doc_id in sorted(rows)[:per_group]]
        for group, rows in firsts.items()
    }
    return totals, chosen


def _first_per_group(
    found: list[tuple[int, str, int, str, int]], per_group: int
) -> tuple[dict[str, int], dict[str, list[int]]]:
    """The same from every matching document as a row (id, table, row id, field, part), each
    table's together."""
    tables = []
    for table, block in groupby(found, itemgetter(1)):
        doc_ids, _, row_ids, fields, parts = zip(*block, strict=True)
        long = any(parts)
        tables.append(
            (
                table,
                _first_of_table(
                    row_ids, parts if long else None, doc_ids, fields if long else None, per_group
                ),
            )
        )
    return _chosen(tables, per_group)


def _in_date_order(conn: sqlite3.Connection, group: Group) -> Group:
    """The chronology's results in its one order (chronology.sort_key), agency codes last."""
    entries = [h.row_id for h in group.hits if h.table == "chronology_entry"]
    if not entries:
        return group
    from reviewer_tui.chronology import sort_key

    marks = ", ".join("?" for _ in entries)
    keys = {
        row_id: sort_key(when or "", sequence, position, row_id)
        for row_id, when, sequence, position in conn.execute(
            f'SELECT id, "when", sequence, position FROM chronology_entry WHERE id IN ({marks})',
            entries,
        )
    }
    last: tuple[str, ...] = ("\uffff",)
    hits = sorted(
        group.hits,
        key=lambda h: keys.get(h.row_id, last) if h.table == "chronology_entry" else last,
    )
    return Group(group.key, group.title, group.total, tuple(hits))


def _hits(conn: sqlite3.Connection, match: str, doc_ids: list[int]) -> dict[int, Hit]:
    if not doc_ids:
        return {}
    marks = ", ".join("?" for _ in doc_ids)
    rows = conn.execute(
        f"SELECT d.id, d.tbl, d.row_id, d.field, d.part, "
        f"snippet(search_index, 0, '{OPEN}', '{CLOSE}', '{CUT}', {SNIPPET_TOKENS}) "
        "FROM search_index CROSS JOIN search_doc d ON d.id = search_index.rowid "
        # "+": the ids filter the one pass over the match (as an index, SQLite would run the
        # match again for each id, twice the time on a common word).
        f"WHERE search_index MATCH ? AND +search_index.rowid IN ({marks})",
        (match, *doc_ids),
    ).fetchall()
    labels = _labels(conn, {(r[1], r[2]) for r in rows})
    made = {}
    for doc_id, table, row_id, column, part, marked in rows:
        snippet, spans, before, after = split_snippet(marked)
        made[doc_id] = Hit(
            doc_id,
            table,
            row_id,
            column,
            part,
            labels.get((table, row_id), table.replace("_", " ")),
            field_label(table, column),
            snippet,
            spans,
            before or part > 0,
            after,
        )
    return made


def split_snippet(marked: str) -> tuple[str, tuple[tuple[int, int], ...], bool, bool]:
    """FTS5's snippet with its marks -> the plain text, the matched spans, and whether it was
    cut at its start and end."""
    before = marked.startswith(CUT)
    after = marked.endswith(CUT) and len(marked) > 1
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    start: int | None = None
    length = 0
    # The text between marks whole, not character by character (a search builds a hundred).
    for piece in _MARKS.split(marked.replace(CUT, "")):
        if piece == OPEN:
            start = length
        elif piece == CLOSE:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        elif piece:
            text.append(piece)
            length += len(piece)
    return "".join(text), tuple(spans), before, after


def hit_at(table: str, row_id: int, field: str) -> Hit:
    """A place no search found (a quality-check item's row and field), opened as a result is."""
    return Hit(0, table, row_id, field, 0, "", "", "", (), False, False)


def locate(folder: DataFolder, hit: Hit) -> Location | None:
    """The place of `hit`'s match in its field's whole text, or None if the field has changed
    since and the snippet is no longer where it was."""
    with _reading(folder) as conn:
        row = conn.execute(
            f'SELECT {field_text_sql(hit.table, hit.field)} FROM "{hit.table}" '
            f'WHERE "{_ID_COLUMN[hit.table]}" = ?',
            (hit.row_id,),
        ).fetchone()
    if row is None or not isinstance(row[0], str):
        return None
    return locate_in(row[0], hit)


def field_text_sql(table: str, column: str) -> str:
    """The indexed text of a column, as the index holds it (a list's items one per line)."""
    if (table, column) in _LIST_COLUMNS:
        return (
            f'(SELECT group_concat(value, char(10)) FROM json_each("{column}") '
            "WHERE type = 'text' AND value <> '')"
        )
    return f'"{column}"'


def locate_in(text: str, hit: Hit) -> Location | None:
    """Where in `text` (the field's whole text) the first mark of `hit`'s snippet is."""
    start = hit.part * PART
    at = text.find(hit.snippet, start, start + PART + OVERLAP)
    if at < 0:
        at = text.find(hit.snippet)
    if at < 0:
        return None
    first, end = hit.marks[0] if hit.marks else (0, 0)
    offset = at + first
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return Location(offset, line, column, end - first, text)


# --- the rows behind a result ----------------------------------------------------------------
_OWNER = {
    "previous_employment": "SELECT person_id FROM previous_employment WHERE id = ?",
    "draft_recipient": "SELECT report_draft_id FROM draft_recipient WHERE id = ?",
}
_REVIEW_OF = {
    "previous_employment": "SELECT p.review_id FROM previous_employment e "
    "JOIN person p ON p.id = e.person_id WHERE e.id = ?",
    "recommendation_progress": "SELECT r.review_id FROM recommendation_progress g "
    "JOIN recommendation r ON r.id = g.recommendation_id WHERE g.id = ?",
    "draft_recipient": "SELECT d.review_id FROM draft_recipient r "
    "JOIN report_draft d ON d.id = r.report_draft_id WHERE r.id = ?",
    "draft_item": "SELECT d.review_id FROM draft_item i "
    "JOIN draft_recipient r ON r.id = i.draft_recipient_id "
    "JOIN report_draft d ON d.id = r.report_draft_id WHERE i.id = ?",
}


def owner_of(folder: DataFolder, table: str, row_id: int) -> int | None:
    """The row a row of `table` belongs to and is shown with (a person's previous employment is
    on the person's profile), or None if it has gone."""
    with _reading(folder) as conn:
        row = conn.execute(_OWNER[table], (row_id,)).fetchone()
    return None if row is None else int(row[0])


def review_of_row(folder: DataFolder, table: str, row_id: int) -> int | None:
    """The review a row of an indexed table belongs to, or None if the row has gone."""
    if table not in _ID_COLUMN:
        raise ValueError(f"{table} is not a table of review text")
    sql = _REVIEW_OF.get(table) or (
        f'SELECT {"id" if table == "review" else "review_id"} FROM "{table}" '
        f'WHERE "{_ID_COLUMN[table]}" = ?'
    )
    with _reading(folder) as conn:
        row = conn.execute(sql, (row_id,)).fetchone()
    return None if row is None else int(row[0])


# --- saying where a result is ------------------------------------------------------------------
FIELD_LABELS = {
    ("interview", "notes"): "Interview notes",
    ("interview", "contentious_points"): "Contentious points",
    ("interview", "interviewee_comments"): "Interviewee's comments",
    ("review", "title"): "Title",
    ("review", "lead_reviewer_independence_statement"): "Independence statement",
    ("chronology_entry", "source"): "Source",
    ("recommendation_progress", "note"): "Progress note",
    ("draft_recipient", "comments"): "Recipient's comments",
}


def field_label(table: str, column: str) -> str:
    return FIELD_LABELS.get((table, column), column.replace("_", " ").capitalize())


def _short(text: str | None, width: int = 40) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= width else words[: width - 1] + "…"


_LABEL_SQL = {
    "review": "SELECT id, 'Commissioning' FROM review",
    "scope": "SELECT review_id, 'Scope' FROM scope",
    "organisation": "SELECT id, 'Organisation ' || name FROM organisation",
    "parallel_process": "SELECT id, 'Parallel process: ' || kind FROM parallel_process",
    "other_area": "SELECT id, 'Other area: ' || area FROM other_area",
    "scope_change": "SELECT id, 'Scope change of ' || coalesce(date, 'no date') FROM scope_change",
    "agency_code": "SELECT id, 'Agency code ' || code FROM agency_code",
    "record_examined": "SELECT id, 'Record: ' || title FROM record_examined",
    "person": "SELECT id, full_name FROM person",
    "previous_employment": "SELECT e.id, p.full_name || ', previous employment' "
    "FROM previous_employment e JOIN person p ON p.id = e.person_id",
    "family_member": "SELECT id, name || ' (family)' FROM family_member",
    "interview": "SELECT i.id, 'Interview with ' || p.full_name FROM interview i "
    "JOIN person p ON p.id = i.person_id",
    "meeting": "SELECT review_id, 'Case review meeting' FROM meeting",
    "meeting_other_attendee": "SELECT id, 'Attendee ' || name FROM meeting_other_attendee",
    "meeting_contribution": "SELECT c.id, 'Contribution of ' || p.full_name "
    "FROM meeting_contribution c JOIN person p ON p.id = c.person_id",
    "analysis": "SELECT review_id, 'Analysis of involvement' FROM analysis",
    "finding": "SELECT id, 'Finding ' || key || ': ' || statement FROM finding",
    "learning": "SELECT review_id, 'What can we learn' FROM learning",
    "recommendation": "SELECT id, 'Recommendation ' || key || ': ' || action FROM recommendation",
    "recommendation_progress": "SELECT g.id, 'Progress on ' || r.key || ', ' || g.date "
    "FROM recommendation_progress g JOIN recommendation r ON r.id = g.recommendation_id",
    "closing_steps": "SELECT review_id, 'Closing steps' FROM closing_steps",
    "escalation": "SELECT id, 'Escalation ' || raised_on || ': ' || kind FROM escalation",
    "family_contact": "SELECT id, 'Family contact ' || date FROM family_contact",
    "limiting_factors_review": "SELECT id, 'Limiting factors reviewed ' || date "
    "FROM limiting_factors_review",
    "report_details": "SELECT review_id, 'Report details' FROM report_details",
    "report_draft": "SELECT id, 'Draft ' || version FROM report_draft",
    "draft_recipient": "SELECT r.id, 'Draft ' || d.version || ', ' || r.name "
    "FROM draft_recipient r JOIN report_draft d ON d.id = r.report_draft_id",
    "draft_item": "SELECT i.id, 'Draft ' || d.version || ', ' || i.kind || ' by ' || "
    "coalesce(nullif(i.author, ''), r.name) FROM draft_item i "
    "JOIN draft_recipient r ON r.id = i.draft_recipient_id "
    "JOIN report_draft d ON d.id = r.report_draft_id",
    "delay_entry": "SELECT id, 'Delay: ' || label FROM delay_entry",
    "quality_acceptance": "SELECT id, 'Quality check accepted: ' || item FROM quality_acceptance",
}
_ID_COLUMN = {table: id_column for table, id_column, _ in SOURCES}
_LIST_COLUMNS = {(t, c[:-2]) for t, _, columns in SOURCES for c in columns if c.endswith("[]")}


def _labels(conn: sqlite3.Connection, rows: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Each row in words: one query per table, for the rows shown only."""
    from reviewer_tui import dates

    by_table: dict[str, list[int]] = {}
    for table, row_id in rows:
        by_table.setdefault(table, []).append(row_id)
    labels: dict[tuple[str, int], str] = {}
    for table, ids in by_table.items():
        marks = ", ".join("?" for _ in ids)
        if table == "chronology_entry":
            for row_id, when, precision, source in conn.execute(
                'SELECT id, "when", date_precision, source FROM chronology_entry '
                f"WHERE id IN ({marks})",
                ids,
            ):
                shown = dates.display_when(when or "", precision) if when else "no date"
                labels[(table, row_id)] = f"Entry {shown}" + (f" ({source})" if source else "")
            continue
        sql = _LABEL_SQL[table]
        alias = sql.split()[1].split(".")[0] + "." if "." in sql.split()[1] else ""
        column = alias + _ID_COLUMN[table]
        for row_id, label in conn.execute(f"{sql} WHERE {column} IN ({marks})", ids):
            labels[(table, row_id)] = _short(label, 60)
    return labels


__all__ = [
    "GROUPS",
    "Group",
    "Hit",
    "Location",
    "Results",
    "SOURCES",
    "Term",
    "fts_query",
    "hit_at",
    "include_name",
    "is_search_table",
    "locate",
    "owner_of",
    "review_of_row",
    "parse_query",
    "search",
    "search_in",
]
