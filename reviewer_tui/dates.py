"""Dates and times as people type them: the one parser, its accepted forms and its messages.

Every field that takes a date reads it here: form dates and the new-review dialog (`parse_day`),
the meeting, escalations and interview times (`parse_local`), the chronology and its import
(`parse`). They all accept the same forms; a field only adds what it needs (a time, or a day
without one) and each refusal is one of the messages below. Nothing is guessed: an ambiguous or
impossible date is refused with what is wrong and how to write it.

Accepted forms, each with an optional time ('14:30', '14.30', '14:30:15', '2.30pm', '2pm',
'1430hrs', 'at 14:30', or ISO's 'T14:30'):
- 2024-05-03, 2024-5-3 and the other ISO 8601 dates Python reads (20240503, 2024-W18-5);
- 3/5/2024, 03/05/24 (the chronology proforma's dd/mm/yy), 03.05.2024, 03-05-2024: day first;
- 3 May 2024, 3rd May 2024, 3 Sept 2024, May 3, 2024;
- 'May 2024' or '2024-05' when only the month is known (no time);
- 'c. 3 May 2024' (also ca., circa, approx., about, around, ~) when approximate; 'c. May 2024'
  when only the month is known, and that approximately (the approximation is kept).

Stored forms (RELIABILITY rule 14, local wall-clock text as written): 'YYYY-MM-DD' or
'YYYY-MM-DDTHH:MM[:SS]', with a precision where the date is a month or approximate.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from reviewer_tui.errors import DateProblem
from reviewer_tui.validators import check_text

PRECISIONS: tuple[tuple[str, str], ...] = (
    ("exact", "Exact time"),
    ("day", "Day"),
    ("month", "Month only"),
    ("approximate", "Approximate"),
    ("approximate month", "Approximate month"),
)

# The messages' advice, by what the field needs.
HOW_TO_WRITE = "write it as dd/mm/yyyy, 3 May 2024 or 2024-05-03"
HINTS = {
    "optional": HOW_TO_WRITE + " (add a time like 14:30 if known)",
    "required": HOW_TO_WRITE + ", with a time like 14:30",
    "never": HOW_TO_WRITE,
}
# The help under the chronology's date field: every form, in a line.
WHEN_HELP = (
    "dd/mm/yyyy, dd/mm/yy, 3 May 2024 or 2024-05-03; add a time (14:30) if known; "
    "'May 2024' when only the month is known; 'c. 3 May 2024' when approximate."
)


@dataclass(frozen=True)
class When:
    when: str  # 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM[:SS]'
    precision: str | None  # None when implied by `when` (a time means exact, a date means day)

    def display(self) -> str:
        return display_when(self.when, self.precision)


_MONTH_ABBR = (
    "",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_APPROX = re.compile(r"^(?:c\.|ca\.|circa|approx\.?|approximately|about|around|~|c(?=\s))\s*", re.I)
_ISO_WITH_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})T(.+)$")
_ISO_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_TIME = re.compile(
    r"(?:^|[\sT,@]+)(?:at\s+)?(\d{1,2})(?:[:.](\d{2})(?::(\d{2}))?)?\s*(am|pm|hrs|h)?$", re.I
)
_TIME_HHMM_HRS = re.compile(r"(?:^|[\s,]+)(\d{2})(\d{2})\s*hrs?$", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d+)$")
_NUMERIC_NO_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d+)$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)$")
_STORED = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?))?$")


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _year(text: str, original: str, today: dt.date, hint: str) -> int:
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        # dd/mm/yy is the proforma's own format. A two-digit year is this century unless that
        # would be more than a year in the future; then it is the last century.
        year = 2000 + int(text)
        return year if year <= today.year + 1 else year - 100
    raise DateProblem(f"'{original}': the year '{text}' is not a year; {hint}")


def _month(name: str, original: str, hint: str) -> int:
    month = _MONTHS.get(name.lower().rstrip("."))
    if month is None:
        raise DateProblem(f"'{original}': '{name}' is not a month; {hint}")
    return month


def _real_date(year: int, month: int, day: int, original: str, hint: str) -> dt.date:
    if not 1 <= month <= 12:
        raise DateProblem(f"'{original}': there is no month {month}; {hint}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateProblem(
            f"'{original}' is not a date: {calendar.month_name[month]} {year} has "
            f"{days} days, so the {_ordinal(day)} is impossible"
        )
    return dt.date(year, month, day)


def _parse_time(
    hour: str, minute: str | None, second: str | None, suffix: str | None, original: str
) -> str:
    h = int(hour)
    m = int(minute) if minute else 0
    suffix = (suffix or "").lower()
    if suffix in ("am", "pm"):
        if not 1 <= h <= 12:
            raise DateProblem(f"'{original}': {hour}{suffix} is not a time")
        h = h % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= h <= 23 and 0 <= m <= 59 and (second is None or 0 <= int(second) <= 59)):
        raise DateProblem(f"'{original}': {hour}:{minute or '00'} is not a time of day")
    return f"{h:02d}:{m:02d}" + (f":{int(second):02d}" if second else "")


def parse(
    text: str, today: dt.date | None = None, *, time: str = "optional", vague: bool = True
) -> When:
    """Any accepted form (see the module) -> When. `time` is what the field needs: "optional",
    "required" or "never"; `vague` False refuses a month-only or approximate date. Raises
    DateProblem."""
    today = today or dt.date.today()
    hint = HINTS[time]
    original = check_text(text, "date").strip()
    if not original:
        raise DateProblem("no date given; " + hint)
    rest = " ".join(original.split())
    if " /" in rest or "/ " in rest:  # '14 / 07 / 2025'
        rest = re.sub(r"\s*/\s*", "/", rest)
    approximate = False
    match = _APPROX.match(rest)
    if match:
        approximate = True
        rest = rest[match.end() :].strip()

    clock: str | None = None
    iso_dt = _ISO_WITH_TIME.match(rest)
    if iso_dt:
        rest, time_text = iso_dt.group(1), iso_dt.group(2)
        tm = _ISO_TIME.match(time_text)
        if not tm:
            raise DateProblem(f"'{original}': '{time_text}' is not a time; write it as 14:30")
        clock = _parse_time(tm.group(1), tm.group(2), tm.group(3), None, original)
    else:
        hrs = _TIME_HHMM_HRS.search(rest)
        tm = _TIME.search(rest) if hrs is None else None
        # A bare number at the end is a year or a day, not a time: only take it as a time
        # when it has minutes or am/pm.
        if hrs is not None:
            clock = _parse_time(hrs.group(1), hrs.group(2), None, None, original)
            rest = rest[: hrs.start()].strip()
        elif (
            tm is not None
            and (tm.group(2) is not None or (tm.group(4) or "").lower() in ("am", "pm"))
            and tm.start() > 0
        ):
            clock = _parse_time(tm.group(1), tm.group(2), tm.group(3), tm.group(4), original)
            rest = rest[: tm.start()].strip().rstrip(",").strip()

    month_only = False
    if m := _ISO.match(rest):
        day = _real_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), original, hint)
    elif m := _ISO_MONTH.match(rest):
        day = _real_date(int(m.group(1)), int(m.group(2)), 1, original, hint)
        month_only = True
    elif m := _NUMERIC.match(rest):
        d, mo = int(m.group(1)), int(m.group(3))
        if mo > 12 and d <= 12:
            raise DateProblem(
                f"'{original}' is ambiguous: it reads as month {mo}, so it may be "
                f"written month first; {hint}"
            )
        day = _real_date(_year(m.group(4), original, today, hint), mo, d, original, hint)
    elif _NUMERIC_NO_YEAR.match(rest) or _DAY_MONTH.match(rest):
        raise DateProblem(f"'{original}' is ambiguous: it has no year; {hint}")
    elif m := _DAY_MONTH_YEAR.match(rest):
        day = _real_date(
            _year(m.group(3), original, today, hint),
            _month(m.group(2), original, hint),
            int(m.group(1)),
            original,
            hint,
        )
    elif m := _MONTH_DAY_YEAR.match(rest):
        day = _real_date(
            int(m.group(3)), _month(m.group(1), original, hint), int(m.group(2)), original, hint
        )
    elif m := _MONTH_YEAR.match(rest):
        day = _real_date(int(m.group(2)), _month(m.group(1), original, hint), 1, original, hint)
        month_only = True
    else:
        try:  # the rest of ISO 8601 that Python reads: 20240503, 2024-W18-5
            day = dt.date.fromisoformat(rest)
        except ValueError:
            raise DateProblem(f"'{original}' is not a date we can read; {hint}") from None

    if month_only:
        if clock is not None:
            raise DateProblem(f"'{original}' gives a time but no day; {hint}")
        if not vague:
            raise DateProblem(f"'{original}' gives no day: give the day as well; {hint}")
        return When(day.isoformat(), "approximate month" if approximate else "month")
    if approximate and not vague:
        raise DateProblem(f"'{original}' is approximate: give the exact date here; {hint}")
    if clock is not None and time == "never":
        raise DateProblem(f"'{original}' has a time: give the date alone; {hint}")
    if clock is None and time == "required":
        raise DateProblem(f"'{original}' has no time: give a date and a time; {hint}")
    when = day.isoformat() + (f"T{clock}" if clock else "")
    return When(when, "approximate" if approximate else None)


def parse_day(text: str, today: dt.date | None = None) -> dt.date | None:
    """A form's date field: one exact day, no time. Empty means not yet (None)."""
    if not text.strip():
        return None
    return dt.date.fromisoformat(parse(text, today, time="never", vague=False).when)


def parse_local(
    text: str,
    what: str = "date",
    *,
    time: str = "optional",
    required: bool = False,
    today: dt.date | None = None,
) -> str:
    """A date or a local date-time written the bundle's way ('YYYY-MM-DD' or
    'YYYY-MM-DDTHH:MM[:SS]'), exact (no month-only or approximate dates). Empty means not yet
    ('') unless `required`; `time` as for `parse`."""
    if not check_text(text, what).strip():
        if required:
            raise DateProblem(f"The {what} is needed; {HINTS[time]}")
        return ""
    return parse(text, today, time=time, vague=False).when


def check_stored(when: str, precision: str | None) -> None:
    """The stored form the bundle schema allows, with a real calendar date; raises DateProblem."""
    match = _STORED.match(when or "")
    if not match:
        raise DateProblem(f"'{when}' is not a stored date: YYYY-MM-DD or YYYY-MM-DDTHH:MM")
    try:
        dt.date.fromisoformat(match.group(1))
        if match.group(2):
            dt.time.fromisoformat(match.group(2))
    except ValueError:
        raise DateProblem(f"'{when}' is not a real date or time") from None
    if precision not in (None, *(p for p, _ in PRECISIONS)):
        raise DateProblem(f"'{precision}' is not a date precision")
    if precision == "exact" and not match.group(2):
        raise DateProblem("An exact date needs a time.")
    if precision in ("day", "month", "approximate month") and match.group(2):
        raise DateProblem(f"A date known to the {precision} has no time.")


def split_when(when: str) -> tuple[str, str]:
    """('YYYY-MM-DD', 'HH:MM[:SS]' or '' for start of day)."""
    date_part, _, time_part = when.partition("T")
    return date_part, time_part


def effective_precision(when: str, precision: str | None) -> str:
    if precision:
        return precision
    return "exact" if "T" in when else "day"


def display_when(when: str, precision: str | None) -> str:
    """'3 May 2024', '3 May 2024 14:30', 'Feb 2025' (month), 'c. 15 Feb 2025' (approximate),
    'c. Feb 2025' (approximate month)."""
    date_part, time_part = split_when(when)
    try:
        day = dt.date.fromisoformat(date_part)
    except ValueError:
        return when
    kind = effective_precision(when, precision)
    month = _MONTH_ABBR[day.month]  # not strftime: locale-free and several times faster
    if kind == "month":
        return f"{month} {day.year}"
    if kind == "approximate month":
        return f"c. {month} {day.year}"
    text = f"{day.day} {month} {day.year}" + (f" {time_part[:5]}" if time_part else "")
    return f"c. {text}" if kind == "approximate" else text


def edit_text(when: str, precision: str | None) -> str:
    """What the reviewer sees when editing: `parse` reads it back to the same value."""
    date_part, time_part = split_when(when)
    kind = effective_precision(when, precision)
    if kind == "month":
        return date_part[:7]
    if kind == "approximate month":
        return f"c. {date_part[:7]}"
    text = date_part + (f" {time_part}" if time_part else "")
    return f"c. {text}" if kind == "approximate" else text


_IN_TEXT = re.compile(  # a date, a month or a year inside free text
    r"(?P<numeric>\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b)"
    r"|(?P<iso>\b\d{4}-\d{1,2}(?:-\d{1,2})?\b)"
    r"|(?P<words>(?:\b\d{1,2}(?:st|nd|rd|th)?\s+)?\b(?:"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?,?\s+\d{4}\b)"
    r"|(?P<year>\b(?:19|20)\d{2}\b)",
    re.I,
)


def _last_day(year: int, month: int | None) -> dt.date:
    if month is None:
        return dt.date(year, 12, 31)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def latest_date_in(text: str, today: dt.date | None = None) -> dt.date | None:
    """The latest date written anywhere in free text ('Child protection level 3, March 2021'), a
    month or a year read as its last day (the most recent it can mean); None when there is none.
    A name holding a year ('Working Together 2023 - what has changed, February 2024') gives the
    later date."""
    found: list[dt.date] = []
    for match in _IN_TEXT.finditer(text):
        piece = match.group(0)
        if match.group("year"):
            found.append(_last_day(int(piece), None))
            continue
        try:
            when = parse(piece, today)
        except DateProblem:
            continue
        day = dt.date.fromisoformat(when.when[:10])
        precision = effective_precision(when.when, when.precision)
        found.append(_last_day(day.year, day.month) if "month" in precision else day)
    return max(found) if found else None
