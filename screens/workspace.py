"""One review at a glance: every stage, what is done, what is left, and the deadlines."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from reviewer_tui import domain, progress, read_model, timescales
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.table import Table
from reviewer_tui.screens.text import cell, literal, markup

# The screen for each stage (every stage has one), as "module:Class" under reviewer_tui.screens,
# imported only when opened.
STAGE_SCREENS: dict[str, str] = {
    "commissioning": "commissioning:CommissioningScreen",
    "scope": "terms:TermsOfReferenceScreen",
    "records": "records:RecordsScreen",
    "chronology": "chronology:ChronologyScreen",
    "interviews": "interviews:InterviewsStageScreen",
    "meeting": "meeting:MeetingScreen",
    "analysis": "findings:AnalysisScreen",
    "recommendations": "actions:RecommendationsScreen",
    "escalations": "actions:EscalationsScreen",
    "family": "family:FamilyScreen",
    "report": "reports:ReportScreen",
    "publication": "reports:PublicationScreen",
}


def stage_screen(stage: str) -> Callable[[int], Screen[None]]:
    module_name, class_name = STAGE_SCREENS[stage].split(":")
    module = importlib.import_module(f"reviewer_tui.screens.{module_name}")
    return getattr(module, class_name)


# The stage letters share one footer entry ("c t r h ... Stages"): with a description each
# they took three footers' width, and an 80-column footer hid most of them. Each stage's row in
# the list says its letter.
STAGE_KEYS = Binding.Group("Stages")


class WorkspaceScreen(ReviewScreen[None]):
    AUTO_FOCUS = "#stages"  # focused as it opens, before its first frame (base.py)
    CSS_PATH = "workspace.tcss"
    BINDINGS = [
        Binding("enter", "open_stage", "Open stage", id="workspace-open"),
        Binding(
            "c",
            "open('commissioning')",
            "Commissioning",
            id="workspace-commissioning",
            group=STAGE_KEYS,
        ),
        Binding("t", "open('scope')", "Terms of reference", id="workspace-terms", group=STAGE_KEYS),
        Binding("r", "open('records')", "Records", id="workspace-records", group=STAGE_KEYS),
        Binding(
            "h", "open('chronology')", "Chronology", id="workspace-chronology", group=STAGE_KEYS
        ),
        Binding(
            "i", "open('interviews')", "Interviews", id="workspace-interviews", group=STAGE_KEYS
        ),
        Binding("m", "open('meeting')", "Meeting", id="workspace-meeting", group=STAGE_KEYS),
        Binding("f", "open('analysis')", "Findings", id="workspace-findings", group=STAGE_KEYS),
        Binding(
            "a", "open('recommendations')", "Action plan", id="workspace-actions", group=STAGE_KEYS
        ),
        Binding(
            "e", "open('escalations')", "Escalations", id="workspace-escalations", group=STAGE_KEYS
        ),
        Binding("y", "open('family')", "Family", id="workspace-family", group=STAGE_KEYS),
        Binding("o", "open('report')", "Report", id="workspace-report", group=STAGE_KEYS),
        Binding(
            "u", "open('publication')", "Publication", id="workspace-publication", group=STAGE_KEYS
        ),
        Binding("k", "quality", "Quality check", id="workspace-quality"),
        Binding("l", "timescales", "Timescales and delays", id="workspace-timescales"),
        Binding("escape", "back", "Reviews", id="workspace-back"),
    ]

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        self.statuses: list[progress.StageStatus] = []
        self._state: read_model.ReviewState | None = None  # the last read, shown again on resize
        self._just_read = False  # on_mount read it: the resume that follows need not again
        self._delays: Sequence[timescales.Timescale] = ()
        self._columns_width = 0  # the width the table's columns were last fitted to

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-heading")
        yield Static("", id="deadlines")
        yield Static("", id="alerts")
        table: Table[str] = Table(id="stages", cursor_type="row")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_stages()
        self._just_read = True

    def on_screen_resume(self) -> None:
        # Read again when shown again (a stage screen may have changed anything); the first
        # showing follows the read on_mount made (each read is some 60 ms on a large review).
        if self._just_read:
            self._just_read = False
            return
        self.refresh_stages()

    def refresh_stages(self) -> None:
        today = self.app.today()
        folder = self.app.folder
        self._state = read_model.review_state(folder, self.review_id, today)
        self._show(self._state, timescales.timescales_now(folder, self.review_id, today))

    def _show(self, state: read_model.ReviewState, delays: Sequence[timescales.Timescale]) -> None:
        self._delays = delays
        summary = state.summary
        if summary is None:
            self.dismiss()
            return
        self.statuses = state.stages
        self.query_one("#review-heading", Static).update(
            markup(
                "[b]$title[/b]\n$kind · $criterion · commissioned $commissioned · now at: $stage",
                title=summary.title,
                kind=summary.kind_name,
                criterion=summary.criterion,
                commissioned=domain.format_date(summary.commissioned_on),
                stage=summary.stage,
            )
        )
        self.query_one("#deadlines", Static).update(
            literal(
                "  ".join(
                    f"{d.label}: {domain.format_date(d.due)} ({d.status})" for d in state.deadlines
                )
                or "No target completion date yet: set one in the terms of reference."
            )
        )
        attention = state.attention
        escalations = next(s.summary for s in self.statuses if s.key == "escalations")
        lines = [f"⚠ Escalation: {escalations}"] if attention.unadvised else []
        lines += [
            f"✎ Interview record {u.changed}: {u.who}, {u.when}"
            if u.changed
            else f"✎ Interview record not yet signed: {u.line}"
            for u in attention.unsigned
        ]
        lines += [f"✎ {c.line}" for c in attention.changed]  # final report, confirmed chronology
        lines += _delay_alerts(delays)
        lines += _date_alerts(attention.dates)
        self.query_one("#alerts", Static).update(
            literal("\n".join(lines + _overdue_alerts(attention.overdue)))
        )
        table = self.query_one("#stages", DataTable)
        row = table.cursor_row
        keys = self._stage_keys()
        table.clear(columns=True)
        self._add_columns(table, [f"{s.title} (x)" for s in self.statuses])
        for status in self.statuses:
            bar = ""
            if status.total:
                filled = round(10 * status.done / status.total)
                bar = "█" * filled + "░" * (10 - filled)
            elif status.started:
                bar = "started"
            title = f"{status.title} ({keys[status.key]})" if status.key in keys else status.title
            table.add_row(
                *map(cell, (title, status.summary, bar, "open ▸")), key=status.key, height=None
            )
        table.move_cursor(row=row)

    def on_resize(self) -> None:
        """The table's columns follow the width: the last read shown again, not read again (and
        not at all for the width they already fit: the screen's first layout sends one)."""
        width = self._table_width(self.query_one("#stages", DataTable))
        if self.statuses and self._state is not None and width != self._columns_width:
            self._show(self._state, self._delays)

    def _table_width(self, table: DataTable[str]) -> int:
        """The table's width; before its first layout, the width it will have (the screen's)."""
        return table.size.width or self.app.size.width

    def _add_columns(self, table: DataTable[str], titles: list[str]) -> None:
        """Stage, Progress, Done and the open mark; Progress takes the width left and wraps, so
        what a stage holds is never cut at 80 columns."""
        stage = max([len("Stage"), *(len(t) for t in titles)])
        pad = 2 * table.cell_padding
        width = self._columns_width = self._table_width(table)
        progress = max(width - 2 - (stage + pad) - (10 + pad) - (6 + pad) - pad, 12)
        table.add_column("Stage", width=stage)
        table.add_column("Progress", width=progress)
        table.add_column("Done", width=10)
        table.add_column("", width=6)

    def _stage_keys(self) -> dict[str, str]:
        """Stage key -> the key that opens it, as the footer shows it (the reviewer's own
        keymap applied)."""
        found: dict[str, str] = {}
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.action.startswith("open('"):
                    stage = binding.action.removeprefix("open('").removesuffix("')")
                    found.setdefault(stage, self.app.get_key_display(binding))
        return found

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open(str(event.row_key.value))

    def action_open_stage(self) -> None:
        table = self.query_one("#stages", DataTable)
        if table.row_count:
            self.action_open(
                str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
            )

    def action_open(self, stage: str) -> None:
        self.app.push_screen(stage_screen(stage)(self.review_id))

    def action_quality(self) -> None:
        from reviewer_tui.screens.readiness import QualityScreen

        self.app.push_screen(QualityScreen(self.review_id))

    def action_timescales(self) -> None:
        from reviewer_tui.screens.readiness import TimescalesScreen

        self.app.push_screen(TimescalesScreen(self.review_id))

    def action_back(self) -> None:
        self.dismiss()


def _delay_alerts(found: Sequence[timescales.Timescale]) -> list[str]:
    """A line per deadline that needs a reason, then the delay log (the latest reason of each
    deadline): press l to give one."""
    out = [f"⏱ {t.label}: {t.status}: give a reason (press l)" for t in found if t.needs_reason]
    for t in found:
        if t.delays:
            d = t.delays[-1]
            revised = f", revised to {domain.format_date(d.revised_due)}" if d.revised_due else ""
            reason = d.reason if len(d.reason) <= 50 else d.reason[:49] + "…"
            out.append(f"Delay log: {t.label}: {reason}{revised}")
    return out


def _date_alerts(found: Sequence[read_model.DateToCheck]) -> list[str]:
    """A line each for one or two; one line with where they are for more (each is marked ⚠
    where it is)."""
    if len(found) <= 2:
        return [f"⚠ Date to check: {d.line}" for d in found]
    places = {
        "chronology": "in the chronology",
        "profile": "in profiles",
        "interview": "in records",
        "period": "in the terms of reference",
    }
    counts = [
        f"{n} {places[where]}"
        for where in places
        if (n := sum(1 for d in found if d.where == where))
    ]
    return [f"⚠ {len(found)} dates to check: {', '.join(counts)} (each marked ⚠ there)"]


def _overdue_alerts(overdue: Sequence[read_model.OverdueRecommendation]) -> list[str]:
    """One line: the recommendation when there is one, a count and the oldest when several."""
    if not overdue:
        return []
    if len(overdue) > 1:
        oldest = max(o.days for o in overdue)
        return [
            f"⚠ {len(overdue)} recommendations OVERDUE (the oldest by {oldest} days): "
            "press a for the action plan"
        ]
    o = overdue[0]
    action = o.action if len(o.action) <= 50 else o.action[:49] + "…"
    return [
        f"⚠ Recommendation OVERDUE by {o.days} day{'s' if o.days != 1 else ''}: "
        f"{action or '(no action written)'} (owner: {o.owner or 'not set'})"
    ]
