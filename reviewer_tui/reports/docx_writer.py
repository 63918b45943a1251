"""Markdown -> Word: a small walker over markdown-it-py tokens writing into a python-docx document
opened from the reference .docx shipped beside the templates (ENGINEERING.md "Reports").
Paragraphs, runs and table rows are built as WordprocessingML elements directly: python-docx's
own setters re-scan the styles or the table on every call, which made a long report take
seconds.

Only CommonMark plus tables, raw HTML off. Layout instructions a template needs and Markdown lacks
are fenced blocks with the info string `docx`, one instruction a line:

    toc                 a table of contents field (filled with this document's headings)
    pagebreak           start a new page
    style: NAME         following paragraphs use paragraph style NAME ...
    style: end          ... until this
    widths: 2.5, 6, 2   column widths in cm for the next table
    blank: 3            three empty paragraphs (room to write on a form)

User text cannot produce a fence: every backtick and line break in it is escaped by the engine.
Characters XML 1.0 forbids are removed here, on the way into Word (RELIABILITY.md rule 12).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement
from markdown_it import MarkdownIt

from reviewer_tui.reports.engine import LINE_BREAK, TAB

REFERENCE_NAME = "reference.docx"
_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PLACEHOLDERS = re.compile(f"([{LINE_BREAK}{TAB}])")
_CONTROL_BREAKS = re.compile(r"([\t\n\r])")
_R, _RPR, _RFONTS, _B, _I = qn("w:r"), qn("w:rPr"), qn("w:rFonts"), qn("w:b"), qn("w:i")
_T, _BR, _TAB, _P, _PPR, _PSTYLE = (
    qn("w:t"),
    qn("w:br"),
    qn("w:tab"),
    qn("w:p"),
    qn("w:pPr"),
    qn("w:pStyle"),
)
_TR, _TC, _TCPR, _TCW, _TRPR = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:tcW"), qn("w:trPr")
_ASCII, _HANSI, _VAL, _W, _TYPE = qn("w:ascii"), qn("w:hAnsi"), qn("w:val"), qn("w:w"), qn("w:type")
_SPACE = qn("xml:space")


def xml_safe(text: str) -> tuple[str, int]:
    """Text with XML-forbidden characters (BEL, NUL, lone surrogates...) removed, and how many."""
    cleaned, removed = _XML_FORBIDDEN.subn("", text)
    return cleaned, removed


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def reference_bytes() -> bytes:
    return resources.files("reviewer_tui.report_templates").joinpath(REFERENCE_NAME).read_bytes()


@dataclass
class Page:
    """What goes on every page: the header and footer texts."""

    title: str = ""
    confidential: bool = True
    draft_version: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Run:
    bold: bool = False
    italic: bool = False
    code: bool = False


class WordWriter:
    def __init__(self, page: Page, reference: bytes | None = None) -> None:
        self.page = page
        self.doc = Document(io.BytesIO(reference if reference is not None else reference_bytes()))
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.removed_characters = 0
        self._sect_pr = body.find(qn("w:sectPr"))
        self._break_before = False
        self._body_proxy = self.doc._body
        self.headings: list[tuple[int, str]] = []
        self._toc: Paragraph | None = None
        self._style_override: str | None = None
        self._next_widths: list[float] | None = None
        # Style ids by name, set on paragraphs directly: python-docx's `paragraph.style = ...`
        # searches every style for the default on each call (2 ms each, most of a long report).
        self._style_ids = {s.name: s.style_id for s in self.doc.styles if s.type == 1}
        self._paragraph_styles = set(self._style_ids)

    # --- text ----------------------------------------------------------------------------------
    def _clean(self, text: str) -> str:
        cleaned, removed = xml_safe(text)
        self.removed_characters += removed
        return cleaned

    def _add_text(self, paragraph: Any, text: str, fmt: _Run) -> None:
        """Runs built as XML directly (python-docx's add_run re-scans every character)."""
        p = paragraph._p if hasattr(paragraph, "_p") else paragraph
        for piece in _PLACEHOLDERS.split(self._clean(text)):
            if not piece:
                continue
            run = SubElement(p, _R)
            if fmt.bold or fmt.italic or fmt.code:
                properties = SubElement(run, _RPR)
                if fmt.code:
                    fonts = SubElement(properties, _RFONTS)
                    fonts.set(_ASCII, "Courier New")
                    fonts.set(_HANSI, "Courier New")
                if fmt.bold:
                    SubElement(properties, _B)
                if fmt.italic:
                    SubElement(properties, _I)
            if piece == LINE_BREAK:
                SubElement(run, _BR)
            elif piece == TAB:
                SubElement(run, _TAB)
            else:
                for part in _CONTROL_BREAKS.split(piece):
                    if part == "\t":
                        SubElement(run, _TAB)
                    elif part in ("\n", "\r"):
                        SubElement(run, _BR)
                    elif part:
                        t = SubElement(run, _T)
                        t.text = part
                        if part[0] == " " or part[-1] == " ":
                            t.set(_SPACE, "preserve")

    def _inline(self, paragraph: Any, children: list[Any]) -> str:
        fmt = _Run()
        plain: list[str] = []
        for tok in children:
            kind = tok.type
            if kind == "text":
                self._add_text(paragraph, tok.content, fmt)
                plain.append(tok.content)
            elif kind == "softbreak":
                self._add_text(paragraph, " ", fmt)
                plain.append(" ")
            elif kind == "hardbreak":
                p = paragraph._p if hasattr(paragraph, "_p") else paragraph
                SubElement(SubElement(p, _R), _BR)
            elif kind == "strong_open":
                fmt.bold = True
            elif kind == "strong_close":
                fmt.bold = False
            elif kind == "em_open":
                fmt.italic = True
            elif kind == "em_close":
                fmt.italic = False
            elif kind == "code_inline":
                self._add_text(paragraph, tok.content, _Run(fmt.bold, fmt.italic, True))
                plain.append(tok.content)
            elif kind in ("link_open", "link_close", "image"):
                if kind == "image":
                    self._add_text(paragraph, tok.content, fmt)
            else:  # anything else prints as its source text, never dropped
                self._add_text(paragraph, tok.content, fmt)
        return "".join(plain)

    # --- blocks --------------------------------------------------------------------------------
    def _paragraph(self, style: str | None) -> Any:
        """A new body paragraph, built as XML and placed before the section properties."""
        p = self._new_p(self._style_override or style)
        self._sect_pr.addprevious(p)
        return Paragraph(p, self._body_proxy)

    def _new_p(self, style: str | None, parent: Any = None) -> Any:
        p = SubElement(parent, _P) if parent is not None else OxmlElement("w:p")
        style_id = self._style_ids.get(style) if style else None
        page_break = parent is None and self._break_before
        if style_id is not None or page_break:
            properties = SubElement(p, _PPR)
            if style_id is not None:
                SubElement(properties, _PSTYLE).set(_VAL, style_id)
            if page_break:
                SubElement(properties, qn("w:pageBreakBefore"))
                self._break_before = False
        return p

    def _set_style(self, paragraph: Any, name: str) -> None:
        style_id = self._style_ids.get(name)
        if style_id is not None:
            paragraph._p.style = style_id

    def write(self, markdown: str) -> None:
        tokens = parser().parse(markdown)
        lists: list[list[Any]] = []  # [kind, next number]
        quote = 0
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                level = int(tok.tag[1])
                p = self._new_p(f"Heading {min(level, 6)}")
                self._sect_pr.addprevious(p)
                paragraph = Paragraph(p, self._body_proxy)
                text = self._inline(paragraph, tokens[i + 1].children or [])
                self.headings.append((level, self._clean(text).replace(LINE_BREAK, " ")))
                i += 3
                continue
            if kind == "paragraph_open":
                style = None
                prefix = ""
                if lists:
                    depth = len(lists)
                    top = lists[-1]
                    first_in_item = tokens[i - 1].type == "list_item_open"
                    if top[0] == "bullet":
                        style = "List Bullet" if depth == 1 else "List Bullet 2"
                        if not first_in_item:
                            style = "List Continue" if depth == 1 else "List Continue 2"
                    else:
                        style = "List Numbered Text" if depth == 1 else "List Continue 2"
                        if first_in_item:
                            prefix = f"{top[1]}.\t"
                            top[1] += 1
                        else:
                            style = "List Continue"
                elif quote:
                    style = "Quote"
                paragraph = self._paragraph(style)
                if prefix:
                    paragraph.add_run(prefix)
                self._inline(paragraph, tokens[i + 1].children or [])
                i += 3
                continue
            if kind == "bullet_list_open":
                lists.append(["bullet", 1])
            elif kind == "ordered_list_open":
                start = tok.attrGet("start")
                lists.append(["ordered", int(start) if start else 1])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "fence" and tok.info.strip() == "docx":
                self._instructions(tok.content)
            elif kind in ("fence", "code_block"):
                paragraph = self._paragraph("Plain Text")
                self._add_text(
                    paragraph, tok.content.rstrip("\n").replace("\n", LINE_BREAK), _Run()
                )
            elif kind == "hr":
                self._paragraph(None)
            elif kind == "table_open":
                end = i
                while tokens[end].type != "table_close":
                    end += 1
                self._table(tokens[i : end + 1])
                i = end + 1
                continue
            elif kind == "html_block":
                paragraph = self._paragraph(None)
                self._add_text(paragraph, tok.content, _Run())
            i += 1

    def _instructions(self, content: str) -> None:
        for line in content.splitlines():
            line = line.strip()
            if not line:
                continue
            if line == "toc":
                self._toc = self._paragraph("TOC Heading")
                self._toc.add_run("Contents")
                self._toc_field = self.doc.add_paragraph()
            elif line == "pagebreak":  # the next paragraph starts a page (no empty page if full)
                self._break_before = True
            elif line.startswith("style:"):
                name = line.split(":", 1)[1].strip()
                self._style_override = None if name in ("end", "") else name
            elif line.startswith("blank:"):  # room to write by hand on a form
                for _ in range(int(line.split(":", 1)[1])):
                    self._paragraph("Form Answer")
            elif line.startswith("widths:"):
                self._next_widths = [
                    float(w) for w in line.split(":", 1)[1].split(",") if w.strip()
                ]

    def _table(self, tokens: list[Any]) -> None:
        rows: list[tuple[bool, list[list[Any]]]] = []
        current: list[list[Any]] | None = None
        header = False
        for tok in tokens:
            if tok.type == "thead_open":
                header = True
            elif tok.type == "tbody_open":
                header = False
            elif tok.type == "tr_open":
                current = []
            elif tok.type == "tr_close":
                rows.append((header, current or []))
            elif tok.type == "inline" and current is not None:
                current.append(tok.children or [])
        if self._break_before:
            self._paragraph(None)
        columns = max((len(cells) for _h, cells in rows), default=1)
        # A table whose header cells are all empty is a list of label/value pairs: no header row.
        if (
            rows
            and rows[0][0]
            and not any(child.content.strip() for cell in rows[0][1] for child in cell)
        ):
            rows = rows[1:]
        table = self.doc.add_table(rows=0, cols=columns)
        if "Report Table" in {s.name for s in self.doc.styles if s.type == 3}:
            table.style = self.doc.styles["Report Table"]
        widths = self._next_widths
        self._next_widths = None
        text_style = "Table Text" if "Table Text" in self._paragraph_styles else None
        head_style = "Table Heading" if "Table Heading" in self._paragraph_styles else None
        if widths:
            table.autofit = False
            for index, width in enumerate(widths[:columns]):
                table.columns[index].width = Cm(width)
        # Rows built as XML directly: python-docx's add_row and row.cells re-walk the table
        # (quadratic on a 1,000-row chronology). Each cell: width, shading for the header row,
        # one paragraph in the table style.
        tbl = table._tbl
        grid = [col.get(_W) for col in tbl.tblGrid.findall(qn("w:gridCol"))]
        for is_header, cells in rows:
            tr = SubElement(tbl, _TR)
            tr_pr = SubElement(tr, _TRPR)
            SubElement(tr_pr, qn("w:cantSplit"))  # a row moves to the next page whole
            if is_header:
                SubElement(tr_pr, qn("w:tblHeader")).set(_VAL, "true")
            for n in range(columns):
                tc = SubElement(tr, _TC)
                tc_pr = SubElement(tc, _TCPR)
                grid_width = grid[n] if n < len(grid) else None
                if grid_width:
                    tc_w = SubElement(tc_pr, _TCW)
                    tc_w.set(_W, str(grid_width))
                    tc_w.set(_TYPE, "dxa")
                if is_header:
                    shade = SubElement(tc_pr, qn("w:shd"))
                    shade.set(_VAL, "clear")
                    shade.set(qn("w:color"), "auto")
                    shade.set(qn("w:fill"), "D9E2F3")
                p = self._new_p(head_style if is_header else text_style, tc)
                if n < len(cells):
                    self._inline(p, cells[n])
        self.doc.add_paragraph()

    # --- finishing -----------------------------------------------------------------------------
    def _field(self, paragraph: Any, instruction: str, placeholder: str) -> None:
        def char(kind: str) -> Any:
            run = OxmlElement("w:r")
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run.append(fld)
            return run

        paragraph._p.append(char("begin"))
        run = OxmlElement("w:r")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        run.append(instr)
        paragraph._p.append(run)
        paragraph._p.append(char("separate"))
        paragraph.add_run(placeholder)
        paragraph._p.append(char("end"))

    def _fill_toc(self) -> None:
        if self._toc is None:
            return
        start = self._toc_field
        p = start._p

        def fld(kind: str) -> Any:
            run = OxmlElement("w:r")
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                element.set(qn("w:dirty"), "true")
            run.append(element)
            return run

        p.append(fld("begin"))
        run = OxmlElement("w:r")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = ' TOC \\o "1-2" \\h \\z \\u '
        run.append(instr)
        p.append(run)
        p.append(fld("separate"))
        last = start
        entries = [(level, text) for level, text in self.headings if level <= 2]
        if not entries:
            start.add_run("Update this field to build the table of contents.")
        for n, (level, text) in enumerate(entries):
            target = start if n == 0 else _insert_paragraph_after(last)
            style = f"TOC {level}" if f"TOC {level}" in self._paragraph_styles else None
            if style:
                self._set_style(target, style)
            target.add_run(text)
            last = target
        last._p.append(fld("end"))
        if "TOC 1" in self._paragraph_styles:
            self._set_style(start, "TOC 1")
        # Word refreshes the field (with page numbers) when the document opens.
        settings = self.doc.settings.element
        if settings.find(qn("w:updateFields")) is None:
            update = OxmlElement("w:updateFields")
            update.set(qn("w:val"), "true")
            settings.append(update)

    def _header_footer(self) -> None:
        section = self.doc.sections[0]
        header = section.header
        header.is_linked_to_previous = False
        hp = header.paragraphs[0]
        for run in list(hp.runs):
            run._r.getparent().remove(run._r)
        parts = []
        if self.page.confidential:
            parts.append("STRICTLY CONFIDENTIAL")
        if self.page.draft_version:
            parts.append(f"DRAFT version {self.page.draft_version}")
        hp.style = self.doc.styles["Header"]
        if parts:
            run = hp.add_run("    ·    ".join(parts))
            run.bold = True
        footer = section.footer
        footer.is_linked_to_previous = False
        fp = footer.paragraphs[0]
        fp.style = self.doc.styles["Footer"]
        if self.page.title:
            fp.add_run(self._clean(self.page.title) + "    ")
        fp.add_run("Page ")
        self._field(fp, "PAGE", "1")
        fp.add_run(" of ")
        self._field(fp, "NUMPAGES", "1")

    def finish(self) -> Any:
        self._fill_toc()
        self._header_footer()
        set_properties(self.doc, self.page.properties, self._clean)
        return self.doc


def _insert_paragraph_after(paragraph: Paragraph) -> Paragraph:
    new = OxmlElement("w:p")
    paragraph._p.addnext(new)
    return Paragraph(new, paragraph._parent)


APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>reviewer-tui</Application><DocSecurity>0</DocSecurity>"
    b"<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    b"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)

_LEFTOVER_PACKAGE_RELS = ("/thumbnail", "/custom-properties")
_LEFTOVER_PART_RELS = (
    "/customXml",
    "/stylesWithEffects",
    "/comments",
    "/people",
    "/commentsExtended",
    "/commentsIds",
    "/glossaryDocument",
)


def set_properties(doc: Any, values: dict[str, Any], clean: Any = lambda s: s) -> None:
    """Core properties set explicitly and python-docx's (or a reference document's) leftovers
    removed: thumbnail, custom XML, custom properties, comments, a foreign app.xml (rule 17)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    core = doc.core_properties
    core.title = clean(values.get("title", ""))
    core.subject = clean(values.get("subject", ""))
    core.author = clean(values.get("author", ""))
    core.last_modified_by = clean(values.get("author", ""))
    core.comments = ""
    core.keywords = ""
    core.category = clean(values.get("category", ""))
    core.content_status = clean(values.get("status", ""))
    core.identifier = ""
    core.version = clean(values.get("version", ""))
    core.language = "en-GB"
    core.revision = 1
    core.created = now
    core.modified = now
    for element in core._element.findall(qn("cp:lastPrinted")):  # never printed: say nothing
        core._element.remove(element)
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith(_LEFTOVER_PACKAGE_RELS):
            package.rels.pop(rel_id)
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = APP_XML
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(_LEFTOVER_PART_RELS):
            doc.part.rels.pop(rel_id)
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture", "w:attachedTemplate", "w:rsids", "w:docVars"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    # Comment anchors left in the body would point at the removed comments part.
    body = doc.element.body
    for tag in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference"):
        for element in body.iter(qn(tag)):
            element.getparent().remove(element)


def markdown_to_docx(
    markdown: str, page: Page, reference: bytes | None = None
) -> tuple[bytes, int]:
    """The Word file's bytes and how many XML-forbidden characters were left out."""
    writer = WordWriter(page, reference)
    writer.write(markdown)
    doc = writer.finish()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue(), writer.removed_characters
