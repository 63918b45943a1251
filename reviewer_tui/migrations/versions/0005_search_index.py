"""search everywhere: a full-text index of every text of a review, kept in step by triggers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Issue 15 item 1. Two tables, both written only by the triggers made here (and filled here for
the reviews that already exist), so every write path (the screens, the CLI, a bundle import, an
undo, a cascade from a deleted review) keeps the index in step without Python doing anything:
- search_doc: one row per part of a non-empty text field of a row of a review (which review,
  table, row, column and part). Lists of texts are indexed as their items, one per line. A
  long text is cut into parts of 4,000 characters, each running 200 into the next, so a
  snippet reads a few KB rather than a whole 200 KB of notes.
- search_index: an FTS5 table holding that text, rowid = search_doc.id. The unicode61 tokenizer
  folds case and removes accents (remove_diacritics 2: "Siobhan" finds "Siobhán", also written
  with a combining accent); every apostrophe is a separator (' and ’ already are; the modifier
  letters ʼ and ʻ are made so), so O'Brien, O’Brien and Oʼbrien index and search alike.

When a review is deleted its documents go and the index is merged whole ('optimize'), so no
segment of the index keeps a word of a deleted review (secure_delete then zeroes the freed pages).

The list of tables and columns is frozen here; reviewer_tui/search.py keeps the live copy and
tests/test_search.py checks the two agree at head. Triggers belong to their table: a later
migration that rebuilds one of these tables must create its triggers again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZER = "unicode61 remove_diacritics 2 separators 'ʼʻ'"
# Long texts (interview notes of hundreds of KB) are indexed in parts of PART characters, each
# running OVERLAP characters into the next, so a phrase of up to OVERLAP characters is whole in
# one part, and a snippet reads one part, not the whole text.
PART = 4000
OVERLAP = 200

# (table, its row id column, how a row finds its review, text columns; [] marks a JSON list)
SOURCES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "review",
        "id",
        "{row}.id",
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
        "{row}.review_id",
        (
            "key_issues[]",
            "outside_expert_notes",
            "family_involvement_notes",
            "family_involvement_facilitator",
            "media_and_public_interest",
        ),
    ),
    ("organisation", "id", "{row}.review_id", ("name", "code", "notes")),
    ("parallel_process", "id", "{row}.review_id", ("kind", "status", "notes")),
    ("other_area", "id", "{row}.review_id", ("area", "arrangements")),
    ("scope_change", "id", "{row}.review_id", ("change", "agreed_with")),
    ("agency_code", "id", "{row}.review_id", ("code", "name")),
    (
        "record_examined",
        "id",
        "{row}.review_id",
        ("title", "kind", "holder", "reason_unavailable", "notes"),
    ),
    (
        "chronology_entry",
        "id",
        "{row}.review_id",
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
        "{row}.review_id",
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
    (
        "previous_employment",
        "id",
        "(SELECT review_id FROM person WHERE id = {row}.person_id)",
        ("employer", "dates", "posts_held"),
    ),
    (
        "family_member",
        "id",
        "{row}.review_id",
        ("name", "pseudonym", "relationship", "address", "also_known_as[]"),
    ),
    (
        "interview",
        "id",
        "{row}.review_id",
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
        "{row}.review_id",
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
    ("meeting_other_attendee", "id", "{row}.review_id", ("name", "role")),
    ("meeting_contribution", "id", "{row}.review_id", ("role", "went_well", "did_not_go_well")),
    (
        "analysis",
        "review_id",
        "{row}.review_id",
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
    ("finding", "id", "{row}.review_id", ("statement", "notes")),
    (
        "learning",
        "review_id",
        "{row}.review_id",
        (
            "good_practice[]",
            "areas_for_development[]",
            "training",
            "management_and_supervision",
            "partnership",
            "resources",
        ),
    ),
    (
        "recommendation",
        "id",
        "{row}.review_id",
        ("action", "owner", "outcome", "measure", "status", "impact"),
    ),
    (
        "recommendation_progress",
        "id",
        "(SELECT review_id FROM recommendation WHERE id = {row}.recommendation_id)",
        ("note",),
    ),
    ("escalation", "id", "{row}.review_id", ("kind", "summary", "action_taken")),
    ("family_contact", "id", "{row}.review_id", ("action", "notes")),
    ("limiting_factors_review", "id", "{row}.review_id", ("notes",)),
    (
        "closing_steps",
        "review_id",
        "{row}.review_id",
        ("distribution_notes", "presented_to", "release_decision"),
    ),
    (
        "report_details",
        "review_id",
        "{row}.review_id",
        ("production_process", "supervision_arrangements", "consultation_process"),
    ),
    ("report_draft", "id", "{row}.review_id", ("version", "circulated_to", "notes")),
    (
        "draft_recipient",
        "id",
        "(SELECT review_id FROM report_draft WHERE id = {row}.report_draft_id)",
        ("name", "comments", "resolution"),
    ),
)


# Columns written far more often than the rest of their row, and long: they get a trigger of their
# own, so a keystroke saved in the notes re-indexes the notes only, and a comment the comment.
OWN_TRIGGER = {("interview", "notes")}
LISTS = sorted({c[:-2] for _, _, _, columns in SOURCES for c in columns if c.endswith("[]")})


def _fields(columns: Sequence[str], row: str) -> str:
    """json_object of the columns' values in `row` (NEW, OLD or the table's name)."""
    pairs = ", ".join(f"'{c.removesuffix('[]')}', {row}.{c.removesuffix('[]')}" for c in columns)
    return f"json_object({pairs})"


# Every text reaches the index through one view: inserting (review, table, row id, fields) into
# search_feed replaces what the index holds for those fields of that row (fields: a JSON object
# of column -> text, a list column's JSON as text; NULL forgets the whole row). The work is
# written once, in the view's INSTEAD OF trigger; each table's triggers only name their columns.
# Kept short on purpose: SQLite parses the text of every trigger on each new connection.
FEED = (
    "CREATE VIEW search_feed (review_id, tbl, row_id, fields) AS "
    "SELECT NULL, NULL, NULL, NULL WHERE 0"
)
_ROW = "tbl = NEW.tbl AND row_id = NEW.row_id"
_CHOSEN = f"{_ROW} AND (NEW.fields IS NULL OR field IN (SELECT key FROM json_each(NEW.fields)))"
_LIST_NAMES = ", ".join(f"'{name}'" for name in LISTS)
# The text of one field (j, a row of json_each(NEW.fields)): a list's items one per line (a
# list that is not valid JSON, written by another tool, is indexed as it is: never refused).
_TEXT = (
    f"CASE WHEN j.key IN ({_LIST_NAMES}) AND json_valid(j.value) THEN (SELECT "
    "group_concat(value, char(10)) FROM json_each(j.value) WHERE type = 'text' AND value <> '') "
    "ELSE j.value END"
)
# The part numbers (0, 1, ...) of a text t: json_each over an array of that many zeros (a
# trigger may not use WITH, and SQLite has no generate_series of its own).
_PARTS = (
    f"json_each('[' || rtrim(replace(hex(zeroblob((length(t) + {PART - 1}) / {PART})), "
    "'00', '0,'), ',') || ']')"
)
FEED_TRIGGER = (
    "CREATE TRIGGER search_feed_insert INSTEAD OF INSERT ON search_feed FOR EACH ROW BEGIN "
    f"DELETE FROM search_index WHERE rowid IN (SELECT id FROM search_doc WHERE {_CHOSEN}); "
    f"DELETE FROM search_doc WHERE {_CHOSEN}; "
    "INSERT INTO search_doc (review_id, tbl, row_id, field, part) "
    f"SELECT NEW.review_id, NEW.tbl, NEW.row_id, f, p.key FROM (SELECT j.key AS f, {_TEXT} AS t "
    f"FROM json_each(NEW.fields) j), {_PARTS} p WHERE t <> ''; "
    "INSERT INTO search_index (rowid, text) "
    f"SELECT d.id, substr(t, d.part * {PART} + 1, {PART + OVERLAP}) FROM search_doc d "
    f"JOIN (SELECT j.key AS f, {_TEXT} AS t FROM json_each(NEW.fields) j) ON f = d.field "
    f"WHERE d.{_ROW.replace(' AND ', ' AND d.')}; END"
)


# A column with a trigger of its own (the notes) reaches the index through search_feed_text,
# which takes the text itself and re-indexes only the parts whose text changed: typing at the end
# of 200 KB of notes re-indexes the last 4 KB, not the whole text (nor any JSON of it).
FEED_TEXT = (
    "CREATE VIEW search_feed_text (review_id, tbl, row_id, field, text) AS "
    "SELECT NULL, NULL, NULL, NULL, NULL WHERE 0"
)
_FIELD = f"{_ROW} AND field = NEW.field"
_PART_OF_NEW = f"substr(NEW.text, part * {PART} + 1, {PART + OVERLAP})"
_INDEXED = "EXISTS (SELECT 1 FROM search_index WHERE rowid = search_doc.id)"
FEED_TEXT_TRIGGER = (
    "CREATE TRIGGER search_feed_text_insert INSTEAD OF INSERT ON search_feed_text BEGIN "
    f"DELETE FROM search_index WHERE rowid IN (SELECT id FROM search_doc WHERE {_FIELD} AND "
    f"(SELECT text FROM search_index WHERE rowid = search_doc.id) IS NOT {_PART_OF_NEW}); "
    f"DELETE FROM search_doc WHERE {_FIELD} AND NOT {_INDEXED}; "
    "INSERT INTO search_doc (review_id, tbl, row_id, field, part) "
    f"SELECT NEW.review_id, NEW.tbl, NEW.row_id, NEW.field, p.key "
    f"FROM {_PARTS.replace('(t)', '(NEW.text)')} p WHERE NOT EXISTS "
    f"(SELECT 1 FROM search_doc WHERE {_FIELD} AND part = p.key); "
    f"INSERT INTO search_index (rowid, text) SELECT id, {_PART_OF_NEW} FROM search_doc "
    f"WHERE {_FIELD} AND NOT {_INDEXED}; END"
)


def _triggers(
    sources: Sequence[tuple[str, str, str, tuple[str, ...]]] = SOURCES,
) -> list[tuple[str, str]]:
    """The feeds' triggers, then each source table's (a later migration passes its own list)."""
    made = [("search_feed_insert", FEED_TRIGGER), ("search_feed_text_insert", FEED_TEXT_TRIGGER)]
    for table, id_column, review, columns in sources:
        feed = f"INSERT INTO search_feed VALUES ({review.format(row='{row}')}, '{table}', "
        new = feed.format(row="NEW") + f"NEW.{id_column}, "
        made.append(
            (
                f"search_{table}_insert",
                f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} FOR EACH ROW "
                f"BEGIN {new}{_fields(columns, 'NEW')}); END",
            )
        )
        own = [c for c in columns if (table, c) in OWN_TRIGGER]
        rest = [c for c in columns if c not in own]
        names = ", ".join(c.removesuffix("[]") for c in rest)
        made.append(
            (
                f"search_{table}_update",
                f"CREATE TRIGGER search_{table}_update AFTER UPDATE OF {names} ON {table} "
                f"FOR EACH ROW BEGIN {new}{_fields(rest, 'NEW')}); END",
            )
        )
        for column in own:
            text = feed.format(row="NEW").replace("search_feed ", "search_feed_text ")
            made.append(
                (
                    f"search_{table}_{column}_update",
                    f"CREATE TRIGGER search_{table}_{column}_update AFTER UPDATE OF {column} "
                    f"ON {table} FOR EACH ROW WHEN OLD.{column} IS NOT NEW.{column} BEGIN "
                    f"{text}NEW.{id_column}, '{column}', NEW.{column}); END",
                )
            )
        body = f"INSERT INTO search_feed VALUES (NULL, '{table}', OLD.{id_column}, NULL)"
        if table == "review":  # anything left of it, then merge the index whole
            body += (
                "; DELETE FROM search_index WHERE rowid IN "
                "(SELECT id FROM search_doc WHERE review_id = OLD.id); "
                "DELETE FROM search_doc WHERE review_id = OLD.id; "
                "INSERT INTO search_index (search_index) VALUES ('optimize')"
            )
        made.append(
            (
                f"search_{table}_delete",
                f"CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} FOR EACH ROW "
                f"BEGIN {body}; END",
            )
        )
    return made


def upgrade() -> None:
    """search_doc's ids may be reused (no AUTOINCREMENT): a document is derived text, keyed by
    nothing outside the index, and leaving sqlite_sequence alone keeps an undo exact."""
    bind = op.get_bind()
    bind.exec_driver_sql(
        "CREATE TABLE search_doc (id INTEGER NOT NULL PRIMARY KEY, "
        "review_id INTEGER NOT NULL, tbl VARCHAR NOT NULL, row_id INTEGER NOT NULL, "
        "field VARCHAR NOT NULL, part INTEGER NOT NULL)"
    )
    bind.exec_driver_sql("CREATE INDEX ix_search_doc_row ON search_doc (tbl, row_id, field)")
    bind.exec_driver_sql("CREATE INDEX ix_search_doc_review_id ON search_doc (review_id)")
    bind.exec_driver_sql(
        f'CREATE VIRTUAL TABLE search_index USING fts5(text, tokenize = "{TOKENIZER}")'
    )
    bind.exec_driver_sql(FEED)
    bind.exec_driver_sql(FEED_TEXT)
    made = _triggers()
    for _, sql in made[:2]:  # the feeds, then the reviews already here
        bind.exec_driver_sql(sql)
    for table, id_column, review, columns in SOURCES:
        bind.exec_driver_sql(
            f"INSERT INTO search_feed SELECT {review.format(row=table)}, '{table}', "
            f"{table}.{id_column}, {_fields(columns, table)} FROM {table}"
        )
    for _, sql in made[2:]:
        bind.exec_driver_sql(sql)


def downgrade() -> None:
    bind = op.get_bind()
    for name, _ in _triggers():
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    bind.exec_driver_sql("DROP VIEW IF EXISTS search_feed")
    bind.exec_driver_sql("DROP VIEW IF EXISTS search_feed_text")
    bind.exec_driver_sql("DROP TABLE IF EXISTS search_index")
    bind.exec_driver_sql("DROP TABLE IF EXISTS search_doc")
