"""Import one agency's chronology from the seed 003 Word proforma (a six-column table) or CSV.

Three steps, so the reviewer sees everything before anything is stored:
1. `read_file` reads the rows as text (Word tables through python-docx, CSV through csv);
2. `build_preview` checks every row: the date (parsed, never guessed), the event, the source
   code against the register, and likely duplicates of entries already in the chronology or of
   an earlier row of the same file. Rows without problems start accepted;
3. `commit` adds only the accepted rows, all in one transaction (SQLAlchemy Core executemany).

Never imports textual.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer_tui import userfile, validators
from reviewer_tui.chronology import new_key, split_issues
from reviewer_tui.dates import When, display_when, parse
from reviewer_tui.errors import DateProblem, ImportFileError, InputError, UserFileError
from reviewer_tui.reviews import check_value

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

COLUMNS = ("date", "event", "source", "participation", "outcome", "issues")
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "date": ("date & time", "date and time", "date/time", "date", "when", "date & time of event"),
    "event": ("event", "events", "what happened"),
    "source": ("source", "agency", "source code", "agency code"),
    "participation": ("participation", "participants", "who took part"),
    "outcome": ("outcome", "outcomes", "result"),
    "issues": ("issues", "issue", "tags"),
}
PLACEHOLDER_DATES = {"dd/mm/yy", "dd/mm/yyyy", "date", ""}
DUPLICATE_RATIO = 0.85
MAX_FILE_BYTES = 64 * 10**6  # a file, or a .docx unpacked, larger than this is not a chronology


@dataclass(frozen=True)
class RawRow:
    number: int  # the row as the reviewer would count it in the file (header is row 1)
    cells: tuple[str, ...]  # the six columns, in COLUMNS order


@dataclass(frozen=True)
class RawTable:
    rows: tuple[RawRow, ...]
    notes: tuple[str, ...] = ()  # about the file as a whole
    skipped_blank: int = 0  # empty proforma rows (for example 'dd/mm/yy' and nothing else)


@dataclass
class PreviewRow:
    number: int
    cells: tuple[str, ...]  # the six columns, in COLUMNS order
    when: When | None
    source: str  # the code the entry will be stored under
    problems: list[str] = field(default_factory=list)
    duplicate_of: str = ""  # a description of the entry this row probably repeats
    accepted: bool = False

    @property
    def event(self) -> str:
        return self.cells[1]

    @property
    def blocked(self) -> bool:
        """A row that cannot be stored at all: no readable date or no event."""
        return self.when is None or not self.event.strip()

    @property
    def all_problems(self) -> list[str]:
        return self.problems + (
            [f"likely duplicate of {self.duplicate_of}"] if self.duplicate_of else []
        )

    def values(self) -> dict[str, Any]:
        assert self.when is not None
        return {
            "when": self.when.when,
            "date_precision": self.when.precision,
            "event": self.event,
            "source": self.source,
            "participation": self.cells[3],
            "outcome": self.cells[4],
            "issues": split_issues(self.cells[5]),
        }


# --- reading ----------------------------------------------------------------------------------
def _cell(text: str) -> str:
    return text.strip()


def _header_map(cells: Sequence[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = " ".join(cell.casefold().replace("\n", " ").split())
        for column, aliases in HEADER_NAMES.items():
            if column not in found and name in aliases:
                found[column] = index
    return found if {"date", "event"} <= found.keys() else None


def _rows_from_grid(grid: list[list[str]], first_number: int = 1) -> RawTable:
    """Turn a grid of cell texts into rows of the six columns, finding the header if any."""
    notes: list[str] = []
    if not grid:
        raise ImportFileError("The file holds no rows.")
    mapping = _header_map(grid[0])
    start = 1
    if mapping is None:
        if max(len(r) for r in grid) < 6:
            raise ImportFileError(
                "The table has fewer than six columns and no header row naming them; the proforma "
                "columns are "
                + ", ".join(
                    ("Date & Time", "Event", "Source", "Participation", "Outcome", "Issues")
                )
                + "."
            )
        mapping = {column: i for i, column in enumerate(COLUMNS)}
        start = 0
        notes.append(
            "No header row found: the columns were read in the proforma's order "
            "(Date & Time, Event, Source, Participation, Outcome, Issues)."
        )
    else:
        missing = [c for c in COLUMNS if c not in mapping]
        if missing:
            notes.append("Columns not found in the header, left empty: " + ", ".join(missing) + ".")
    used = set(mapping.values())
    rows: list[RawRow] = []
    blank = 0
    extra_warned = False
    for offset, cells in enumerate(grid[start:], start=start):
        values = tuple(
            _cell(cells[mapping[c]]) if c in mapping and mapping[c] < len(cells) else ""
            for c in COLUMNS
        )
        if all(not v for v in values[1:5]) and values[0].casefold() in PLACEHOLDER_DATES:
            blank += 1  # an unused proforma row: 'dd/mm/yy' and perhaps an example issue
            continue
        if not extra_warned and any(cell.strip() for i, cell in enumerate(cells) if i not in used):
            notes.append(
                f"Row {offset + first_number}: text in columns other than the six was not imported."
            )
            extra_warned = True
        rows.append(RawRow(offset + first_number, values))
    return RawTable(tuple(rows), tuple(notes), blank)


def _unique_cells(row: Any) -> list[str]:
    """A Word row's cells, a horizontally merged cell counted once."""
    out: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        marker = id(cell._tc)
        if marker in seen:
            continue
        seen.add(marker)
        out.append(cell.text)
    return out


def _read_bytes(path: Path) -> bytes:
    """The whole file, through the one reader of user files (refused from its size if too large)."""
    try:
        raw = userfile.read_limited(path, "an agency chronology", MAX_FILE_BYTES)
    except UserFileError as exc:
        raise ImportFileError(f"{exc}.") from None
    if not raw.strip():
        raise ImportFileError(f"'{path.name}' is empty.")
    return raw


def _open_docx(path: Path) -> Any:
    """python-docx's Document, every way a file can be damaged turned into one plain line."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    name = path.name
    not_word = (
        f"'{name}' is not a Word document we can read (.docx; an old .doc must be saved "
        "as .docx first, and a damaged file saved again from Word)."
    )
    raw = _read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise ImportFileError(not_word) from None
    if unpacked > MAX_FILE_BYTES:
        raise ImportFileError(
            f"'{name}' unpacks to more than {MAX_FILE_BYTES // 10**6} MB, far more "
            "than a chronology: it was not read."
        )
    try:
        return docx.Document(io.BytesIO(raw))
    except PackageNotFoundError:
        raise ImportFileError(not_word) from None
    except (KeyError, ValueError):  # no main document part, or one of another type
        raise ImportFileError(
            f"'{name}' is a zip file without a Word document in it (it may be "
            "another kind of file renamed .docx)."
        ) from None
    except (XMLSyntaxError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        detail = getattr(exc, "msg", None) or str(exc)
        raise ImportFileError(
            f"'{name}' is damaged: its text cannot be read ({detail}). Open it in "
            "Word, which can often repair it, save it and import it again."
        ) from None


def read_docx(path: Path) -> RawTable:
    """The chronology table of a Word document: the first table whose header names Date and
    Event, or else the first table with six columns."""
    document = _open_docx(Path(path))
    tables = document.tables
    if not tables:
        raise ImportFileError(
            f"'{Path(path).name}' holds no table. The chronology must be the "
            "six-column proforma table."
        )
    grids = [[_unique_cells(row) for row in table.rows] for table in tables]
    chosen = next((g for g in grids if g and _header_map(g[0]) is not None), None)
    if chosen is None:
        chosen = next((g for g in grids if g and max(len(r) for r in g) >= 6), None)
    if chosen is None:
        raise ImportFileError("No table in the document has the six proforma columns.")
    table = _rows_from_grid(chosen)
    if len(tables) > 1:
        return RawTable(
            table.rows,
            (
                *table.notes,
                f"The document has {len(tables)} tables; only the chronology table was read.",
            ),
            table.skipped_blank,
        )
    return table


def _decode(raw: bytes, name: str) -> tuple[str, list[str]]:
    """The text of a CSV file and notes about its encoding: UTF-8 (with or without a byte-order
    mark), UTF-16 with one (Excel's 'Unicode Text'), else Windows-1252."""
    notes: list[str] = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            text = "\0"  # refused below as not text
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
            notes.append(
                "The file is not UTF-8: it was read as Windows-1252 (Excel's usual "
                "encoding). Check accented letters in the preview."
            )
    if "\0" in text:
        raise ImportFileError(
            f"'{name}' is not a text file (it holds NUL characters: a picture, a "
            "spreadsheet or a Word file named .csv?). Save the chronology from "
            "Excel as CSV and import that."
        )
    return text, notes


def read_csv(path: Path) -> RawTable:
    path = Path(path)
    text, notes = _decode(_read_bytes(path), path.name)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    grid: list[list[str]] = []
    line = 1  # where the row being read starts
    try:
        for row in reader:
            grid.append(row)
            line = reader.line_num + 1
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise ImportFileError(
                f"'{path.name}', line {line}: a cell is longer than {csv.field_size_limit():,} "
                'characters, far more than any chronology entry; an opening quote mark (") '
                "without its closing one usually causes this. Correct the file and read it again."
            ) from None
        raise ImportFileError(f"'{path.name}', line {line}: not readable as CSV ({exc}).") from None
    grid = [row for row in grid if any(cell.strip() for cell in row)]
    table = _rows_from_grid(grid)
    return RawTable(table.rows, (*notes, *table.notes), table.skipped_blank)


def read_file(path: Path) -> RawTable:
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"There is no file at {path}.")
    suffix = path.suffix.casefold()
    if suffix == ".docx":
        return read_docx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path)
    if suffix == ".doc":
        raise ImportFileError(
            "An old Word .doc file cannot be read: open it in Word and save it "
            "as .docx, then import that."
        )
    raise ImportFileError(f"'{path.name}': import reads Word .docx or .csv files.")


# --- checking ---------------------------------------------------------------------------------
def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _similar(a: str, b: str) -> bool:
    """Same words nearly in the same order, or one account contained in the other (agencies often
    copy the first sentences of a shared record)."""
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 20:
        if shorter in longer:
            return True
        words = shorter.split()
        if len(words) >= 4 and sum(w in set(longer.split()) for w in words) / len(words) >= 0.9:
            return True
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= DUPLICATE_RATIO


def resolve_source(cell: str, agency: str, codes: dict[str, str]) -> tuple[str, str | None]:
    """(code to store, problem or None). Blank or the agency itself -> the agency; a known code
    or an agency's full name -> that code; anything else is unknown and stored under the agency
    if the reviewer accepts the row anyway."""
    text = cell.strip()
    if not text or text.casefold() == agency.casefold():
        return agency, None
    by_fold = {code.casefold(): code for code in codes}
    if text.casefold() in by_fold:
        return by_fold[text.casefold()], None
    by_name = {name.casefold(): code for code, name in codes.items() if name}
    if text.casefold() in by_name:
        return by_name[text.casefold()], None
    return agency, (
        f"unknown source code '{text}' (not in the agency code register); "
        f"if accepted it is stored under {agency}"
    )


def build_preview(
    table: RawTable,
    agency: str,
    codes: dict[str, str],
    existing: Iterable[Any],
    today: dt.date | None = None,
) -> list[PreviewRow]:
    """Check every row. `codes` maps each registered code to its full name; `existing` are the
    chronology entries already stored (anything with when, event and source)."""
    by_day: dict[str, list[tuple[str, str]]] = {}
    for entry in existing:
        by_day.setdefault(entry.when[:10], []).append(
            (
                _normal(entry.event),
                f"the entry of {display_when(entry.when, entry.date_precision)} "
                f"({entry.source or 'no source'}): {_excerpt(entry.event)}",
            )
        )
    rows: list[PreviewRow] = []
    for raw in table.rows:
        date_text, event, source_text = raw.cells[0], raw.cells[1], raw.cells[2]
        problems: list[str] = []
        when: When | None = None
        try:
            when = parse(date_text, today)
        except DateProblem as exc:
            problems.append(f"unreadable date: {exc}")
        if not event.strip():
            problems.append("missing event")
        source, source_problem = resolve_source(source_text, agency, codes)
        if source_problem:
            problems.append(source_problem)
        for cell in raw.cells:
            try:
                check_value(cell, "text")
            except InputError as exc:
                problems.append(str(exc))
        row = PreviewRow(raw.number, raw.cells, when, source, problems)
        if when is not None and event.strip():
            normal = _normal(event)
            day = when.when[:10]
            for other_normal, description in by_day.get(day, []):
                if _similar(normal, other_normal):
                    row.duplicate_of = description
                    break
            by_day.setdefault(day, []).append((normal, f"row {raw.number} of this file"))
        row.accepted = not row.problems and not row.duplicate_of
        rows.append(row)
    return rows


def _excerpt(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@dataclass(frozen=True)
class Summary:
    rows: int
    accepted: int
    with_problems: int
    duplicates: int


def summarise(rows: Sequence[PreviewRow]) -> Summary:
    return Summary(
        len(rows),
        sum(r.accepted for r in rows),
        sum(bool(r.problems) for r in rows),
        sum(bool(r.duplicate_of) for r in rows),
    )


# --- storing ----------------------------------------------------------------------------------
def commit(
    store: Store, review_id: int, agency: str, rows: Sequence[PreviewRow], agency_name: str = ""
) -> int:
    """Add the accepted rows in one transaction; the agency code joins the register if it is new.
    Returns how many entries were added. Nothing is stored if any accepted row cannot be."""
    from sqlalchemy import func, insert
    from sqlmodel import select

    from reviewer_tui import models as m

    agency = check_value(agency.strip(), "agency code")
    if not agency:
        raise InputError("Choose the agency code for this chronology.")
    accepted = [r for r in rows if r.accepted]
    for row in accepted:
        if row.blocked:
            raise InputError(f"Row {row.number} cannot be added: " + "; ".join(row.problems))
    with store.session() as s:
        codes = set(s.exec(select(m.AgencyCode.code).where(m.AgencyCode.review_id == review_id)))
        if agency not in codes:
            last_code = s.exec(
                select(func.max(m.AgencyCode.position)).where(m.AgencyCode.review_id == review_id)
            ).one()
            s.add(
                m.AgencyCode(
                    review_id=review_id,
                    position=(last_code or 0) + 1,
                    code=agency,
                    name=agency_name,
                )
            )
            s.flush()
        last = (
            s.exec(
                select(func.max(m.ChronologyEntry.position)).where(
                    m.ChronologyEntry.review_id == review_id
                )
            ).one()
            or 0
        )
        params = []
        for offset, row in enumerate(accepted, start=1):
            values = {k: check_value(v, k) for k, v in row.values().items()}
            params.append(
                validators.check_values(
                    m.ChronologyEntry.__tablename__,
                    {
                        "review_id": review_id,
                        "position": last + offset,
                        "key": new_key(),
                        "sequence": None,
                        "significant": None,
                        "risk": "",
                        "response": "",
                        "partnership": "",
                        "learning": "",
                        "significance": [],
                        "known_at_the_time": None,
                        **values,
                    },
                )
            )  # Core executemany skips the session's checks: the same validators, here
        if params:
            # SQLAlchemy sets __table__ on each table class; SQLModel does not declare it
            s.execute(insert(m.ChronologyEntry.__table__), params)  # type: ignore[attr-defined]
        review = s.get(m.Review, review_id)
        if review is not None:
            review.updated_at = dt.datetime.now(dt.UTC)
        s.commit()
    return len(params)
