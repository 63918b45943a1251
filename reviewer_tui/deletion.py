"""One deletion policy for everything the reviewer writes (issue 11, item 4).

`delete(store, model, row_id)` removes a row and everything that cascades from it (children,
link rows), after reading every column of every one of those rows in the same transaction, and
returns the snapshot as an undo token. `undo(store, token)` puts them all back in one
transaction: the same ids (ids are never reused, migration 0002), the same positions, the same
links. A link whose other end has gone since (a finding deleted after the record it cited) is
left out rather than pointing at nothing.

The cascade is read from the schema itself (`PRAGMA foreign_key_list`), so a table added
tomorrow is covered without a list to keep up to date. Values are copied as SQLite stores them,
so a restored row is byte for byte the row that was deleted.

Screens keep the tokens while they are open (ctrl+z undoes the last). Deleting a whole review
removes everything it holds and is not undone: it asks for a typed confirmation instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reviewer_tui.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import SQLModel

    from reviewer_tui.reviews import Store


@dataclass(frozen=True)
class Link:
    """A foreign key of `child` (columns `child_cols`) onto `parent` (columns `parent_cols`)."""

    child: str
    child_cols: tuple[str, ...]
    parent: str
    parent_cols: tuple[str, ...]
    on_delete: str


@dataclass(frozen=True)
class Deleted:
    """The undo token: every row the deletion removed, parents before children, each as a
    mapping of every column to the value SQLite held; and columns a deletion set to NULL."""

    table: str
    row_id: int
    rows: tuple[tuple[str, dict[str, Any]], ...]
    nulled: tuple[tuple[str, int, str, Any], ...] = field(default=())

    @property
    def row(self) -> dict[str, Any]:
        """The deleted row itself."""
        return self.rows[0][1]

    def count(self, table: str) -> int:
        """How many rows of `table` went with it (the row itself included)."""
        return sum(1 for name, _ in self.rows if name == table)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def links(conn: Connection) -> list[Link]:
    """Every foreign key in the database, read from the schema."""
    tables = [
        t
        for (t,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    found: list[Link] = []
    for table in tables:
        groups: dict[int, list[Any]] = {}
        for fk in conn.exec_driver_sql(f"PRAGMA foreign_key_list({_quote(table)})").mappings():
            groups.setdefault(fk["id"], []).append(fk)
        for parts in groups.values():
            parts.sort(key=lambda p: p["seq"])
            found.append(
                Link(
                    table,
                    tuple(p["from"] for p in parts),
                    parts[0]["table"],
                    tuple(p["to"] or "rowid" for p in parts),
                    str(parts[0]["on_delete"]).upper(),
                )
            )
    return found


def _select(
    conn: Connection, table: str, where: str, values: Sequence[Any]
) -> list[dict[str, Any]]:
    result = conn.exec_driver_sql(
        f"SELECT rowid AS __rowid__, * FROM {_quote(table)} WHERE {where}", tuple(values)
    )
    return [dict(r) for r in result.mappings()]


def _snapshot(conn: Connection, table: str, row_id: int) -> Deleted:
    every = links(conn)
    root = _select(conn, table, "rowid = ?", (row_id,))
    if not root:
        raise InputError("That has already been deleted.")
    rows: list[tuple[str, dict[str, Any]]] = []
    nulled: list[tuple[str, int, str, Any]] = []
    seen: set[tuple[str, int]] = set()
    queue: list[tuple[str, dict[str, Any]]] = [(table, root[0])]
    while queue:
        name, row = queue.pop(0)
        if (name, row["__rowid__"]) in seen:
            continue
        seen.add((name, row["__rowid__"]))
        rows.append((name, row))
        for link in (lk for lk in every if lk.parent == name):
            values = [row[c] for c in link.parent_cols]
            if any(v is None for v in values):
                continue
            where = " AND ".join(f"{_quote(c)} = ?" for c in link.child_cols)
            for child in _select(conn, link.child, where, values):
                if link.on_delete == "CASCADE":
                    queue.append((link.child, child))
                elif link.on_delete in ("SET NULL", "SET DEFAULT"):
                    nulled.extend(
                        (link.child, child["__rowid__"], c, child[c]) for c in link.child_cols
                    )
    return Deleted(table, row_id, tuple(rows), tuple(nulled))


def delete(store: Store, model: type[SQLModel] | str, row_id: int) -> Deleted:
    """Delete one row and all that cascades from it; return what undo needs to put it back."""
    table = model if isinstance(model, str) else str(model.__tablename__)
    with store.session() as session:
        conn = session.connection()
        token = _snapshot(conn, table, row_id)
        conn.exec_driver_sql(f"DELETE FROM {_quote(table)} WHERE rowid = ?", (row_id,))
        session.commit()
    return token


def undo(store: Store, token: Deleted) -> None:
    """Put back exactly what `delete` removed, in one transaction. Rows whose parent has gone
    since (a link to a finding deleted after) are left out; if the row's own parent (its review)
    has gone, nothing is put back and the reason is given."""
    with store.session() as session:
        conn = session.connection()
        every = links(conn)
        restored: set[tuple[str, int]] = set()
        for index, (table, row) in enumerate(token.rows):
            if _parents_missing(conn, every, table, row):
                if index == 0:
                    raise InputError(
                        "It cannot be put back: what it belonged to has been deleted since."
                    )
                continue
            columns = [c for c in row if c != "__rowid__"]
            conn.exec_driver_sql(
                f"INSERT INTO {_quote(table)} (rowid, {', '.join(map(_quote, columns))}) "
                f"VALUES (?, {', '.join('?' for _ in columns)})",
                (row["__rowid__"], *(row[c] for c in columns)),
            )
            restored.add((table, row["__rowid__"]))
        for table, rowid, column, value in token.nulled:
            conn.exec_driver_sql(
                f"UPDATE {_quote(table)} SET {_quote(column)} = ? WHERE rowid = ?", (value, rowid)
            )
        session.commit()


def _parents_missing(conn: Connection, every: list[Link], table: str, row: dict[str, Any]) -> bool:
    for link in (lk for lk in every if lk.child == table):
        values = [row[c] for c in link.child_cols]
        if any(v is None for v in values):
            continue
        where = " AND ".join(f"{_quote(c)} = ?" for c in link.parent_cols)
        found = conn.exec_driver_sql(
            f"SELECT 1 FROM {_quote(link.parent)} WHERE {where}", tuple(values)
        ).first()
        if found is None:
            return True
    return False


__all__ = ["Deleted", "Link", "delete", "links", "undo"]
