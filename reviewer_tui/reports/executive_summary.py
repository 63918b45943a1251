"""The executive summary: four parts drawn from the record (the reason for the review, its scope,
the key findings and the recommendations), each of which the reviewer may rewrite before the
summary is written. A rewritten part is stored (report_details.summary_*) and is what prints; a
part never rewritten, or emptied, is drawn from the record afresh each time.

No Textual here: the executive summary screen, the report context and the tests share it.
"""

from __future__ import annotations

from typing import Any

from reviewer_tui import domain
from reviewer_tui.reports.engine import format_date

# (report_details column and bundle `report` key, heading): the four parts, in order.
PARTS: tuple[tuple[str, str], ...] = (
    ("summary_reason", "Reason for the review"),
    ("summary_scope", "Scope of the review"),
    ("summary_findings", "Key findings"),
    ("summary_recommendations", "Recommendations"),
)
PART_KEYS = tuple(key for key, _ in PARTS)


def _sentence(text: str) -> str:
    """`text` ending with a full stop, unless it already ends a sentence."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _lines(items: list[str]) -> str:
    return "\n".join(f"- {' '.join(item.split())}" for item in items if item.strip())


def drawn(data: dict[str, Any]) -> dict[str, str]:
    """Each part as the record gives it (plain text, one item a line), from a review's bundle."""
    review = data.get("review") or {}
    scope = data.get("scope") or {}
    kind = domain.kind_name(review.get("review_type", ""))
    commissioner = review.get("commissioner") or {}
    reason = []
    opening = f"This {kind}"
    if review.get("commissioned_on"):
        opening += f" was commissioned on {format_date(review['commissioned_on'])}"
        if commissioner.get("name"):
            who = commissioner["name"]
            if commissioner.get("post"):
                who += f", {commissioner['post']}"
            opening += f" by {who}"
        opening = _sentence(opening)
    else:
        opening += " has no commissioning date recorded yet."
    reason.append(opening)
    if review.get("criterion"):
        reason.append(_sentence(f"Criterion: {review['criterion']}"))
    if review.get("reason_for_review"):
        reason.append(review["reason_for_review"].strip())
    scope_lines = []
    if scope.get("period_from") or scope.get("period_to"):
        start = format_date(scope.get("period_from")) or "a start not yet recorded"
        end = format_date(scope.get("period_to")) or "an end not yet recorded"
        scope_lines.append(f"The review looked at the period from {start} to {end}.")
    issues = list(scope.get("key_issues") or [])
    if issues:
        scope_lines.append("The issues it addressed:")
        scope_lines.append(_lines(issues))
    organisations = [o.get("name", "") for o in scope.get("organisations") or []]
    if organisations:
        scope_lines.append(
            _sentence("Organisations involved: " + "; ".join(o for o in organisations if o))
        )
    findings = [f.get("statement", "") for f in data.get("findings") or []]
    recommendations = []
    for rec in data.get("recommendations") or []:
        line = " ".join(rec.get("action", "").split())
        extra = ", ".join(
            x
            for x in (
                rec.get("owner", ""),
                format_date(rec.get("due")) and f"by {format_date(rec.get('due'))}",
            )
            if x
        )
        recommendations.append(f"{line} ({extra})" if extra else line)
    return {
        "summary_reason": "\n".join(reason),
        "summary_scope": "\n".join(scope_lines),
        "summary_findings": _lines(findings),
        "summary_recommendations": _lines(recommendations),
    }


def texts(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The four parts as they print: the reviewer's stored text where there is one, else the
    record's; each with its heading and whether it was rewritten."""
    report = data.get("report") or {}
    fresh = drawn(data)
    out = []
    for key, heading in PARTS:
        stored = report.get(key) or ""
        edited = bool(stored.strip())
        out.append(
            {
                "key": key,
                "heading": heading,
                "text": stored if edited else fresh[key],
                "edited": edited,
            }
        )
    return out
