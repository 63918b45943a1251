"""Make a "returned" draft from a generated one by editing its WordprocessingML, as Word does when
a recipient comments, replies, tracks changes, edits without tracking or changes formatting.
Used by tests/test_drafts_returned.py and benchmarks/bench_drafts_import.py."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
EXTENDED_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
EXTENDED_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class Returned:
    """A generated .docx opened for editing; `save(path)` writes the returned copy."""

    def __init__(self, source: Path | bytes) -> None:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.parts = {n: z.read(n) for n in z.namelist()}
        self.body = etree.fromstring(self.parts["word/document.xml"])
        self.comments: list[
            tuple[str, str, str, str, str | None]
        ] = []  # id, author, date, text, parent
        self._next = 0

    # --- finding text -------------------------------------------------------------------------
    def paragraph(self, phrase: str, nth: int = 0) -> etree._Element:
        found = [
            p
            for p in self.body.iter(w("p"))
            if phrase in "".join(t.text or "" for t in p.iter(w("t")))
        ]
        return found[nth]

    def isolate(self, phrase: str, within: str = "", nth: int = 0) -> etree._Element:
        """The run holding exactly `phrase` (split out of the run that holds it), in the `nth`
        paragraph holding `within` (or the phrase)."""
        p = self.paragraph(within or phrase, nth)
        for t in p.iter(w("t")):
            text = t.text or ""
            if phrase not in text:
                continue
            run = t.getparent()
            start = text.index(phrase)
            pieces = [text[:start], phrase, text[start + len(phrase) :]]
            made = []
            for piece in pieces:
                new = copy.deepcopy(run)
                for child in list(new):
                    if child.tag != w("rPr"):
                        new.remove(child)
                nt = etree.SubElement(new, w("t"))
                nt.text = piece
                nt.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                made.append(new)
            parent = run.getparent()
            index = parent.index(run)
            parent.remove(run)
            for k, new in enumerate(m for m in made if m.find(w("t")).text):
                parent.insert(index + k, new)
            return next(m for m in made if m.find(w("t")).text == phrase)
        raise AssertionError(f"{phrase!r} is not inside one run")

    # --- what a recipient does ----------------------------------------------------------------
    def _change_id(self) -> str:
        self._next += 1
        return str(1000 + self._next)

    def insert(self, after_phrase: str, text: str, author: str, date: str) -> None:
        """A tracked insertion just after `after_phrase`."""
        run = self.isolate(after_phrase)
        ins = etree.Element(
            w("ins"), {w("id"): self._change_id(), w("author"): author, w("date"): date}
        )
        new = copy.deepcopy(run)
        new.find(w("t")).text = text
        ins.append(new)
        run.addnext(ins)

    def delete(self, phrase: str, author: str, date: str, within: str = "") -> None:
        """A tracked deletion of `phrase`."""
        run = self.isolate(phrase, within)
        dele = etree.Element(
            w("del"), {w("id"): self._change_id(), w("author"): author, w("date"): date}
        )
        run.addprevious(dele)
        dele.append(run)
        run.find(w("t")).tag = w("delText")

    def edit(self, old: str, new: str) -> None:
        """An edit made with tracking off: the text simply changes."""
        for t in self.body.iter(w("t")):
            if old in (t.text or ""):
                t.text = t.text.replace(old, new, 1)
                return
        raise AssertionError(old)

    def italic(self, phrase: str) -> None:
        """Formatting changed with tracking off."""
        run = self.isolate(phrase)
        rpr = run.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            run.insert(0, rpr)
        etree.SubElement(rpr, w("i"))

    def tracked_italic(self, phrase: str, author: str, date: str) -> None:
        """Formatting changed with tracking on (w:rPrChange)."""
        run = self.isolate(phrase)
        rpr = run.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            run.insert(0, rpr)
        old = copy.deepcopy(rpr)
        etree.SubElement(rpr, w("i"))
        change = etree.SubElement(
            rpr, w("rPrChange"), {w("id"): self._change_id(), w("author"): author, w("date"): date}
        )
        change.append(old)

    def comment(
        self,
        phrase: str,
        text: str,
        author: str,
        date: str,
        reply_to: str | None = None,
        nth: int = 0,
    ) -> str:
        """A comment anchored to `phrase` in its `nth` paragraph (or a reply to comment
        `reply_to`); its id."""
        cid = str(len(self.comments))
        if reply_to is None:
            run = self.isolate(phrase, nth=nth)
            run.addprevious(etree.Element(w("commentRangeStart"), {w("id"): cid}))
            run.addnext(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
            ref = etree.Element(w("r"))
            etree.SubElement(ref, w("commentReference"), {w("id"): cid})
            run.getnext().addnext(ref)
        else:
            # Word anchors a reply on the same text as its parent.
            start = next(
                e for e in self.body.iter(w("commentRangeStart")) if e.get(w("id")) == reply_to
            )
            start.addnext(etree.Element(w("commentRangeStart"), {w("id"): cid}))
            end = next(
                e for e in self.body.iter(w("commentRangeEnd")) if e.get(w("id")) == reply_to
            )
            end.addnext(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
        self.comments.append((cid, author, date, text, reply_to))
        return cid

    def mark_runs(self, comments: int, insertions: int, deletions: int, author: str) -> None:
        """Many items at once, as a busy recipient leaves them: a comment on each of the first
        `comments` runs with text, then whole runs marked as tracked insertions and deletions."""
        runs = [
            r
            for r in self.body.iter(w("r"))
            if (r.findtext(w("t")) or "").strip() and r.getparent().tag == w("p")
        ]
        if len(runs) < comments + insertions + deletions:
            raise ValueError(f"the draft has only {len(runs)} runs with text")
        for n, run in enumerate(runs[: comments + insertions + deletions]):
            date = f"2025-10-01T{9 + n // 60:02d}:{n % 60:02d}:00Z"
            if n < comments:
                cid = str(len(self.comments))
                run.addprevious(etree.Element(w("commentRangeStart"), {w("id"): cid}))
                run.addnext(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
                self.comments.append((cid, author, date, f"Comment {n}: please check.", None))
                continue
            attributes = {w("id"): self._change_id(), w("author"): author, w("date"): date}
            if n < comments + insertions:  # new words typed after the run
                mark = etree.Element(w("ins"), attributes)
                added = copy.deepcopy(run)
                for child in list(added):
                    if child.tag != w("rPr"):
                        added.remove(child)
                etree.SubElement(added, w("t")).text = f" inserted words {n}"
                mark.append(added)
                run.addnext(mark)
            else:  # the run's words struck out
                mark = etree.Element(w("del"), attributes)
                run.addprevious(mark)
                mark.append(run)
                for t in run.findall(w("t")):
                    t.tag = w("delText")

    # --- writing ------------------------------------------------------------------------------
    def _comment_parts(self) -> None:
        root = etree.Element(w("comments"), nsmap={"w": W, "w14": W14})
        extended = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
        para_ids = {}
        for cid, author, date, text, parent in self.comments:
            c = etree.SubElement(
                root, w("comment"), {w("id"): cid, w("author"): author, w("date"): date}
            )
            lines = text.split("\n")
            for n, line in enumerate(lines):
                p = etree.SubElement(c, w("p"))
                if n == len(lines) - 1:
                    para_ids[cid] = f"{int(cid) + 0x10000:08X}"
                    p.set(f"{{{W14}}}paraId", para_ids[cid])
                r = etree.SubElement(p, w("r"))
                etree.SubElement(r, w("t")).text = line
            ex = etree.SubElement(extended, f"{{{W15}}}commentEx")
            ex.set(f"{{{W15}}}paraId", para_ids[cid])
            if parent is not None:
                ex.set(f"{{{W15}}}paraIdParent", para_ids[parent])
            ex.set(f"{{{W15}}}done", "0")
        self.parts["word/comments.xml"] = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8"
        )
        self.parts["word/commentsExtended.xml"] = etree.tostring(
            extended, xml_declaration=True, encoding="UTF-8"
        )
        types = etree.fromstring(self.parts["[Content_Types].xml"])
        for name, ct in (("comments", COMMENTS_CT), ("commentsExtended", EXTENDED_CT)):
            etree.SubElement(
                types, f"{{{CT}}}Override", PartName=f"/word/{name}.xml", ContentType=ct
            )
        self.parts["[Content_Types].xml"] = etree.tostring(
            types, xml_declaration=True, encoding="UTF-8"
        )
        rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])
        for rid, kind, target in (
            ("rIdC1", f"{OFFICE_REL}/comments", "comments.xml"),
            ("rIdC2", EXTENDED_REL, "commentsExtended.xml"),
        ):
            etree.SubElement(rels, f"{{{REL}}}Relationship", Id=rid, Type=kind, Target=target)
        self.parts["word/_rels/document.xml.rels"] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8"
        )

    def bytes(self) -> bytes:
        if self.comments:
            self._comment_parts()
        self.parts["word/document.xml"] = etree.tostring(
            self.body, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.parts.items():
                z.writestr(name, data)
        return out.getvalue()

    def save(self, path: Path) -> Path:
        Path(path).write_bytes(self.bytes())
        return Path(path)


def sample_with_draft(place: Path) -> Path:
    """A data folder in `place` holding the sample review and its draft 0.2 of the management
    review report, written to place/d.docx. Made once per test module: each test copies it
    (importing the sample and writing a draft take seconds)."""
    from reviewer_tui import bundle
    from reviewer_tui.cli import open_folder
    from reviewer_tui.reports import documents
    from reviewer_tui.reviews import Store
    from tests.conftest import SAMPLE

    opened = open_folder(place / "data")
    try:
        rid = bundle.import_file(Store(opened), SAMPLE)
        documents.generate(Store(opened), rid, "management-review", place / "d.docx")
    finally:
        opened.close()
    return place


def copy_data(made: Path, tmp_path: Path) -> Path:
    """A test's own copy of the data folder `sample_with_draft` made."""
    import shutil

    shutil.copytree(made / "data", tmp_path / "data", ignore=shutil.ignore_patterns("*.lock"))
    return tmp_path / "data"


def encrypted_package() -> bytes:
    """The start of an OLE compound file holding an encrypted Word package, as Word writes a
    password-protected .docx: the OLE signature and the stream names in its directory."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    directory = "".join(
        name.ljust(32, "\x00") for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage")
    )
    return header + directory.encode("utf-16-le") + b"\x00" * 512


def old_doc() -> bytes:
    """The start of a Word 97-2003 .doc: an OLE compound file with a WordDocument stream."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    directory = "".join(name.ljust(32, "\x00") for name in ("Root Entry", "WordDocument", "1Table"))
    return header + directory.encode("utf-16-le") + b"\x00" * 512
