"""The chronology (seed 003 section 6, seed 004 section 10): the one sort order every view uses, filters, entries with undo, the agency code register and CSV export.

Never imports textual. `when` is local wall-clock text exactly as written (RELIABILITY rule 14):
`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]`.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import gc
import json
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer_tui import domain
from reviewer_tui.dates import check_stored, display_when, effective_precision, split_when
from reviewer_tui.errors import InputError

if TYPE_CHECKING:
    from reviewer_tui.models import ChronologyEntry
    from reviewer_tui.reviews import Store

# Seed 004 Appendix I: what every Significant Practice Event details.
SPE_FIELDS: tuple[tuple[str, str], ...] = (
    ("risk", "Risk: how risk presented"),
    ("response", "Response: how the agency responded"),
    ("partnership", "Partnership: how multi-agency considerations were understood"),
    ("learning", "Learning: the learning opportunities, especially significant or new ones"),
)

# Seed 003 section 6 names the first three; the bundle schema adds the rest as examples.
COMMON_ISSUES = ("Decision", "Communication", "Liaison", "Assessment", "Recording", "Supervision")


def sort_key(when: str, sequence: int | None, position: int, row_id: int = 0) -> tuple[Any, ...]:
    """Bundle README: (date, sequence or 0, time or start of day, position)."""
    date_part, time_part = split_when(when)
    return (date_part, sequence or 0, time_part, position, row_id)


def sorted_entries(entries: Iterable[ChronologyEntry]) -> list[ChronologyEntry]:
    return sorted(entries, key=lambda e: sort_key(e.when, e.sequence, e.position, e.id or 0))


def split_issues(text: str) -> list[str]:
    """'Decision, Liaison; Recording' -> ['Decision', 'Liaison', 'Recording'] (no repeats)."""
    out: list[str] = []
    for part in re.split(r"[,;\n]", text):
        tag = part.strip()
        if tag and tag not in out:
            out.append(tag)
    return out


# --- views and filters ------------------------------------------------------------------------
KNOWN_CHOICES: tuple[tuple[str, str], ...] = (
    ("known", "Known at the time"),
    ("later", "Learned later (hindsight)"),
    ("unrecorded", "Not recorded"),
)


@dataclass(frozen=True)
class ChronologyFilter:
    """Every filter at once; an empty one shows everything."""

    source: str | None = None
    issue: str | None = None
    significant_only: bool = False
    known: str | None = None  # None (any) or a KNOWN_CHOICES key
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(
            self.source or self.issue or self.significant_only or self.known or self.text.strip()
        )


@dataclass
class EntryView:
    """One entry as the table shows it, with its sort key worked out once and its search text
    worked out the first time a text filter needs it."""

    id: int
    key: tuple[Any, ...]
    when: str
    source: str
    event: str
    issues: tuple[str, ...]
    significant: bool
    known: bool | None
    entry: Any = field(repr=False)
    _haystack: str | None = field(default=None, repr=False)

    @property
    def haystack(self) -> str:
        if self._haystack is None:
            e = self.entry
            self._haystack = "\n".join(
                (
                    e.event,
                    e.source,
                    e.participation,
                    e.outcome,
                    " ".join(e.issues),
                    e.risk,
                    e.response,
                    e.partnership,
                    e.learning,
                )
            ).casefold()
        return self._haystack


def view_of(entry: Any) -> EntryView:
    """The view of one entry: a ChronologyEntry or an EntryRow (anything with its fields)."""
    when, precision, row_id = entry.when, entry.date_precision, entry.id or 0
    return EntryView(
        id=row_id,
        key=sort_key(when, entry.sequence, entry.position, row_id),
        when=display_when(when, precision),
        source=entry.source,
        event=entry.event,
        issues=tuple(entry.issues),
        significant=bool(entry.significant),
        known=entry.known_at_the_time,
        entry=entry,
    )


ENTRY_FIELDS = (
    "id",
    "review_id",
    "position",
    "key",
    "when",
    "date_precision",
    "sequence",
    "event",
    "source",
    "participation",
    "outcome",
    "issues",
    "significant",
    "risk",
    "response",
    "partnership",
    "learning",
    "significance",
    "known_at_the_time",
)


class EntryRow:
    """One stored chronology entry read for display: ChronologyEntry's fields as plain
    attributes, without the ORM's per-row bookkeeping. Reading 10,000 entries through the ORM
    cost about a second (an instance, its state and two JSON decodes each); this is read with
    one query (`load_entries`). Edits still go through the Store, by `id`."""

    __slots__ = ENTRY_FIELDS
    id: int
    review_id: int
    position: int
    key: str
    when: str
    date_precision: str | None
    sequence: int | None
    event: str
    source: str
    participation: str
    outcome: str
    issues: list[str]
    significant: bool | None
    risk: str
    response: str
    partnership: str
    learning: str
    significance: list[str]
    known_at_the_time: bool | None

    def __repr__(self) -> str:
        return f"EntryRow(id={self.id}, key={self.key!r}, when={self.when!r})"


def _text_lists(raws: Sequence[str | None]) -> list[list[str]]:
    """Each stored JSON list of texts decoded: one decode for the lot, not one per row."""
    decoded = json.loads("[" + ",".join(raw or "[]" for raw in raws) + "]")
    return [value if isinstance(value, list) else [] for value in decoded]


def load_entries(store: Store, review_id: int) -> list[EntryRow]:
    """Every entry of a review, read in one query into EntryRows (unsorted)."""
    columns = ", ".join(f'"{name}"' for name in ENTRY_FIELDS)
    with store.session() as session:
        raw = session.connection().connection.driver_connection
        assert raw is not None
        found = raw.execute(
            f"SELECT {columns} FROM chronology_entry WHERE review_id = ?", (review_id,)
        ).fetchall()
    issues_at, significance_at = ENTRY_FIELDS.index("issues"), ENTRY_FIELDS.index("significance")
    issues = _text_lists([values[issues_at] for values in found])
    significance = _text_lists([values[significance_at] for values in found])
    rows = []
    new = object.__new__
    # Thousands of small objects at once: the collector would walk them all several times
    # while they are made (half the time of reading 10,000 entries here); none is a cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for n, values in enumerate(found):
            row = new(EntryRow)
            (
                row.id,
                row.review_id,
                row.position,
                row.key,
                row.when,
                row.date_precision,
                row.sequence,
                row.event,
                row.source,
                row.participation,
                row.outcome,
                _,
                significant,
                row.risk,
                row.response,
                row.partnership,
                row.learning,
                _,
                known,
            ) = values
            row.issues = issues[n]
            row.significance = significance[n]
            row.significant = None if significant is None else bool(significant)
            row.known_at_the_time = None if known is None else bool(known)
            rows.append(row)
    finally:
        if collecting:
            gc.enable()
    return rows


def matches(view: EntryView, flt: ChronologyFilter, words: Sequence[str] = ()) -> bool:
    if flt.source and view.source != flt.source:
        return False
    if flt.issue and flt.issue not in view.issues:
        return False
    if flt.significant_only and not view.significant:
        return False
    if flt.known == "known" and view.known is not True:
        return False
    if flt.known == "later" and view.known is not False:
        return False
    if flt.known == "unrecorded" and view.known is not None:
        return False
    return all(word in view.haystack for word in words)


class ChronologyView:
    """The entries of one review in date order, kept in memory so that sorting and filtering
    cost a few milliseconds per keystroke (the table then draws only what fits on screen).

    What every change would otherwise count again over all the entries (the filter's lists of
    sources and issues, the status line's counts) is worked out once per change of the entries;
    a search narrowed by typing more filters the previous result, not every entry."""

    def __init__(self, entries: Iterable[Any] = ()) -> None:
        self._by_id: dict[int, EntryView] = {}
        self._sorted: list[EntryView] = []
        self._summary: dict[str, Any] = {}
        self._last: tuple[ChronologyFilter, list[EntryView]] | None = None
        self.replace(entries)

    def replace(self, entries: Iterable[Any]) -> None:
        collecting = gc.isenabled()
        gc.disable()  # 10,000 views at once: see load_entries
        try:
            views = [view_of(e) for e in entries]
        finally:
            if collecting:
                gc.enable()
        self._by_id = {v.id: v for v in views}
        views.sort(key=_key_of)
        self._sorted = views
        self._changed()

    def _changed(self) -> None:
        self._summary = {}
        self._last = None

    def upsert(self, entry: Any) -> None:
        view = view_of(entry)
        old = self._by_id.get(view.id)
        if old is not None:
            del self._sorted[self._index(old)]
        self._by_id[view.id] = view
        self._sorted.insert(bisect.bisect_left(self._sorted, view.key, key=_key_of), view)
        self._changed()

    def remove(self, entry_id: int) -> None:
        old = self._by_id.pop(entry_id, None)
        if old is not None:
            del self._sorted[self._index(old)]
            self._changed()

    def _index(self, view: EntryView) -> int:
        """Where `view` is in the sorted list (keys are unique: they end with the row id)."""
        index = bisect.bisect_left(self._sorted, view.key, key=_key_of)
        if index < len(self._sorted) and self._sorted[index] is view:
            return index
        return next(i for i, v in enumerate(self._sorted) if v is view)  # never expected

    def get(self, entry_id: int) -> EntryView | None:
        return self._by_id.get(entry_id)

    def __len__(self) -> int:
        return len(self._sorted)

    @property
    def all(self) -> list[EntryView]:
        return self._sorted

    def filtered(self, flt: ChronologyFilter) -> list[EntryView]:
        if not flt.active:
            return list(self._sorted)
        words = flt.text.casefold().split()
        within = self._sorted
        if self._last is not None and _narrows(self._last[0], flt):
            within = self._last[1]  # every entry the new filter shows, the last one showed
        found = [v for v in within if matches(v, flt, words)]
        self._last = (flt, found)
        return list(found)

    def _summarised(self) -> dict[str, Any]:
        if not self._summary:
            counts: dict[str, int] = {}
            tags: set[str] = set()
            significant = 0
            for v in self._sorted:
                counts[v.source] = counts.get(v.source, 0) + 1
                tags.update(v.issues)
                significant += v.significant
            self._summary = {
                "source_counts": counts,
                "issues": sorted(tags, key=str.casefold),
                "significant": significant,
            }
        return self._summary

    def sources(self) -> list[str]:
        return sorted(s for s in self._summarised()["source_counts"] if s)

    def source_counts(self) -> dict[str, int]:
        """How many entries each source code has (the blank one included)."""
        return dict(self._summarised()["source_counts"])

    def issues(self) -> list[str]:
        return list(self._summarised()["issues"])

    def significant_count(self) -> int:
        return int(self._summarised()["significant"])


def _key_of(view: EntryView) -> tuple[Any, ...]:
    return view.key


def _narrows(old: ChronologyFilter, new: ChronologyFilter) -> bool:
    """Whether everything `new` shows is among what `old` showed: the same choices, and each
    word searched before is part of a word searched now (typing on, in the search box)."""
    if (old.source, old.issue, old.significant_only, old.known) != (
        new.source,
        new.issue,
        new.significant_only,
        new.known,
    ):
        return False
    new_words = new.text.casefold().split()
    return all(any(w in n for n in new_words) for w in old.text.casefold().split())


# --- entries in the store ---------------------------------------------------------------------
def new_key(prefix: str = "ch") -> str:
    """An id with no meaning (bundle README: never built from names)."""
    return f"{prefix}-{secrets.token_hex(6)}"


def entries(store: Store, review_id: int) -> list[ChronologyEntry]:
    from reviewer_tui.models import ChronologyEntry

    return store.rows(ChronologyEntry, review_id)


def add_entry(
    store: Store, review_id: int, when: str, precision: str | None = None, **values: Any
) -> ChronologyEntry:
    from reviewer_tui.models import ChronologyEntry

    check_stored(when, precision)
    if "issues" in values:
        values["issues"] = list(dict.fromkeys(values["issues"]))
    return store.add_row(
        ChronologyEntry, review_id, key=new_key(), when=when, date_precision=precision, **values
    )


def update_entry(store: Store, entry_id: int, **values: Any) -> ChronologyEntry:
    from reviewer_tui.models import ChronologyEntry

    if "when" in values or "date_precision" in values:
        current = store.get(ChronologyEntry, entry_id)
        check_stored(
            values.get("when", current.when), values.get("date_precision", current.date_precision)
        )
    if "significance" in values:
        unknown = set(values["significance"]) - set(domain.SIGNIFICANCE_KEYS)
        if unknown:
            raise InputError(f"Not a significance question: {', '.join(sorted(unknown))}")
    store.update(ChronologyEntry, entry_id, **values)
    return store.get(ChronologyEntry, entry_id)


# --- the quick-entry draft ----------------------------------------------------------------------
def save_draft(store: Store, review_id: int, values: dict[str, Any]) -> None:
    """Keep what is typed in the quick-entry form before it is added (RELIABILITY rule 1):
    a crash between keystroke and Enter must not lose it. An empty form clears the draft.
    It is a row of its review (chronology_quick_entry), so it goes when the review goes."""
    from reviewer_tui.models import ChronologyQuickEntry
    from reviewer_tui.reviews import check_value

    fields = ChronologyQuickEntry.model_fields
    unknown = set(values) - set(fields) - {"review_id"}
    if unknown:
        raise ValueError(f"not quick-entry fields: {sorted(unknown)}")
    values = {k: check_value(v, "entry") for k, v in values.items() if v not in ("", False, None)}
    with store.session() as session:
        row = session.get(ChronologyQuickEntry, review_id)
        if not values:
            if row is not None:
                session.delete(row)
                session.commit()
            return
        if row is None:
            row = ChronologyQuickEntry(review_id=review_id)
            session.add(row)
        for name in fields:
            if name != "review_id":
                setattr(row, name, values.get(name, fields[name].default))
        session.commit()


def draft(store: Store, review_id: int) -> dict[str, Any]:
    """The quick-entry form's unfinished entry (only the fields with something in them), or {}."""
    from reviewer_tui.models import ChronologyQuickEntry

    with store.session() as session:
        row = session.get(ChronologyQuickEntry, review_id)
        if row is None:
            return {}
        return {
            k: v
            for k, v in row.model_dump(exclude={"review_id"}).items()
            if v not in ("", False, None)
        }


# --- the agency code register -----------------------------------------------------------------
def agency_codes(store: Store, review_id: int) -> list[Any]:
    from reviewer_tui.models import AgencyCode

    return store.rows(AgencyCode, review_id)


def ensure_agency_codes(store: Store, review_id: int) -> list[Any]:
    """The register is the review's own: every organisation in the terms of reference with a
    code is in it under the organisation's name (a code the review defines wins over anything
    else in the register), and the reviewer's own additions stay. The shipped example codes
    (domain.SUGGESTED_AGENCY_CODES) are only suggestions: never added on their own, and a
    register pre-filled with all of them by an earlier version loses those the chronology does
    not use. Returns the register."""
    from sqlmodel import col, select

    from reviewer_tui import models as m

    with store.session() as s:
        register = list(
            s.exec(
                select(m.AgencyCode)
                .where(m.AgencyCode.review_id == review_id)
                .order_by(col(m.AgencyCode.position))
            )
        )
        organisations = [
            (o.code.strip(), o.name.strip())
            for o in s.exec(
                select(m.Organisation)
                .where(m.Organisation.review_id == review_id)
                .order_by(col(m.Organisation.position))
            )
            if o.code.strip()
        ]
        defined: dict[str, str] = {}
        for code, name in organisations:
            defined.setdefault(code, name)  # the first organisation with a code wins
        used = set(
            s.exec(
                select(m.ChronologyEntry.source)
                .where(m.ChronologyEntry.review_id == review_id)
                .distinct()
            )
        )
        changed = False
        by_code = {a.code: a for a in register}
        shipped_rows = [
            row for row in register if domain.SUGGESTED_AGENCY_CODES.get(row.code) == row.name
        ]
        # An earlier version filled every new register with all the shipped codes: that fill is
        # recognised (every shipped code, as shipped) and cleared once; a shipped code the
        # reviewer adds later is theirs and stays.
        prefilled = len(shipped_rows) == len(domain.SUGGESTED_AGENCY_CODES)
        for row in shipped_rows if prefilled else []:
            if row.code not in defined and row.code not in used:
                s.delete(row)  # an example filled in by an earlier version, never used
                del by_code[row.code]
                changed = True
        position = max((a.position for a in register), default=0)
        for code, name in defined.items():
            have = by_code.get(code)
            if have is None:
                position += 1
                s.add(m.AgencyCode(review_id=review_id, position=position, code=code, name=name))
                changed = True
            elif name and have.name != name:
                have.name = name
                s.add(have)
                changed = True
        if changed:
            s.commit()
    return agency_codes(store, review_id)


class DateCheck:
    """What is odd about an entry's date (in the future, outside the review's period:
    read_model.chronology_date_problem), or None; called as `check(when, precision)`."""

    def __init__(self, today: dt.date, start: dt.date | None, end: dt.date | None) -> None:
        self.today, self.start, self.end = today, start, end

    def __call__(self, when: str, precision: str | None) -> str | None:
        from reviewer_tui.read_model import chronology_date_problem

        return chronology_date_problem(when, self.today, self.start, self.end, precision)

    def marked(self, views: Iterable[EntryView]) -> set[int]:
        """The ids of the entries whose date is odd. A day from the start of the period up to
        today and the period's end is never odd, whatever its precision (a month runs on from
        its first day), so only the other entries are looked at closely."""
        low = self.start.isoformat() if self.start else ""
        high = min(d for d in (self.today, self.end) if d is not None).isoformat()
        found = set()
        for v in views:
            e = v.entry
            day = e.when[:10]
            if len(day) == 10 and low <= day <= high:
                continue
            if self(e.when, e.date_precision):
                found.add(v.id)
        return found


def date_problems(store: Store, review_id: int, today: dt.date) -> DateCheck:
    """The check of an entry's date for this review (DateCheck). The period is read once."""
    from reviewer_tui.models import Scope

    scope = store.get(Scope, review_id)
    return DateCheck(today, scope.period_from, scope.period_to)


def suggested_name(code: str) -> str:
    """The shipped example's name for a code ('' when it is not one): a suggestion only."""
    return domain.SUGGESTED_AGENCY_CODES.get(code.strip(), "")


def add_agency_code(store: Store, review_id: int, code: str, name: str = "") -> Any:
    from reviewer_tui.models import AgencyCode

    code = code.strip()
    if not code:
        raise InputError("An agency code cannot be empty.")
    if code in {a.code for a in agency_codes(store, review_id)}:
        raise InputError(f"The code '{code}' is already in the register.")
    return store.add_row(AgencyCode, review_id, code=code, name=name or suggested_name(code))


def update_agency_code(store: Store, code_id: int, **values: Any) -> None:
    """Edit one register row: a code is never empty and never used twice in the review."""
    from reviewer_tui.models import AgencyCode

    if "code" in values:
        code = str(values["code"]).strip()
        if not code:
            raise InputError("An agency code cannot be empty.")
        row = store.get(AgencyCode, code_id)
        if any(a.code == code and a.id != code_id for a in agency_codes(store, row.review_id)):
            raise InputError(f"The code '{code}' is already in the register.")
        values["code"] = code
    store.update(AgencyCode, code_id, **values)


def free_code(store: Store, review_id: int, stem: str = "NEW") -> str:
    have = {a.code for a in agency_codes(store, review_id)}
    n = 1
    while (code := stem if n == 1 else f"{stem}{n}") in have:
        n += 1
    return code


def unknown_sources(entries: Iterable[Any], codes: Iterable[str]) -> dict[str, int]:
    """Source codes used in the chronology that the register does not know, with how often."""
    known = set(codes)
    counts: dict[str, int] = {}
    for entry in entries:
        if entry.source not in known:
            counts[entry.source] = counts.get(entry.source, 0) + 1
    return counts


# --- CSV export -------------------------------------------------------------------------------
CSV_HEADER = (
    "Date & Time",
    "Event",
    "Source",
    "Participation",
    "Outcome",
    "Issues",
    "when",
    "date_precision",
    "sequence",
    "Known at the time",
    "Significant",
    "Risk",
    "Response",
    "Partnership",
    "Learning",
    "Significance",
    "id",
)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def csv_rows(entries: Iterable[ChronologyEntry]) -> list[list[str]]:
    rows = [list(CSV_HEADER)]
    for e in sorted_entries(entries):
        rows.append(
            [
                display_when(e.when, e.date_precision),
                e.event,
                e.source,
                e.participation,
                e.outcome,
                "; ".join(e.issues),
                e.when,
                effective_precision(e.when, e.date_precision),
                "" if e.sequence is None else str(e.sequence),
                _yes_no(e.known_at_the_time),
                _yes_no(e.significant),
                e.risk,
                e.response,
                e.partnership,
                e.learning,
                "; ".join(e.significance),
                e.key,
            ]
        )
    return rows


def export_csv(
    store: Store,
    review_id: int,
    target: Path,
    chosen: Iterable[ChronologyEntry] | None = None,
) -> int:
    """The chronology (or the `chosen` entries: what a filter shows) in date order as UTF-8 CSV
    with a byte-order mark, so Excel reads accented names right (RFC 4180 quoting, text kept
    exactly), written atomically. Returns the number of entries."""
    from reviewer_tui.storage import write_atomically

    rows = csv_rows(entries(store, review_id) if chosen is None else chosen)

    def write(handle: Any) -> None:
        handle.write("\ufeff")
        csv.writer(handle, lineterminator="\r\n").writerows(rows)

    write_atomically(Path(target), write, binary=False)
    return len(rows) - 1


def default_export_name(review_id: int, today: dt.date, filtered: bool = False) -> str:
    """A file name that says which review it is, with no name in it (a review title may hold the
    child's name)."""
    return f"review-{review_id}-chronology{'-filtered' if filtered else ''}-{today.isoformat()}.csv"


__all__ = ["ChronologyFilter", "ChronologyView", "add_entry", "sort_key", "update_entry"]
