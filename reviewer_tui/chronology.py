"""The chronology (seed 003 section 6, seed 004 section 10): the one sort order every view uses, filters, entries with undo, the agency code register and CSV export.

Never imports textual. `when` is local wall-clock text exactly as written (RELIABILITY rule 14):
`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]`.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import json
import re
import secrets
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer_tui import collector, domain
from reviewer_tui.chronology_order import ORDER_DESC_SQL, ORDER_SQL
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


def _rows_of(found: Sequence[Sequence[Any]]) -> list[EntryRow]:
    """Stored rows (ENTRY_FIELDS, in that order) as EntryRows."""
    issues_at, significance_at = ENTRY_FIELDS.index("issues"), ENTRY_FIELDS.index("significance")
    issues = _text_lists([values[issues_at] for values in found])
    significance = _text_lists([values[significance_at] for values in found])
    rows = []
    new = object.__new__
    # Thousands of small objects at once: half the time of reading 10,000 entries was the
    # collector walking them while they were made.
    with collector.paused():
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
    return rows


COLUMNS_SQL = ", ".join(f'e."{name}"' for name in ENTRY_FIELDS)


def _select(store: Store, sql: str, params: Sequence[Any] = (), fold: bool = False) -> list[Any]:
    """Rows of one read-only query on the store's connection (sqlite3, not the ORM: a page of
    entries costs a fraction of a millisecond this way). `fold`: the query calls
    chronology_fold (a search word of one or two letters beyond ASCII)."""
    with store.session() as session:
        raw = session.connection().connection.driver_connection
        assert raw is not None
        if fold:
            raw.create_function("chronology_fold", 1, _fold, deterministic=True)
        return list(raw.execute(sql, tuple(params)).fetchall())


def _fold(text: str | None) -> str:
    return (text or "").casefold()


def load_entries(store: Store, review_id: int) -> list[EntryRow]:
    """Every entry of a review, read in one query into EntryRows (unsorted)."""
    found = _select(
        store,
        f"SELECT {COLUMNS_SQL} FROM chronology_entry AS e WHERE e.review_id = ?",
        (review_id,),
    )
    return _rows_of(found)


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


class _Summaries:
    """What the filter lists and counts read from a chronology's summary (`_summarised`: the
    source counts, the issues, the significant count), the same for the list in memory and the
    stored one."""

    def _summarised(self) -> dict[str, Any]:
        raise NotImplementedError

    def sources(self) -> list[str]:
        return sorted(s for s in self._summarised()["source_counts"] if s)

    def source_counts(self) -> dict[str, int]:
        """How many entries each source code has (the blank one included)."""
        return dict(self._summarised()["source_counts"])

    def issues(self) -> list[str]:
        return list(self._summarised()["issues"])

    def significant_count(self) -> int:
        return int(self._summarised()["significant"])


class ChronologyView(_Summaries):
    """Entries in date order, filtered in memory: for a list already read (the definition of
    what EntryPages, which the screen uses, must show; tests compare the two).

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
        with collector.paused():  # 10,000 views at once
            views = [view_of(e) for e in entries]
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


# --- the chronology read a page at a time (the screen) ---------------------------------------
# The sort order of sort_key in SQL (reviewer_tui/chronology_order.py), so that SQLite reads a
# page from migration 0012's index and sorts nothing.
PAGE = 100  # entries read at a time
PAGES_KEPT = 20  # pages kept read (the ones last used)
FEW = 2 * PAGE  # a filter showing this many entries or fewer reads them all at once, sorted
TRIGRAM = 3  # a search word this long or longer is looked up in search_index_chronology
SEARCHED = (  # and each issue: EntryView.haystack's texts
    "event",
    "source",
    "participation",
    "outcome",
    "risk",
    "response",
    "partnership",
    "learning",
)


# The filter's words of three characters or more, found by the trigram index (EntryPages runs it
# once and gives its queries the entries found as MATCHED_IDS_SQL).
MATCHED_SQL = (
    "e.id IN (SELECT rowid FROM search_index_chronology WHERE search_index_chronology MATCH ?)"
)
MATCHED_IDS_SQL = "e.id IN (SELECT value FROM json_each(?))"


def filter_sql(review_id: int, flt: ChronologyFilter) -> tuple[str, list[Any], bool]:
    """(WHERE clause over chronology_entry AS e, its parameters, whether it calls
    chronology_fold) for the entries of `review_id` that `flt` shows: `matches` in SQL.

    Search words (case folded, any part of a word) of three characters or more typed in ASCII are
    looked up in the trigram index (migration 0012); other words are looked for in each text of
    the entry (with LIKE, which folds ASCII letters, when the word is ASCII; case folded by Python
    otherwise). A word never holds a space, so it is never split between two texts."""
    where: list[str] = ["e.review_id = ?"]
    params: list[Any] = [review_id]
    fold = False
    if flt.source:
        where.append("e.source = ?")
        params.append(flt.source)
    if flt.issue:
        where.append("EXISTS (SELECT 1 FROM json_each(e.issues) WHERE json_each.value = ?)")
        params.append(flt.issue)
    if flt.significant_only:
        where.append("coalesce(e.significant, 0) != 0")
    if flt.known in ("known", "later", "unrecorded"):
        where.append(
            {
                "known": "e.known_at_the_time = 1",
                "later": "e.known_at_the_time = 0",
                "unrecorded": "e.known_at_the_time IS NULL",
            }[flt.known]
        )
    # Each word by its case folding, and whether it was typed in ASCII. The trigram index and
    # LIKE fold case as SQLite does, which differs from Python's casefold beyond ASCII ("Weiß"
    # is "weiss" to Python, "weiß" to SQLite): a word typed beyond ASCII is folded by Python.
    words: dict[str, bool] = {}
    for typed in flt.text.split():
        words[typed.casefold()] = words.get(typed.casefold(), True) and typed.isascii()
    long = [w for w, ascii_typed in words.items() if ascii_typed and len(w) >= TRIGRAM]
    if long:
        where.append(MATCHED_SQL)
        params.append(" AND ".join('"' + w.replace('"', '""') + '"' for w in long))
    for word, ascii_typed in words.items():
        if word in long:
            continue
        if ascii_typed:
            test, value = "{} LIKE ? ESCAPE '\\'", "%" + re.sub(r"([%_\\])", r"\\\1", word) + "%"
        else:
            test, value, fold = "instr(chronology_fold({}), ?) > 0", word, True
        tests = [test.format(f"e.{name}") for name in SEARCHED]
        tests.append(f"EXISTS (SELECT 1 FROM json_each(e.issues) WHERE {test.format('value')})")
        where.append("(" + " OR ".join(tests) + ")")
        params += [value] * len(tests)
    return " AND ".join(where), params, fold


class EntryPages(Sequence[EntryView]):
    """The entries of one review that a filter shows, in date order, as a sequence read from the
    database a page (PAGE entries) at a time: its length is one count, an entry is read with
    the page around it, so showing 10,000 entries reads what is on screen.

    A snapshot of the stored entries: after a change, make a new one (ChronologyScreen does)."""

    def __init__(self, store: Store, review_id: int, flt: ChronologyFilter | None = None) -> None:
        self.store, self.review_id = store, review_id
        self.flt = flt or ChronologyFilter()
        self._where, self._params, self._fold = filter_sql(review_id, self.flt)
        self._count: int | None = None
        self._pages: dict[int, list[EntryView]] = {}
        self._match_once()

    def _match_once(self) -> None:
        """The trigram search run once, its entries given to each query as a list: each of the
        queries a search key makes (the count, the page shown, the current entry's place) ran it
        again, 4 ms each for words found in half of 10,000 entries."""
        if MATCHED_SQL not in self._where:
            return
        before, after = self._where.split(MATCHED_SQL, 1)
        at = before.count("?")
        found = _select(
            self.store,
            "SELECT rowid FROM search_index_chronology WHERE search_index_chronology MATCH ?",
            (self._params[at],),
        )
        self._where = before + MATCHED_IDS_SQL + after
        self._params[at] = json.dumps([rowid for (rowid,) in found])

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return _select(self.store, sql, [*self._params, *params], self._fold)

    def __len__(self) -> int:
        if self._count is None:
            found = self._query(f"SELECT count(*) FROM chronology_entry AS e WHERE {self._where}")
            self._count = int(found[0][0])
        return self._count

    def _page(self, number: int) -> list[EntryView]:
        page = self._pages.get(number)
        if page is None and len(self) <= FEW:
            # Few shown: all read at once and sorted. Walking the order index for them tests
            # the filter on entry after entry of the review until a page is found (20 ms for a
            # hundred of 10,000 entries of one agency with one issue; sorted, 6 ms). The unary
            # + keeps the sort off that index; the order is the same.
            found = self._query(
                f"SELECT {COLUMNS_SQL} FROM chronology_entry AS e WHERE {self._where} "
                f"ORDER BY +{ORDER_SQL}"
            )
            views = [view_of(row) for row in _rows_of(found)]
            for start in range(0, len(views), PAGE):
                self._pages.pop(start // PAGE, None)
                self._pages[start // PAGE] = views[start : start + PAGE]
            page = self._pages.get(number, [])
        if page is None:
            start, count = number * PAGE, len(self)
            if start + PAGE // 2 < count // 2:
                found = self._query(
                    f"SELECT {COLUMNS_SQL} FROM chronology_entry AS e WHERE {self._where} "
                    f"ORDER BY {ORDER_SQL} LIMIT ? OFFSET ?",
                    (PAGE, start),
                )
            else:  # in the second half: read from the end (the last page at once)
                end = min(start + PAGE, count)
                found = self._query(
                    f"SELECT {COLUMNS_SQL} FROM chronology_entry AS e WHERE {self._where} "
                    f"ORDER BY {ORDER_DESC_SQL} LIMIT ? OFFSET ?",
                    (end - start, count - end),
                )[::-1]
            page = [view_of(row) for row in _rows_of(found)]
            if len(self._pages) >= PAGES_KEPT:
                del self._pages[next(iter(self._pages))]  # the one read longest ago
        else:  # kept again as the latest (not there: the entries read short, see __getitem__)
            self._pages.pop(number, None)
        self._pages[number] = page
        return page

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("entry index out of range")
        page = self._page(index // PAGE)
        if index % PAGE >= len(page):
            raise IndexError("the entries changed since they were counted")
        return page[index % PAGE]

    def __iter__(self) -> Iterator[EntryView]:
        for number in range((len(self) + PAGE - 1) // PAGE):
            yield from self._page(number)

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        at = self.position_of(value.id) if isinstance(value, EntryView) else None
        if at is None or at < start or (stop is not None and at >= stop):
            raise ValueError("not shown")
        return at

    def position_of(self, entry_id: int) -> int | None:
        """Where entry `entry_id` is among these entries, or None when the filter hides it
        (a page already read, or one count of the entries before it)."""
        for number, page in self._pages.items():
            for n, view in enumerate(page):
                if view.id == entry_id:
                    return number * PAGE + n
        key = self._query(
            f"SELECT {ORDER_SQL} FROM chronology_entry AS e WHERE {self._where} AND e.id = ?",
            (entry_id,),
        )
        if not key:
            return None
        if self.flt.active:
            # Filtered: counted in the same pass over the entries the filter shows (the count
            # is wanted anyway). Walking the order index instead tests the filter on each entry
            # before this one, a row read at a time: 8-15 ms of 10,000 entries for any filter,
            # against 3-6 ms for the pass.
            found = _select(
                self.store,
                f"SELECT count(*), coalesce(sum(({ORDER_SQL}) < (?, ?, ?, ?, ?)), 0) "
                f"FROM chronology_entry AS e WHERE {self._where}",
                [*key[0], *self._params],
                self._fold,
            )
            self._count = int(found[0][0])
            return int(found[0][1])
        found = self._query(  # all shown: counted in the order index, no entry read
            "SELECT count(*) FROM chronology_entry AS e INDEXED BY ix_chronology_entry_order "
            f"WHERE {self._where} AND ({ORDER_SQL}) < (?, ?, ?, ?, ?)",
            key[0],
        )
        return int(found[0][0])

    def when_width(self, marked: Set[int] = frozenset(), least: int = 11) -> int:
        """Cells the longest of these dates takes (marked ones with '⚠ ' before them): one
        entry of each kind of date is read (each kind of `when`, precision and one- or
        two-digit day shows as the same width)."""
        found = self._query(
            f'SELECT e."when", e.date_precision FROM chronology_entry AS e WHERE {self._where} '
            'GROUP BY length(e."when"), e.date_precision, substr(e."when", 9, 1) = \'0\''
        )
        widths = [len(display_when(when, precision)) for when, precision in found]
        if marked:
            ids = sorted(marked)
            found = self._query(
                f'SELECT e."when", e.date_precision FROM chronology_entry AS e '
                f"WHERE {self._where} AND e.id IN ({', '.join('?' * len(ids))})",
                ids,
            )
            widths += [len(display_when(when, precision)) + 2 for when, precision in found]
        return max(widths, default=least)


class StoredChronology(_Summaries):
    """One review's chronology as the screen shows it, read from the database: its counts and
    lists (sources, issues) with a few aggregate queries, its entries as EntryPages. Nothing
    here reads every entry into Python.

    Told of each change the screen makes (`added`, `changed`, `removed`), so the counts are
    read again only when they cannot be worked out from the change."""

    def __init__(self, store: Store, review_id: int) -> None:
        self.store, self.review_id = store, review_id
        self._summary: dict[str, Any] | None = None
        self._when_width: tuple[frozenset[int], int] | None = None  # (marked, width)

    def when_width(self, marked: Set[int]) -> int:
        """Cells the longest date of the chronology takes (`marked` ones with '⚠ '): the date
        column keeps its width whatever the filter, so it does not jump as a search is typed."""
        key = frozenset(marked)
        if self._when_width is None or self._when_width[0] != key:
            width = EntryPages(self.store, self.review_id).when_width(key)
            self._when_width = (key, width)
        return self._when_width[1]

    def _summarised(self) -> dict[str, Any]:
        if self._summary is None:
            counts: dict[str, int] = {}
            significant = 0
            for source, count, spes in _select(
                self.store,
                "SELECT source, count(*), sum(coalesce(significant, 0) != 0) "
                "FROM chronology_entry WHERE review_id = ? GROUP BY source",
                (self.review_id,),
            ):
                counts[source] = int(count)
                significant += int(spes or 0)
            tags = {
                str(tag)
                for (tag,) in _select(
                    self.store,
                    "SELECT DISTINCT j.value FROM chronology_entry AS e, json_each(e.issues) AS j "
                    "WHERE e.review_id = ? AND j.type = 'text'",
                    (self.review_id,),
                )
            }
            self._summary = {
                "source_counts": counts,
                "issues": sorted(tags, key=str.casefold),
                "significant": significant,
            }
        return self._summary

    def added(self, entry: Any) -> None:
        """A new entry was stored: counted in without reading the others."""
        if self._when_width is not None:
            marked, width = self._when_width
            shown = len(display_when(entry.when, entry.date_precision))
            self._when_width = (marked, max(width, shown + 2 * (entry.id in marked)))
        summary = self._summary
        if summary is None:
            return
        counts = summary["source_counts"]
        counts[entry.source] = counts.get(entry.source, 0) + 1
        summary["significant"] += bool(entry.significant)
        new = set(entry.issues) - set(summary["issues"])
        if new:
            summary["issues"] = sorted({*summary["issues"], *new}, key=str.casefold)

    def changed(self) -> None:
        """Entries were edited, removed or put back: the counts are read again when asked."""
        self._summary = None
        self._when_width = None

    def __len__(self) -> int:
        return sum(self._summarised()["source_counts"].values())

    def filtered(self, flt: ChronologyFilter) -> EntryPages:
        return EntryPages(self.store, self.review_id, flt)


# --- entries in the store ---------------------------------------------------------------------
def new_key(prefix: str = "ch") -> str:
    """An id with no meaning (bundle README: never built from names)."""
    return f"{prefix}-{secrets.token_hex(6)}"


def entries(store: Store, review_id: int) -> list[ChronologyEntry]:
    from reviewer_tui.models import ChronologyEntry

    return store.rows(ChronologyEntry, review_id)


def add_entry(
    store: Store,
    review_id: int,
    when: str,
    precision: str | None = None,
    draft_after: dict[str, Any] | None = None,
    **values: Any,
) -> ChronologyEntry:
    """Add an entry. `draft_after`: what the quick-entry form holds once the entry is added,
    kept as its draft in the same transaction as the entry (see save_draft). Kept apart, a
    crash between the two left the added entry's text as the draft, restored the next time
    the form opened: Enter again added the entry twice."""
    from reviewer_tui.models import ChronologyEntry

    check_stored(when, precision)
    if "issues" in values:
        values["issues"] = list(dict.fromkeys(values["issues"]))
    draft = None if draft_after is None else _checked_draft(draft_after)
    return store.add_row(
        ChronologyEntry,
        review_id,
        together=None if draft is None else lambda session: _put_draft(session, review_id, draft),
        key=new_key(),
        when=when,
        date_precision=precision,
        **values,
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
    values = _checked_draft(values)
    with store.session() as session:
        _put_draft(session, review_id, values)
        session.commit()


def _checked_draft(values: dict[str, Any]) -> dict[str, Any]:
    """The draft's fields with something in them, each checked as stored text."""
    from reviewer_tui.models import ChronologyQuickEntry
    from reviewer_tui.reviews import check_value

    unknown = set(values) - set(ChronologyQuickEntry.model_fields) - {"review_id"}
    if unknown:
        raise ValueError(f"not quick-entry fields: {sorted(unknown)}")
    return {k: check_value(v, "entry") for k, v in values.items() if v not in ("", False, None)}


def _put_draft(session: Any, review_id: int, values: dict[str, Any]) -> None:
    """The review's draft made `values` (checked: _checked_draft) in `session`, not committed."""
    from reviewer_tui.models import ChronologyQuickEntry

    fields = ChronologyQuickEntry.model_fields
    row = session.get(ChronologyQuickEntry, review_id)
    if not values:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = ChronologyQuickEntry(review_id=review_id)
        session.add(row)
    for name in fields:
        if name != "review_id":
            setattr(row, name, values.get(name, fields[name].default))


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

    def marked_in(self, store: Store, review_id: int) -> set[int]:
        """`marked` over the review's stored entries, the days between the start of the period
        and today (or the period's end) left out in SQL, so only the others are read."""
        low = self.start.isoformat() if self.start else ""
        high = min(d for d in (self.today, self.end) if d is not None).isoformat()
        found = _select(
            store,
            'SELECT id, "when", date_precision FROM chronology_entry WHERE review_id = ? AND '
            'NOT (length(substr("when", 1, 10)) = 10 AND substr("when", 1, 10) BETWEEN ? AND ?)',
            (review_id, low, high),
        )
        return {row_id for row_id, when, precision in found if self(when, precision)}


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


def unknown_sources(store: Store, review_id: int, codes: Iterable[str]) -> dict[str, int]:
    """Source codes used in the chronology that the register does not know, with how often
    (counted in SQL: the register screen does not read 10,000 entries)."""
    known = set(codes)
    return {code: n for code, n in source_counts(store, review_id).items() if code not in known}


def source_counts(store: Store, review_id: int) -> dict[str, int]:
    """How many entries of the review each source code has (one aggregate query)."""
    return dict(
        _select(
            store,
            "SELECT source, count(*) FROM chronology_entry WHERE review_id = ? GROUP BY source",
            (review_id,),
        )
    )


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
