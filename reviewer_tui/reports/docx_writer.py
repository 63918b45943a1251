"""Markdown -> Word: a small walker over markdown-it-py tokens writing into a python-docx document
opened from the reference .docx shipped beside the templates (ENGINEERING.md "Reports").
Paragraphs, runs and table rows are built as WordprocessingML elements directly: python-docx's
own setters re-scan the styles or the table on every call, which made a long report take
seconds.

Only CommonMark plus tables, raw HTML off. Layout instructions a template needs and Markdown lacks
are fenced blocks with the info string `docx`, one instruction a line:

    toc                 the contents: headings 1-2 with PAGEREF page numbers
    pagebreak           start a new page
    style: NAME         following paragraphs use paragraph style NAME ...
    style: end          ... until this
    widths: 2.5, 6, 2   column widths in cm for the next table
    blank: 3            three empty paragraphs (room to write on a form)

User text cannot produce a fence: every backtick and line break in it is escaped by the engine.
Characters XML 1.0 forbids are removed here, on the way into Word (RELIABILITY.md rule 12).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import types
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement
from markdown_it import MarkdownIt
from markdown_it.rules_block import table as markdown_table
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from reviewer_tui.reports.engine import LINE_BREAK, TAB

REFERENCE_NAME = "reference.docx"
SIGNATURE_STYLE = "Signature Line"
LIST_INDENT_CM = 0.635  # each list level of the reference document indents this much more
TOC_LEVELS = 2  # headings 1 and 2 are listed in the contents
EM_SPACE_CODE = "2003"  # U+2003 EM SPACE, as a w:sym character code
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


# Advance widths of Arial / Liberation Sans (the same metrics), in thousandths of an em, for
# printable ASCII from the space; other characters count as a wide letter.
_ADVANCE = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]  # fmt: skip
_WIDE = 750
CELL_MARGINS_CM = 0.38  # Word's default left and right cell margins (0.19 cm each)
_SLACK = 1.1  # room for a font a little wider than Arial, and for rounding in the layout


class _Ems(dict[str, int]):
    def __missing__(self, _char: str) -> int:
        return _WIDE


_CHAR_EMS = _Ems({chr(32 + n): width for n, width in enumerate(_ADVANCE)})
_EMS_TO_CM = _SLACK / 1000 / 72 * 2.54  # thousandths of an em at 1 pt, as cm (with the slack)
_BOLD = 1.08
_SPACE_EMS = _CHAR_EMS[" "]


@functools.lru_cache(maxsize=65536)
def _word_ems(word: str) -> int:
    return sum(map(_CHAR_EMS.__getitem__, word))


def text_width_cm(text: str, size_pt: float, bold: bool = False) -> float:
    """How wide `text` prints in Arial at `size_pt`, a little generously (bold is wider)."""
    ems = sum(map(_CHAR_EMS.__getitem__, text))
    return ems * size_pt * (_BOLD if bold else 1.0) * _EMS_TO_CM


def column_widths(
    cells: list[list[str]],
    usable_cm: float,
    preferred: list[float] | None,
    size_pt: float,
    header: bool = True,
) -> list[float]:
    """Column widths in cm for rows of cell texts (the first row a bold header if `header`):
    each column at least as wide as its longest word, so no word breaks inside; the rest of the
    width shared by how much text each column holds, or as a template's `widths:` prefers. The
    sum exceeds `usable_cm` only when the longest words alone do (the caller turns the page)."""
    columns = max((len(row) for row in cells), default=1)
    floor = [CELL_MARGINS_CM] * columns
    want = [CELL_MARGINS_CM] * columns
    for r, row in enumerate(cells):
        scale = size_pt * (_BOLD if header and r == 0 else 1.0) * _EMS_TO_CM
        for n, text in enumerate(row):
            words = list(map(_word_ems, text.split()))  # cached: words repeat
            if not words:
                continue
            longest = max(words) * scale + CELL_MARGINS_CM
            whole = (sum(words) + _SPACE_EMS * (len(words) - 1)) * scale + CELL_MARGINS_CM
            floor[n] = max(floor[n], longest)
            want[n] = max(want[n], whole)
    if preferred:
        want = [
            max(preferred[n] if n < len(preferred) else want[n], floor[n]) for n in range(columns)
        ]
    if sum(floor) >= usable_cm:
        return floor
    if sum(want) <= usable_cm:
        if not preferred:  # every cell fits on one line: the widest column takes the spare room
            widest = max(range(columns), key=lambda n: want[n])
            want[widest] += usable_cm - sum(want)
        return want
    # too wide: the columns with room above their floor give it up, each by its share of it
    room = [want[n] - floor[n] for n in range(columns)]
    excess = sum(want) - usable_cm
    return [want[n] - excess * room[n] / sum(room) for n in range(columns)]


def xml_safe(text: str) -> tuple[str, int]:
    """Text with XML-forbidden characters (BEL, NUL, lone surrogates...) removed, and how many."""
    cleaned, removed = _XML_FORBIDDEN.subn("", text)
    return cleaned, removed


# Inline Markdown the engine wrote from a value holds only escaped punctuation ("\\*") between
# plain characters: it cannot be emphasis, code, a link, an entity or a line break. markdown-it
# would push a token per escape (a 200 KB interview is ~50,000 of them); such content is read
# here as the one text token markdown-it ends with after joining them (the `text_join` rule).
_ESCAPED_PAIR = re.compile(r"\\[!-/:-@\[-`{-~]")
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]!<&\n]")


def plain_inline(content: str) -> str | None:
    """The text of inline Markdown that is plain text with escaped punctuation, or None when it
    holds any inline syntax (then markdown-it parses it)."""
    if _INLINE_SYNTAX.search(_ESCAPED_PAIR.sub("", content)) is not None:
        return None
    if "\\" not in content:
        return content
    # Every backslash starts an escape pair here, so pairs read left to right: "\\\\" is one
    # backslash, any other "\\" drops. NUL cannot occur (markdown-it's normalize replaced it).
    return content.replace("\\\\", "\0").replace("\\", "").replace("\0", "\\")


def _inline_rule(state: StateCore) -> None:
    """markdown-it's core `inline` rule, with plain escaped text read directly."""
    md, env = state.md, state.env
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        text = plain_inline(token.content) if token.content else None
        if text is None:
            md.inline.parse(token.content, md, env, token.children)
        else:
            token.children.append(Token("text", "", 0, content=text))


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def split_table_row(row: str) -> list[str]:
    """markdown-it's `escapedSplit` for a table row, with the same result: cells end at each pipe
    not right after a backslash, and an escaped pipe keeps only the pipe. Theirs steps through
    the row a character at a time in Python (seconds for a 10,000-entry chronology)."""
    return [cell.replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(row)]


# markdown-it's own table rule, reading rows with split_table_row (its module is left as it is).
_table_rule = types.FunctionType(
    markdown_table.__code__,
    {**markdown_table.__globals__, "escapedSplit": split_table_row},
    markdown_table.__name__,
    markdown_table.__defaults__,
    markdown_table.__closure__,
)


def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.core.ruler.at("inline", _inline_rule)
    md.block.ruler.at("table", _table_rule, {"alt": ["paragraph", "reference"]})
    return md


def reference_bytes() -> bytes:
    return resources.files("reviewer_tui.report_templates").joinpath(REFERENCE_NAME).read_bytes()


@dataclass
class Page:
    """What goes on every page: the header and footer texts."""

    title: str = ""
    confidential: bool = True
    draft_version: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    custom_properties: dict[str, str] = field(default_factory=dict)  # a draft's identity


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
        self.headings: list[tuple[int, str, str]] = []  # level, text, bookmark
        self._toc: Paragraph | None = None
        self._style_override: str | None = None
        self._next_widths: list[float] | None = None
        self._landscape_after: Any = None
        self._bookmarks = 0
        self._signature: list[Any] = []  # the paragraphs of a signature block being written
        table_text = next((s for s in self.doc.styles if s.name == "Table Text"), None)
        size = table_text.font.size if table_text is not None else None
        self._table_font_pt = size.pt if size is not None else 11.0
        # Style ids by name, set on paragraphs directly: python-docx's `paragraph.style = ...`
        # searches every style for the default on each call (2 ms each, most of a long report).
        self._style_ids = {s.name: s.style_id for s in self.doc.styles if s.type == 1}
        self._paragraph_styles = set(self._style_ids)
        self._table_style = next(
            (s for s in self.doc.styles if s.type == 3 and s.name == "Report Table"), None
        )
        self._usable: dict[bool, float] = {}

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
                # A tab typed in a record: an em space drawn as a symbol, then the tab. A bare
                # tab leaves a sliver when the text before it ends just short of a tab stop;
                # as a symbol the space is layout, and the text stays as recorded.
                gap = SubElement(run, qn("w:sym"))
                gap.set(qn("w:font"), "Arial")
                gap.set(qn("w:char"), EM_SPACE_CODE)
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

    def _level_style(self, base: str, depth: int) -> tuple[str, int]:
        """The style for a list `depth` levels deep ("List Bullet 2", ...), and how many levels
        deeper than the deepest such style the reference document has."""
        for level in range(depth, 0, -1):
            name = base if level == 1 else f"{base} {level}"
            if name in self._paragraph_styles:
                return name, depth - level
        return base, depth - 1

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
                bookmark = ""
                if level <= TOC_LEVELS:  # a bookmark the contents list's page number points at
                    self._bookmarks += 1
                    bookmark = f"_Toc{self._bookmarks:06d}"
                    start = OxmlElement("w:bookmarkStart")
                    start.set(qn("w:id"), str(self._bookmarks))
                    start.set(qn("w:name"), bookmark)
                    properties = p.find(_PPR)
                    if properties is not None:
                        properties.addnext(start)
                    else:
                        p.insert(0, start)
                    end = SubElement(p, qn("w:bookmarkEnd"))
                    end.set(qn("w:id"), str(self._bookmarks))
                self.headings.append((level, self._clean(text).replace(LINE_BREAK, " "), bookmark))
                i += 3
                continue
            if kind == "paragraph_open":
                style = None
                prefix = ""
                deeper = 0
                if lists:
                    depth = len(lists)
                    top = lists[-1]
                    first_in_item = tokens[i - 1].type == "list_item_open"
                    if top[0] == "bullet":  # a level deeper than the styles: indented more
                        base = "List Bullet" if first_in_item else "List Continue"
                        style, deeper = self._level_style(base, depth)
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
                if deeper:
                    paragraph.paragraph_format.left_indent = Cm(LIST_INDENT_CM * depth)
                if prefix:
                    paragraph.add_run(prefix)
                children = tokens[i + 1].children or []
                self._inline(paragraph, children)
                if not lists and _all_bold(children):  # a label: never the last line of a page
                    paragraph.paragraph_format.keep_with_next = True
                if self._style_override == SIGNATURE_STYLE:
                    self._signature.append(paragraph)
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
                # a signature block stays on one page: each line kept with the next
                for paragraph in self._signature[:-1]:
                    paragraph.paragraph_format.keep_with_next = True
                self._signature = []
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
        # At the body's width, as Document.add_table does, without its search for the section.
        table = self._body_proxy.add_table(0, columns, Cm(self._usable_cm(landscape=False)))
        if self._table_style is not None:
            table.style = self._table_style
        preferred = self._next_widths
        self._next_widths = None
        text_style = "Table Text" if "Table Text" in self._paragraph_styles else None
        head_style = "Table Heading" if "Table Heading" in self._paragraph_styles else None
        texts = [[self._plain(cell) for cell in cells] for _h, cells in rows]
        portrait = self._usable_cm(landscape=False)
        widths = column_widths(
            texts, portrait, preferred, self._table_font_pt, header=bool(rows and rows[0][0])
        )
        if sum(widths) > portrait + 0.01:  # the longest words alone are too wide: turn the page
            self._landscape_table(table)
            widths = column_widths(
                texts,
                self._usable_cm(landscape=True),
                preferred,
                self._table_font_pt,
                header=bool(rows and rows[0][0]),
            )
        table.autofit = False  # a fixed layout: Word and LibreOffice both keep these widths
        tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
        if tbl_w is None:
            tbl_w = SubElement(table._tbl.tblPr, qn("w:tblW"))
        tbl_w.set(_W, str(round(sum(widths) * 567)))
        tbl_w.set(_TYPE, "dxa")
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
        after = self.doc.add_paragraph()
        if self._landscape_after is not None:  # this paragraph ends the landscape section
            after._p.get_or_add_pPr().append(self._landscape_after)
            self._landscape_after = None

    @staticmethod
    def _plain(children: list[Any]) -> str:
        return "".join(t.content for t in children if t.type in ("text", "code_inline"))

    def _usable_cm(self, landscape: bool) -> float:
        """The width between the margins, in cm (A4 with 2.2 cm margins where unset). Worked out
        once: `doc.sections` searches the whole body on every call, seconds on a long report,
        and the body's own section properties never change while the writer runs."""
        if landscape not in self._usable:
            self._usable[landscape] = self._measure_usable_cm(landscape)
        return self._usable[landscape]

    def _measure_usable_cm(self, landscape: bool) -> float:
        section = Section(self._sect_pr, self.doc.part)
        across = (section.page_height if landscape else section.page_width) or Cm(
            29.7 if landscape else 21.0
        )
        margins = (section.left_margin or Cm(2.2)) + (section.right_margin or Cm(2.2))
        return float((across - margins) / 360000)

    def _landscape_table(self, table: Any) -> None:
        """The table on landscape pages of its own: the paragraph before it ends the portrait
        section (a copy of the document's page setup), the one after it a landscape one."""
        portrait = copy.deepcopy(self._sect_pr)
        ending = OxmlElement("w:p")
        ending.append(OxmlElement("w:pPr"))
        ending[0].append(portrait)
        table._tbl.addprevious(ending)
        landscape = copy.deepcopy(self._sect_pr)
        size = landscape.find(qn("w:pgSz"))
        width, height = size.get(_W), size.get(qn("w:h"))
        size.set(_W, height)
        size.set(qn("w:h"), width)
        size.set(qn("w:orient"), "landscape")
        for tag in ("w:headerReference", "w:footerReference"):
            for element in landscape.findall(qn(tag)):
                landscape.remove(element)
        self._landscape_after = landscape

    # --- finishing -----------------------------------------------------------------------------
    def _field(
        self, paragraph: Any, instruction: str, placeholder: str, dirty: bool = False
    ) -> None:
        def char(kind: str) -> Any:
            run = OxmlElement("w:r")
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            if dirty and kind == "begin":
                fld.set(qn("w:dirty"), "true")
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
        if placeholder:
            paragraph.add_run(placeholder)
        paragraph._p.append(char("end"))

    def _fill_toc(self) -> None:
        """The contents: one paragraph per heading of levels 1-2, its text, a dotted right tab
        and its page number as a PAGEREF field pointing at the heading's bookmark. Not a TOC
        field: LibreOffice keeps a TOC field's stored text when it converts (no page numbers),
        while it fills every PAGEREF as it lays out the pages; Word updates them on opening."""
        if self._toc is None:
            return
        start = self._toc_field
        last = start
        entries = [h for h in self.headings if h[0] <= TOC_LEVELS]
        right = Cm(self._usable_cm(landscape=False))
        for n, (level, text, bookmark) in enumerate(entries):
            target = start if n == 0 else _insert_paragraph_after(last)
            style = f"TOC {level}" if f"TOC {level}" in self._paragraph_styles else None
            if style:
                self._set_style(target, style)
            target.paragraph_format.tab_stops.add_tab_stop(
                right, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
            )
            target.add_run(text)
            target.add_run("\t")
            self._field(target, f"PAGEREF {bookmark} \\h", "", dirty=True)
            last = target
        # Word refreshes the page numbers when the document opens.
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
        if self.page.custom_properties:
            from reviewer_tui.reports.returned import add_custom_properties

            add_custom_properties(self.doc, self.page.custom_properties)
        return self.doc


def _all_bold(children: list[Any]) -> bool:
    """Whether a paragraph's visible text is all bold ("**Staff interviewed**")."""
    bold, seen = False, False
    for tok in children:
        if tok.type == "strong_open":
            bold = True
        elif tok.type == "strong_close":
            bold = False
        elif tok.type in ("text", "code_inline") and tok.content.strip():
            if not bold:
                return False
            seen = True
    return seen


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
