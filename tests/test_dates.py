"""One date parser: every field that takes a date or a time (forms, the new-review dialog, the
meeting, escalations, interview times, the chronology and its import) accepts the same forms and
answers a bad one with the same message; each field only adds what it needs (a time, a day)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewer_tui import chronology as ch
from reviewer_tui import dates
from reviewer_tui.errors import DateProblem, InputError

TODAY = dt.date(2025, 9, 1)
days = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))
times = st.tuples(st.integers(0, 23), st.integers(0, 59))


@given(days)
def test_a_day_round_trips_in_every_written_form(day: dt.date) -> None:
    month = calendar.month_name[day.month]
    for text in (
        day.isoformat(),
        f"{day.day}/{day.month}/{day.year:04d}",
        f"{day.day:02d}.{day.month:02d}.{day.year:04d}",
        f"{day.day} {month} {day.year:04d}",
        f"{month[:3]} {day.day}, {day.year:04d}",
        f"{day:%Y%m%d}",
        f" {day.day} / {day.month} / {day.year:04d} ",
    ):
        assert dates.parse(text, TODAY) == dates.When(day.isoformat(), None), text
        assert dates.parse_day(text, TODAY) == day, text
        assert dates.parse_local(text, today=TODAY) == day.isoformat(), text


@given(days, times)
def test_a_date_and_time_round_trip(day: dt.date, hm: tuple[int, int]) -> None:
    hour, minute = hm
    stored = f"{day.isoformat()}T{hour:02d}:{minute:02d}"
    twelve = f"{hour % 12 or 12}.{minute:02d}{'pm' if hour >= 12 else 'am'}"
    for text in (
        stored,
        f"{day.isoformat()} {hour:02d}:{minute:02d}",
        f"{day:%d/%m/%Y} {hour}:{minute:02d}",
        f"{day.day} {day:%b} {day.year:04d} {twelve}",
        f"{day:%d/%m/%Y} {hour:02d}{minute:02d}hrs",
    ):
        assert dates.parse(text, TODAY) == dates.When(stored, None), text
        assert dates.parse_local(text, time="required", today=TODAY) == stored, text
        dates.check_stored(stored, None)


@given(st.dates(min_value=dt.date(1927, 1, 1), max_value=dt.date(2026, 12, 31)))
def test_two_digit_years_fall_in_the_hundred_years_up_to_next_year(day: dt.date) -> None:
    assert dates.parse_day(f"{day:%d/%m/%y}", TODAY) == day


@given(days, times, st.sampled_from([None, "exact", "day", "month", "approximate"]))
def test_what_is_stored_reads_back_the_same_when_edited(
    day: dt.date, hm: tuple[int, int], precision: str | None
) -> None:
    if precision == "month":
        when = day.replace(day=1).isoformat()
    elif precision in ("day",) or (precision is None and hm[0] % 2):
        when = day.isoformat()
    else:
        when = f"{day.isoformat()}T{hm[0]:02d}:{hm[1]:02d}"
    dates.check_stored(when, precision)
    again = dates.parse(dates.edit_text(when, precision), TODAY)
    assert again.when == when
    assert dates.effective_precision(again.when, again.precision) == dates.effective_precision(
        when, precision
    )


# Every place that reads a typed date, and what it needs beyond a readable date.
FIELDS = {
    "form date": lambda text: dates.parse_day(text, TODAY),
    "meeting or escalation": lambda text: dates.parse_local(text, "meeting date", today=TODAY),
    "interview time": lambda text: dates.parse_local(
        text, "interview time", time="required", today=TODAY
    ),
    "chronology": lambda text: dates.parse(text, TODAY),
}


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2025",
        "13/13/2025",
        "yesterday",
        "3 Mai 2025",
        "05/23/2025",
        "1/2/3",
        "3 May 2025 25:00",
        "14/07/202",
    ],
)
def test_a_bad_date_gets_the_same_answer_everywhere(text: str) -> None:
    answers = []
    for read in FIELDS.values():
        with pytest.raises(InputError) as caught:
            read(text)
        answers.append(str(caught.value).split(";")[0])
    assert len(set(answers)) == 1, answers
    assert answers[0].startswith(f"'{text}'")


def test_an_impossible_day_says_why() -> None:
    with pytest.raises(DateProblem) as caught:
        dates.parse_day("31/02/2025")
    assert (
        str(caught.value)
        == "'31/02/2025' is not a date: February 2025 has 28 days, so the 31st is impossible"
    )


@pytest.mark.parametrize(
    ("field", "text", "says"),
    [
        ("form date", "3 May 2025 10:00", "'3 May 2025 10:00' has a time: give the date alone"),
        ("form date", "May 2025", "'May 2025' gives no day"),
        ("form date", "c. 3 May 2025", "'c. 3 May 2025' is approximate: give the exact date"),
        ("meeting or escalation", "May 2025", "'May 2025' gives no day"),
        ("interview time", "2025-08-05", "'2025-08-05' has no time: give a date and a time"),
        ("chronology", "May 2024 10:00", "'May 2024 10:00' gives a time but no day"),
    ],
)
def test_each_field_says_what_it_needs(field: str, text: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        FIELDS[field](text)


def test_empty_means_not_yet_unless_the_field_is_required() -> None:
    assert dates.parse_day("  ") is None
    assert dates.parse_local("  ") == ""
    with pytest.raises(InputError, match="The date raised is needed"):
        dates.parse_local("", "date raised", required=True)
    with pytest.raises(DateProblem, match="no date given"):
        dates.parse("")


def test_every_field_accepts_what_the_chronology_accepts(store) -> None:  # noqa: ANN001
    """Forms that took only 2025-07-14 or 14/07/2025 now take the chronology's forms too, and the
    chronology takes the forms' basic ISO dates: one set of accepted forms."""
    from reviewer_tui import actions, meeting
    from reviewer_tui import models as m
    from reviewer_tui.screens.forms import Spec, parse_field

    assert parse_field(Spec("commissioned_on", "Commissioned", "date"), "3rd May 2025") == dt.date(
        2025, 5, 3
    )
    rid = store.create_review("Dates", "internal case review", "concern")
    meeting.set_meeting_when(store, rid, "3 Sept 2025 2.30pm")
    assert store.get(m.Meeting, rid).held_on == "2025-09-03T14:30"
    escalation = actions.add_escalation(store, rid, "safeguarding concern", "14/07/25")
    assert store.get(m.Escalation, escalation).raised_on == "2025-07-14"
    assert (
        ch.add_entry(store, rid, dates.parse("20250714 0930hrs", TODAY).when).when
        == "2025-07-14T09:30"
    )
