"""The change history (issue 15 items 2 and 3): every change to a review's content, recorded in
the same transaction as the change, and signed records that cannot change silently.

One hook: `on_flush` runs before every flush of the store's session (reviews.checked_session_class,
after the validators), so every edit made through the ORM (Store.update, the screens, the CLI,
restores) is recorded with no code at the call site. The one write that bypasses the ORM, the
interview notes saved on every keystroke (interviews.save_notes), calls `guard` and `record`
itself, in its own transaction.

Typing is not slowed and the history does not fill with one row per key: saves of one field
closer together than PAUSE are one entry, whose new value and time are updated in place. Why 60
seconds: a person thinking mid-sentence pauses for seconds, rarely a minute, so one burst of
writing becomes one entry; a longer pause (a phone call, another field, the next day) starts a
new one. Saves that carry the same reason for changing a signed record are one change too (the
notes keep the reason given for every key typed after it). An entry open longer than LONGEST
closes anyway, so hours of steady note-taking still leave a value to go back to every ten minutes.

A signed record (read_model.signed_record) is locked: a change to it without a reason raises
errors.Locked and nothing is stored. The screens ask for the reason and save again inside
`changing(reason=...)`; the change is recorded with its reason and the record is CHANGED AFTER
SIGNING until signed again (read_model.is_changed_after_signing).

The history goes with its review (ON DELETE CASCADE), travels in the bundle (bundle.py,
"change_history"), and is never read by a report.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from reviewer_tui import domain
from reviewer_tui.errors import InputError, Locked

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

PAUSE = dt.timedelta(seconds=60)  # a longer pause between saves of a field starts a new entry
LONGEST = dt.timedelta(minutes=10)  # an entry open this long closes at the next save

# Rows that are not the review's content: scratch, the second-laptop copies, settings, the history.
NOT_CONTENT = frozenset(
    {"chronology_quick_entry", "interview_version", "app_setting", "change_entry"}
)
# Columns that are bookkeeping, not what the reviewer wrote.
BOOKKEEPING = frozenset(
    {
        "id",
        "review_id",
        "position",
        "key",
        "created_at",
        "updated_at",
        "archived_at",
        "generated_at",
    }
)

_REASON: contextvars.ContextVar[str] = contextvars.ContextVar("history_reason", default="")
_KIND: contextvars.ContextVar[str] = contextvars.ContextVar("history_kind", default="edit")


@contextmanager
def changing(reason: str = "", kind: str = "edit") -> Iterator[None]:
    """Changes stored inside carry `reason` (the answer to "why change this signed record?")
    and are of `kind` ("edit", or "restore", never merged with another entry)."""
    tokens = (_REASON.set(reason.strip()), _KIND.set(kind))
    try:
        yield
    finally:
        _REASON.reset(tokens[0])
        _KIND.reset(tokens[1])


def plain(value: Any) -> Any:
    """A stored value as JSON holds it (dates as ISO text)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _load(stored: Any) -> Any:
    """A value as change_entry holds it. The JSON column has numeric affinity, so SQLite keeps a
    number as a number: only text is JSON to parse."""
    return json.loads(stored) if isinstance(stored, str) else stored


def _stamp(now: dt.datetime) -> str:
    """Always with microseconds, so stamps compare as text (read_model compares them)."""
    return now.astimezone(dt.UTC).isoformat(timespec="microseconds")


def guard(conn: sqlite3.Connection, table: str, item_id: int, fields: set[str]) -> str:
    """Before changing `fields` of one row: Locked if it is a signed record and no reason was
    given; otherwise the reason to store with the change ("" when it is not locked)."""
    from reviewer_tui.read_model import OUTSIDE_THE_RECORD, SIGNING_FIELDS, signed_record

    if table not in SIGNING_FIELDS:
        return ""
    free = SIGNING_FIELDS[table] | OUTSIDE_THE_RECORD.get(table, frozenset())
    if fields <= free:
        return ""
    signed = signed_record(conn, table, item_id)
    if signed is None or not signed.locked:
        return ""
    reason = _REASON.get()
    if not reason:
        raise Locked(signed.question, table, item_id)
    return reason


def record(
    conn: Any,
    review_id: int,
    table: str,
    item_id: int,
    field: str,
    old: Any,
    new: Any,
    reason: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Record one change on `conn` (an SQLAlchemy connection inside the change's transaction).
    `old` may be a function that reads it: it is read only when a new entry opens.

    The newest entry of a field keeps no copy of its new value (new_value NULL): that is the
    value the field holds now (`current`). A save within the pause then only moves the entry's
    time, which SQLite writes in place (the stamp keeps its length), so a 200 KB note is not
    written twice on every key. When the next entry of the field opens, the one before is given
    its new value: the new entry's old one."""
    now = now or domain.utc_now()
    kind = _KIND.get()
    last = conn.exec_driver_sql(
        "SELECT id, started_at, changed_at, kind, new_value IS NULL, reason FROM change_entry "
        "WHERE item_id = ? AND item_table = ? AND field = ? ORDER BY id DESC LIMIT 1",
        (item_id, table, field),
    ).first()
    if (  # typing on after a reason was given is the same change, with the same reason
        kind == "edit"
        and last is not None
        and (not reason or (last[5] or "") == reason)
        and last[3] == "edit"
        and now - dt.datetime.fromisoformat(last[2]) <= PAUSE
        and now - dt.datetime.fromisoformat(last[1]) <= LONGEST
    ):
        conn.exec_driver_sql(
            "UPDATE change_entry SET new_value = NULL, changed_at = ? WHERE id = ?",
            (_stamp(now), last[0]),
        )
        return
    before = json.dumps(plain(old() if callable(old) else old), ensure_ascii=False)
    if before == json.dumps(plain(new), ensure_ascii=False) and kind == "edit":
        return
    if last is not None and last[4]:  # the entry before: its new value is this one's old
        conn.exec_driver_sql(
            "UPDATE change_entry SET new_value = ? WHERE id = ?", (before, last[0])
        )
    conn.exec_driver_sql(
        "INSERT INTO change_entry (review_id, item_table, item_id, field, old_value, new_value, "
        "started_at, changed_at, kind, reason) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)",
        (review_id, table, item_id, field, before, _stamp(now), _stamp(now), kind, reason),
    )


def current(conn: Any, table: str, item_id: int, field: str) -> Any:
    """What `field` of one row holds now, as the history keeps values (None if the row has
    gone). `conn` is a sqlite3 or SQLAlchemy connection."""
    from sqlalchemy import JSON, Boolean

    model = models_by_table().get(table)
    if model is None or field not in model.__table__.c:
        return None
    key = model.__table__.primary_key.columns.values()[0].name
    sql = f'SELECT "{field}" FROM "{table}" WHERE "{key}" = ?'
    run = getattr(conn, "exec_driver_sql", None) or conn.execute
    row = run(sql, (item_id,)).fetchone()
    if row is None or row[0] is None:
        return None
    kind = model.__table__.c[field].type
    if isinstance(kind, JSON):
        return _load(row[0])
    if isinstance(kind, Boolean):
        return bool(row[0])
    return row[0]


# --- the hook ------------------------------------------------------------------------------------
def _review_of(session: Any, row: Any) -> int | None:
    """The review a row belongs to: its review_id, or that of the row it hangs from."""
    for _ in range(4):
        if row is None:
            return None
        if row.__table__.name == "review":
            return int(row.id)
        if hasattr(row, "review_id"):
            return int(row.review_id)
        parent = None
        for column in row.__table__.columns:
            for fk in column.foreign_keys:
                model = models_by_table().get(fk.column.table.name)
                if model is not None:
                    parent = session.get(model, getattr(row, column.name))
                    break
            if parent is not None:
                break
        row = parent
    return None


@cache
def models_by_table() -> dict[str, Any]:
    from reviewer_tui import models as m

    return {c.__table__.name: c for c in m.SQLModel.__subclasses__() if hasattr(c, "__table__")}


def on_flush(session: Any, flush_context: Any = None, instances: Any = None) -> None:
    """Every changed field of every changed content row, recorded before it is written; a
    signed record is refused without a reason (Locked). Runs after validators.check_session."""
    from sqlalchemy import inspect

    dirty = [row for row in session.dirty if row.__table__.name not in NOT_CONTENT]
    if not dirty:
        return
    with session.no_autoflush:
        conn = session.connection()
        for row in dirty:
            state = inspect(row)
            changes = []
            for attr in state.mapper.column_attrs:
                if attr.key in BOOKKEEPING:
                    continue
                history = state.attrs[attr.key].history
                if not history.has_changes():
                    continue
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if plain(old) != plain(new):
                    changes.append((attr.key, old, new))
            if not changes:
                continue
            table = row.__table__.name
            (item_id,) = state.mapper.primary_key_from_instance(row)
            reason = guard(
                conn.connection.dbapi_connection, table, item_id, {c[0] for c in changes}
            )
            review_id = _review_of(session, row)
            if review_id is None:
                continue
            for name, old, new in changes:
                record(conn, review_id, table, item_id, name, old, new, reason)


# --- reading it back -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One entry of the history, in words."""

    id: int
    table: str
    item_id: int
    item: str  # "Finding 3", "Interview record with Amélie Durand"
    field: str  # "Analysis"
    column: str
    old: Any
    new: Any
    when: str  # "1 Dec 2026 16:30", local time
    kind: str
    reason: str

    @property
    def words(self) -> str:
        old, new = around_the_change(self.old, self.new)
        if self.kind == "restore":
            text = f"{self.item}, {self.field}: restored to {show(new)} (was {show(old)})"
        else:
            text = f"{self.item}, {self.field}: changed from {show(old)} to {show(new)}"
        return text + (f". Reason: {self.reason}" if self.reason else "")


def around_the_change(old: Any, new: Any, context: int = 20, width: int = 60) -> tuple[Any, Any]:
    """Two long texts cut to the part that differs, with a little on either side, so a word
    added at the end of a long note shows ("…the phased return began on 6 January.XYZ")."""
    if not (isinstance(old, str) and isinstance(new, str)) or max(len(old), len(new)) <= width:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    begin = max(0, start - context)

    def cut(text: str) -> str:
        stop = min(len(text), len(text) - end + context)
        return ("…" if begin else "") + text[begin:stop] + ("…" if stop < len(text) else "")

    return cut(old), cut(new)


# Field names where the column name does not read well on its own.
FIELD_NAMES = {
    "when": "Date and time",
    "statement": "Finding",
    "kind": "Kind",
    "notes": "Notes",
    "key_issues": "Key issues",
    "agreed_on": "Agreed on",
    "chronology_confirmed_on": "Chronology confirmed on",
    "full_name": "Full name",
    "due": "Due",
}


def field_name(column: str) -> str:
    name = FIELD_NAMES.get(column) or column.replace("_", " ").capitalize()
    return name.replace("lscb", "LSCB")


def show(value: Any, width: int = 60) -> str:
    """A stored value in words: text quoted (shortened to `width`), dates as the app writes them."""
    if value is None or value == "" or value == [] or value == {}:
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        done = [k.replace("_", " ") for k, v in value.items() if v]
        value = ", ".join(done) or "none ticked"
    elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return domain.format_date(dt.date.fromisoformat(value))
        except ValueError:
            pass
    text = " ".join(str(value).split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f"“{text}”"


def local_when(stamp: str) -> str:
    """A UTC stamp as local wall-clock time, written as dates.py writes a time."""
    from reviewer_tui.dates import display_when

    local = dt.datetime.fromisoformat(stamp).astimezone()
    return display_when(local.strftime("%Y-%m-%dT%H:%M"), None)


_ITEMS: dict[str, tuple[str, str]] = {  # table -> (name, how a numbered row is called)
    "review": ("The review", ""),
    "scope": ("Terms of reference", ""),
    "meeting": ("Case review meeting", ""),
    "analysis": ("Analysis", ""),
    "learning": ("Learning", ""),
    "closing_steps": ("Closing steps", ""),
    "report_details": ("Report details", ""),
    "finding": ("", "Finding"),
    "recommendation": ("", "Recommendation"),
    "escalation": ("", "Escalation"),
    "organisation": ("", "Organisation"),
    "record_examined": ("", "Record examined"),
    "family_member": ("", "Family member"),
    "family_contact": ("", "Family contact"),
    "scope_change": ("", "Change of scope"),
    "limiting_factors_review": ("", "Limiting factors review"),
    "agency_code": ("", "Agency"),
    "meeting_contribution": ("", "Meeting contribution"),
    "meeting_other_attendee": ("", "Other meeting attendee"),
    "parallel_process": ("", "Parallel process"),
    "other_area": ("", "Other area"),
}


def item_name(conn: sqlite3.Connection, table: str, item_id: int) -> str:
    """How the reviewer knows a row: "Finding 3", "Interview record with Amélie Durand"."""
    fixed, numbered = _ITEMS.get(table, ("", table.replace("_", " ").capitalize()))
    if fixed:
        return fixed
    try:
        if table == "interview":
            row = conn.execute(
                "SELECT p.full_name FROM interview i JOIN person p ON p.id = i.person_id "
                "WHERE i.id = ?",
                (item_id,),
            ).fetchone()
            return f"Interview record with {row[0]}" if row else "Interview record (deleted)"
        if table == "person":
            row = conn.execute("SELECT full_name FROM person WHERE id = ?", (item_id,)).fetchone()
            return f"Profile of {row[0]}" if row else "Profile (deleted)"
        if table == "chronology_entry":
            from reviewer_tui.dates import display_when

            row = conn.execute(
                'SELECT "when", date_precision, source FROM chronology_entry WHERE id = ?',
                (item_id,),
            ).fetchone()
            if row is None:
                return "Chronology entry (deleted)"
            return f"Chronology entry {display_when(row[0], row[1])} ({row[2]})"
        if table == "report_draft":
            row = conn.execute(
                "SELECT version FROM report_draft WHERE id = ?", (item_id,)
            ).fetchone()
            return f"Report draft {row[0]}" if row else "Report draft (deleted)"
        place = conn.execute(
            f'SELECT count(*) FROM "{table}" o JOIN "{table}" t ON t.id = ? '
            "AND o.review_id = t.review_id AND (o.position < t.position "
            "OR (o.position = t.position AND o.id <= t.id))",
            (item_id,),
        ).fetchone()[0]
    except sqlite3.OperationalError:  # a table without review_id or position: its own id
        place = item_id
    return f"{numbered} {place}" if place else f"{numbered} (deleted)"


def changes(
    conn: sqlite3.Connection, review_id: int, table: str | None = None, item_id: int | None = None
) -> list[Change]:
    """The review's history (or one row's), newest first, in words."""
    where = "review_id = ?"
    args: list[Any] = [review_id]
    if table is not None and item_id is not None:
        where += " AND item_table = ? AND item_id = ?"
        args += [table, item_id]
    names: dict[tuple[str, int], str] = {}
    out = []
    for entry_id, tbl, iid, column, old, new, changed_at, kind, reason in conn.execute(
        "SELECT id, item_table, item_id, field, old_value, new_value, changed_at, kind, reason "
        f"FROM change_entry WHERE {where} ORDER BY changed_at DESC, id DESC",
        args,
    ):
        if (tbl, iid) not in names:
            names[(tbl, iid)] = item_name(conn, tbl, iid)
        out.append(
            Change(
                entry_id,
                tbl,
                iid,
                names[(tbl, iid)],
                field_name(column),
                column,
                _load(old),
                (_load(new) if new is not None else current(conn, tbl, iid, column)),
                local_when(changed_at),
                kind,
                reason,
            )
        )
    return out


def history_of(
    store: Store, review_id: int, table: str | None = None, item_id: int | None = None
) -> list[Change]:
    from reviewer_tui.read_model import reading

    with reading(store.folder) as conn:
        return changes(conn, review_id, table, item_id)


def _to_column(model: Any, column: str, value: Any) -> Any:
    """A value from the history as the column takes it (dates back to dates)."""
    from sqlalchemy import Date, DateTime

    if value is None or not isinstance(value, str):
        return value
    kind = model.__table__.c[column].type
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value)
    return value


def restore(store: Store, change_id: int, reason: str = "") -> Any:
    """Put back the value a field had before change `change_id`; the restore is itself an
    entry. A signed record needs `reason` (Locked otherwise). Returns the value restored."""
    from reviewer_tui.read_model import reading

    with reading(store.folder) as conn:
        row = conn.execute(
            "SELECT item_table, item_id, field, old_value FROM change_entry WHERE id = ?",
            (change_id,),
        ).fetchone()
    if row is None:
        raise InputError("That change is no longer in the history; nothing was restored.")
    table, item_id, column, old = row
    model = models_by_table().get(table)
    if model is None or column not in model.__table__.c:
        raise InputError("That field no longer exists; nothing was restored.")
    value = _to_column(model, column, _load(old))
    if value is None and not model.__table__.c[column].nullable:  # blank, as the column keeps it
        value = model.model_fields[column].get_default(call_default_factory=True)
    with changing(reason=reason, kind="restore"):
        store.update(model, item_id, **{column: value})
    return value


def signing_state(store: Store, table: str, item_id: int) -> Any:
    """read_model.signed_record for one row (None when it is not a signed record)."""
    from reviewer_tui.read_model import reading, signed_record

    with reading(store.folder) as conn:
        return signed_record(conn, table, item_id)


def record_notes(conn: Any, interview_id: int, text: str, reason: str = "") -> None:
    """For interviews.save_notes, inside its transaction and before its UPDATE: Locked if the
    record is signed and no reason was given; otherwise the change is recorded (the old text is
    read only when a new entry opens)."""
    row = conn.exec_driver_sql(
        "SELECT review_id FROM interview WHERE id = ?", (interview_id,)
    ).first()
    if row is None:
        return  # save_notes says the interview has gone
    try:
        with changing(reason=reason):
            stored = guard(conn.connection.dbapi_connection, "interview", interview_id, {"notes"})
    except Locked:
        same = conn.exec_driver_sql(  # compared inside SQLite: the notes never cross over
            "SELECT notes = ? FROM interview WHERE id = ?", (text, interview_id)
        ).scalar()
        if not same:
            raise
        return  # the stored text again (a refused change put back): nothing changes

    def old() -> Any:
        return conn.exec_driver_sql(
            "SELECT notes FROM interview WHERE id = ?", (interview_id,)
        ).scalar()

    record(conn, row[0], "interview", interview_id, "notes", old, text, stored)


# --- the bundle ("change_history") ---------------------------------------------------------------
def _refs(conn: Any, review_id: int, table: str) -> dict[int, str]:
    """Row id -> how the bundle names the row: its bundle id (key), else #N, its place among
    the review's rows of that table in the bundle's order (which an import keeps), else "" for
    the parts a review has once. Empty for a table that is not the review's content."""
    model = models_by_table().get(table)
    if model is None or table in NOT_CONTENT:
        return {}
    columns = model.__table__.c
    if table == "review":
        return {review_id: ""}
    if "review_id" in columns and columns["review_id"].primary_key:
        return {review_id: ""}
    if "review_id" in columns:
        if "key" in columns:
            sql = f'SELECT id, "key" FROM "{table}" WHERE review_id = ?'
            return {i: k for i, k in conn.exec_driver_sql(sql, (review_id,))}
        sql = f'SELECT id FROM "{table}" WHERE review_id = ? ORDER BY position, id'
        return {i: f"#{n}" for n, (i,) in enumerate(conn.exec_driver_sql(sql, (review_id,)), 1)}
    ids = _in_bundle_order(conn, review_id, table)
    return {i: f"#{n}" for n, i in enumerate(ids, 1)}


def _in_bundle_order(conn: Any, review_id: int, table: str) -> list[int]:
    """The review's rows of `table` in the bundle's order: a row hanging from another (a draft's
    recipient, a recipient's returned comment) follows its parent's order, then its own."""
    columns = models_by_table()[table].__table__.c
    if "review_id" in columns:
        sql = f'SELECT id FROM "{table}" WHERE review_id = ? ORDER BY position, id'
        return [i for (i,) in conn.exec_driver_sql(sql, (review_id,))]
    for column in columns:
        for fk in column.foreign_keys:
            parents = _in_bundle_order(conn, review_id, fk.column.table.name)
            if not parents:
                return []
            marks = ",".join("?" * len(parents))
            key = next(c.name for c in columns if c.primary_key)
            order = ", ".join(f'"{c}"' for c in ("position", key) if c in columns)
            sql = (
                f'SELECT "{key}", "{column.name}" FROM "{table}" '
                f'WHERE "{column.name}" IN ({marks}) ORDER BY {order}'
            )
            children: dict[int, list[int]] = {}
            for i, parent in conn.exec_driver_sql(sql, tuple(parents)):
                children.setdefault(parent, []).append(i)
            return [i for parent in parents for i in children.get(parent, [])]
    return []


def bundle_entries(conn: Any, review_id: int) -> list[dict[str, Any]]:
    """The review's history for its bundle, oldest first. A change to a row deleted since has
    no place in the bundle to point at and is left out."""
    refs: dict[str, dict[int, str]] = {}
    out = []
    for table, item_id, column, old, new, started, changed, kind, reason in conn.exec_driver_sql(
        "SELECT item_table, item_id, field, old_value, new_value, started_at, changed_at, kind, "
        "reason FROM change_entry WHERE review_id = ? ORDER BY id",
        (review_id,),
    ):
        if table not in refs:
            refs[table] = _refs(conn, review_id, table)
        if item_id not in refs[table]:
            continue
        entry: dict[str, Any] = {"table": table}
        if refs[table][item_id]:
            entry["item"] = refs[table][item_id]
        entry.update(
            field=column,
            old=_load(old),
            new=_load(new) if new is not None else current(conn, table, item_id, column),
            started_at=started,
            changed_at=changed,
            kind=kind,
        )
        if reason:
            entry["reason"] = reason
        out.append(entry)
    return out


def add_bundle_entries(conn: Any, review_id: int, entries: list[dict[str, Any]] | None) -> None:
    """Store a bundle's history for the review just imported (its rows already flushed)."""
    from reviewer_tui.errors import BundleError

    refs: dict[str, dict[str, int]] = {}
    params: list[tuple[Any, ...]] = []
    for n, entry in enumerate(entries or [], 1):
        table, column = entry["table"], entry["field"]
        model = models_by_table().get(table)
        if model is None or table in NOT_CONTENT or column not in model.__table__.c:
            raise BundleError(
                [f"change_history #{n}: '{table}.{column}' is not a field the app keeps"]
            )
        if table not in refs:
            refs[table] = {ref: i for i, ref in _refs(conn, review_id, table).items()}
        item_id = refs[table].get(entry.get("item", ""))
        if item_id is None:
            raise BundleError(
                [
                    f"change_history #{n}: there is no {table} '{entry.get('item', '')}' in the bundle"
                ]
            )
        params.append(
            (
                review_id,
                table,
                item_id,
                column,
                json.dumps(entry.get("old"), ensure_ascii=False),
                json.dumps(entry.get("new"), ensure_ascii=False),
                entry.get("started_at", entry["changed_at"]),
                entry["changed_at"],
                entry.get("kind", "edit"),
                entry.get("reason", ""),
            )
        )
    # As record() keeps it: the newest entry of a field holds no copy of the value the field
    # holds now (new_value NULL), so a bundle's copy is dropped where it is that value.
    newest = {(p[1], p[2], p[3]): i for i, p in enumerate(params)}
    for (table, item_id, column), i in newest.items():
        if params[i][5] == json.dumps(
            plain(current(conn, table, item_id, column)), ensure_ascii=False
        ):
            params[i] = (*params[i][:5], None, *params[i][6:])
    if params:
        conn.exec_driver_sql(
            "INSERT INTO change_entry (review_id, item_table, item_id, field, old_value, "
            "new_value, started_at, changed_at, kind, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params,
        )
