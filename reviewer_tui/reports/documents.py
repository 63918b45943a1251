"""The documents the app writes, and writing them: render, preview, draft versions, the
publication version and its check. No Textual here: the report screen and the CLI both call this.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer_tui import read_model, timescales
from reviewer_tui.errors import BundleError, PublicationError, TemplateProblem
from reviewer_tui.reports import engine, executive_summary, products, returned
from reviewer_tui.reports.context import build_context
from reviewer_tui.reports.docx_writer import Page, markdown_to_docx
from reviewer_tui.reports.register import check_package, pseudonymise_bundle, register_from_bundle

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

__all__ = [
    "DOCUMENTS",
    "Document",
    "Generated",
    "generate",
    "render_markdown",
    "generate_markdown",
    "preview_markdown",
    "next_version",
    "export_templates",
    "check_file",
    "for_kind",
    "summary_parts",
]


@dataclass(frozen=True)
class Document:
    name: str  # what the CLI and screen call it
    title: str
    template: str
    description: str
    confidential: bool = True
    drafts: bool = False  # circulated as numbered drafts before the final
    per_interview: bool = False  # one section per interview; --interview narrows it


DOCUMENTS: dict[str, Document] = {
    d.name: d
    for d in (
        Document(
            "management-review",
            "Management Review Report",
            "management-review.md",
            "The report in the FORMAT FOR MANAGEMENT REVIEW REPORT, sections 1-8.",
            drafts=True,
        ),
        Document(
            "written-review",
            "Case Review: Written Review",
            "written-review.md",
            "The internal case review's written review (the Case Review Protocol's next steps 1-2).",
            drafts=True,
        ),
        Document(
            "terms-of-reference",
            "Terms of Reference",
            "terms-of-reference.md",
            "The scope agreed with the commissioner, with the scope change log.",
        ),
        Document(
            "chronology",
            "Chronology",
            "chronology.md",
            "The six-column chronology, in date order.",
        ),
        Document(
            "chronology-spe",
            "Significant Practice Events",
            "chronology-spe.md",
            "The Significant Practice Events chronology (risk, response, partnership, learning).",
        ),
        Document(
            "interview-confirmation",
            "Interview Confirmation",
            "interview-confirmation.md",
            "The letter confirming an interview: format, profile form, terms of reference, "
            "purpose, date, place and supporter.",
            per_interview=True,
        ),
        Document(
            "profile-form",
            "Profile of Interviewee",
            "profile-form.md",
            "The PROFILE OF INTERVIEWEE form filled from each person's record.",
            per_interview=True,
        ),
        Document(
            "profile-form-blank",
            "Profile of Interviewee (blank)",
            "profile-form-blank.md",
            "The PROFILE OF INTERVIEWEE form, blank, to send with the confirmation letter.",
            confidential=False,
        ),
        Document(
            "interview-record",
            "Record of Interview",
            "interview-record.md",
            "Each interview record for agreement, with signature and date lines.",
            per_interview=True,
        ),
        Document(
            "action-plan",
            "Action Plan",
            "action-plan.md",
            "The recommendations as an action plan, with progress and impact.",
        ),
        Document(
            "learning-summary",
            "Learning Summary",
            "learning-summary.md",
            "Seed 004's learning summary, two pages at most: what happened, key practice "
            "episodes, the learning for each agency and across the partnership, what has changed.",
        ),
        Document(
            "overview-report",
            "Overview Report",
            "overview-report.md",
            "The multi-agency review's report, with the title lines and sections its kind "
            "requires (overview report, final report, child practice review report).",
            drafts=True,
        ),
        Document(
            "executive-summary",
            "Executive Summary",
            "executive-summary.md",
            "Reason, scope, key findings and recommendations, as drawn from the record or as "
            "rewritten by the reviewer; two pages at most.",
        ),
    )
}


def for_kind(kind: str) -> tuple[list[tuple[Document, str]], list[Document]]:
    """The documents a review of `kind` requires, each with what the kind calls it, in the
    guidance's order; then every other document, in the usual order."""
    required = [(DOCUMENTS[p.document], p.title) for p in products.kind_products(kind)]
    names = {doc.name for doc, _ in required}
    return required, [doc for doc in DOCUMENTS.values() if doc.name not in names]


@dataclass
class Generated:
    path: Path
    document: str
    version: str | None  # the draft version, None for a final or publication version
    removed_characters: int = 0
    notices: list[str] = field(default_factory=list)


def document(name: str) -> Document:
    try:
        return DOCUMENTS[name]
    except KeyError:
        names = ", ".join(DOCUMENTS)
        raise TemplateProblem(
            f"There is no document called '{name}'. Choose one of: {names}."
        ) from None


# --- data ---------------------------------------------------------------------------------------
def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def fill_defaults(value: Any, node: dict[str, Any], root: dict[str, Any]) -> Any:
    """Every property the schema knows, present: missing text is "", lists [], objects {}, so
    templates need no guards for sections not yet recorded, and StrictUndefined still catches a
    misspelt name."""
    node = _resolve(root, node)
    if isinstance(value, dict) and "properties" in node:
        out = dict(value)
        for key, sub in node["properties"].items():
            sub_node = _resolve(root, sub)
            if key not in out:
                kind = sub_node.get("type")
                kinds = kind if isinstance(kind, list) else [kind]
                if "object" in kinds:
                    out[key] = {}
                elif "array" in kinds:
                    out[key] = []
                elif "string" in kinds and "date" not in sub.get("$ref", ""):
                    out[key] = ""
                else:
                    out[key] = None
            out[key] = fill_defaults(out[key], sub, root)
        return out
    if isinstance(value, list) and "items" in node:
        return [fill_defaults(v, node["items"], root) for v in value]
    return value


def review_data(store: Store, review_id: int) -> dict[str, Any]:
    from reviewer_tui import bundle

    data = bundle.export_bundle(store, review_id)
    root = bundle.schema()
    return fill_defaults(data, root, root)


def summary_data(store: Store, review_id: int) -> dict[str, Any]:
    """The part of review_data the executive summary reads (executive_summary.drawn and texts):
    the review, its scope with the organisations, the findings, the recommendations and the
    report details, each row as the bundle gives it. The summary screen opens with this: the
    whole bundle of a large review (10,000 chronology entries, 60 interviews of notes) took
    seconds to read for four paragraphs."""
    from sqlmodel import select

    from reviewer_tui import bundle
    from reviewer_tui import models as m

    def rows(s: Any, model: Any) -> list[Any]:
        statement = select(model).where(model.review_id == review_id)
        return list(s.exec(statement.order_by(model.position)))

    with store.session() as s:
        review = s.get(m.Review, review_id)
        if review is None:
            raise BundleError([f"(review): there is no review with id {review_id}"])
        review_obj = bundle._obj(review, "created_at", "updated_at", "family_summary")
        scope_row = s.get(m.Scope, review_id)
        scope = bundle._nest(bundle._obj(scope_row), "outside_expert") if scope_row else {}
        organisations = [bundle._obj(r) for r in rows(s, m.Organisation)]
        if organisations:
            scope["organisations"] = organisations
        details = s.get(m.ReportDetails, review_id)
        return {
            "review": bundle._nest(bundle._nest(review_obj, "commissioner"), "lead_reviewer"),
            "scope": scope,
            "findings": [bundle._obj(f) for f in rows(s, m.Finding)],
            "recommendations": [bundle._obj(r) for r in rows(s, m.Recommendation)],
            "report": bundle._obj(details) if details is not None else {},
        }


def summary_parts(store: Store, review_id: int) -> list[dict[str, Any]]:
    """The executive summary's four parts as they print now (executive_summary.texts), the same
    as from the whole review_data."""
    return executive_summary.texts(summary_data(store, review_id))


# A draft in the register with no document named (typed in, or imported from a bundle's
# `report.drafts`) is a draft of the report itself: the management review report.
REPORT_DOCUMENT = "management-review"


def next_version(store: Store, review_id: int, name: str) -> str:
    """0.1, 0.2, ...: one more than the highest draft version of this document recorded so far.
    Each document has its own sequence: the first written review is 0.1 whatever drafts of the
    management review report went before it."""
    from reviewer_tui import models as m

    best: tuple[int, int] | None = None
    for draft in store.rows(m.ReportDraft, review_id):
        if (draft.document or REPORT_DOCUMENT) != name:
            continue
        match = re.fullmatch(r"\s*v?(\d+)\.(\d+)\s*", draft.version)
        if match:
            number = (int(match.group(1)), int(match.group(2)))
            best = number if best is None or number > best else best
    if best is None:
        return "0.1"
    return f"{best[0]}.{best[1] + 1}"


# --- rendering ----------------------------------------------------------------------------------
def render_markdown(
    store: Store,
    review_id: int,
    name: str,
    *,
    publication: bool = False,
    version: str | None = None,
    interview_ids: list[str] | None = None,
    user_dir: Path | None = None,
    today: dt.date | None = None,
    data: dict[str, Any] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> str:
    """The document as Markdown. `cancelled` is asked as the template runs: when it says yes,
    engine.RenderCancelled stops the work (the report screen was left)."""
    return "".join(
        generate_markdown(
            store,
            review_id,
            name,
            publication=publication,
            version=version,
            interview_ids=interview_ids,
            user_dir=user_dir,
            today=today,
            data=data,
            cancelled=cancelled,
        )
    )


def generate_markdown(
    store: Store,
    review_id: int,
    name: str,
    *,
    publication: bool = False,
    version: str | None = None,
    interview_ids: list[str] | None = None,
    user_dir: Path | None = None,
    today: dt.date | None = None,
    data: dict[str, Any] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[str]:
    """render_markdown's text in the pieces the template gives it out in (engine.generate), so
    the preview shows the beginning while the rest is worked out. The review's data and the
    template's context are read before the first piece."""
    doc = document(name)
    data = returned.without_draft_text(data if data is not None else review_data(store, review_id))
    today = today or dt.date.today()
    # The accepted quality items print in the final version only (not a draft, not the
    # publication version); they are worked out from the record before any pseudonym goes in.
    accepted: list[dict[str, str]] = []
    if not publication and version is None and doc.drafts:
        from reviewer_tui import quality

        accepted = quality.accepted_for_report(quality.check(store, review_id, data))
    if publication:
        register = register_from_bundle(data)
        problems = register.check_pseudonyms()
        if problems:
            raise PublicationError(
                "The publication version was not made: " + " ".join(problems), problems
            )
        data = pseudonymise_bundle(data, register)
    attention = read_model.review_attention_now(store.folder, review_id, today)
    context = build_context(
        data,
        document=doc.name,
        publication=publication,
        version=version,
        interview_ids=interview_ids,
        today=today,
        attention=attention,
    )
    context["title"] = doc.title
    review = data.get("review", {})
    context["product"] = products.context(
        review.get("review_type", ""),
        doc.name,
        child=context["child"],
        agency=context["agency"],
        criterion=context["criterion"],
    )
    context["executive_summary"] = executive_summary.texts(data)
    context["timescales"] = [
        {"label": t.label, "due": t.due.isoformat() if t.due else "", "status": t.status}
        for t in timescales.timescales_now(store.folder, review_id, today)
    ]
    context["delay_log"] = data.get("delay_log", [])
    context["accepted_quality_items"] = accepted
    # The template's time limit grows with the text it has to print (engine.RENDER_SECONDS).
    seconds = round(engine.RENDER_SECONDS + engine.SECONDS_PER_MB * _text_megabytes(data), 1)
    yield from engine.generate(
        doc.template, context, user_dir, seconds=seconds, cancelled=cancelled
    )


def _text_megabytes(data: dict[str, Any]) -> float:
    """Roughly how much text a review holds, in millions of characters: its sections' strings and
    their records' string fields (notes, events), two levels down; a few milliseconds of small
    steps, never one long call that would hold up the screen while a preview is worked out."""
    total = 0
    for value in data.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                total += len(item)
            elif isinstance(item, dict):
                total += sum(len(v) for v in item.values() if isinstance(v, str))
    return total / 1_000_000


_FENCE_OPEN = "```docx"


def preview_markdown(markdown: str) -> str:
    """The same Markdown made readable in Textual's Markdown widget: layout instructions shown
    as notes, the line-break and tab placeholders turned back into Markdown. Line by line, in
    small steps (a regex over the 20 MB of a very large review held up the screen)."""
    return "\n".join(preview_lines(markdown.split("\n")))


def _instruction(block: list[str]) -> list[str]:
    """A ```docx layout block as the preview shows it: a note, a rule, or nothing."""
    lines = [line.strip() for line in block]
    shown = []
    if "toc" in lines:
        shown.append("*[Table of contents: filled in the Word file]*\n")
    if "pagebreak" in lines:
        shown.append("---\n")
    text = "\n".join(shown)
    return text[:-1].split("\n") if text else []


def split_lines(pieces: Iterable[str]) -> Iterator[str]:
    """The lines of the text `pieces` make when joined, as str.split("\n") gives them, each
    given out as soon as its end has come (a template's output, piece by piece)."""
    pending: list[str] = []
    for piece in pieces:
        if "\n" not in piece:
            if piece:
                pending.append(piece)
            continue
        lines = piece.split("\n")
        pending.append(lines[0])
        yield "".join(pending)
        yield from lines[1:-1]
        pending = [lines[-1]] if lines[-1] else []
    yield "".join(pending)


def preview_lines(lines: Iterable[str]) -> Iterator[str]:
    """preview_markdown line by line, as the lines come (a preview streamed from a template):
    a layout block is read to its closing backticks before it is shown. A line given out may
    hold line breaks (a value's own, as a Markdown hard break)."""
    source = iter(lines)
    ahead: deque[str] = deque()  # lines read ahead, given out before any more are read
    rest = False  # the next line is what a fence's closing backticks left: it opens no fence

    def take() -> str | None:
        if ahead:
            return ahead.popleft()
        return next(source, None)

    while (line := take()) is not None:
        was_rest, rest = rest, False
        if line == _FENCE_OPEN and not was_rest:
            block: list[str] = []
            while (after := take()) is not None and not after.startswith("```"):
                block.append(after)
            if after is not None:
                yield from _instruction(block)
                if after != "```":  # "```docx" again: the fence ends at its backticks
                    ahead.appendleft(after[3:])
                    rest = True
                    continue
                following = take()
                if following is None:  # the text ended with the fence: a final line break
                    yield ""
                    return
                ahead.appendleft(following)
                continue
            ahead.extendleft(reversed(block))  # no closing backticks: an ordinary line
        if line.startswith("|"):
            yield line.replace(engine.LINE_BREAK, " ").replace(engine.TAB, " ")
        else:
            yield line.replace(engine.LINE_BREAK, "\\\n").replace(engine.TAB, "    ")


# What the preview shows at once; the screen adds the rest on asking. Small: the Markdown view
# lays out every block it holds on the UI thread (20,000 characters held keys up for seconds).
PREVIEW_PART_CHARS = 4_000


def _cut_long_lines(lines: Iterable[str], size: int) -> Iterator[str]:
    """Lines longer than a part (a 2 MB paragraph) cut at spaces into paragraphs of their own,
    never between a backslash and the character it escapes; table rows are left whole."""
    for line in lines:
        while len(line) > size and not line.startswith("|"):
            cut = line.rfind(" ", size // 2, size)
            if cut <= 0:
                cut = size
                while cut > 1 and line[cut - 1] == "\\":  # keep an escape pair together
                    cut -= 1
            yield line[:cut]
            yield ""
            line = line[cut:].lstrip(" ")
        yield line


def blocks_of(text: str, size: int) -> list[str]:
    """`text` in pieces of at least `size` characters, each ending at a blank line (never inside
    a table or a paragraph), to put into a Markdown view a few blocks at a time."""
    pieces = []
    start = 0
    while start < len(text):
        end = text.find("\n\n", start + size)
        end = len(text) if end < 0 else end + 2
        pieces.append(text[start:end])
        start = end
    return pieces


def preview_parts(markdown: str, size: int = PREVIEW_PART_CHARS) -> list[str]:
    """Preview Markdown (preview_markdown) in parts of about `size` characters, each whole
    Markdown, so the screen shows the beginning at once and builds no more widgets than are
    read: a part ends at a blank line, between two rows of a long table (the next part repeats
    the table's header), or inside a paragraph of many lines when it is twice too long."""
    return list(iter_preview_parts(markdown.split("\n"), size))


def iter_preview_parts(lines: Iterable[str], size: int = PREVIEW_PART_CHARS) -> Iterator[str]:
    """preview_parts over lines as they come: each part is given out as soon as it is whole.
    A line may hold line breaks (preview_lines gives such lines): it counts as the lines in it."""
    current: list[str] = []
    length = 0
    head: list[str] = []  # the header and delimiter rows of the table being read
    fence = False
    given = 0

    def whole() -> Iterator[str]:
        for shown in lines:
            yield from shown.split("\n") if "\n" in shown else (shown,)

    for line in _cut_long_lines(whole(), size):
        row = not fence and line.startswith("|")
        if not row:
            head = []
        elif len(head) < 2:
            head.append(line)
        elif length >= size:  # a body row of a long table: the next part repeats its header
            yield "\n".join(current)
            given += 1
            current = list(head)
            length = sum(len(h) + 1 for h in head)
        if line.startswith("```"):
            fence = not fence
        if not fence and not row and length >= size:
            if not line.strip():
                current.append(line)
                yield "\n".join(current)
                given += 1
                current, length = [], 0
                continue
            if length >= 2 * size and current and current[-1].strip():
                current[-1] = current[-1].removesuffix("\\")  # a hard break ending the part
                yield "\n".join(current)
                given += 1
                current, length = [], 0
        current.append(line)
        length += len(line) + 1
    if current or not given:
        yield "\n".join(current)


def _page(doc: Document, data: dict[str, Any], *, publication: bool, version: str | None) -> Page:
    review = data.get("review", {})
    child = review.get("child_pseudonym") if publication else review.get("child_name")
    child = child or review.get("child_pseudonym") or ""
    shape = products.product(review.get("review_type", ""), doc.name)
    name = shape.title if shape else doc.title  # what the review's kind calls the document
    # A document that is not confidential (the blank form) never carries the child's name.
    title = f"{name}: {child}" if child and (doc.confidential or publication) else name
    # The lead reviewer is a public role: the file's author, in the publication version too.
    author = review.get("lead_reviewer", {}).get("name", "")
    if publication:
        title = register_from_bundle(data).pseudonymise(title)
    return Page(
        title=title,
        confidential=doc.confidential and not publication,
        draft_version=version,
        properties={
            "title": title,
            "subject": name,
            "author": author,
            "category": "Publication version" if publication else ("Draft" if version else "Final"),
            "status": f"Draft {version}" if version else "Final",
            "version": version or "",
        },
    )


def generate(
    store: Store,
    review_id: int,
    name: str,
    target: Path,
    *,
    publication: bool = False,
    final: bool = False,
    interview_ids: list[str] | None = None,
    user_dir: Path | None = None,
    today: dt.date | None = None,
) -> Generated:
    """Write one document atomically, 0600. A draft of a report gets the next version number and
    is recorded in the draft register. A publication version is checked as saved and refused,
    with every place listed, if any register name, date of birth or address is in it."""
    from reviewer_tui.storage import fsync_dir, protect_new_files

    protect_new_files()
    doc = document(name)
    if final and doc.drafts:  # every item from returned drafts answered first
        returned.check_final(store, review_id, name)
    data = review_data(store, review_id)
    version = (
        None if (final or publication or not doc.drafts) else next_version(store, review_id, name)
    )
    markdown = render_markdown(
        store,
        review_id,
        name,
        publication=publication,
        version=version,
        interview_ids=interview_ids,
        user_dir=user_dir,
        today=today,
        data=data,
    )
    folder = engine.user_template_dir() if user_dir is None else Path(user_dir)
    own_reference = folder / "reference.docx"
    reference = own_reference.read_bytes() if own_reference.is_file() else None
    page = _page(doc, data, publication=publication, version=version)
    file_id = returned.new_file_id() if version is not None else ""
    if version is not None:  # a returned copy is known by these, whatever it is called
        page.custom_properties = returned.draft_properties(review_id, name, version, file_id)
    content, removed = markdown_to_docx(markdown, page, reference)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o600)
        if publication:
            hits = check_package(Path(tmp_name), register_from_bundle(data))
            if hits:
                raise PublicationError(
                    f"The publication version was NOT saved: {len(hits)} identifying detail"
                    f"{'s' if len(hits) != 1 else ''} found. Rewrite these places (or give the "
                    "missing name forms in the register) and generate it again:",
                    hits,
                )
        os.replace(tmp_name, target)
        fsync_dir(target.parent)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    notices = []
    if removed:
        notices.append(
            f"{removed} control character{'s' if removed != 1 else ''} (such as a bell "
            "character) cannot be held in a Word file and "
            f"{'were' if removed != 1 else 'was'} left out; the stored text is unchanged."
        )
    try:
        if publication:
            from reviewer_tui import models as m

            store.update(
                m.ReportDetails, review_id, publication_written_on=today or dt.date.today()
            )
        if version is not None:
            from reviewer_tui import models as m

            draft = store.add_row(
                m.ReportDraft,
                review_id,
                version=version,
                document=name,
                generated_at=dt.datetime.now(dt.UTC),
                notes=f"{doc.title}, generated {engine.format_date(today or dt.date.today())}.",
            )
            returned.record_generated(store, m.stored_id(draft), file_id, content)
        elif final and doc.drafts:
            _register_final(store, review_id, name, doc.title, today or dt.date.today())
    except BaseException:
        # Not recorded (a read-only or full data folder): not written either, so "NOT WRITTEN"
        # is true, and no file carries a draft number the register does not know
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return Generated(target, name, version, removed, notices)


def _register_final(store: Store, review_id: int, name: str, title: str, day: dt.date) -> None:
    """The final version goes in the draft register once, as "final": from then on the entry is
    a signed record (read_model.signed_record) and changing it asks for a reason."""
    from reviewer_tui import models as m
    from reviewer_tui.read_model import FINAL_VERSION, is_final_version

    if any(
        d.document == name and is_final_version(d.version)
        for d in store.rows(m.ReportDraft, review_id)
    ):
        return
    store.add_row(
        m.ReportDraft,
        review_id,
        version=FINAL_VERSION,
        document=name,
        generated_at=dt.datetime.now(dt.UTC),
        notes=f"{title}, final version, generated {engine.format_date(day)}.",
    )


def check_file(store: Store, review_id: int, path: Path) -> list[str]:
    """Every place in an existing .docx (say one edited by hand after it was generated) where a
    name form, date of birth or address from the review's register appears; [] when clean."""
    return check_package(Path(path), register_from_bundle(review_data(store, review_id)))


def export_templates(folder: Path) -> list[Path]:
    """Copy the shipped templates and reference document out for editing. Existing files are
    kept: nothing the user edited is overwritten."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    package = resources.files(engine.TEMPLATE_PACKAGE)
    for item in sorted(package.iterdir(), key=lambda p: p.name):
        if not item.name.endswith((".md", ".j2", ".docx")):
            continue
        target = folder / item.name
        if target.exists():
            continue
        with resources.as_file(item) as source:
            shutil.copyfile(source, target)
        written.append(target)
    return written
