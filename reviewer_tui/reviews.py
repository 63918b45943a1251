"""Reviews and their parts: every change is one short transaction (RELIABILITY.md rule 1).

`list_reviews` (from reviewer_tui.summaries) answers the home screen with one stdlib query so it can paint before SQLAlchemy
loads; everything else goes through `Store`, one short Session per unit of work.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from reviewer_tui import domain, validators
from reviewer_tui.errors import InputError
from reviewer_tui.summaries import ReviewSummary as ReviewSummary
from reviewer_tui.summaries import list_reviews as list_reviews
from reviewer_tui.validators import check_text

if TYPE_CHECKING:
    from sqlmodel import Session, SQLModel

    from reviewer_tui.storage import DataFolder

    Row = TypeVar("Row", bound=SQLModel)


# Characters a terminal reads as commands (C0 but tab and newline, DEL, C1): ESC[2J clears the
# screen, ESC]0;...BEL retitles the window. Stored exactly (rule 12), never written to a terminal.
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` safe to print on a terminal: each control character shown as its Unicode control
    picture (ESC as \u241b, NUL as \u2400, DEL as \u2421; C1 as \ufffd)."""

    def picture(match: re.Match[str]) -> str:
        code = ord(match.group())
        return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"

    return TERMINAL_CONTROLS.sub(picture, text)


def check_value(value: Any, what: str) -> Any:
    if isinstance(value, str):
        return check_text(value, what)
    if isinstance(value, list):
        return [check_value(item, what) for item in value]
    if isinstance(value, dict):
        return {check_text(k, what): check_value(v, what) for k, v in value.items()}
    return value


def next_key(existing: Iterable[str], prefix: str) -> str:
    """The bundle id after `existing`, such as 'f-4': never built from names (bundle README,
    identifiers). Store.new_key is what new rows use: it also never repeats a deleted one."""
    taken = set(existing)
    numbers = [
        int(m.group(1)) for k in taken if (m := re.fullmatch(rf"{re.escape(prefix)}-(\d+)", k))
    ]
    n = max(numbers, default=0) + 1
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"


def one_to_one_models() -> tuple[type[SQLModel], ...]:
    from reviewer_tui import models as m

    return (m.Scope, m.Meeting, m.Analysis, m.Learning, m.ClosingSteps, m.ReportDetails)


@cache
def checked_session_class() -> type[Session]:
    """A Session whose every flush runs `validators.check_session` first, then records the
    change history (history.on_flush): the one write path the screens, the CLI, the bundle
    import and every core function share."""
    from sqlalchemy import event
    from sqlmodel import Session

    class CheckedSession(Session):
        pass

    from reviewer_tui import history

    event.listen(CheckedSession, "before_flush", validators.check_session)
    event.listen(CheckedSession, "before_flush", history.on_flush)  # after the checks
    return CheckedSession


class Store:
    """Write-through access to the reviews in one data folder."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One short unit of work; every flush in it is checked by the validators first."""
        with checked_session_class()(self.folder.engine(), expire_on_commit=False) as session:
            yield session

    def warm_up(self) -> None:
        """Import SQLAlchemy and make the engine now (off the UI thread, after the first frame),
        so the first change the reviewer makes does not wait for it."""
        self.folder.engine()

    # --- reviews -------------------------------------------------------------------------
    def create_review(
        self, title: str, review_type: str, criterion: str, commissioned_on: dt.date | None = None
    ) -> int:
        from reviewer_tui.models import Review

        title = check_text(title, "title").strip()
        if not title:
            raise InputError("A review needs a title.")
        if review_type not in domain.KINDS_BY_KEY:
            raise InputError(f"'{review_type}' is not one of the ten review kinds.")
        if criterion not in domain.CRITERIA:
            raise InputError("The criterion is 'concern' or 'progressing well'.")
        with self.session() as session:
            review = Review(
                title=title,
                review_type=review_type,
                criterion=criterion,
                commissioned_on=commissioned_on,
            )
            session.add(review)
            session.flush()
            assert review.id is not None
            for model in one_to_one_models():
                session.add(model(review_id=review.id))
            session.flush()
            if commissioned_on:
                self._fill_default_target(session, review.id)
            session.commit()
            return review.id

    def review(self, review_id: int) -> Any:
        from reviewer_tui.models import Review

        with self.session() as session:
            review = session.get(Review, review_id)
            if review is None:
                raise InputError(f"There is no review with id {review_id}.")
            return review

    def rename(self, review_id: int, title: str) -> None:
        title = check_text(title, "title").strip()
        if not title:
            raise InputError("A review needs a title.")
        self.update_review(review_id, title=title)

    def archive(self, review_id: int, archived: bool = True) -> None:
        self.update_review(review_id, archived_at=domain.utc_now() if archived else None)

    def delete_review(self, review_id: int, typed_title: str) -> None:
        from reviewer_tui.models import Review

        with self.session() as session:
            review = session.get(Review, review_id)
            if review is None:
                raise InputError(f"There is no review with id {review_id}.")
            if typed_title != review.title:
                raise InputError("The title typed does not match; the review was not deleted.")
            session.delete(review)
            session.commit()

    def update_review(self, review_id: int, **values: Any) -> None:
        from reviewer_tui.models import Review

        self.update(Review, review_id, **values)

    # --- any row -------------------------------------------------------------------------
    def get(self, model: type[Row], key: int) -> Row:
        with self.session() as session:
            row = session.get(model, key)
            if row is None:
                raise InputError(f"That {model.__name__} no longer exists.")
            return row

    def update(self, model: type[SQLModel], key: int, **values: Any) -> None:
        """Set fields on one row and commit: the unit of every edit the reviewer makes."""
        from reviewer_tui.models import Review

        with self.session() as session:
            row = session.get(model, key)
            if row is None:
                raise InputError(
                    f"That {model.__name__} no longer exists; the change was not saved."
                )
            for name, value in values.items():
                setattr(row, name, check_value(value, name.replace("_", " ")))
            review_id = key if model is Review else getattr(row, "review_id", None)
            if review_id is not None:
                review = session.get(Review, review_id)
                if review is not None:
                    review.updated_at = domain.utc_now()
            if model is Review and {"commissioned_on", "review_type"} & values.keys():
                session.flush()
                self._fill_default_target(session, key)
            session.commit()

    def rows(self, model: type[Row], review_id: int) -> list[Row]:
        from sqlmodel import select

        table: Any = model  # any table of review rows: it has review_id and position columns
        with self.session() as session:
            statement = select(model).where(table.review_id == review_id)
            return list(session.exec(statement.order_by(table.position)))

    def add_row(
        self,
        model: type[Row],
        review_id: int,
        together: Callable[[Session], object] | None = None,
        **values: Any,
    ) -> Row:
        """Add one row at the end of the review's rows of `model`. `together(session)` makes a
        change that is stored with the row or not at all (in the same transaction)."""
        from sqlalchemy import func
        from sqlmodel import select

        table: Any = model  # any table of review rows: it has review_id and position columns
        with self.session() as session:
            last = session.exec(
                select(func.max(table.position)).where(table.review_id == review_id)
            ).one()
            checked = {k: check_value(v, k.replace("_", " ")) for k, v in values.items()}
            row = model(review_id=review_id, position=(last or 0) + 1, **checked)
            session.add(row)
            if together is not None:
                together(session)
            session.commit()
            return row

    def new_key(self, model: type[SQLModel], review_id: int, prefix: str) -> str:
        """A bundle id for a new row of `model`, such as 'f-4', never given before in this
        database: its number is above every id of the review with that prefix and above every
        row id the table has had (SQLite's AUTOINCREMENT counter, which only rises). The counter
        is raised to just below it, so the row inserted with it gets that number as its row id
        too. The id of a deleted row, and whatever was keyed by it elsewhere, never comes back."""
        from sqlalchemy import text

        table = model.__tablename__
        with self.session() as session:
            used = [
                k
                for (k,) in session.execute(
                    text(f'SELECT "key" FROM "{table}" WHERE review_id = :r'), {"r": review_id}
                )
            ]
            counter = (
                session.execute(
                    text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table}
                ).scalar()
                or 0
            )
            key = next_key([*used, f"{prefix}-{counter}"], prefix)
            number = int(key.rsplit("-", 1)[1])
            session.execute(text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table})
            session.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :n)"),
                {"t": table, "n": number - 1},
            )
            session.commit()
            return key

    def _fill_default_target(self, session: Session, review_id: int) -> None:
        """Six months from commissioning where the kind's guidance sets it, unless already set."""
        from reviewer_tui.models import Review, Scope

        review = session.get(Review, review_id)
        scope = session.get(Scope, review_id)
        if review is None or scope is None or scope.target_completion is not None:
            return
        scope.target_completion = domain.default_target(review.review_type, review.commissioned_on)
