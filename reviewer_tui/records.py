"""Stage 3, records examined (seed 000 section 4, seed 003 section 7 part 1.3): every record,
file, policy or procedure read or asked for, and why any was not available. Never imports textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer_tui.errors import InputError

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

RECORD_KINDS: tuple[str, ...] = (
    "case record",
    "manual file",
    "policy or procedure",
    "board procedure",
    "other",
)


def new_key() -> str:
    import secrets

    return f"rec-{secrets.token_hex(6)}"


def records(store: Store, review_id: int) -> list[Any]:
    from reviewer_tui.models import RecordExamined

    return store.rows(RecordExamined, review_id)


def add_record(store: Store, review_id: int, title: str = "Untitled record", **values: Any) -> Any:
    """A new record; the title is what report section 1.3 lists, so it cannot be empty."""
    from reviewer_tui.models import RecordExamined

    if not title.strip():
        raise InputError("A record needs a title: what it is, as report section 1.3 lists it.")
    return store.add_row(RecordExamined, review_id, key=new_key(), title=title, **values)


def check_record_values(values: dict[str, Any]) -> None:
    if "title" in values and not str(values["title"]).strip():
        raise InputError("A record needs a title: what it is, as report section 1.3 lists it.")


def update_record(store: Store, record_id: int, **values: Any) -> None:
    from reviewer_tui.models import RecordExamined

    check_record_values(values)
    store.update(RecordExamined, record_id, **values)


def kind_options(existing: list[Any]) -> list[tuple[str, str]]:
    """The five kinds, then any other kind already written (an imported bundle may use its own
    words, such as 'electronic case record'), so the reviewer's words are never lost."""
    kinds = list(RECORD_KINDS)
    for record in existing:
        if record.kind and record.kind not in kinds:
            kinds.append(record.kind)
    return [(k[0].upper() + k[1:], k) for k in kinds]


@dataclass(frozen=True)
class Basis:
    """Report section 1.3: files examined, and those not available with the reason."""

    examined: tuple[str, ...]
    unavailable: tuple[tuple[str, str], ...]  # (title, reason)
    not_yet_marked: tuple[str, ...]  # neither available nor unavailable recorded yet


def basis(store: Store, review_id: int) -> Basis:
    rows = records(store, review_id)
    return Basis(
        examined=tuple(r.title for r in rows if r.available is True),
        unavailable=tuple((r.title, r.reason_unavailable) for r in rows if r.available is False),
        not_yet_marked=tuple(r.title for r in rows if r.available is None),
    )


def summary_line(b: Basis) -> str:
    parts = [f"{len(b.examined)} examined"]
    if b.unavailable:
        missing_reason = sum(1 for _, reason in b.unavailable if not reason.strip())
        parts.append(
            f"{len(b.unavailable)} not available"
            + (f" ({missing_reason} without a reason)" if missing_reason else "")
        )
    if b.not_yet_marked:
        parts.append(f"{len(b.not_yet_marked)} not yet marked available or not")
    return ", ".join(parts) + "."
