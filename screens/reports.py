"""Stages 9 and 10, the report and its publication version: choose a document, preview it as
Markdown before anything is written, write a numbered draft, the final or the publication version,
and keep the draft register (recipients, their comments and how each was resolved)."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    LoadingIndicator,
    Select,
    Static,
)
from textual.worker import get_current_worker

from reviewer_tui import domain, exports, quality
from reviewer_tui import models as m
from reviewer_tui.errors import InputError, PublicationError, TemplateProblem
from reviewer_tui.reports import documents, drafts, engine, preview_process
from reviewer_tui.reports.engine import RenderCancelled
from reviewer_tui.reviews import Store
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.deleting import DeleteButton, delete_box
from reviewer_tui.screens.forms import (
    ModelForm,
    RecordBox,
    SaveIndicator,
    Spec,
    StageBody,
    field_group,
    focus_first,
    save_with_feedback,
    stage_header,
)
from reviewer_tui.screens.inputs import LeanSelect, SteadyInput
from reviewer_tui.screens.preview_text import PreviewText
from reviewer_tui.screens.table import Table
from reviewer_tui.screens.text import cell, literal

MODES = [
    ("Draft: the next numbered version, marked DRAFT on every page", "draft"),
    ("Final version", "final"),
    ("Publication version: pseudonyms only, checked before it is saved", "publication"),
]

DETAILS_SPECS = (
    Spec("author_date", "Date in the author block", "date"),
    Spec("production_process", "1.4 Process for the review", "long"),
    Spec("supervision_arrangements", "1.4 Supervision arrangements", "long"),
    Spec("consultation_process", "1.4 Consultation and approval before submission", "long"),
    Spec("submitted_on", "Date the final report was submitted", "date"),
)
DRAFT_SPECS = (
    Spec("circulated_on", "Circulated on", "date"),
    Spec("circulated_to", "Circulated to"),
    Spec("comments_by", "Comments due by", "date"),
    Spec("notes", "Notes", "long"),
)
RECIPIENT_SPECS = (
    Spec("name", "Recipient"),
    Spec("sent_on", "Sent on", "date"),
    Spec("comments", "Their comments", "long"),
    Spec("resolution", "How the comments were resolved", "long"),
)

PARTS_EVERY = 0.1  # seconds: parts that come faster are shown in one message

CSS = """
#report-controls { width: 46; height: auto; padding: 0 1; }
#report-controls Select, #report-controls Input { margin-bottom: 1; }
#report-controls Button { width: 100%; margin-bottom: 1; }
#report-status { height: auto; min-height: 3; }
#kind-products { height: auto; padding: 0 1; text-style: bold; }
#report-status.problem { color: $error; text-style: bold; }
#report-busy { height: 1; display: none; }
#report-busy.-busy { display: block; }
#preview-more { display: none; }
#preview-more.-more { display: block; }
#report-preview { height: 1fr; border: round $primary 40%; }
#report-top { height: 30; }
#drafts { height: auto; max-height: 12; }
/* Under 100 columns the preview goes below the controls, at the full width (beside them it was
   28 columns). */
ReportScreen.-cramped #report-top { layout: vertical; height: auto; }
ReportScreen.-cramped #report-controls { width: 1fr; }
ReportScreen.-cramped #report-preview { height: 20; }
"""


def products_line(kind: str, required: list[tuple[documents.Document, str]]) -> str:
    """What the review's kind requires, in one line (plain text: never markup)."""
    name = domain.kind_name(kind)
    if not required:
        return f"No documents are listed for the kind '{name}': choose any below."
    titles = ", ".join(title for _, title in required)
    return f"This {name} requires: {titles} (listed first below, marked required)."


class ReportScreen(ReviewScreen[None]):
    CSS_PATH = "stage.tcss"
    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("escape", "back", "Workspace", id="stage-back"),
        Binding("f5", "preview", "Preview", priority=True, id="report-preview"),
        Binding("ctrl+s", "write", "Write Word file", priority=True, id="report-write"),
        Binding(
            "ctrl+o", "returned_drafts", "Returned drafts", priority=True, id="report-returned"
        ),
        Binding("f4", "summary", "Executive summary", priority=True, id="report-summary"),
        Binding("f8", "quality", "Quality check", id="report-quality"),
        Binding("f9", "more_preview", "More preview", id="report-more-preview"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-cramped"), (100, "-roomy")]  # as the app's
    DEFAULT_MODE = "draft"
    TITLE_TEXT = (
        "9 Report",
        "Every document comes from what is recorded; preview it, then write it "
        "as a Word file (drafts are numbered and registered below).",
    )

    class PreviewParts(Message):
        """The next parts of the preview: the first as soon as it is worked out, then the rest
        gathered for a tenth of a second at a time (a message per part, hundreds in a burst,
        kept keys waiting behind them)."""

        def __init__(self, run: int, header: str, texts: list[str]) -> None:
            super().__init__()
            self.run = run
            self.header = header
            self.texts = texts

    class PreviewReady(Message):
        """The whole preview is worked out: the document's Markdown."""

        def __init__(self, run: int, source: str) -> None:
            super().__init__()
            self.run = run
            self.source = source

    class PreviewFailed(Message):
        """The preview stopped on a template, publication or input problem, or its process
        ended unexpectedly (one plain line)."""

        def __init__(self, run: int, text: str) -> None:
            super().__init__()
            self.run = run
            self.text = text

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        self.markdown_source = ""
        self.preview_parts: list[str] = []  # the preview in parts; the first `shown` are on screen
        self.shown = 0
        self._busy: set[str] = set()  # "preview", "write": what runs in a worker now
        self._run = (
            0  # which F5 the preview on screen answers: a message from an earlier one is dropped
        )
        self._child: subprocess.Popen[bytes] | None = None  # the process rendering the preview
        self._child_lock = threading.Lock()
        self._to_show: list[
            str
        ] = []  # preview parts waiting to go into the view, a few blocks at a time
        self._showing = False
        # (document, mode) the reviewer chose to write although the quality check had open items
        self.written_with_open_items: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        kind = self.store.review(self.review_id).review_type
        required, others = documents.for_kind(kind)
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(*self.TITLE_TEXT)
            yield Static(literal(products_line(kind, required)), id="kind-products")
            with Horizontal(id="report-top"):
                with Vertical(id="report-controls"):
                    yield Label("Document")
                    yield LeanSelect(
                        [
                            (literal(f"{title} ({d.name}), required"), d.name)
                            for d, title in required
                        ]
                        + [(literal(f"{d.title} ({d.name})"), d.name) for d in others],
                        value=required[0][0].name if required else "management-review",
                        allow_blank=False,
                        id="document",
                    )
                    yield Label("Version")
                    yield LeanSelect(MODES, value=self.DEFAULT_MODE, allow_blank=False, id="mode")
                    yield Label("Folder for the Word file")
                    yield SteadyInput(str(exports.review_folder(self.review_id)), id="folder")
                    yield Button("Preview (F5)", id="preview", variant="primary")
                    yield Button("Write Word file (ctrl+s)", id="write", variant="success")
                    yield Button("Edit the executive summary (F4)", id="summary")
                    yield LoadingIndicator(id="report-busy")
                    yield Static("", id="report-status")
                with VerticalScroll(id="report-preview"):
                    yield PreviewText("*Choose a document and press Preview.*", id="preview-view")
                    yield Button("Show more of the preview (F9)", id="preview-more")
            yield field_group(
                "Report details (section 1.4 and the author block)",
                ModelForm(m.ReportDetails, self.review_id, DETAILS_SPECS),
            )
            yield Label(
                "Draft register: choose a draft to record its recipients, their comments "
                "and how each was resolved."
            )
            yield Table(id="drafts", cursor_type="row")
            yield Button(
                "Returned drafts: import a Word file, resolve open items (ctrl+o)",
                id="returned-drafts",
            )
        yield SaveIndicator()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#drafts", DataTable)
        table.add_columns("Version", "Document", "Generated", "Circulated", "To", "Recipients")

    def on_screen_resume(self) -> None:
        """The register is filled as the screen is shown, first and after a draft's screen (it
        was also filled as the screen mounted, just before: twice, each a layout of the
        screen)."""
        self.refresh_drafts()

    def refresh_drafts(self) -> None:
        if not self.is_attached:  # a write finishing after the screen was left
            return
        table = self.query_one("#drafts", DataTable)
        table.clear()
        store = self.store
        for draft in drafts.drafts(store, self.review_id):
            generated = (
                draft.generated_at.astimezone().strftime("%d %b %Y %H:%M")
                if draft.generated_at
                else ""
            )
            table.add_row(
                *map(
                    cell,
                    (
                        draft.version,
                        draft.document,
                        generated,
                        domain.format_date(draft.circulated_on),
                        draft.circulated_to,
                        str(len(drafts.recipients(store, draft.id))),
                    ),
                ),
                key=str(draft.id),
            )

    # --- actions -------------------------------------------------------------------------------
    def _choice(self) -> tuple[str, str]:
        return (
            str(self.query_one("#document", Select).value),
            str(self.query_one("#mode", Select).value),
        )

    def _status(self, text: str, problem: bool = False) -> None:
        if not self.is_attached:  # a worker finishing after the screen was left
            return
        status = self.query_one("#report-status", Static)
        content = literal(text)  # names, paths and template errors are never markup
        # At its least height (three lines) before and after: redrawn in place. A layout of the
        # whole screen redraws every widget on it (tens of milliseconds a time, while the preview
        # is worked out and keys are typed); a longer text still lays out.
        width = status.content_size.width
        steady = width > 0 and status.size.height == 3 and len(content.wrap(width)) <= 3
        status.set_class(problem, "problem")
        status.update(content, layout=not steady)
        # the result of F5 or ctrl+s is brought into view, however small the terminal
        self.call_after_refresh(status.scroll_visible, animate=False)

    def _outcome(self, text: str, problem: bool = False, away: str = "") -> None:
        """How a write ended: on the screen, and on the one the reviewer is on if they left
        (`away`, when what the screen says would not hold there)."""
        self._status(text, problem)
        self.tell_if_away(away or text, problem)

    @on(Button.Pressed, "#preview")
    def _preview_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_preview()

    @on(Button.Pressed, "#write")
    def _write_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_write()

    @on(Button.Pressed, "#summary")
    def _summary_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_summary()

    def action_summary(self) -> None:
        from reviewer_tui.screens.summary import ExecutiveSummaryScreen

        self.app.push_screen(ExecutiveSummaryScreen(self.review_id))

    def _set_busy(self, what: str, busy: bool) -> None:
        """The moving indicator under the buttons shows while a preview or a write runs."""
        if busy:
            self._busy.add(what)
        else:
            self._busy.discard(what)
        if self.is_attached:
            self.query_one("#report-busy", LoadingIndicator).set_class(bool(self._busy), "-busy")

    def action_preview(self) -> None:
        """The preview is worked out in a process of its own (a large review's report takes
        seconds of work that would hold up the screen even in a thread), shown part by part as
        it comes: keys are taken meanwhile, and leaving the screen ends the process."""
        name, mode = self._choice()
        self._stop_child()  # an earlier preview still running is not wanted any more
        self._run += 1
        self.preview_parts = []
        self.shown = 0
        self.markdown_source = ""
        self._status("Preparing the preview…")
        self._set_busy("preview", True)
        request = preview_process.request_for(
            self.app.folder,
            self.review_id,
            name,
            mode,
            engine.user_template_dir(),
            self.app.today(),
        )
        self._render_preview(self._run, request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-preview")
    def _render_preview(self, run: int, request: preview_process.Request) -> None:
        worker = get_current_worker()
        if preview_process.can_run_in_child(self.app.folder):
            process = preview_process.start(request)
            with self._child_lock:
                self._child = process
            if worker.is_cancelled:  # left while it started
                preview_process.stop(process)
                return
            frames = preview_process.frames(process)
        else:
            # An encrypted folder: the child cannot read it (the key never leaves this process),
            # so the preview is worked out in this worker thread, as before the child existed.
            frames = preview_process.preview_frames(
                self.store, request, cancelled=lambda: worker.is_cancelled
            )
        title = documents.DOCUMENTS[request.document].title
        header = f"*Preview of {title}*"
        source: list[str] = []
        batch: list[str] = []
        posted = 0.0  # when parts were last posted; the first part goes at once
        try:
            for kind, text in frames:
                if worker.is_cancelled:
                    return  # closing `frames` ends the child
                if kind == "part":
                    batch.append(text)
                    if time.monotonic() - posted >= PARTS_EVERY:
                        self.post_message(self.PreviewParts(run, header, batch))
                        batch, posted = [], time.monotonic()
                    continue
                if kind in ("problem", "done") and batch:
                    self.post_message(self.PreviewParts(run, header, batch))
                    batch = []
                if kind == "version":
                    header = f"*Preview of {title}" + (f", draft version {text}*" if text else "*")
                elif kind == "source":
                    source.append(text)
                elif kind == "problem":
                    self.post_message(self.PreviewFailed(run, text))
                    return
                elif kind == "done":
                    self.post_message(self.PreviewReady(run, "".join(source)))
                    return
        except RenderCancelled:
            return
        except Exception as exc:  # noqa: BLE001 - said on the screen; the worker never exits the app
            if not worker.is_cancelled:
                self.post_message(self.PreviewFailed(run, f"The preview failed: {exc}"))
        finally:
            close = getattr(frames, "close", None)
            if close is not None:
                close()
            with self._child_lock:
                if self._child is not None and self._child.poll() is not None:
                    self._child = None

    def on_report_screen_preview_parts(self, event: PreviewParts) -> None:
        event.stop()
        if event.run != self._run:
            return
        self.preview_parts.extend(event.texts)
        if self.shown == 0:
            self.shown = 1
            self.query_one("#preview-view", PreviewText).update(
                event.header + "\n\n" + event.texts[0]
            )
            self._status("Preview: the beginning is shown; the rest is being worked out…")
            # The button's count waits for the end: each change of it laid the whole preview
            # out again on the UI thread (seconds for a large review on a busy machine).
            self._show_more_button()

    def on_report_screen_preview_ready(self, event: PreviewReady) -> None:
        event.stop()
        if event.run != self._run:
            return
        self._set_busy("preview", False)
        self.markdown_source = event.source
        self._show_more_button()
        self._status("Preview ready. Nothing has been written yet.")

    def on_report_screen_preview_failed(self, event: PreviewFailed) -> None:
        event.stop()
        if event.run != self._run:
            return
        self._set_busy("preview", False)
        self._status(event.text, problem=True)

    def _show_more_button(self) -> None:
        more = self.query_one("#preview-more", Button)
        left = len(self.preview_parts) - self.shown
        more.set_class(left > 0, "-more")
        more.label = (
            f"Show more of the preview (F9): {self.shown} of {len(self.preview_parts)} parts shown"
        )

    @on(Button.Pressed, "#preview-more")
    def _more_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_more_preview()

    def action_more_preview(self) -> None:
        """The next part of a long preview, added below what is shown."""
        if self.shown >= len(self.preview_parts):
            return
        self.query_one("#preview-view", PreviewText).append(self.preview_parts[self.shown])
        self.shown += 1
        self._show_more_button()

    def action_write(self) -> None:
        name, mode = self._choice()
        folder = Path(
            self.query_one("#folder", Input).value.strip()
            or str(exports.review_folder(self.review_id))
        )
        problem = self.app.folder.plain_copy_problem(folder.expanduser() / "report.docx")
        if problem:  # a Word file is not encrypted: never inside an encrypted data folder
            self._status(f"NOT WRITTEN: {problem}", problem=True)  # literal(): never markup
            return
        self._write(name, mode, folder.expanduser())

    def action_quality(self) -> None:
        from reviewer_tui.screens.readiness import QualityScreen

        self.app.push_screen(QualityScreen(self.review_id))

    def _write(self, name: str, mode: str, folder: Path) -> None:
        self._set_busy("write", True)
        # The app and its store, found now: once the reviewer leaves the screen, the worker
        # thread can no longer find them through it, and the write goes on and says how it ended
        self._write_in_worker(self.app, self.store, name, mode, folder)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-write")
    def _write_in_worker(
        self, app: App[object], store: Store, name: str, mode: str, folder: Path
    ) -> None:
        """Writing a report takes seconds for a large review: a worker thread, with the
        indicator moving, while keys are taken. The file is written whole or not at all
        (documents.generate writes a temporary file and renames it)."""
        try:
            self._write_report(app, store, name, mode, folder)
        except Exception as exc:  # noqa: BLE001 - said on the screen; the worker never exits the app
            app.call_from_thread(self._outcome, f"NOT WRITTEN: {exc}", True)
        finally:
            app.call_from_thread(self._set_busy, "write", False)

    def _write_report(
        self, app: App[object], store: Store, name: str, mode: str, folder: Path
    ) -> None:
        publication = mode == "publication"
        doc = documents.DOCUMENTS[name]
        if mode in ("final", "publication") and doc.drafts:
            # The pre-publication check runs first and says what is open; a second ctrl+s
            # writes anyway (what is open stays listed in the checklist, F8).
            app.call_from_thread(self._status, "Running the quality check…")
            still = quality.open_items(quality.check(store, self.review_id))
            if still and self.written_with_open_items != (name, mode):
                self.written_with_open_items = (name, mode)
                shown = "\n".join(f"- {i.heading}: {i.place}" for i in still[:6])
                more = f"\n…and {len(still) - 6} more." if len(still) > 6 else ""
                items = f"{len(still)} open item{'s' if len(still) != 1 else ''}"
                app.call_from_thread(
                    self._outcome,
                    f"NOT WRITTEN YET: the quality check has {items}:\n{shown}{more}\nPress F8 "
                    "to fix or accept them, or ctrl+s again to write anyway.",
                    True,
                    # ctrl+s again means this screen's: elsewhere, say where to go
                    f"NOT WRITTEN: the quality check has {items}. On the report screen, F8 "
                    "lists them; ctrl+s twice writes anyway.",
                )
                return
        version = (
            documents.next_version(store, self.review_id, name)
            if (mode == "draft" and doc.drafts)
            else None
        )
        wanted = folder / drafts.file_name(self.review_id, name, version, publication)
        target = exports.free_path(wanted)  # never over an earlier file: the next number
        app.call_from_thread(self._status, f"Writing {target.name}…")
        try:
            result = documents.generate(
                store, self.review_id, name, target, publication=publication, final=mode == "final"
            )
        except PublicationError as exc:
            lines = "\n".join(f"- {hit}" for hit in exc.hits[:12])
            more = f"\n…and {len(exc.hits) - 12} more." if len(exc.hits) > 12 else ""
            app.call_from_thread(self._outcome, f"{exc}\n{lines}{more}", True)
            return
        except OSError as exc:  # the folder cannot be made or written: said in plain words
            # The file wanted is named, not a temporary file beside it; a file elsewhere that
            # failed (the reference document, say) is named after it
            other = isinstance(exc.filename, str) and not (
                Path(exc.filename).parent == target.parent or target.is_relative_to(exc.filename)
            )
            app.call_from_thread(
                self._outcome,
                f"NOT WRITTEN to {target}: {exc.strerror or exc}"
                + (f" ({exc.filename})." if other else "."),
                True,
            )
            return
        except (TemplateProblem, InputError) as exc:
            app.call_from_thread(self._outcome, f"NOT WRITTEN: {exc}", True)
            return
        what = (
            f"Draft version {result.version}"
            if result.version
            else ("Publication version" if publication else "Final version")
        )
        self.written_with_open_items = None  # the next final version is checked again
        notes = "".join(f"\n{n}" for n in result.notices)
        if target != wanted:
            notes = f"\n{wanted.name} was already there and is unchanged: a new name." + notes
        app.call_from_thread(self._outcome, f"{what} written to {result.path}{notes}")
        app.call_from_thread(self.refresh_drafts)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.push_screen(DraftScreen(int(str(event.row_key.value))))

    # --- returned drafts (screens/returned.py) -------------------------------------------------
    @on(Button.Pressed, "#returned-drafts")
    def _returned_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_returned_drafts()

    def action_returned_drafts(self) -> None:
        from reviewer_tui.screens.returned import ReturnedDraftsScreen

        self.app.push_screen(ReturnedDraftsScreen(self.review_id))

    def action_back(self) -> None:
        self._stop_preview()
        self.dismiss()

    def on_unmount(self) -> None:
        self._stop_preview()

    def _stop_preview(self) -> None:
        """A preview still being worked out stops: its process is ended at once (a preview in
        a worker thread stops at the template's next step)."""
        self._run += 1  # nothing still on its way lands
        self._stop_child()
        self.workers.cancel_group(self, "report-preview")
        self._busy.discard("preview")

    def _stop_child(self) -> None:
        with self._child_lock:
            process, self._child = self._child, None
        if process is not None:
            preview_process.stop(process)


class PublicationScreen(ReportScreen):
    DEFAULT_MODE = "publication"
    TITLE_TEXT = (
        "10 Publication",
        "A publication version names nobody: every person becomes their "
        "pseudonym, then the saved file is checked and refused if any name, date of "
        "birth or address from the register is anywhere in it.",
    )


class DraftScreen(ReviewScreen[None]):
    """One draft: when and to whom it was circulated; each recipient's comments and resolution."""

    CSS_PATH = "stage.tcss"
    DEFAULT_CSS = "DraftScreen #recipients { height: auto; }"
    BINDINGS = [Binding("escape", "back", "Report", id="stage-back")]

    def __init__(self, draft_id: int) -> None:
        super().__init__()
        self.draft_id = draft_id

    def compose(self) -> ComposeResult:
        draft = self.store.get(m.ReportDraft, self.draft_id)
        yield Header()
        with StageBody(id="stage-body"):
            yield from stage_header(
                f"Draft {draft.version}",
                f"{draft.document or 'report'}: circulation, comments and how each was resolved.",
            )
            yield field_group("Circulation", ModelForm(m.ReportDraft, self.draft_id, DRAFT_SPECS))
            with Vertical(id="recipients"):
                for row in drafts.recipients(self.store, self.draft_id):
                    yield self._recipient(row)
                yield Button("+ Add a recipient", id="add-recipient", variant="primary")
        yield SaveIndicator()
        yield Footer()

    def _recipient(self, row: Any) -> RecordBox:
        box = RecordBox(
            ModelForm(m.DraftRecipient, row.id, RECIPIENT_SPECS),
            DeleteButton("Delete recipient", classes="delete-recipient", variant="error"),
            table=m.DraftRecipient.__tablename__,
            row_id=row.id,
            classes="group",
        )
        box.border_title = literal("Recipient")
        return box

    @on(Button.Pressed, "#add-recipient")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        created: list[Any] = []
        store = self.store
        if save_with_feedback(
            self,
            "recipient",
            lambda: created.append(drafts.add_recipient(store, self.draft_id, "New recipient")),
        ):
            box = self._recipient(created[0])
            await self.query_one("#recipients").mount(box, before=event.button)
            focus_first(box)

    @on(Button.Pressed, ".delete-recipient")
    async def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        box = event.button.parent
        if not isinstance(box, RecordBox):
            return
        store = self.store
        recipient_id = box.row_id
        name = " ".join(store.get(m.DraftRecipient, recipient_id).name.split())
        await delete_box(
            box,
            m.DraftRecipient,
            recipient_id,
            f"the recipient {name}" if name else "a recipient",
            lambda: self._recipient(store.get(m.DraftRecipient, recipient_id)),
        )

    def action_back(self) -> None:
        self.dismiss()
