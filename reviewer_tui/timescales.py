"""Each review kind's deadlines (seeds 001, 002 and 004), working days, and the delay log.

A deadline runs from a recorded date (the decision to review, the final report...) and is met by
another (the publication date...). Where a seed says "working days" the count skips weekends and
the bank holidays of the kind's nation, shipped in `bank_holidays.json` and replaced or extended
from a file the reviewer supplies (`reviewer-tui holidays import FILE`, kept in the data folder).
Everything counts whole dates, never times, so the clocks changing cannot move a deadline.

A deadline missed, or due within `WARNING_WORKING_DAYS` working days and not yet met, asks for a
reason; the reasons and revised dates are the delay log (models.DelayEntry), shown in the
workspace and printed in the report. Stdlib only (sqlite3): the workspace reads it before
SQLAlchemy is loaded.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer_tui import domain
from reviewer_tui.errors import InputError

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store
    from reviewer_tui.storage import DataFolder

# "About to be missed": due within this many working days, or within the last third of a
# shorter timescale (a five-working-day notice warns on its last working day, not its first).
WARNING_WORKING_DAYS = 5
DIVISIONS = ("england-and-wales", "scotland", "northern-ireland")
USER_HOLIDAYS = "bank_holidays.json"  # in the data folder, written by `holidays import`

# The nation whose bank holidays a kind counts: England and Wales share theirs.
KIND_DIVISION: dict[str, str] = {
    "serious case review": "england-and-wales",
    "child safeguarding practice review": "england-and-wales",
    "critical incident review": "england-and-wales",
    "child practice review (concise)": "england-and-wales",
    "child practice review (extended)": "england-and-wales",
    "significant case review": "scotland",
    "case management review": "northern-ireland",
}

# The dates a deadline runs from or is met by: (column of timescale_dates, label on screen).
DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("incident_known_on", "Serious harm or death known or suspected"),
    ("notified_on", "Panel and safeguarding partners notified"),
    ("referred_on", "Case referred to the board (or its review sub-group, or the CPC)"),
    ("decided_on", "Decision to carry out the review"),
    ("panel_notified_on", "National panel told of the decision"),
    ("published_on", "Report published"),
    ("action_plan_finalised_on", "Action plan finalised"),
)
DATE_LABELS = dict(DATE_FIELDS)


@dataclass(frozen=True)
class Rule:
    """One timescale, in the seed's own words."""

    key: str
    label: str
    kinds: tuple[str, ...]
    start: str  # a date field (see `facts`) the deadline runs from
    met_by: str  # the date field that meets it
    amount: int
    unit: str  # "working days" | "calendar days" | "months"
    seed: str
    quote: str


RULES: tuple[Rule, ...] = (
    Rule(
        "notification",
        "Notify the Panel and safeguarding partners",
        ("child safeguarding practice review", "serious case review"),
        "incident_known_on",
        "notified_on",
        5,
        "working days",
        "002 (England)",
        "Local authorities must: notify the Child Safeguarding Practice Review Panel and the "
        "safeguarding partners in their area (and in other areas if appropriate) within five "
        "working days if they know or suspect that a child has been seriously harmed or died as "
        "a result of abuse or neglect",
    ),
    Rule(
        "decision",
        "Decide whether to carry out a review",
        ("serious case review",),
        "referred_on",
        "decided_on",
        1,
        "months",
        "004",
        "Decisions on whether to initiate a serious case review will normally made within one "
        "month of the WSCB being notified of the incident triggering the threshold.",
    ),
    Rule(
        "panel",
        "Notify the National Panel of the decision",
        ("serious case review",),
        "decided_on",
        "panel_notified_on",
        14,
        "calendar days",
        "004",
        "the National Panel of Independent Experts on serious case reviews will be notified "
        "within 14 days of the WSCB Chair's decision on whether a serious case review is to be "
        "initiated.",
    ),
    Rule(
        "completion",
        "Complete the review (six months)",
        ("serious case review",),
        "commissioned_on",
        "completed_on",
        6,
        "months",
        "001, 004",
        "As per Working Together, the LSCB aim for completion of an SCR within six months of "
        "initiating it.",
    ),
    Rule(
        "completion",
        "Complete and publish the review (six months)",
        ("child practice review (concise)", "child practice review (extended)"),
        "referred_on",
        "published_on",
        6,
        "months",
        "002 (Wales)",
        "The final report is approved and published by the safeguarding children board and "
        "submitted to the Welsh Government. The process will be completed as soon as possible "
        "but usually not more than six months from the date of a referral from the Board to "
        "the Review Sub-Group.",
    ),
    Rule(
        "publication",
        "Publish the report (six months from the decision)",
        ("child safeguarding practice review",),
        "decided_on",
        "published_on",
        6,
        "months",
        "002 (England)",
        "Reports should be published no later than six months after the date of the decision "
        "to carry out a review.",
    ),
    Rule(
        "action-plan",
        "Finalise the action plan (four weeks after the final report)",
        ("child practice review (concise)", "child practice review (extended)"),
        "completed_on",
        "action_plan_finalised_on",
        28,
        "calendar days",
        "002 (Wales)",
        "The action plan is finalised within four weeks of the final report, approved by the "
        "safeguarding children board, and submitted to the Welsh Government.",
    ),
    Rule(
        "initial-reports",
        "Initial case review reports (14 calendar days)",
        ("significant case review",),
        "referred_on",
        "",
        14,
        "calendar days",
        "002 (Scotland)",
        "The CPC requests all relevant agencies who worked with the child and their family to "
        "gather information and submit reports within 14 calendar days.",
    ),
)


# --- bank holidays and working days -------------------------------------------------------------
def _parse_holidays(raw: Any, source: str) -> dict[str, frozenset[dt.date]]:
    """Our layout ({"divisions": {name: [{"date": ...}]}}) or gov.uk's bank-holidays.json
    ({name: {"events": [{"date": ...}]}}). Raises InputError naming the problem."""
    if not isinstance(raw, dict):
        raise InputError(f"{source}: not a bank holiday file (expected a JSON object).")
    divisions = raw.get("divisions", raw)
    if not isinstance(divisions, dict):
        raise InputError(f"{source}: 'divisions' should be an object of nations.")
    out: dict[str, frozenset[dt.date]] = {}
    for name, entries in divisions.items():
        if name not in DIVISIONS:
            if name in ("source",):
                continue
            raise InputError(
                f"{source}: '{name}' is not a nation this app knows (use {', '.join(DIVISIONS)})."
            )
        if isinstance(entries, dict):
            entries = entries.get("events")
        if not isinstance(entries, list):
            raise InputError(f"{source}: the holidays of '{name}' should be a list.")
        days = set()
        for n, entry in enumerate(entries, start=1):
            value = entry.get("date") if isinstance(entry, dict) else entry
            try:
                days.add(dt.date.fromisoformat(str(value)))
            except ValueError:
                raise InputError(
                    f"{source}: holiday {n} of '{name}' has the date {value!r}; "
                    "write dates as YYYY-MM-DD."
                ) from None
        out[name] = frozenset(days)
    if not out:
        raise InputError(f"{source}: no bank holidays found.")
    return out


@cache
def shipped_holidays() -> dict[str, frozenset[dt.date]]:
    text = resources.files("reviewer_tui").joinpath(USER_HOLIDAYS).read_text(encoding="utf-8")
    return _parse_holidays(json.loads(text), "the shipped bank holidays")


def read_holiday_file(path: Path) -> dict[str, frozenset[dt.date]]:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc}).") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON (line {exc.lineno}: {exc.msg}).") from None
    return _parse_holidays(raw, str(path))


def holidays(folder: Path | None = None) -> dict[str, frozenset[dt.date]]:
    """The shipped bank holidays with the reviewer's imported ones added (a bad imported file is
    ignored here: `holidays import` refused it before writing)."""
    merged = {k: set(v) for k, v in shipped_holidays().items()}
    own = Path(folder) / USER_HOLIDAYS if folder is not None else None
    if own is not None and own.is_file():
        try:
            for name, days in read_holiday_file(own).items():
                merged.setdefault(name, set()).update(days)
        except InputError:
            pass
    return {k: frozenset(v) for k, v in merged.items()}


def import_holidays(data_dir: Path, source: Path) -> dict[str, int]:
    """Check `source` and keep its holidays in the data folder, added to any imported before.
    Returns how many dates each nation now has from the reviewer's files. Nothing is written
    when the file is refused."""
    from reviewer_tui.storage import write_atomically

    new = read_holiday_file(source)
    target = Path(data_dir) / USER_HOLIDAYS
    kept: dict[str, set[dt.date]] = {}
    if target.is_file():
        try:
            kept = {k: set(v) for k, v in read_holiday_file(target).items()}
        except InputError:
            kept = {}
    for name, days in new.items():
        kept.setdefault(name, set()).update(days)
    payload = {
        "source": f"imported from {Path(source).name}",
        "divisions": {
            name: [{"date": d.isoformat()} for d in sorted(days)] for name, days in kept.items()
        },
    }
    text = json.dumps(payload, indent=1) + "\n"
    write_atomically(target, lambda handle: handle.write(text.encode("utf-8")))
    return {name: len(days) for name, days in kept.items()}


def is_working_day(day: dt.date, holidays_of: Iterable[dt.date]) -> bool:
    return day.weekday() < 5 and day not in set(holidays_of)


def add_working_days(start: dt.date, n: int, holidays_of: frozenset[dt.date]) -> dt.date:
    """The nth working day after `start` (start itself not counted)."""
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays_of:
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, holidays_of: frozenset[dt.date]) -> int:
    """Working days after `start` up to and including `end` (negative when end is earlier)."""
    if end < start:
        return -working_days_between(end, start, holidays_of)
    return sum(
        1
        for i in range(1, (end - start).days + 1)
        if (start + dt.timedelta(days=i)).weekday() < 5
        and start + dt.timedelta(days=i) not in holidays_of
    )


def due_date(rule: Rule, start: dt.date, holidays_of: frozenset[dt.date]) -> dt.date:
    if rule.unit == "working days":
        return add_working_days(start, rule.amount, holidays_of)
    if rule.unit == "months":
        return domain.add_months(start, rule.amount)
    return start + dt.timedelta(days=rule.amount)


# --- the deadlines of one review ----------------------------------------------------------------
@dataclass(frozen=True)
class DelayLine:
    id: int
    deadline: str
    label: str
    due: dt.date | None
    reason: str
    revised_due: dt.date | None
    recorded_on: dt.date | None


@dataclass(frozen=True)
class Timescale:
    key: str
    label: str
    rule: Rule | None  # None for the reviewer's own target completion date
    start: dt.date | None  # None: the date it runs from is not recorded yet
    due: dt.date | None
    met_on: dt.date | None
    revised_due: dt.date | None  # the latest revised date in the delay log
    state: str  # "waiting" | "met" | "met late" | "on time" | "due soon" | "missed"
    status: str  # what the reviewer reads
    needs_reason: bool  # missed or about to be, and no reason given for it yet
    delays: tuple[DelayLine, ...] = ()

    @property
    def line(self) -> str:
        due = domain.format_date(self.due) if self.due else "—"
        return f"{self.label}: {due} ({self.status})"


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def facts(conn: sqlite3.Connection, review_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT r.review_type, r.commissioned_on, s.target_completion, d.submitted_on, "
        "c.finalised_on FROM review r LEFT JOIN scope s ON s.review_id = r.id "
        "LEFT JOIN report_details d ON d.review_id = r.id "
        "LEFT JOIN closing_steps c ON c.review_id = r.id WHERE r.id = ?",
        (review_id,),
    ).fetchone()
    if row is None:
        return None
    kind, commissioned, target, submitted, finalised = row
    out: dict[str, Any] = {
        "kind": kind,
        "commissioned_on": _date(commissioned),
        "target_completion": _date(target),
        "submitted_on": _date(submitted),
        # The final report: finalised (seed 000 next steps) or, failing that, submitted.
        "completed_on": _date(finalised) or _date(submitted),
    }
    names = [name for name, _ in DATE_FIELDS]
    dates = conn.execute(
        f"SELECT {', '.join(names)} FROM timescale_dates WHERE review_id = ?", (review_id,)
    ).fetchone()
    for name, value in zip(names, dates or (None,) * len(names), strict=True):
        out[name] = _date(value)
    out["delays"] = [
        DelayLine(i, key, label, _date(due), reason, _date(revised), _date(recorded))
        for i, key, label, due, reason, revised, recorded in conn.execute(
            "SELECT id, deadline, label, due, reason, revised_due, recorded_on FROM delay_entry "
            "WHERE review_id = ? ORDER BY position, id",
            (review_id,),
        )
    ]
    return out


def _judge(
    due: dt.date,
    met_on: dt.date | None,
    delays: tuple[DelayLine, ...],
    today: dt.date,
    holidays_of: frozenset[dt.date],
    start: dt.date | None = None,
) -> tuple[str, str, bool, dt.date | None]:
    """(state, status, needs a reason, latest revised date). A deadline not met is judged
    against its latest revised date. A reason answers the date it was given for; a revised date
    that is itself missed asks again."""
    revised = next((d.revised_due for d in reversed(delays) if d.revised_due), None)
    if met_on is not None:
        if met_on <= due:
            return "met", f"met {domain.format_date(met_on)}", False, revised
        late = (met_on - due).days
        status = f"met {domain.format_date(met_on)}, {late} day{'s' if late != 1 else ''} late"
        return "met late", status, not delays, revised
    effective = revised or due
    prefix = f"revised to {domain.format_date(revised)}: " if revised else ""
    answered = any(d.due == effective for d in delays) or (revised is not None and today <= revised)
    if today > effective:
        text = domain.days_left_text(effective, today)
        return "missed", prefix + (text if answered else text.upper()), not answered, revised
    left = working_days_between(today, effective, holidays_of)
    text = domain.days_left_text(effective, today)
    if left <= warning_window(start, due, holidays_of):
        text += f", {left} working day{'s' if left != 1 else ''}"
        return "due soon", prefix + text, not answered, revised
    return "on time", prefix + text, False, revised


def warning_window(start: dt.date | None, due: dt.date, holidays_of: frozenset[dt.date]) -> int:
    if start is None:
        return WARNING_WORKING_DAYS
    return min(WARNING_WORKING_DAYS, max(1, working_days_between(start, due, holidays_of) // 3))


def review_timescales(
    conn: sqlite3.Connection,
    review_id: int,
    today: dt.date,
    holiday_folder: Path | None = None,
) -> list[Timescale]:
    """The reviewer's target completion date, then every timescale the kind's seeds set."""
    known = facts(conn, review_id)
    if known is None:
        return []
    kind = known["kind"]
    holidays_of = holidays(holiday_folder).get(
        KIND_DIVISION.get(kind, "england-and-wales"), frozenset()
    )
    delays_by_key: dict[str, list[DelayLine]] = {}
    for line in known["delays"]:
        delays_by_key.setdefault(line.deadline, []).append(line)
    out: list[Timescale] = []
    target = known["target_completion"] or domain.default_target(kind, known["commissioned_on"])
    if target is not None:
        delays = tuple(delays_by_key.get("target", ()))
        if known["submitted_on"]:
            out.append(
                Timescale(
                    "target",
                    "Target completion",
                    None,
                    known["commissioned_on"],
                    target,
                    known["submitted_on"],
                    None,
                    "met",
                    f"report submitted {domain.format_date(known['submitted_on'])}",
                    False,
                    delays,
                )
            )
        else:
            state, status, needs, revised = _judge(
                target, None, delays, today, holidays_of, known["commissioned_on"]
            )
            out.append(
                Timescale(
                    "target",
                    "Target completion",
                    None,
                    known["commissioned_on"],
                    target,
                    None,
                    revised,
                    state,
                    status,
                    needs,
                    delays,
                )
            )
    for rule in RULES:
        if kind not in rule.kinds:
            continue
        start = known.get(rule.start)
        if rule.key == "initial-reports" and start is None:
            start = known["commissioned_on"]  # the review began with the CPC's notification
        delays = tuple(delays_by_key.get(rule.key, ()))
        if start is None:
            out.append(
                Timescale(
                    rule.key,
                    rule.label,
                    rule,
                    None,
                    None,
                    None,
                    None,
                    "waiting",
                    f"record the date: {_start_label(rule.start)}",
                    False,
                    delays,
                )
            )
            continue
        due = due_date(rule, start, holidays_of)
        met_on = known.get(rule.met_by) if rule.met_by else None
        state, status, needs, revised = _judge(due, met_on, delays, today, holidays_of, start)
        out.append(
            Timescale(
                rule.key,
                rule.label,
                rule,
                start,
                due,
                met_on,
                revised,
                state,
                status,
                needs,
                delays,
            )
        )
    return out


def _start_label(name: str) -> str:
    return {
        "commissioned_on": "date commissioned",
        "completed_on": "date the final report was finalised or submitted",
    }.get(name, DATE_LABELS.get(name, name).lower())


def delay_log(conn: sqlite3.Connection, review_id: int) -> list[DelayLine]:
    known = facts(conn, review_id)
    return list(known["delays"]) if known else []


def timescales_now(folder: DataFolder, review_id: int, today: dt.date) -> list[Timescale]:
    conn = folder.connect()  # one short stdlib connection, as the read model reads
    try:
        return review_timescales(conn, review_id, today, folder.path)
    finally:
        conn.close()


# --- writing ------------------------------------------------------------------------------------
def ensure_dates(store: Store, review_id: int) -> None:
    """The review's row of timescale dates, made the first time it is needed."""
    from reviewer_tui import models as m

    with store.session() as session:
        if session.get(m.TimescaleDates, review_id) is None:
            session.add(m.TimescaleDates(review_id=review_id))
            session.commit()


def record_delay(
    store: Store,
    review_id: int,
    timescale: Timescale,
    reason: str,
    revised_due: dt.date | None,
    today: dt.date,
) -> int:
    """Add a line to the delay log. A reason is required; a revised date, where given, must be
    after the date it revises."""
    from reviewer_tui import models as m
    from reviewer_tui.validators import check_text

    reason = check_text(reason, "reason").strip()
    if not reason:
        raise InputError("Give the reason for the delay; nothing was recorded.")
    current = timescale.revised_due or timescale.due
    if revised_due is not None and current is not None and revised_due <= current:
        raise InputError(
            f"The revised date ({domain.format_date(revised_due)}) must be after the date it "
            f"revises ({domain.format_date(current)}); nothing was recorded."
        )
    row = store.add_row(
        m.DelayEntry,
        review_id,
        deadline=timescale.key,
        label=timescale.label,
        due=current,
        reason=reason,
        revised_due=revised_due,
        recorded_on=today,
    )
    return m.stored_id(row)
