"""The rules on stored values, one place for each: the store applies them on every write.

`Store.session()` runs `check_session` before each flush, so a value is checked the same way
whether it comes from a screen, the CLI, a bundle import or any core function: a refused value
raises InputError with the message the screens show, and nothing is stored. Writes that bypass
the ORM (the chronology import's executemany) call `check_values` themselves. A check may also
turn what was typed into the stored value ("90" minutes -> 90, "" -> not set), so a screen can
hand over the text as typed and preview the result with `check`.

Standard library only, keyed by table name, so importing this costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from reviewer_tui import domain
from reviewer_tui.errors import InputError


def check_text(value: str, what: str = "text") -> str:
    """Any Unicode a user can type is kept exactly; lone surrogates cannot be stored (rule 12)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start]
        raise InputError(
            f"The {what} contains a broken character (U+{ord(bad):04X}, half of a surrogate pair) "
            f"at position {exc.start + 1}; it cannot be stored. Retype that character."
        ) from None
    return value


Check = Callable[[Any], Any]

MAX_INTERVIEW_MINUTES = 24 * 60


def required(message: str) -> Check:
    """Refuse a missing value (None, or text that is only spaces) with `message`."""

    def check(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise InputError(message)
        return value

    return check


def whole_number(
    message: str,
    low: int | None = None,
    high: int | None = None,
    range_message: str = "",
    missing: str = "",
) -> Check:
    """A whole number between `low` and `high` (either may be open), from an int or its digits.
    Empty means not set (None) unless `missing` names the message for a required value."""

    def check(value: Any) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if missing:
                raise InputError(missing)
            return None
        if isinstance(value, bool):
            raise InputError(message)
        if isinstance(value, str):
            text = value.strip()
            if not text.lstrip("-").isdigit():
                raise InputError(message)
            value = int(text)
        if not isinstance(value, int):
            raise InputError(message)
        if (low is not None and value < low) or (high is not None and value > high):
            raise InputError(range_message or message)
        return value

    return check


_LEVELS = (min(domain.FAMILY_INVOLVEMENT_LEVELS), max(domain.FAMILY_INVOLVEMENT_LEVELS))
_LEVEL_RANGE = (
    f"The level is a step of the family involvement ladder, {_LEVELS[0]} to {_LEVELS[1]}."
)


def one_of(choices: tuple[str, ...], message: str, blank: bool = False) -> Check:
    """One of `choices` (or "" when `blank` is allowed)."""

    def check(value: Any) -> Any:
        if (blank and value in ("", None)) or value in choices:
            return value
        raise InputError(message)

    return check


# table -> column -> check. The messages are the ones the screens show.
RULES: dict[str, dict[str, Check]] = {
    "review": {
        "review_type": required(
            "A review always has a kind: choose one from the list (Not set cannot be stored)."
        ),
        "criterion": required(
            "A review always has a criterion: choose concern or progressing well (Not set "
            "cannot be stored)."
        ),
    },
    "family_contact": {
        "date": required("A contact needs its date."),
        "level": whole_number(_LEVEL_RANGE, *_LEVELS, missing="A contact needs its level."),
    },
    "scope": {
        "family_involvement_level": whole_number(_LEVEL_RANGE, *_LEVELS),
    },
    "limiting_factors_review": {
        "date": required("A reconsideration needs its date."),
    },
    "recommendation_progress": {
        "date": required("A progress note needs its date."),
    },
    "meeting_other_attendee": {
        "name": required("An attendee needs a name (delete the row instead)."),
    },
    "interview": {
        "duration_minutes": whole_number(
            "The length is a whole number of minutes.",
            1,
            MAX_INTERVIEW_MINUTES,
            f"The length is between 1 and {MAX_INTERVIEW_MINUTES} minutes.",
        ),
    },
    "draft_item": {
        "kind": one_of(
            domain.DRAFT_ITEM_KINDS,
            "A returned-draft item is one of: " + ", ".join(domain.DRAFT_ITEM_KINDS) + ".",
        ),
        "resolution": one_of(
            domain.DRAFT_RESOLUTIONS,
            "An item is resolved as one of: " + ", ".join(domain.DRAFT_RESOLUTIONS) + ".",
            blank=True,
        ),
    },
    "chronology_entry": {
        "sequence": whole_number("The sequence is a whole number: 0, 1, 2...", 0),
    },
}


def check(table: str, column: str, value: Any) -> Any:
    """The value to store in `table.column`, or InputError saying why it cannot be stored."""
    rule = RULES.get(table, {}).get(column)
    return value if rule is None else rule(value)


def check_values(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every value of one row checked (for writes that do not go through the ORM)."""
    return {column: check(table, column, value) for column, value in values.items()}


def check_session(session: Any, flush_context: Any = None, instances: Any = None) -> None:
    """SQLAlchemy `before_flush`: check every ruled column of each new row, and each changed
    ruled column of each changed row (an untouched old value never blocks another edit), then
    that no row points into another review."""
    from sqlalchemy import inspect

    new = session.new  # made afresh on each read: once, not once per column of each row
    for row in (*new, *session.dirty):
        table = getattr(row, "__tablename__", None)
        rules = RULES.get(table) if isinstance(table, str) else None
        if not rules:
            continue
        state = inspect(row)
        for column, rule in rules.items():
            if row in new or state.attrs[column].history.has_changes():
                value = getattr(row, column)
                checked = rule(value)
                if checked is not value and checked != value:
                    setattr(row, column, checked)

    refuse_rows_of_another_review(session)


@dataclass(frozen=True)
class _SameReview:
    """One rule of models.SAME_REVIEW, resolved to the models it joins."""

    owner: str
    owner_model: Any  # None when the row's own review_id says its review
    column: str
    target_model: Any
    what: str  # the pointed-at row, as the message names it


@cache
def _same_review_rules() -> dict[type[Any], _SameReview]:
    from reviewer_tui import models as m

    models = {c.__table__.name: c for c in m.SQLModel.__subclasses__() if hasattr(c, "__table__")}

    def points_at(table: str, column: str) -> Any:
        (fk,) = models[table].__table__.c[column].foreign_keys
        return models[fk.column.table.name]

    rules = {}
    for table, owner, column in m.SAME_REVIEW:
        target = points_at(table, column)
        rules[models[table]] = _SameReview(
            owner,
            None if owner == "review_id" else points_at(table, owner),
            column,
            target,
            target.__table__.name.replace("_", " "),
        )
    return rules


def refuse_rows_of_another_review(session: Any) -> None:
    """Every write through the store: a row of models.SAME_REVIEW may point only at rows of its
    own review (migration 0003's triggers refuse it too, with a message meant for developers)."""
    rules = _same_review_rules()
    with session.no_autoflush:
        for row in [*session.new, *session.dirty]:
            rule = rules.get(type(row))
            if rule is None:
                continue
            own: Any = getattr(row, rule.owner)
            if rule.owner_model is not None:
                owner = session.get(rule.owner_model, own) if own is not None else None
                own = owner.review_id if owner is not None else None
            target_id = getattr(row, rule.column)
            target = session.get(rule.target_model, target_id) if target_id is not None else None
            if own is not None and target is not None and target.review_id != own:
                raise InputError(f"That {rule.what} is not part of this review; nothing was saved.")
