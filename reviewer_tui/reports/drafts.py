"""The draft register: each circulated draft of a report, who it was sent to, and per recipient
the comments received and how each was resolved (DOMAIN.md stage 9)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from reviewer_tui.reviews import check_value

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store


def drafts(store: Store, review_id: int) -> list[Any]:
    from reviewer_tui import models as m

    return store.rows(m.ReportDraft, review_id)


def recipients(store: Store, draft_id: int) -> list[Any]:
    from sqlmodel import col, select

    from reviewer_tui import models as m

    with store.session() as session:
        statement = select(m.DraftRecipient).where(m.DraftRecipient.report_draft_id == draft_id)
        return list(session.exec(statement.order_by(col(m.DraftRecipient.position))))


def add_recipient(
    store: Store, draft_id: int, name: str = "", sent_on: dt.date | None = None
) -> Any:
    from sqlalchemy import func
    from sqlmodel import select

    from reviewer_tui import models as m

    with store.session() as session:
        last = session.exec(
            select(func.max(m.DraftRecipient.position)).where(
                m.DraftRecipient.report_draft_id == draft_id
            )
        ).one()
        row = m.DraftRecipient(
            report_draft_id=draft_id,
            position=(last or 0) + 1,
            name=check_value(name, "name"),
            sent_on=sent_on,
        )
        session.add(row)
        session.commit()
        return row


def file_name(review_id: int, document: str, version: str | None, publication: bool) -> str:
    suffix = "publication" if publication else (f"draft-{version}" if version else "final")
    return f"review-{review_id}-{document}-{suffix}.docx"
