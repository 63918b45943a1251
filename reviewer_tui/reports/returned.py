"""Returned drafts: a circulated draft comes back as a Word file with comments, tracked changes
and edits made without tracking; each becomes an item of the draft register, to be resolved.

- Every generated draft carries its review, document, version and a file id in the Word file's
  custom properties (docProps/custom.xml), so a returned copy is known whatever it is called.
- The draft's text as generated is *stored* (table draft_text), not regenerated: the record is
  meant to change after a draft goes out (that is what resolving comments does), and a template
  may be edited, so regenerating would show the reviewer's own later changes as the recipient's.
- A returned file is read with lxml straight from the zip (no python-docx): comments with their
  anchor, section and replies (commentsExtended paraIdParent), tracked insertions and deletions
  with the words around them, tracked formatting changes counted per section; then its text with
  tracked changes rejected is compared with the stored text, section by section and word by
  word, for edits made without tracking, and run formatting for untracked formatting changes.

Returned text is working material and may hold names: it stays in the register, which is never
published; the publication check still reads every file written for publication.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from reviewer_tui.errors import InputError

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RELTYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the user-defined property set

# The custom property names (stable: files already sent out carry them).
PROP_REVIEW = "reviewer-tui review"
PROP_DOCUMENT = "reviewer-tui document"
PROP_VERSION = "reviewer-tui version"
PROP_FILE_ID = "reviewer-tui draft id"

CONTEXT_WORDS = 6  # words shown before and after a change
MAX_PART_BYTES = 200_000_000  # a part larger than this when unpacked is refused (a zip bomb)
NO_SECTION = "(before the first heading)"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

KIND_LABELS = {
    "comment": "comment",
    "insertion": "tracked insertion",
    "deletion": "tracked deletion",
    "edit": "untracked edit",
    "formatting": "formatting",
}
RESOLUTION_LABELS = {
    "accepted": "accepted",
    "declined": "declined",
    "changed": "changed differently",
}


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


_P, _R, _T, _DEL_TEXT, _TAB, _BR, _CR = (
    _w("p"),
    _w("r"),
    _w("t"),
    _w("delText"),
    _w("tab"),
    _w("br"),
    _w("cr"),
)
_INS, _DEL, _MOVE_TO, _MOVE_FROM = _w("ins"), _w("del"), _w("moveTo"), _w("moveFrom")
_RPR, _PPR, _PSTYLE, _RPR_CHANGE, _PPR_CHANGE = (
    _w("rPr"),
    _w("pPr"),
    _w("pStyle"),
    _w("rPrChange"),
    _w("pPrChange"),
)
_C_START, _C_END, _C_REF = _w("commentRangeStart"), _w("commentRangeEnd"), _w("commentReference")
_ID, _AUTHOR, _DATE, _VAL = _w("id"), _w("author"), _w("date"), _w("val")
# Run properties that change how text looks; the rest (fonts for other scripts, language,
# spell-check marks) are rewritten by every word processor that saves the file.
_LOOKS = tuple(
    _w(t)
    for t in (
        "rStyle",
        "b",
        "i",
        "u",
        "strike",
        "dstrike",
        "caps",
        "smallCaps",
        "vertAlign",
        "color",
        "sz",
        "highlight",
    )
)
_OFF = {"0", "false", "off", "none"}


def _parser() -> etree.XMLParser:
    # No entities, no network, no huge trees: a returned file is untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


# --- writing the properties ---------------------------------------------------------------------
def custom_properties_xml(values: dict[str, str]) -> bytes:
    """docProps/custom.xml holding `values` as text properties."""
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property")
        prop.set("fmtid", FMTID)
        prop.set("pid", str(pid))
        prop.set("name", name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_custom_properties(doc: Any, values: dict[str, str]) -> None:
    """Give a python-docx document a custom properties part, with its content type (from the
    part) and its package relationship; python-docx has no API for these."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = doc.part.package
    part = Part(
        PackURI("/docProps/custom.xml"), CUSTOM_CONTENT_TYPE, custom_properties_xml(values), package
    )
    package.relate_to(part, CUSTOM_RELTYPE)


def draft_properties(review_id: int, document: str, version: str, file_id: str) -> dict[str, str]:
    return {
        PROP_REVIEW: str(review_id),
        PROP_DOCUMENT: document,
        PROP_VERSION: version,
        PROP_FILE_ID: file_id,
    }


def new_file_id() -> str:
    return uuid.uuid4().hex


# --- reading a package ---------------------------------------------------------------------------
@dataclass
class Change:
    kind: str  # insertion | deletion
    author: str
    made_at: dt.datetime | None
    text: str
    before: str = ""
    after: str = ""


@dataclass
class Paragraph:
    section: str
    heading: bool
    original: str  # tracked changes rejected: what the file said before the recipient's tracking
    looks: str  # the original text's run formatting, as a signature
    formatting_changes: int = 0  # w:rPrChange and w:pPrChange in this paragraph


@dataclass
class Comment:
    ref: str
    author: str
    made_at: dt.datetime | None
    text: str
    anchor: str = ""
    section: str = NO_SECTION
    para_id: str = ""
    reply_to: str = ""


@dataclass
class Package:
    properties: dict[str, str]
    paragraphs: list[Paragraph]
    changes: list[tuple[str, Change]] = field(default_factory=list)  # (section, change)
    comments: list[Comment] = field(default_factory=list)

    def sections(self) -> list[list[Any]]:
        """[[heading, [[text, looks], ...]], ...] as stored in draft_text."""
        out: list[list[Any]] = []
        for p in self.paragraphs:
            if p.heading or not out or out[-1][0] != p.section:
                out.append([p.section, []])
            if not p.heading:
                out[-1][1].append([p.original, p.looks])
        return out


def _problem(name: str, what: str) -> InputError:
    return InputError(f"{name}: {what} Nothing was imported.")


def open_package(data: bytes, name: str) -> zipfile.ZipFile:
    """The returned file as a zip, or one clear line saying why it cannot be read."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise _problem(
                name,
                "this file is password-protected. Open it in Word, remove the password "
                "(File > Info > Protect Document > Encrypt with Password, then clear it), "
                "save it and import that copy.",
            )
        raise _problem(
            name,
            "this is an old Word .doc file. Open it in Word and save it as .docx first, "
            "then import the .docx.",
        )
    try:
        package = zipfile.ZipFile(BytesIO(data))
        names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _problem(
            name, "this file is damaged or is not a Word .docx file (it cannot be opened)."
        ) from None
    if "word/document.xml" not in names:
        raise _problem(name, "this is not a Word .docx file (it has no document in it).")
    for info in package.infolist():
        if info.file_size > MAX_PART_BYTES:
            raise _problem(name, f"this file is too large to read ({info.filename}).")
    return package


def _read_xml(package: zipfile.ZipFile, part: str, name: str) -> Any:
    try:
        raw = package.read(part)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise _problem(name, "this file is damaged (a part of it cannot be read).") from None
    try:
        return etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError:
        raise _problem(name, f"this file is damaged ({part} is not readable XML).") from None


def read_properties(package: zipfile.ZipFile, name: str) -> dict[str, str]:
    root = _read_xml(package, "docProps/custom.xml", name)
    if root is None:
        return {}
    out = {}
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        out[prop.get("name", "")] = "".join(prop.itertext())
    return out


def _date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _style_kinds(package: zipfile.ZipFile, name: str) -> tuple[set[str], set[str]]:
    """The paragraph style ids that are headings, and those of the table of contents."""
    headings: set[str] = set()
    contents: set[str] = set()
    root = _read_xml(package, "word/styles.xml", name)
    if root is None:
        return headings, contents
    for style in root.iter(_w("style")):
        sid = style.get(_w("styleId"), "")
        name_el = style.find(_w("name"))
        label = (name_el.get(_VAL, "") if name_el is not None else "").casefold()
        if re.fullmatch(r"heading \d", label):
            headings.add(sid)
        elif label.startswith("toc") or label == "contents heading":
            contents.add(sid)
    return headings, contents


def _looks(rpr: Any) -> str:
    if rpr is None:
        return ""
    bits = []
    for child in rpr:
        if child.tag in _LOOKS:
            val = child.get(_VAL)
            if val is not None and val.casefold() in _OFF:
                continue
            bits.append(f"{etree.QName(child).localname}={val or ''}")
    return ",".join(sorted(bits))


def _words(text: str) -> list[str]:
    return text.split()


def _tail(text: str) -> str:
    return " ".join(_words(text)[-CONTEXT_WORDS:])


def _head(text: str) -> str:
    return " ".join(_words(text)[:CONTEXT_WORDS])


def read_package(data: bytes, name: str) -> Package:
    """Everything in a .docx that the import needs, read in one pass over its body."""
    package = open_package(data, name)
    with package:
        properties = read_properties(package, name)
        body = _read_xml(package, "word/document.xml", name)
        headings, contents = _style_kinds(package, name)
        comments_root = _read_xml(package, "word/comments.xml", name)
        extended_root = _read_xml(package, "word/commentsExtended.xml", name)
    result = Package(properties, [])
    section = NO_SECTION
    anchors: dict[str, list[str]] = {}  # comment id -> the text it covers, so far
    open_anchors: set[str] = set()
    where: dict[str, str] = {}  # comment id -> section
    for p in body.iter(_P):
        if any(a.tag == _P for a in p.iterancestors()):
            continue  # a paragraph inside a text box inside a paragraph: read with its host
        ppr = p.find(_PPR)
        style = ""
        if ppr is not None and ppr.find(_PSTYLE) is not None:
            style = ppr.find(_PSTYLE).get(_VAL, "")
        if style in contents:
            continue
        segments: list[tuple[str, str, Any, str]] = []  # (state n|i|d, text, change, looks)
        started: list[str] = []
        formatting = len(p.findall(f".//{_RPR_CHANGE}")) + len(p.findall(f".//{_PPR_CHANGE}"))
        for element in p.iter():
            tag = element.tag
            if tag == _C_START or tag == _C_REF:
                ref = element.get(_ID, "")
                where.setdefault(ref, section)
                anchors.setdefault(ref, [])
                started.append(ref)
                if tag == _C_START:
                    open_anchors.add(ref)
                continue
            if tag == _C_END:
                open_anchors.discard(element.get(_ID, ""))
                continue
            if tag not in (_T, _DEL_TEXT, _TAB, _BR, _CR):
                continue
            if tag == _BR and element.get(_w("type")) == "page":
                continue
            if tag in (_T, _DEL_TEXT):
                text = element.text or ""
            else:
                text = "\t" if tag == _TAB else " "
            state, change = "n", None
            run = None
            for ancestor in element.iterancestors():
                if ancestor.tag == _R and run is None:
                    run = ancestor
                elif ancestor.tag in (_INS, _MOVE_TO):
                    state, change = "i", ancestor
                    break
                elif ancestor.tag in (_DEL, _MOVE_FROM):
                    state, change = "d", ancestor
                    break
                elif ancestor.tag == _P:
                    break
            rpr = run.find(_RPR) if run is not None else None
            tracked = rpr.find(_RPR_CHANGE) if rpr is not None else None
            if tracked is not None:  # tracked formatting rejected: the run as it was
                rpr = tracked.find(_RPR)
            looks = _looks(rpr)
            segments.append((state, text, change, looks))
            if state != "d":
                for ref in open_anchors:
                    anchors[ref].append(text)
        original = "".join(t for s, t, _c, _l in segments if s != "i")
        is_heading = style in headings
        if is_heading:
            section = " ".join(original.split()) or section
            for ref in started:  # a comment on a heading sits under that heading
                where[ref] = section
        signature: list[str] = []
        for state, text, _c, looks in segments:
            if state == "i" or not text:
                continue
            mark = f"{looks}:{len(text)}"
            if signature and signature[-1].split(":")[0] == looks:
                signature[-1] = f"{looks}:{int(signature[-1].rsplit(':', 1)[1]) + len(text)}"
            else:
                signature.append(mark)
        result.paragraphs.append(
            Paragraph(section, is_heading, original, "|".join(signature), formatting)
        )
        _collect_changes(result, section, segments)
    if comments_root is not None:
        _collect_comments(result, comments_root, extended_root, anchors, where)
    return result


def _collect_changes(result: Package, section: str, segments: list[Any]) -> None:
    n = 0
    while n < len(segments):
        state, _text, change, _looks_ = segments[n]
        if state == "n":
            n += 1
            continue
        author = change.get(_AUTHOR, "") if change is not None else ""
        date = change.get(_DATE) if change is not None else None
        end = n
        # one change: neighbouring pieces of the same kind by the same author at the same time
        while (
            end + 1 < len(segments)
            and segments[end + 1][0] == state
            and segments[end + 1][2] is not None
            and segments[end + 1][2].get(_AUTHOR, "") == author
            and segments[end + 1][2].get(_DATE) == date
        ):
            end += 1
        text = "".join(s[1] for s in segments[n : end + 1])
        if text.strip():
            before = "".join(s[1] for s in segments[:n] if s[0] != "d")
            after = "".join(s[1] for s in segments[end + 1 :] if s[0] != "d")
            result.changes.append(
                (
                    section,
                    Change(
                        "insertion" if state == "i" else "deletion",
                        author,
                        _date(date),
                        " ".join(text.split()),
                        _tail(before),
                        _head(after),
                    ),
                )
            )
        n = end + 1


def _collect_comments(
    result: Package,
    root: Any,
    extended: Any,
    anchors: dict[str, list[str]],
    where: dict[str, str],
) -> None:
    parent_of: dict[str, str] = {}
    if extended is not None:
        for ex in extended.iter(f"{{{W15_NS}}}commentEx"):
            parent = ex.get(f"{{{W15_NS}}}paraIdParent")
            if parent:
                parent_of[ex.get(f"{{{W15_NS}}}paraId", "")] = parent
    by_para: dict[str, str] = {}
    for element in root.iter(_w("comment")):
        ref = element.get(_ID, "")
        paragraphs = element.findall(f".//{_P}")
        texts = []
        for p in paragraphs:
            texts.append(
                "".join(
                    (t.text or "") if t.tag == _T else "\t" if t.tag == _TAB else " "
                    for t in p.iter(_T, _TAB, _BR)
                )
            )
        para_id = paragraphs[-1].get(f"{{{W14_NS}}}paraId", "") if paragraphs else ""
        if para_id:
            by_para[para_id] = ref
        result.comments.append(
            Comment(
                ref,
                element.get(_AUTHOR, ""),
                _date(element.get(_DATE)),
                "\n".join(texts).strip(),
                " ".join("".join(anchors.get(ref, [])).split()),
                where.get(ref, NO_SECTION),
                para_id,
            )
        )
    for comment in result.comments:
        parent = parent_of.get(comment.para_id)
        if parent and parent in by_para:
            comment.reply_to = by_para[parent]


# --- comparing with the draft as generated -------------------------------------------------------
@dataclass
class Edit:
    section: str
    before: str
    removed: str
    added: str
    after: str


_BREAK = "\n"


def _tokens(paragraphs: list[Any]) -> list[str]:
    out: list[str] = []
    for text, _looks in paragraphs:
        out.extend(text.split())
        out.append(_BREAK)
    return out


def _join(tokens: list[str]) -> str:
    return " ".join(" ".join(tokens).replace(f" {_BREAK} ", " / ").replace(_BREAK, " ").split())


def _section_edits(heading: str, old: list[Any], new: list[Any]) -> list[Edit]:
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if spans and i1 - spans[-1][1] <= 2 and j1 - spans[-1][3] <= 2:
            spans[-1][1], spans[-1][3] = i2, j2  # close to the last change: one edit
        else:
            spans.append([i1, i2, j1, j2])
    edits = []
    for i1, i2, j1, j2 in spans:
        removed, added = _join(a[i1:i2]), _join(b[j1:j2])
        if not removed and not added:
            continue  # only a paragraph split or joined
        edits.append(Edit(heading, _tail(_join(a[:i1])), removed, added, _head(_join(a[i2:]))))
    return edits


def _formatting(old: list[Any], new: list[Any]) -> int:
    """Paragraphs whose text is unchanged but whose run formatting differs."""
    matcher = difflib.SequenceMatcher(
        None, [t for t, _ in old], [t for t, _ in new], autojunk=False
    )
    count = 0
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                if old[i1 + k][1] != new[j1 + k][1]:
                    count += 1
    return count


def compare(
    generated: list[list[Any]], returned: list[list[Any]]
) -> tuple[list[Edit], dict[str, int]]:
    """Untracked edits and untracked formatting changes, section by section: sections are paired
    by heading (a renamed heading pairs by place), then compared word by word."""
    g_heads = [h for h, _ in generated]
    r_heads = [h for h, _ in returned]
    matcher = difflib.SequenceMatcher(None, g_heads, r_heads, autojunk=False)
    edits: list[Edit] = []
    formatting: dict[str, int] = {}

    def pair(g: list[Any], r: list[Any]) -> None:
        if g[0] != r[0]:
            edits.append(Edit(r[0], "", g[0], r[0], "(section heading)"))
        edits.extend(_section_edits(r[0], g[1], r[1]))
        count = _formatting(g[1], r[1])
        if count:
            formatting[r[0]] = formatting.get(r[0], 0) + count

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(i2 - i1):
                pair(generated[i1 + k], returned[j1 + k])
            continue
        for g in generated[i1:i2]:
            removed = _join([g[0], *_tokens(g[1])])
            edits.append(Edit(g[0], "", removed, "", "(the whole section was removed)"))
        for r in returned[j1:j2]:
            added = _join([r[0], *_tokens(r[1])])
            edits.append(Edit(r[0], "", "", added, "(a new section)"))
    return edits, formatting


# --- the import ----------------------------------------------------------------------------------
@dataclass
class Imported:
    draft_id: int
    version: str
    document: str
    recipient: str
    comments: int = 0
    changes: int = 0
    edits: int = 0
    formatting: int = 0  # formatting-only changes, summarised per section
    formatting_sections: int = 0
    skipped: int = 0  # already in the register from an earlier import

    def line(self, file_name: str) -> str:
        what = (
            f"{self.comments} comment{'s' if self.comments != 1 else ''}, "
            f"{self.changes} tracked change{'s' if self.changes != 1 else ''}, "
            f"{self.edits} untracked edit{'s' if self.edits != 1 else ''}"
        )
        tail = ""
        if self.formatting:
            tail += (
                f"; {self.formatting} formatting-only change{'s' if self.formatting != 1 else ''}"
                f" in {self.formatting_sections} section"
                f"{'s' if self.formatting_sections != 1 else ''}, summarised"
            )
        if self.skipped:
            tail += f"; {self.skipped} already imported, not added again"
        return (
            f"{file_name}: draft {self.version} of {self.document} from {self.recipient}: "
            f"{what}{tail}."
        )


# Every column of a new draft_item that an item may leave out (Core inserts take no defaults).
EMPTY_ITEM: dict[str, Any] = {
    "author": "",
    "made_at": None,
    "section": "",
    "anchor": "",
    "before": "",
    "removed": "",
    "added": "",
    "after": "",
    "comment_ref": "",
    "reply_to": "",
    "count": 0,
    "resolution": "",
    "reason": "",
    "resolved_at": None,
}


def _fingerprint(*parts: Any) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part if part is not None else "").encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def match_draft(store: Store, review_id: int, found: Package, name: str) -> Any:
    """The draft of this review the file is, by its file id; one clear line otherwise."""
    from sqlmodel import select

    from reviewer_tui import models as m

    file_id = found.properties.get(PROP_FILE_ID, "").strip()
    if not file_id:
        raise _problem(
            name,
            "this is not a draft written by reviewer-tui (it carries no draft id), so it "
            "cannot be matched to a draft of this review.",
        )
    with store.session() as session:
        text = session.exec(select(m.DraftText).where(m.DraftText.file_id == file_id)).first()
        draft = session.get(m.ReportDraft, text.report_draft_id) if text is not None else None
    if draft is None or draft.review_id != review_id:
        said = found.properties.get(PROP_DOCUMENT, "a document")
        version = found.properties.get(PROP_VERSION, "")
        raise _problem(
            name,
            f"this is draft {version or '(no version)'} of {said} from another review, "
            f"not a draft of review {review_id}.",
        )
    return draft, text


def _recipient_name(found: Package, given: str | None) -> str:
    if given and given.strip():
        return " ".join(given.split())
    counts: dict[str, int] = {}
    for c in found.comments:
        if c.author.strip():
            counts[c.author.strip()] = counts.get(c.author.strip(), 0) + 1
    if not counts:
        for _section, ch in found.changes:
            if ch.author.strip():
                counts[ch.author.strip()] = counts.get(ch.author.strip(), 0) + 1
    if not counts:
        return "Unknown recipient"
    best = max(counts.values())
    return ", ".join(a for a, n in counts.items() if n == best)


def _items(found: Package, generated: list[list[Any]]) -> Iterator[dict[str, Any]]:
    for c in found.comments:
        yield {
            "kind": "comment",
            "author": c.author,
            "made_at": c.made_at,
            "section": c.section,
            "anchor": c.anchor,
            "added": c.text,
            "comment_ref": c.ref,
            "reply_to": c.reply_to,
        }
    for section, ch in found.changes:
        text_key = "added" if ch.kind == "insertion" else "removed"
        yield {
            "kind": ch.kind,
            "author": ch.author,
            "made_at": ch.made_at,
            "section": section,
            "before": ch.before,
            text_key: ch.text,
            "after": ch.after,
        }
    edits, formatting = compare(generated, found.sections())
    for e in edits:
        yield {
            "kind": "edit",
            "section": e.section,
            "before": e.before,
            "removed": e.removed,
            "added": e.added,
            "after": e.after,
        }
    tracked: dict[str, int] = {}
    for p in found.paragraphs:
        if p.formatting_changes:
            tracked[p.section] = tracked.get(p.section, 0) + p.formatting_changes
    for section in dict.fromkeys([*tracked, *formatting]):
        yield {
            "kind": "formatting",
            "section": section,
            "count": tracked.get(section, 0) + formatting.get(section, 0),
        }


def import_returned(
    store: Store, review_id: int, path: Path, recipient: str | None = None
) -> Imported:
    """Add everything the recipient did to the draft register, under the draft the file is and
    the recipient (named, or the comment authors). Items already imported are skipped; a file
    that cannot be used raises InputError with one line, and nothing is stored."""
    from sqlalchemy import insert
    from sqlmodel import col, func, select

    from reviewer_tui import models as m
    from reviewer_tui import validators
    from reviewer_tui.reviews import check_value

    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: there is no such file. Nothing was imported.") from None
    except IsADirectoryError:
        raise InputError(
            f"{name}: this is a folder, not a Word file. Nothing was imported."
        ) from None
    except OSError as exc:
        raise InputError(
            f"{name}: the file cannot be read ({exc.strerror or exc}). Nothing was imported."
        ) from None
    found = read_package(data, name)
    draft, text = match_draft(store, review_id, found, name)
    who = check_value(_recipient_name(found, recipient), "recipient")
    result = Imported(draft.id, draft.version, draft.document or "the report", who)
    counted = {
        "comment": "comments",
        "insertion": "changes",
        "deletion": "changes",
        "edit": "edits",
    }
    with store.session() as session:
        recipients = list(
            session.exec(
                select(m.DraftRecipient).where(m.DraftRecipient.report_draft_id == draft.id)
            )
        )
        ids = [r.id for r in recipients]
        known = (
            set(
                session.exec(
                    select(m.DraftItem.fingerprint).where(
                        col(m.DraftItem.draft_recipient_id).in_(ids)
                    )
                )
            )
            if ids
            else set()
        )
        new = []
        seen: dict[str, int] = {}
        for item in _items(found, text.sections):
            made = item.get("made_at")
            fingerprint = _fingerprint(
                item["kind"],
                item.get("author", ""),
                made.isoformat() if made else "",
                item.get("section", ""),
                item.get("anchor", ""),
                item.get("before", ""),
                item.get("removed", ""),
                item.get("added", ""),
                item.get("after", ""),
                item.get("count", 0),
            )
            # the same words changed twice alike in one file are two items, told apart by order
            seen[fingerprint] = seen.get(fingerprint, 0) + 1
            fingerprint = _fingerprint(fingerprint, seen[fingerprint])
            if fingerprint in known:
                result.skipped += 1
                continue
            known.add(fingerprint)
            item["fingerprint"] = fingerprint
            new.append(item)
            if item["kind"] == "formatting":
                result.formatting += item["count"]
                result.formatting_sections += 1
            else:
                key = counted[item["kind"]]
                setattr(result, key, getattr(result, key) + 1)
        if not new:
            return result
        holder = next((r for r in recipients if r.name.casefold() == who.casefold()), None)
        if holder is None:
            last = max((r.position for r in recipients), default=0)
            holder = m.DraftRecipient(report_draft_id=draft.id, position=last + 1, name=who)
            session.add(holder)
            session.flush()
        start = session.exec(
            select(func.max(m.DraftItem.position)).where(
                m.DraftItem.draft_recipient_id == holder.id
            )
        ).one()
        # SQLAlchemy Core executemany: a few hundred ORM objects cost most of a second
        # (ENGINEERING.md); the validators run here as the store would run them on a flush.
        rows = []
        for n, item in enumerate(new, start=(start or 0) + 1):
            values = {**EMPTY_ITEM, **item, "draft_recipient_id": holder.id, "position": n}
            rows.append(validators.check_values("draft_item", values))
        session.execute(insert(m.DraftItem), rows)
        session.commit()
    return result


# --- resolving --------------------------------------------------------------------------------
@dataclass
class OpenItem:
    id: int
    draft_version: str
    document: str
    recipient: str
    kind: str
    author: str
    section: str
    context: str  # the item in words, as the list shows it
    stage: str  # the workspace stage where the underlying record is changed


def describe(item: Any) -> str:
    """An item in one line of words: what was said or changed, in its context."""
    if item.kind == "comment":
        lead = "Reply" if item.reply_to else "Comment"
        on = f' on "{item.anchor}"' if item.anchor else ""
        return f'{lead}{on}: "{item.added}"'
    if item.kind == "formatting":
        return f"{item.count} formatting-only change{'s' if item.count != 1 else ''}"
    before = f"…{item.before} " if item.before else ""
    after = f" {item.after}…" if item.after else ""
    if item.kind == "insertion":
        return f"Inserted: {before}[+{item.added}+]{after}"
    if item.kind == "deletion":
        return f"Deleted: {before}[-{item.removed}-]{after}"
    if item.removed and item.added:
        return f"Edited: {before}[-{item.removed}-] [+{item.added}+]{after}"
    if item.added:
        return f"Added: {before}[+{item.added}+]{after}"
    return f"Removed: {before}[-{item.removed}-]{after}"


# A section heading -> the stage where what it says is recorded (the screen to open).
_SECTION_STAGES: tuple[tuple[str, str], ...] = (
    (r"chronolog|significant practice", "chronology"),
    (r"recommendation|action plan|next steps", "recommendations"),
    (
        r"finding|learn|good practice|improved|implication|analysis|went well|differently"
        r"|worries|moved forward",
        "analysis",
    ),
    (r"terms of reference|scope", "scope"),
    (r"basis|records|files", "records"),
    (r"interview|profile|staff", "interviews"),
    (r"meeting", "meeting"),
    (r"family (information|background)|genogram|summary of family", "commissioning"),
    (r"family involvement", "family"),
    (r"escalat|matters raised", "escalations"),
    (r"reason|introduction|why the case|production|sign", "commissioning"),
)


def stage_for(section: str) -> str:
    """Where the record behind a section is changed: a chronology entry, a finding, a
    recommendation...; the report screen itself when nothing more specific fits."""
    text = re.sub(r"^[\d.\s]+", "", section).casefold()
    for pattern, stage in _SECTION_STAGES:
        if re.search(pattern, text):
            return stage
    return "report"


def chronology_entry_for(store: Store, review_id: int, item: OpenItem) -> int | None:
    """The chronology entry an item in a chronology section is about: the one whose event (or
    outcome) holds the words the item is anchored to or changed; None when no single one does."""
    from reviewer_tui import models as m

    row = store.get(m.DraftItem, item.id)
    probes = [p for p in (row.anchor, row.removed, f"{row.before} {row.removed}".strip()) if p]
    probes += [row.before, row.after]
    found = []
    for entry in store.rows(m.ChronologyEntry, review_id):
        text = " ".join(f"{entry.event} {entry.outcome} {entry.participation}".split())
        if any(len(p) >= 8 and " ".join(p.split()) in text for p in probes):
            found.append(entry.id)
    return found[0] if len(found) == 1 else None


def items(store: Store, review_id: int, open_only: bool = False) -> list[Any]:
    """Every item of the review's drafts (with its draft and recipient), in register order."""
    from sqlmodel import col, select

    from reviewer_tui import models as m

    with store.session() as session:
        statement = (
            select(m.DraftItem, m.DraftRecipient, m.ReportDraft)
            .join(m.DraftRecipient, col(m.DraftItem.draft_recipient_id) == col(m.DraftRecipient.id))
            .join(m.ReportDraft, col(m.DraftRecipient.report_draft_id) == col(m.ReportDraft.id))
            .where(m.ReportDraft.review_id == review_id)
            .order_by(
                col(m.ReportDraft.position),
                col(m.DraftRecipient.position),
                col(m.DraftItem.position),
            )
        )
        rows = list(session.exec(statement))
    if open_only:
        rows = [r for r in rows if is_open(r[0])]
    return rows


def is_open(item: Any) -> bool:
    """Waiting for the reviewer: not yet resolved. A formatting summary needs no answer."""
    return item.kind != "formatting" and not item.resolution


def open_items(store: Store, review_id: int, document: str | None = None) -> list[OpenItem]:
    """The open items, grouped by section in the order the sections come in the drafts."""
    out = []
    for item, recipient, draft in items(store, review_id, open_only=True):
        if document is not None and (draft.document or "management-review") != document:
            continue
        out.append(
            OpenItem(
                item.id,
                draft.version,
                draft.document or "management-review",
                recipient.name,
                item.kind,
                item.author,
                item.section,
                describe(item),
                stage_for(item.section),
            )
        )
    order: dict[str, int] = {}
    for o in out:
        order.setdefault(o.section, len(order))
    return sorted(out, key=lambda o: order[o.section])


def resolve(store: Store, item_id: int, resolution: str, reason: str = "") -> None:
    """Close an item: accepted, declined (a reason needed) or changed differently (say how)."""
    from reviewer_tui import domain
    from reviewer_tui import models as m

    if resolution not in domain.DRAFT_RESOLUTIONS:
        raise InputError(
            "An item is resolved as one of: " + ", ".join(domain.DRAFT_RESOLUTIONS) + "."
        )
    if resolution == "declined" and not reason.strip():
        raise InputError("Say why the item is declined: a declined item needs its reason.")
    if resolution == "changed" and not reason.strip():
        raise InputError("Say what was changed instead: a changed item needs its reason.")
    store.update(
        m.DraftItem,
        item_id,
        resolution=resolution,
        reason=reason,
        resolved_at=dt.datetime.now(dt.UTC),
    )


def reopen(store: Store, item_id: int) -> None:
    from reviewer_tui import models as m

    store.update(m.DraftItem, item_id, resolution="", reason="", resolved_at=None)


def check_final(store: Store, review_id: int, document: str) -> None:
    """The final version is not written while a returned item of this document is open: each is
    resolved first (accepted with a reason is how to let one stand unanswered); the reasons are
    kept in the register."""
    waiting = open_items(store, review_id, document)
    if waiting:
        sections = list(dict.fromkeys(o.section for o in waiting))
        shown = "; ".join(sections[:4]) + ("; …" if len(sections) > 4 else "")
        raise InputError(
            f"The final version was NOT written: {len(waiting)} item"
            f"{'s' if len(waiting) != 1 else ''} from returned drafts "
            f"{'are' if len(waiting) != 1 else 'is'} still open ({shown}). Resolve each "
            "(accepted, declined with a reason, or changed differently), or accept it with a "
            "reason, then write the final version."
        )


def without_draft_text(data: dict[str, Any]) -> dict[str, Any]:
    """Review data for a template: the drafts' text as generated and the returned items left
    out (no document prints them; pseudonymising them for a publication version cost about
    0.2 s per draft)."""
    report = data.get("report")
    if not isinstance(report, dict) or not report.get("drafts"):
        return data
    drafts = []
    for draft in report["drafts"]:
        kept = {k: v for k, v in draft.items() if k != "sections"}
        kept["recipients"] = [
            {k: v for k, v in r.items() if k != "items"} for r in draft.get("recipients") or []
        ]
        drafts.append(kept)
    return {**data, "report": {**report, "drafts": drafts}}


def record_generated(store: Store, draft_id: int, file_id: str, content: bytes) -> None:
    """Keep a generated draft's id and its text as written, to compare a returned copy with."""
    from reviewer_tui import models as m

    found = read_package(content, "the generated draft")
    with store.session() as session:
        session.add(
            m.DraftText(report_draft_id=draft_id, file_id=file_id, sections=found.sections())
        )
        session.commit()
