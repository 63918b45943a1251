"""Builds the reference .docx shipped in report_templates/: page setup and every style the
Markdown renderer uses. An organisation restyles its reports by replacing that file with its own
(keeping the style names); run `python -m reviewer_tui.reports.reference DIR` to rebuild it.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"  # Liberation Sans where Arial is absent: same metrics
NAVY = RGBColor(0x1F, 0x38, 0x64)


def _font(
    style: Any,
    size: float | None = None,
    bold: bool | None = None,
    colour: RGBColor | None = None,
    italic: bool | None = None,
) -> None:
    font = style.font
    font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if colour is not None:
        font.color.rgb = colour


def _paragraph_style(doc: Any, name: str, base: str = "Normal") -> Any:
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    return style


def build_reference() -> bytes:
    from reviewer_tui.reports.docx_writer import set_properties

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.3), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)

    styles = doc.styles
    normal = styles["Normal"]
    _font(normal, 11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    normal.paragraph_format.line_spacing = 1.15
    for level, size in ((1, 16), (2, 13), (3, 11.5), (4, 11), (5, 11), (6, 11)):
        heading = styles[f"Heading {level}"]
        _font(heading, size, True, NAVY, False)
        heading.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
    _font(styles["Title"], 24, True, NAVY)
    _font(styles["Subtitle"], 14, False, NAVY)
    for name in ("Header", "Footer"):
        _font(styles[name], 9, colour=RGBColor(0x40, 0x40, 0x40))
    styles["Header"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in (
        "List Bullet",
        "List Bullet 2",
        "List Continue",
        "List Continue 2",
        "Quote",
        "List Number",
        "TOC Heading",
    ):
        _font(styles[name], 11)
    _font(styles["TOC Heading"], 14, True, NAVY)

    cover = _paragraph_style(doc, "Cover Title")
    _font(cover, 18, True, NAVY)
    cover.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.paragraph_format.space_before = Pt(12)
    cover.paragraph_format.space_after = Pt(12)
    cover_text = _paragraph_style(doc, "Cover Text")
    _font(cover_text, 13)
    cover_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    author = _paragraph_style(doc, "Author Block")
    _font(author, 11)
    author.paragraph_format.left_indent = Cm(4.5)
    author.paragraph_format.space_after = Pt(2)
    table_text = _paragraph_style(doc, "Table Text")
    _font(table_text, 9.5)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.paragraph_format.line_spacing = 1.0
    table_head = _paragraph_style(doc, "Table Heading", "Table Text")
    _font(table_head, 9.5, True)
    numbered = _paragraph_style(doc, "List Numbered Text")
    numbered.paragraph_format.left_indent = Cm(0.9)
    numbered.paragraph_format.first_line_indent = Cm(-0.9)
    numbered.paragraph_format.tab_stops.add_tab_stop(Cm(0.9))
    plain = _paragraph_style(doc, "Plain Text")
    _font(plain, 10)
    signature = _paragraph_style(doc, "Signature Line")
    signature.paragraph_format.space_before = Pt(24)
    signature.paragraph_format.tab_stops.add_tab_stop(Cm(11))
    form_label = _paragraph_style(doc, "Form Answer")
    form_label.paragraph_format.left_indent = Cm(0.9)
    form_label.paragraph_format.space_after = Pt(12)
    for level in (1, 2):
        toc = _paragraph_style(doc, f"TOC {level}")
        _font(toc, 11)
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_after = Pt(3)

    table = styles.add_style("Report Table", WD_STYLE_TYPE.TABLE)
    table.base_style = styles["Table Grid"]

    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    set_properties(doc, {"title": "reviewer-tui reference document"})
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "report_templates"
    target = folder / "reference.docx"
    target.write_bytes(build_reference())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
