"""Interviews as an iCalendar (.ics) file: one event per scheduled interview.

Times are stored as the local wall-clock time the reviewer typed (Europe/London). Each event
carries `DTSTART;TZID=Europe/London` with a VTIMEZONE that states both British Summer Time and
Greenwich Mean Time rules, so 23:30 on a summer evening stays 23:30 in any calendar (and is
22:30 UTC). RFC 5545: CRLF line ends, lines folded at 75 octets, text escaped.

The summary names the interviewee by their role pseudonym where one is set, because calendar
files often leave the laptop (synced calendars); the real name is used only when no pseudonym is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer_tui import interviews as iv

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

TZID = "Europe/London"
PRODID = "-//reviewer-tui//interviews//EN"

_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZNAME:BST",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "DTSTART:19810329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZNAME:GMT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "DTSTART:19961027T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold one content line at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = " " + char
            limit = 75
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def build_calendar(store: Store, review_id: int, stamp: dt.datetime | None = None) -> str:
    from reviewer_tui.models import Interview, Person, Review

    review = store.get(Review, review_id)
    people = {p.id: p for p in store.rows(Person, review_id)}
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *_VTIMEZONE,
    ]
    for row in store.rows(Interview, review_id):
        start = iv.local_start(row.scheduled_for)
        if start is None:
            continue
        end = start + dt.timedelta(minutes=row.duration_minutes or iv.DEFAULT_DURATION)
        person = people.get(row.person_id)
        who = (person.pseudonym or person.full_name) if person else "interviewee"
        description = [f"Review: {review.title}"]
        if row.recording_method:
            description.append(f"Recording: {row.recording_method}")
        if row.note_taker:
            description.append(f"Note taker: {row.note_taker}")
        if row.at_normal_workplace:
            description.append("Note: at the interviewee's normal place of work.")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{review_id}-{row.key}@reviewer-tui",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;TZID={TZID}:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={TZID}:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{escape_text(f'Interview: {who}')}",
        ]
        if row.location:
            lines.append(f"LOCATION:{escape_text(row.location)}")
        lines += [f"DESCRIPTION:{escape_text(chr(10).join(description))}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def export_calendar(store: Store, review_id: int, target: Path) -> Path:
    from reviewer_tui.storage import write_atomically

    raw = build_calendar(store, review_id).encode("utf-8")
    write_atomically(Path(target), lambda handle: handle.write(raw))
    return Path(target)
