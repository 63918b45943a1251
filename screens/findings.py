"""Stage 7, analysis and learning (seed 003 section 7 parts 3-4): the eleven analysis prompts,
findings linked to the evidence they rest on (flagged when there is none, or only hindsight),
and the learning, with points marked for the training team. Every change is saved as made."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Label, Static, TextArea

from reviewer_tui import domain, read_model
from reviewer_tui import findings as core
from reviewer_tui import models as m
from reviewer_tui.errors import InputError
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewerNode, ReviewModal, Stored, container_of
from reviewer_tui.screens.deleting import DeleteButton, delete_box
from reviewer_tui.screens.dialogs import DIALOG_CSS
from reviewer_tui.screens.forms import (
    FieldEditor,
    ModelForm,
    SaveIndicator,
    Spec,
    StageBody,
    field_widget,
    save_with_feedback,
    stage_header,
)
from reviewer_tui.screens.parts import PART_BINDINGS, HindsightBar, NarrowAware, Part
from reviewer_tui.screens.picker import Picker
from reviewer_tui.screens.stubs import (
    WHOLE_LIST,
    SectionStub,
    Stub,
    StubRun,
    make_whole,
    replace_stub,
    stubs_and_run,
)
from reviewer_tui.screens.text import literal
from reviewer_tui.screens.ticks import TickBox

ANALYSIS_SPECS = tuple(
    Spec(name, f"{n}. {question}", "long")
    for n, (name, question) in enumerate(domain.ANALYSIS_PROMPTS, start=1)
)
FINDING_SPECS = (
    Spec("statement", "The finding, in plain English", "long"),
    Spec(
        "kind",
        "Kind",
        "choice",
        [("Good practice", "good practice"), ("Area for development", "area for development")],
    ),
    Spec("notes", "Working notes", "long"),
)
IMPLICATION_SPECS = (
    Spec("training", "Implications for training (single and inter-agency)", "long"),
    Spec("management_and_supervision", "Implications for management and supervision", "long"),
    Spec("partnership", "Implications for working in partnership", "long"),
    Spec("resources", "Implications for resources", "long"),
)
KIND_LABEL = {"chronology": "Chronology", "interview": "Interview", "record": "Record"}


class EvidenceDialog(ReviewModal[list[tuple[str, int]] | None]):
    """Choose what a finding rests on. Dismisses with the (kind, id) pairs, or None."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="EvidenceDialog")
        + """
    EvidenceDialog > Vertical { width: 110; }
    EvidenceDialog SelectionList { height: auto; max-height: 40vh; }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog-cancel"),
        Binding("ctrl+s", "done", "Done", id="evidence-done"),
    ]

    def __init__(
        self, candidates: dict[str, Sequence[core.Evidence]], chosen: list[tuple[str, int]]
    ) -> None:
        super().__init__()
        self.candidates = candidates
        self.chosen = set(chosen)
        # What can be chosen, (kind, id) in the candidates' order (chronology by date, then
        # interviews, then records), known without labelling any of the chronology.
        self.keys = [
            (kind, target) for kind in core.EVIDENCE_KINDS for target in _ids(self.candidates[kind])
        ]

    def compose(self) -> ComposeResult:
        # Plain labels, each made as the picker shows it (at most a few hundred of 10,000).
        options = _Options(self.candidates)
        chosen = {f"{kind}:{target}" for kind, target in self.chosen}
        with Vertical():
            yield Label("What does this finding rest on?", classes="title")
            yield Static(
                "Space ticks an item; ctrl+s or Done keeps the choice, Esc cancels. "
                "Entries marked [learned later] were not known at the time: a finding "
                "resting only on them is flagged as hindsight.",
                classes="hint",
                markup=False,
            )
            if self.keys:
                yield Picker(
                    options,
                    chosen,
                    list_id="evidence",
                    values=[f"{kind}:{target}" for kind, target in self.keys],
                )
            else:
                yield Static(
                    "Nothing to link yet: add chronology entries, interviews or records "
                    "examined first.",
                    classes="hint",
                )
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Done", variant="primary", id="done")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        pickers = self.query(Picker)
        if not pickers:
            self.dismiss(None)
            return
        picked = pickers.first().picked()
        # Keep the candidates' order: chronology by date, then interviews, then records.
        self.dismiss([(kind, target) for kind, target in self.keys if f"{kind}:{target}" in picked])


def _ids(evidence: Sequence[core.Evidence]) -> list[int]:
    """The id of each candidate, in order (the chronology's without labelling its entries)."""
    if isinstance(evidence, core.ChronologyEvidence):
        return evidence.ids()
    return [e.id for e in evidence]


class _Options(Sequence[tuple[Content | str, str]]):
    """The dialog's items, (label, "kind:id"), over the candidates of every kind in turn; an
    item's label is made when the picker reads it."""

    def __init__(self, candidates: dict[str, Sequence[core.Evidence]]) -> None:
        self._kinds = [candidates[kind] for kind in core.EVIDENCE_KINDS]
        self._length = sum(len(found) for found in self._kinds)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> tuple[Content | str, str]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Content | str, str]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[Content | str, str] | list[tuple[Content | str, str]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        for found in self._kinds:
            if index < len(found):
                e = found[index]
                return (f"{KIND_LABEL[e.kind]}: {e.label}", f"{e.kind}:{e.id}")
            index -= len(found)
        raise IndexError(index)


def evidence_text(view: core.FindingView) -> Content:
    if not view.evidence:
        return literal("Evidence: none linked.")
    return literal(
        "Evidence:\n" + "\n".join(f"  • {KIND_LABEL[e.kind]}: {e.label}" for e in view.evidence)
    )


class FindingBox(ReviewerNode, Vertical):
    def __init__(self, view: core.FindingView) -> None:
        super().__init__(classes="subgroup finding", id=f"finding-{view.id}")
        self.finding_id = view.id
        self.view = view
        self.recovery_owner = (m.Finding.__tablename__, view.id)  # a NOT SAVED field's home

    def compose(self) -> ComposeResult:
        def save(name: str, value: Any) -> None:
            self.store.update(m.Finding, self.finding_id, **{name: value})

        yield Static("", classes="flag finding-flag")
        for spec in FINDING_SPECS:
            yield FieldEditor(spec, getattr(self.view, spec.name), save)
        yield Static("", classes="finding-evidence")
        with Horizontal(classes="row-buttons"):
            yield Button("Link evidence…", classes="link-evidence", variant="primary")
            yield DeleteButton("Delete finding", classes="delete-finding", variant="error")

    def on_mount(self) -> None:
        self.show(self.view)

    def show(self, view: core.FindingView) -> None:
        self.view = view
        self.border_title = f"Finding {view.number}"
        flag = self.query_one(".finding-flag", Static)
        flag.update("\n".join(f"⚠ {core.FLAG_TEXT[f]}" for f in view.flags))
        flag.display = view.flagged
        self.set_class(view.flagged, "flagged")
        self.query_one(".finding-evidence", Static).update(evidence_text(view))

    @on(Button.Pressed, ".link-evidence")
    def _link(self, event: Button.Pressed) -> None:
        event.stop()
        store = self.store
        review_id = store.get(m.Finding, self.finding_id).review_id
        chosen = [(e.kind, e.id) for e in self.view.evidence]

        def done(result: list[tuple[str, int]] | None) -> None:
            if result is None:
                return
            if save_with_feedback(
                self, "evidence", lambda: core.set_evidence(store, self.finding_id, result)
            ):
                self.show(core.finding(store, self.finding_id))
                self.post_message(Stored())

        self.app.push_screen(EvidenceDialog(core.candidates(store, review_id), chosen), done)


# A finding box is some thirty widgets (three fields with their labels and counters, the flag,
# the evidence, buttons): a large review's forty were over a thousand widgets, each styled and
# laid out before the first frame (about ten seconds of CPU). Up to WHOLE_LIST (stubs.py)
# findings are built with the screen; a longer list is a FindingStub (one widget) per finding,
# each built into its box when it scrolls into view (or to within a screen of it) or takes the
# focus.


class FindingStub(Stub):
    """A finding not built yet: its number, flags and statement as text, in the place and frame
    of its box (screens/stubs.py)."""

    def __init__(self, view: core.FindingView) -> None:
        super().__init__(
            "",
            m.Finding,
            view.id,
            classes="subgroup finding stub",
            id=f"stub-finding-{view.id}",
        )
        self.show(view)

    @property
    def finding_id(self) -> int:
        return self.row_id

    def show(self, view: core.FindingView) -> None:
        self.view = view
        self.border_title = f"Finding {view.number}"
        self.set_class(view.flagged, "flagged")
        flags = "".join(f"⚠ {core.FLAG_TEXT[f]}\n" for f in view.flags)
        statement = " ".join(view.statement.split()) or "(no statement written yet)"
        self.update(literal(f"{flags}{statement}\nScroll to it or Tab to it to edit."))


class FindingsList(ReviewerNode, Vertical):
    DEFAULT_CSS = """
    FindingsList { height: auto; }
    FindingsList .finding.flagged { border: round $error; }
    FindingsList .finding-evidence { margin-bottom: 1; }
    """

    def __init__(
        self, review_id: int, views: list[core.FindingView] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.review_id = review_id
        self.views = views  # as the screen read them as it was drawn (None: read them here)

    def compose(self) -> ComposeResult:
        if self.views is None:
            self.views = core.findings(self.store, self.review_id)
        views = self.views
        if len(views) <= WHOLE_LIST:
            yield from (FindingBox(view) for view in views)
        else:
            yield from stubs_and_run(
                "Findings", views, FindingStub, m.Finding, lambda view: view.id, 1
            )
        yield Button("+ Add finding", id="add-finding", variant="primary")

    @on(Button.Pressed, "#add-finding")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        store = self.store
        created: list[int] = []
        if save_with_feedback(
            self, "finding", lambda: created.append(core.add_finding(store, self.review_id))
        ):
            box = FindingBox(core.finding(store, created[0]))
            await make_whole(self)  # the new one is numbered after all
            await self.mount(box, before=event.button)
            field_widget(box, "statement").focus()
            box.scroll_visible()
            self.post_message(Stored())  # one more finding (flagged: no evidence yet)


class LearningPoints(ReviewerNode, Vertical):
    """Good practice and areas for development, each point with a mark for the training team.
    The whole learning is saved on every change (seed 000 section 6)."""

    DEFAULT_CSS = """
    LearningPoints { height: auto; }
    LearningPoints .point { height: auto; }
    LearningPoints .point TextArea { width: 1fr; height: auto; max-height: 8; }
    LearningPoints .point Checkbox { width: 20; }
    LearningPoints .point Button { min-width: 5; width: 5; }
    LearningPoints .points { height: auto; margin-bottom: 1; }
    """

    def __init__(self, review_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        learning = self.store.get(m.Learning, self.review_id)
        good_marks, area_marks = core.training_marks(learning)
        for key, title, points, marks in (
            ("good_practice", "Good practice to highlight", learning.good_practice, good_marks),
            (
                "areas_for_development",
                "Areas for development",
                learning.areas_for_development,
                area_marks,
            ),
        ):
            with Vertical(classes="points", id=f"points-{key}"):
                yield Label(title, classes="field-label")
                for text, mark in zip(points, marks, strict=True):
                    yield self._row(text, mark)
                yield Button("+ Add", classes="add-point", variant="primary")

    def _row(self, text: str, mark: bool) -> Horizontal:
        return Horizontal(
            TextArea(text, soft_wrap=True, show_line_numbers=False),
            TickBox(
                "Training team",
                mark,
                tooltip="Share with the learning and development team",
                compact=True,
            ),
            Button("✕", classes="remove-point", tooltip="Remove this point"),
            classes="point",
        )

    def _collect(self, key: str) -> tuple[list[str], list[bool]]:
        rows = self.query_one(f"#points-{key}").query(".point")
        return (
            [r.query_one(TextArea).text for r in rows],
            [r.query_one(Checkbox).value for r in rows],
        )

    def save(self) -> None:
        good, good_marks = self._collect("good_practice")
        areas, area_marks = self._collect("areas_for_development")
        store = self.store
        save_with_feedback(
            self,
            "learning",
            lambda: core.save_learning_points(
                store, self.review_id, good, areas, [*good_marks, *area_marks]
            ),
        )

    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Any) -> None:
        event.stop()
        self.save()

    @on(Button.Pressed, ".add-point")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        row = self._row("", False)
        await container_of(event.button).mount(row, before=event.button)
        row.query_one(TextArea).focus()
        self.save()

    @on(Button.Pressed, ".remove-point")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button.parent, Widget):
            await event.button.parent.remove()
        self.save()


class AnalysisScreen(NarrowAware):
    CSS_PATH = ["stage.tcss", "parts.tcss"]
    BINDINGS = [
        Binding("escape", "back", "Workspace", id="stage-back"),
        Binding("ctrl+n", "add_finding", "Add finding", id="findings-add"),
        *PART_BINDINGS,
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id

    def compose(self) -> ComposeResult:
        rid = self.review_id
        views = core.findings(self.store, rid)  # once, for the list and the summary
        yield Header()
        yield HindsightBar()
        with StageBody(id="stage-body"):
            yield from stage_header(
                "7 Analysis and learning",
                "Report sections 3 and 4. Conclusions rest "
                "on records written at the time, not on hindsight.",
            )
            yield Static("", id="findings-summary")
            yield Part(
                "Analysis of involvement",
                "Consider the events, the decisions and the actions taken or not; try to "
                "understand not only what happened but why.",
                core.CONCLUSIONS_ADVICE,
                ModelForm(m.Analysis, rid, ANALYSIS_SPECS),
                id="part-analysis",
            )
            yield Part(
                "Findings and their evidence",
                "Each finding is good practice or an area for development, linked to the "
                "chronology entries, interviews and records it rests on.",
                (
                    "A finding with no evidence is flagged.",
                    "A finding resting only on entries learned later is flagged: hindsight.",
                    "If criticism appears necessary, the evidence must support it.",
                ),
                FindingsList(rid, views, id="findings"),
                id="part-findings",
            )
            yield Part(
                "What can we learn?",
                "Good practice to highlight and ways practice can be improved; implications "
                "for future work. Mark the points to share with the training team.",
                (
                    "Are there lessons from the family for the way this agency works?",
                    "Learning points are shared formally with Learning and Development staff; "
                    "case material may be used in training, suitably anonymised.",
                ),
                *self._learning(rid, long=len(views) > WHOLE_LIST),
                id="part-learning",
            )
        yield SaveIndicator()
        yield Footer()

    def _learning(self, rid: int, long: bool) -> list[Widget]:
        """The learning points and the implications; below a `long` list of findings, built as
        each comes into view (or takes the focus)."""
        if not long:
            return [
                LearningPoints(rid, id="learning-points"),
                ModelForm(m.Learning, rid, IMPLICATION_SPECS),
            ]
        return [
            SectionStub(
                "Learning points",
                m.Learning,
                rid,
                lambda: LearningPoints(rid, id="learning-points"),
                id="learning-points-stub",
            ),
            SectionStub(
                "Implications for future work",
                m.Learning,
                rid,
                lambda: ModelForm(m.Learning, rid, IMPLICATION_SPECS),
                id="implications-stub",
            ),
        ]

    def on_mount(self) -> None:
        super().on_mount()
        # The findings the list was just drawn from, not read a second time.
        self.refresh_summary(self.query_one(FindingsList).views)

    def stub_scroller(self) -> Widget:
        return self.query_one("#stage-body", StageBody)

    async def on_stub_wanted(self, event: Stub.Wanted) -> None:
        if not isinstance(event.stub, FindingStub):
            return  # a row of another list: its own list builds it

        def build() -> FindingBox | None:
            try:  # as stored now (a restore from the history may have changed it)
                return FindingBox(core.finding(self.store, event.stub.row_id))
            except InputError:  # deleted meanwhile (from another screen): nothing to edit
                return None

        body = self.query_one("#stage-body", StageBody)
        await replace_stub(event, build, body, lambda box: field_widget(box, "statement").focus())

    def on_stored(self, event: Stored) -> None:
        self.refresh_summary()

    def on_screen_resume(self) -> None:
        """Back from another screen (a chronology entry deleted there may leave a finding
        without evidence): counted again. Not on the resume that follows the first mount."""
        if self._counted:
            self.refresh_summary()
        self._counted = True

    _counted = False  # the summary was drawn as the screen mounted

    def refresh_summary(self, views: list[core.FindingView] | None = None) -> None:
        """The count of findings and of those flagged: from `views` when the screen has them,
        else counted by the read model (not every finding with its evidence read again)."""
        if views is not None:
            total, flagged = len(views), sum(v.flagged for v in views)
        else:
            with read_model.reading(self.app.folder) as conn:
                total, flagged = core.counts(conn, self.review_id)
        text = f"{total} finding{'s' if total != 1 else ''}"
        text += f", {flagged} flagged" if flagged else (", none flagged" if total else "")
        self.query_one("#findings-summary", Static).update(text)

    @on(Button.Pressed, ".delete-finding")
    async def _delete_finding(self, event: Button.Pressed) -> None:
        """Handled here, not in the box: the box is what goes."""
        event.stop()
        box = next(a for a in event.button.ancestors if isinstance(a, FindingBox))
        store = self.store
        finding_id = box.finding_id
        await delete_box(
            box,
            m.Finding,
            finding_id,
            f"finding {box.view.number}",
            lambda: FindingBox(core.finding(store, finding_id)),
            self.refresh_findings,
        )

    def refresh_findings(self) -> None:
        """Show every finding again from the store: numbers follow their place in the list."""
        views = {v.id: v for v in core.findings(self.store, self.review_id)}
        for box in self.query(FindingBox):
            if box.finding_id in views:
                box.show(views[box.finding_id])
        for stub in self.query(FindingStub):
            if stub.finding_id in views:
                stub.show(views[stub.finding_id])
        for run in self.query(StubRun).results(StubRun):
            first = next((views[i].number for i in run.row_ids if i in views), 0)
            run.hold_as_now(views.get, first)
        self.refresh_summary()

    def action_add_finding(self) -> None:
        self.query_one("#add-finding", Button).press()

    def action_back(self) -> None:
        self.dismiss()


__all__ = ["AnalysisScreen", "EvidenceDialog"]
