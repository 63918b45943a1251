"""Write-through form widgets: every change the reviewer makes is stored as it is made.

A field saves only when the reviewer changed it (never on load), keeps whatever was typed on
screen when a save fails, and the screen's SaveIndicator says NOT SAVED until a later change
saves. There is no Save button.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, Self, TypeVar, overload, runtime_checkable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events, on, work
from textual._wrap import compute_wrap_offsets
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches, WrongType
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from reviewer_tui.errors import InputError, Locked
from reviewer_tui.recovery import value_to_store
from reviewer_tui.reviews import printable
from reviewer_tui.screens.base import ReviewerNode, Stored
from reviewer_tui.screens.inputs import LeanSelect
from reviewer_tui.screens.stubs import (
    WHOLE_LIST,
    RevealsStubs,
    Stub,
    make_whole,
    replace_stubs_in_view,
    stubs_and_run,
)
from reviewer_tui.screens.text import literal

YES_NO: list[tuple[str, Any]] = [("Yes", True), ("No", False)]


@dataclass(frozen=True)
class Spec:
    """One field of a form: the model column, its label and how it is edited."""

    name: str
    label: str
    kind: str = "text"  # text | long | date | choice | list
    options: Sequence[tuple[str, Any]] = ()
    help: str = ""
    describe: Callable[[Any], str] | None = field(
        default=None, compare=False
    )  # text under a choice
    width: int | None = None  # columns in a row list


class SaveIndicator(Static):
    """Shows whether the last change reached the disk. Plain text: a reason can quote what was
    typed."""

    DEFAULT_CSS = """
    SaveIndicator { height: auto; max-height: 4; padding: 0 1; background: $boost;
                    color: $text-muted; }  /* the reason NOT SAVED wraps: never cut */
    SaveIndicator.failed { background: $error; color: $text; text-style: bold; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{"markup": False, **kwargs})

    def on_mount(self) -> None:
        self.update("Every change is saved as you type.")

    def saved(self) -> None:
        text = f"Saved {dt.datetime.now():%H:%M:%S}. Every change is saved as you type."
        # Still one line: no layout of the whole screen (which redraws every widget on it, tens
        # of milliseconds, in the middle of typing: the notes screen says so once a second).
        one_line = (
            not self.has_class("failed")
            and self.size.height == 1
            and self.content_size.width >= len(text)
        )
        self.remove_class("failed")
        self.update(text, layout=not one_line)

    def failed(self, what: str, reason: str) -> None:
        self.add_class("failed")
        self.update(
            Text(
                f"NOT SAVED: {what}: {reason.rstrip('.')}. Your text is still here; the next "
                "change retries."
            )
        )


class ReadOnlyBanner(Static):
    """Shown on every screen when the reviews are on read-only media."""

    DEFAULT_CSS = """
    ReadOnlyBanner { dock: top; height: auto; width: 100%; padding: 0 1; background: $warning;
                     color: $text; text-style: bold; }
    ReadOnlyBanner.below-header { margin-top: 1; }
    """
    TEXT = "READ-ONLY: these reviews are on media that cannot be written. Nothing can be changed."

    def __init__(self, below_header: bool = False) -> None:
        super().__init__(self.TEXT, classes="below-header" if below_header else "", markup=False)


def make_read_only(root: Widget) -> None:
    """Editing off for every editor under `root`: text stays readable, selectable and scrollable."""
    from textual.widgets import Checkbox, RadioButton, RadioSet, Switch

    for area in root.query(TextArea):
        area.read_only = True
    for box in root.query(Input).results():
        box.disabled = True
    for kind in (Select, Checkbox, RadioButton, RadioSet, Switch):
        for widget in root.query(kind).results():
            widget.disabled = True


def is_read_only(widget: Widget) -> bool:
    from reviewer_tui.screens.app import ReviewerApp

    app = widget.app
    return isinstance(app, ReviewerApp) and app.folder.read_only


def save_pending(root: Widget, retry: bool = True) -> None:
    """Save every field whose widget holds something not yet saved; with `retry`, also those
    whose last save failed ("Try saving again")."""
    for editor in root.query(FieldEditor):
        editor._changed(retry=retry and editor.unsaved)


@runtime_checkable
class OwnsRecord(Protocol):
    """A widget that edits one stored row says which: (table, row id), a NOT SAVED field's home
    (None: a recovery copy of its fields is kept without one)."""

    recovery_owner: tuple[str, int] | None


class RecordBox(Vertical):
    """The editors of one stored row, stacked. The row is declared here, never set on the widget
    afterwards, so a delete button and a recovery copy find it by type. `table` None: a recovery
    copy of its fields is not tied to the row."""

    def __init__(self, *children: Widget, table: str | None, row_id: int, **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        self.row_id = row_id
        self.recovery_owner = (table, row_id) if table else None


class RecordRow(Horizontal):
    """RecordBox side by side: the editors of one stored row on one line."""

    def __init__(self, *children: Widget, table: str | None, row_id: int, **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        self.row_id = row_id
        self.recovery_owner = (table, row_id) if table else None


def recovery_owner(widget: Widget) -> tuple[str, int] | None:
    """(table, row id) of the record `widget` edits: the nearest ancestor that says so."""
    for node in (widget, *widget.ancestors):
        if isinstance(node, OwnsRecord) and node.recovery_owner is not None:
            return node.recovery_owner
    return None


def screen_place(widget: Widget) -> str:
    """The screen a field is on, in words, for a recovery copy."""
    try:
        screen = widget.screen
    except Exception:  # noqa: BLE001 - already detached while closing
        return ""
    return str(
        getattr(screen, "sub_title", "")
        or getattr(screen, "title", "")
        or type(screen).__name__.removesuffix("Screen")
    )


def report_save(widget: Widget, ok: bool, what: str = "", reason: str = "") -> None:
    for indicator in widget.screen.query(SaveIndicator):
        if ok:
            indicator.saved()
        else:
            indicator.failed(what, reason)
    if not ok:
        widget.app.bell()


def save_failure_reason(error: Exception) -> str | None:
    """The plain reason a save failed, or None if `error` is not a storage or input problem."""
    import sqlite3

    from reviewer_tui.errors import StorageError
    from reviewer_tui.storage import plain_reason

    if isinstance(error, InputError | StorageError):
        return str(error)
    if isinstance(error, OSError | sqlite3.Error):
        return plain_reason(error)
    if type(error).__module__.startswith(("sqlalchemy", "sqlcipher3")):  # wrapped sqlite3 errors
        return plain_reason(getattr(error, "orig", error))
    return None


def save_with_feedback(
    widget: Widget,
    what: str,
    action: Callable[[], object],
    *,
    then: Callable[[], object] | None = None,
    put_back: Callable[[], object] | None = None,
) -> bool:
    """Run one save; report success or a plain reason. Never raises for storage problems.

    A signed record (errors.Locked) is a question, not a failure: the reviewer is asked why, and
    with a reason the save runs again carrying it, then `then()` (what a success does on the
    screen). Cancelled, `put_back()` shows the stored value again. Either way False is returned
    now, as nothing is stored yet."""
    try:
        action()
    except Locked as refused:
        _ask_then_save(widget, what, action, refused, then, put_back)
        return False
    except Exception as exc:
        reason = save_failure_reason(exc)
        if reason is None:
            raise
        report_save(widget, False, what, reason)
        return False
    report_save(widget, True)
    return True


def _ask_then_save(
    widget: Widget,
    what: str,
    action: Callable[[], object],
    refused: Locked,
    then: Callable[[], object] | None,
    put_back: Callable[[], object] | None,
) -> None:
    from reviewer_tui import history
    from reviewer_tui.screens.history import ask_reason

    app = widget.app

    def answered(reason: str | None) -> None:
        if not widget.is_mounted:
            return
        if reason:
            with history.changing(reason=reason):
                saved = save_with_feedback(widget, what, action)
            if saved and then is not None:
                then()
            return
        if put_back is None:  # the widget still shows the change: say it is not stored
            report_save(widget, False, what, str(refused))
            return
        put_back()
        app.notify(
            f"{what}: your change was not kept ({refused.question.split('.')[0]}).",
            severity="warning",
            timeout=8,
            markup=False,
        )

    ask_reason(app, refused, answered)


class _AskReason(Exception):
    """A save refused because the record is signed (errors.Locked), carried past
    save_with_feedback to the field, which asks for the reason."""

    def __init__(self, refused: Locked) -> None:
        super().__init__(str(refused))
        self.refused = refused


def to_widget_text(value: Any, spec: Spec) -> str:
    if value is None:
        return ""
    if spec.kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return str(value)


def parse_field(spec: Spec, raw: Any) -> Any:
    """Widget value -> stored value. Raises InputError with a message naming the problem."""
    if spec.kind == "choice" and raw is Select.NULL:
        return None
    return value_to_store(spec.kind, raw)


# What each kind of field's face draws (FieldEditor._get_component_classes): its box, as its
# editor draws it, and its label and help line when it shows them.
_HELP_PART = frozenset({"field-face--help"})
_LABEL_PART = frozenset({"field-face--label"})
_FACE_PARTS = {
    "long": frozenset({"field-face--area", "field-face--cursor-line"}),
    "choice": frozenset(
        {"field-face--select", "field-face--prompt", "field-face--chosen", "field-face--arrow"}
    ),
    "list": frozenset({"field-face--box"}),
    "text": frozenset({"field-face--box", "field-face--placeholder"}),
}


class FieldEditor(ReviewerNode, Widget):
    """A label and an editor for one column of one row. Saves through `save(name, value)`.

    Until it is wanted, a field is this one widget (its face): it draws the label, the stored
    value as the editor would show it and the help, and can take the focus. Built with the
    screen, the label, editor and help lines of every field were a form's whole cost to open
    (issue 14: 40-100 widgets, each styled and laid out before the first frame). As the face takes
    the focus (Tab, a click, `focus()`) the real editor is mounted in its place and given the
    focus; keys pressed meanwhile are held and handed to the editor in order, so the first key is
    never lost. `editor()` returns the editor, built if need be (one way for the screens and tests
    that reach a field's widget)."""

    can_focus = True
    COMPONENT_CLASSES = {
        "field-face--label",
        "field-face--box",
        "field-face--placeholder",
        "field-face--select",
        "field-face--prompt",
        "field-face--chosen",
        "field-face--arrow",
        "field-face--area",
        "field-face--cursor-line",
        "field-face--help",
    }
    DEFAULT_CSS = """
    FieldEditor { width: 1fr; height: auto; margin-bottom: 1; overflow: hidden hidden; }
    FieldEditor.-built { layout: vertical; }
    FieldEditor Input { background: $boost; }
    FieldEditor > Label.field-label { text-style: bold; }
    FieldEditor > .field-help { color: $text-muted; }
    FieldEditor > .field-error { color: $error; text-style: bold; display: none; }
    FieldEditor > .field-error.shown { display: block; }
    FieldEditor Input, FieldEditor Select { margin: 0 0; }
    FieldEditor TextArea { height: 6; }
    FieldEditor TextArea.tall { height: 10; }
    FieldEditor > .field-face--label { text-style: bold; }
    FieldEditor > .field-face--box { background: $boost; color: $foreground; }
    FieldEditor > .field-face--placeholder { background: $boost; color: $text-disabled; }
    /* a long field's face: TextArea's own rules (the height as the TextArea rule beside it) */
    FieldEditor > .field-face--area { height: 6; background: $surface; color: $foreground;
                                      border: tall $border-blurred; padding: 0 1; }
    FieldEditor > .field-face--cursor-line { background: $boost; }
    FieldEditor > .field-face--help { color: $text-muted; }
    /* a compact Select (SelectCurrent's rules) */
    FieldEditor > .field-face--select { background: $surface; color: $foreground; }
    FieldEditor > .field-face--prompt { color: $foreground 50%; }
    FieldEditor > .field-face--chosen { color: $foreground; }
    FieldEditor > .field-face--arrow { color: $foreground 50%; }
    FieldEditor:focus { background-tint: $foreground 5%; }
    """

    class FaceReady(Message):
        """The field's editor is mounted: the keys held by its face go to it, then the focus."""

    class HeldMove(Message):
        """Tab (+1) or shift+tab (-1) on the face: held in order with the keys before it."""

        def __init__(self, step: int) -> None:
            self.step = step
            super().__init__()

    class Edited(Message):
        def __init__(self, editor: FieldEditor, value: Any) -> None:
            self.editor = editor
            self.value = value
            super().__init__()

    def __init__(
        self,
        spec: Spec,
        value: Any,
        save: Callable[[str, Any], None],
        compact: bool = False,
        classes: str = "",
    ) -> None:
        # classes given here, not added after: a class added to a widget not yet mounted styles
        # it (and all in it) at once, and it is styled again as it mounts
        super().__init__(classes=" ".join(c for c in ("compact" if compact else "", classes) if c))
        self.spec = spec
        self.value = value
        self.save = save
        self.compact = compact
        self._asking = False  # the reason dialog for a signed record is open
        # what the editor shows, loaded: unchanged means no edit. Known before any editor exists
        # (the face), and set again as a text box is made (compose), never on a mount: a key can
        # reach a mounted box before any mount handler runs, and is an edit
        self._shown: Any = self._loaded_value()
        self.unsaved = False  # the widget holds a value whose save failed (NOT SAVED)
        self.reason = ""  # why, as the NOT SAVED line says
        self.built = False  # the label, editor and help are mounted (no longer the face)
        # keys the face took while its editor was built, and Tab (+1) or shift+tab (-1) among them
        self._held: list[events.Key | int] = []
        self._handing_over = False  # the face took the focus: its keys are held until then
        # (width, styles) -> its lines, and the lines drawn as strips in place of blank ones
        self._face_cache: tuple[Any, list[Content], dict[int, Strip]] | None = None

    # The face: one widget until the field is wanted

    def _loaded_value(self) -> Any:
        """What the editor shows for `self.value`, as `_widget_value` reads it."""
        spec = self.spec
        if spec.kind == "long":
            return self.value or ""
        if spec.kind == "choice":
            return self.value if self.value is not None else Select.NULL
        if spec.kind == "list":
            return list(self.value or [])
        return to_widget_text(self.value, spec)

    def _face_lines(self, width: int) -> list[Content]:
        """The face's lines at `width` columns, kept until the value or the styles change (a
        layout asks for them several times as the screen opens)."""
        key = (width, self._pseudo_classes_cache_key)
        if self._face_cache is None or self._face_cache[0] != key:
            self._face_cache = (key, *self._draw_face(max(width, 1)))
        return self._face_cache[1]

    def notify_style_update(self) -> None:
        self._face_cache = None
        super().notify_style_update()

    # an instance method over a classmethod: which parts are styled depends on the field
    def _get_component_classes(self) -> frozenset[str]:  # type: ignore[override]
        """The parts this field's face draws, of all its COMPONENT_CLASSES: Textual styles each
        part apart (a whole pass of the stylesheet each) whenever the field is styled, and ten
        parts a field were a fifth of opening a form. Once built, its editor draws itself."""
        if self.built:
            return frozenset()
        parts = _FACE_PARTS[self.spec.kind if self.spec.kind in _FACE_PARTS else "text"]
        if not self.compact:
            parts |= _LABEL_PART
        if self.spec.describe is not None or (self.spec.help and not self.compact):
            parts |= _HELP_PART  # as _help_text has one (a described field's, for any value)
        return parts

    def _draw_face(self, width: int) -> tuple[list[Content], dict[int, Strip]]:
        """The face's lines, and the lines (by number) drawn as strips, segment by segment as
        the editor draws them (a long field's TextArea, a Select), in place of blank ones."""
        spec = self.spec
        lines: list[Content] = []
        drawn: dict[int, Strip] = {}
        style = self.get_visual_style
        dimmed = self.has_class("-disabled-face")

        def editor_style(*parts: str) -> VisualStyle:
            """The style of a part its editor draws; dimmed as Textual dims a disabled widget
            (`*:disabled:can-focus { opacity: 0.7 }`: its background drawn at 0.7, the text on
            it, then both blended into what is below at 0.7 again)."""
            got = style(*parts)
            if not dimmed:
                return got
            _, below = self.background_colors
            back = below.blend(below + got.background, 0.7)
            fore = back + got.foreground
            return VisualStyle(below.blend(back, 0.7), below.blend(fore, 0.7), bold=got.bold)

        def wrapped(text: str, part: str) -> None:
            for line in Content(printable(text)).wrap(width) or [Content("")]:
                lines.append(line.stylize_before(style(part)))

        def box(text: str, part: str, end: str = "") -> None:
            room = max(width - len(end), 0)
            # control characters as their pictures: user text never writes to the terminal
            shown = printable(text)[:room]  # cut as the editor cuts it, without a mark
            if part == "field-face--placeholder":  # the rest of the box is the box's, as drawn
                rest = Content(" " * max(room - cell_len(shown), 0) + end)
                line = Content(shown).stylize_before(editor_style(part))
                lines.append(line + rest.stylize_before(editor_style("field-face--box")))
            else:
                lines.append(Content(shown.ljust(room) + end).stylize_before(editor_style(part)))

        def select(text: str, part: str) -> None:
            """A compact Select: its label, the padding after it and the arrow's (its background
            only), the arrow, and its right padding."""
            room = max(width - 3, 0)
            shown = printable(text)[:room]
            padding = RichStyle(bgcolor=editor_style("field-face--select").rich_style.bgcolor)
            drawn[len(lines)] = Strip(
                [
                    Segment(shown, editor_style("field-face--select", part).rich_style),
                    Segment(" " * (room - cell_len(shown) + 1), padding),
                    Segment(
                        "▼", editor_style("field-face--select", "field-face--arrow").rich_style
                    ),
                    Segment(" ", padding),
                ]
            ).crop(0, width)
            lines.append(Content(""))

        if not self.compact:
            wrapped(spec.label, "field-face--label")
        if spec.kind == "long":
            for line in self._draw_area(width):
                drawn[len(lines)] = line
                lines.append(Content(""))
        elif spec.kind == "choice":
            label = next(
                (
                    str(text)
                    for text, value in spec.options
                    if value == self.value and value is not None
                ),
                None,
            )
            if label is None:
                select(spec.label if self.compact else "Not set", "field-face--prompt")
            else:
                select(label, "field-face--chosen")
        elif spec.kind == "list":
            for item in self.value or []:
                box(" ".join(str(item).split()), "field-face--box")
            box("+ Add", "field-face--box")
        else:
            text = to_widget_text(self.value, spec)
            if text:
                # as the Input shows it (spaces kept: a leading space is shown); a line break
                # or tab, which a one-line box cannot show, as one space
                box(text if text.isprintable() else " ".join(text.split()), "field-face--box")
            else:
                box(
                    "YYYY-MM-DD or dd/mm/yyyy"
                    if spec.kind == "date"
                    else (spec.label if self.compact else ""),
                    "field-face--placeholder",
                )
        help_text = self._help_text()
        if help_text:
            wrapped(help_text, "field-face--help")
        return lines, drawn

    def _draw_area(self, width: int) -> list[Strip]:
        """A long field's TextArea as it first shows, unfocused: its border, padding, the text
        wrapped as it wraps it (a column kept for the cursor; two fewer when the text overflows
        and the scrollbar shows), the cursor's line highlighted, and the scrollbar. The colours
        and the border come from Textual's own drawing code with the area's styles (the rules
        beside `field-face--area` are TextArea's own)."""
        from textual._styles_cache import StylesCache
        from textual.geometry import Region, Size
        from textual.scrollbar import ScrollBarRender

        area = self.get_component_styles("field-face--area")
        cursor_line = self.get_component_styles("field-face--cursor-line")
        height = int(area.height.value) if area.height is not None and area.height.is_cells else 6
        top, right, bottom, left = area.gutter  # border and padding, as TextArea has them
        inner_width = max(width - left - right, 1)
        rows = max(height - top - bottom, 0)
        _, base = self.background_colors  # beneath the area: this field's own background
        back = base + area.background
        text_style = VisualStyle(back, back + area.color).rich_style
        cursor_back = back + cursor_line.background
        cursor_style = VisualStyle(cursor_back, cursor_back + area.color).rich_style
        bar = self.styles.scrollbar_size_vertical

        # Only the start of a long text is wrapped: the scrollbar's thumb is one cell, drawn the
        # same, for any text of over rows² wrapped lines, and a wrapped line takes at most a line
        # of the box (and its line break): so what this many characters make is all that shows
        # (a 2 MB note as one paragraph costs what a short one does)
        enough = rows * rows + 1
        value = printable((self.value or "")[: (enough + 2) * (inner_width + 1)])
        value = value.replace("\r\n", "\n").replace("\r", "\n")

        def sections(wrap_width: int, most: int) -> list[tuple[int, str]]:
            """(document line, text) of each wrapped line, stopping past `most` of them."""
            out: list[tuple[int, str]] = []
            for number, line in enumerate(value.split("\n")):
                line = line[: (enough + 2) * (max(wrap_width, 1) + 1)]  # as much as can show
                offsets = compute_wrap_offsets(line, max(wrap_width, 1), tab_size=4)
                ends = [*offsets, len(line)]
                for start, end in zip([0, *offsets], ends, strict=True):
                    # the last part of a line ends with the cell the cursor rests on there
                    out.append((number, line[start:end].expandtabs(4) + " " * (end == ends[-1])))
                if len(out) > most:
                    break
            return out

        wrapped = sections(inner_width - 1, rows)
        overflows = len(wrapped) > rows
        text_width = inner_width - bar if overflows else inner_width
        if overflows:
            wrapped = sections(text_width - 1, enough)
        bar_rows: list[list[Segment]] = [[] for _ in range(rows)]
        if overflows and bar > 0:
            track = self.styles.scrollbar_background
            if track.a < 1:
                track = base + track
            thumb = track + self.styles.scrollbar_color
            # given Rich's colours, as ScrollBar itself gives them (its signature says Textual's)
            render_bar: Callable[..., Any] = ScrollBarRender.render_bar
            drawn = render_bar(
                size=rows,
                virtual_size=len(wrapped),
                window_size=rows,
                thickness=bar,
                back_color=track.rich_color,
                bar_color=thumb.rich_color,
            )
            under = VisualStyle(back, back + area.color).rich_style
            for row, segment in enumerate(drawn.segments[:rows]):  # one a line
                plain = (segment.style or RichStyle()).clear_meta_and_links()
                bar_rows[row].append(Segment(segment.text, under + plain))

        def content_line(y: int) -> Strip:
            number, text = wrapped[y] if y < len(wrapped) else (-1, "")
            line_style = cursor_style if number == 0 else text_style
            shown = Strip([Segment(text, line_style)]).adjust_cell_length(text_width, line_style)
            return Strip([*shown, *bar_rows[y]]) if y < rows else shown

        return StylesCache().render(
            area,
            Size(width, height),
            base,
            back,
            content_line,
            [],
            None,
            None,
            content_size=Size(inner_width, rows),
            padding=area.padding,
            crop=Region(0, 0, width, height),
            ansi_theme=self.app.ansi_theme,
            native_ansi=self.app.native_ansi_color,
        )

    def _help_text(self) -> str:
        if self.spec.describe is not None:
            return self.spec.describe(self.value)
        return self.spec.help if not self.compact else ""

    def render(self) -> Any:
        if self.built:
            return super().render()
        return Content("\n").join(self._face_lines(self.content_region.width))

    def render_line(self, y: int) -> Strip:
        """The face's lines drawn as strips (a long field's box, a Select) in place of blank
        ones."""
        if not self.built:
            self._face_lines(self.content_region.width)
            if self._face_cache is not None and y in self._face_cache[2]:
                return self._face_cache[2][y]
        return super().render_line(y)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        if self.built:
            return super().get_content_height(container, viewport, width)
        return len(self._face_lines(width))

    def on_mount(self) -> None:
        if is_read_only(self) and self.spec.kind != "long":
            self.can_focus = False  # its editor would be disabled: Tab passes it, as before
            self.add_class("-disabled-face")  # and drawn dimmed, as a disabled editor is

    def on_focus(self, event: events.Focus) -> None:
        if not self.built:
            self._handing_over = True
            self._build(hand_over=True)

    def on_key(self, event: events.Key) -> None:
        """A key pressed on the face (its editor on the way) is held for the editor, even if
        the focus has moved on since (a click). Not one from the editor itself, as it bubbles
        up (the focus in it)."""
        focused = self.screen.focused
        if focused is self or (
            self._handing_over and (focused is None or self not in focused.ancestors)
        ):
            event.stop()
            event.prevent_default()
            self._held.append(event)

    def hold_focus_move(self, step: int) -> bool:
        """Tab (+1) or shift+tab (-1) pressed while the face has the focus, its editor on the
        way: held with its keys, in order, and made once the editor has those before it (the
        app's Tab keys ask first: screens/app.py). Moved at once, the focus went from a face
        Textual no longer counts as focusable to the first widget of the screen."""
        if self.screen.focused is not self or (self.built and not self._handing_over):
            return False  # (focused, not built: its editor is built as its Focus event is handled)
        self.post_message(self.HeldMove(step))  # behind the keys already on their way to it
        return True

    def on_field_editor_held_move(self, event: HeldMove) -> None:
        event.stop()
        self._held.append(event.step)

    def _build(self, hand_over: bool = False) -> AwaitMount:
        """Mount the label, editor and help in place of the face. With `hand_over`, once they
        are mounted the keys held meanwhile go to the editor, and then the focus."""
        self.built = True
        self.can_focus = False
        self.add_class("-built")
        mounted = self.mount_compose(self.compose())
        if is_read_only(self):
            make_read_only(self)
        self._settle(mounted, hand_over)
        return mounted

    @work(exclusive=True, group="field-face", exit_on_error=False)
    async def _settle(self, mounted: AwaitMount, hand_over: bool) -> None:
        """Once the editor is mounted: a choice set on it before (a Select takes one without
        saying so until it is composed) is saved like any edit, and with `hand_over` the held
        keys and the focus go to it."""
        try:
            await mounted
            if self.is_attached and self.spec.kind == "choice":
                self._changed()
        finally:
            if hand_over:  # even if mounting failed: the held keys are not held for ever
                self.post_message(self.FaceReady())

    def on_field_editor_face_ready(self, event: FaceReady) -> None:
        event.stop()
        if not self.is_attached:
            return
        queue: Iterable[Message | None] = self._message_queue.values
        if any(isinstance(queued, events.Key | self.HeldMove) for queued in queue):
            self.post_message(self.FaceReady())  # keys still on their way to the face: after them
            return
        held, self._held = self._held, []
        self._handing_over = False
        try:
            widget = self.editor()
        except NoMatches:  # taken apart as the screen closes
            return
        # a list's editor is a container: its first item (or its add button) takes the keys
        target = next((w for w in (widget, *widget.query("*")) if w.focusable), None)
        if target is None:
            return
        # the focus first, then the keys: as on an editor reached by Tab, which takes the focus
        # (an Input selects its text) before any key; the other way round, the held keys ran
        # first (End, say) and the next key typed replaced the whole value the focus selected
        focused = self.screen.focused is self
        if focused:
            self.screen.set_focus(target)
            _select_as_focused(target)
        else:
            # The focus was taken elsewhere (a click) before the editor was ready: the keys
            # typed here are still this field's, those it takes itself typed into it (another
            # key would run the binding of the widget with the focus). Tab among them: ignored.
            for key in held:
                if isinstance(key, events.Key) and target.check_consume_key(key.key, key.character):
                    target._forward_event(events.Key(key.key, key.character).set_sender(self.app))
            return
        receiver: Widget | None = target
        for key in held:
            if isinstance(key, int):
                # Tab held in order: the keys after it go where the focus goes (the next
                # field, which may be a face holding them in turn)
                if key > 0:
                    self.screen.focus_next()
                else:
                    self.screen.focus_previous()
                receiver = self.screen.focused
                _select_as_focused(receiver)
                continue
            if receiver is None:
                continue
            # delivered as the app delivers a key (forwarded, from the app): one the editor does
            # not take itself (End, ctrl+a...) bubbles up to the app, which runs the focused
            # editor's binding for it. Sent from this field, the editor's parent, it stopped
            # here and was lost
            receiver._forward_event(events.Key(key.key, key.character).set_sender(self.app))

    def editor(self) -> Widget:
        """The editor of this field (its Input, TextArea, Select or TextListEditor), mounted now
        if the field was still its face."""
        if not self.built:
            self._build()
        return self.query_one(f"#f-{self.spec.name}")

    def focus(self, scroll_visible: bool = True) -> Self:
        """The focus goes to the editor (built as the face takes it)."""
        if self.built:
            self.editor().focus(scroll_visible)
            return self
        return super().focus(scroll_visible)

    def shown_value(self) -> Any:
        """What the field shows: the editor's value, or the stored one on its face."""
        return self._widget_value() if self.built else self._loaded_value()

    def compose(self) -> ComposeResult:
        if not self.built:
            return
        spec = self.spec
        if not self.compact:
            yield Label(spec.label, classes="field-label", markup=False)
        widget_id = f"f-{spec.name}"
        if spec.kind == "long":
            area = TextArea(self.value or "", id=widget_id, soft_wrap=True, show_line_numbers=False)
            area.border_title = None
            self._shown = area.text
            yield area
        elif spec.kind == "choice":
            options = [(literal(label), value) for label, value in spec.options]
            yield FieldSelect(
                options,
                value=self.value if self.value is not None else Select.NULL,
                allow_blank=True,
                id=widget_id,
                compact=True,
                prompt=spec.label if self.compact else "Not set",
            )
        elif spec.kind == "list":
            yield TextListEditor(self.value or [], spec.label, id=widget_id)
        else:
            box = Input(
                to_widget_text(self.value, spec),
                id=widget_id,
                # What Input's own check (it has no validators) sets as it mounts: given here, the
                # box is not styled a second time for it (a tenth of opening a form)
                classes="-valid",
                compact=True,
                placeholder=(
                    "YYYY-MM-DD or dd/mm/yyyy"
                    if spec.kind == "date"
                    else (spec.label if self.compact else "")
                ),
            )
            self._shown = box.value
            yield box
        # plain text: a description and an error can quote what was typed
        if spec.describe is not None:
            yield Static(
                spec.describe(self.value), classes="field-help", id=f"d-{spec.name}", markup=False
            )
        elif spec.help and not self.compact:
            yield Static(spec.help, classes="field-help", markup=False)
        # The error line is made the first time there is an error (`_error_line`): a widget per
        # field that is almost never shown was styled and laid out with every form.

    def _widget_value(self) -> Any:
        if not self.built:
            return self._loaded_value()
        widget = self.query_one(f"#f-{self.spec.name}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, TextListEditor):
            return widget.values()
        return widget.value if isinstance(widget, Input | Select) else None

    def _changed(self, retry: bool = False) -> None:
        if not self.built:
            return  # its face: the stored value, never edited
        raw = self._widget_value()
        if raw == self._shown and not retry:
            return  # a load or a no-op, not an edit
        self._shown = raw
        try:
            value = parse_field(self.spec, raw)
        except InputError as exc:
            error = self._error_line()
            error.update(Text(f"Not saved yet: {exc}"))  # quotes what was typed: never markup
            error.add_class("shown")
            report_save(self, False, self.spec.label, str(exc))
            self.unsaved, self.reason = True, str(exc)
            return
        for error in self.query_children(".field-error").results(Static):
            error.update("")
            error.remove_class("shown")
        failed: list[str] = []

        def save() -> None:
            try:
                self.save(self.spec.name, value)
            except Locked as exc:  # a signed record: a question for the reviewer, not a failure
                raise _AskReason(exc) from None
            except Exception as exc:
                failed.append(save_failure_reason(exc) or "")
                raise

        try:
            saved = save_with_feedback(self, self.spec.label, save)
        except _AskReason as asked:
            self._ask_reason(asked.refused)
            return
        if saved:
            was_unsaved, self.unsaved, self.reason = self.unsaved, False, ""
            if was_unsaved:
                # saved at last: an older copy must not come back
                self.app.forget_recovery_copy(self._pending(raw))
            self.value = value
            if self.spec.describe is not None:
                self.query_one(f"#d-{self.spec.name}", Static).update(self.spec.describe(value))
            self.post_message(self.Edited(self, value))
        else:
            self.unsaved, self.reason = True, failed[0] if failed else ""

    def _error_line(self) -> Static:
        """The line under the field saying why what was typed is not saved, made (last in the
        field, where it always was) the first time it is needed."""
        found = self.query_children(".field-error").results(Static)
        error = next(iter(found), None)
        if error is None:
            error = Static("", classes="field-error", markup=False)
            self.mount(error)
        return error

    def _ask_reason(self, refused: Locked) -> None:
        """Nothing was stored: ask why the signed record is changed. With a reason, what the
        field shows now is saved with it; cancelled, the field shows the stored value again."""
        from reviewer_tui import history
        from reviewer_tui.screens.history import ask_reason

        if self._asking:
            return

        def answered(reason: str | None) -> None:
            self._asking = False
            if not self.is_mounted:
                return
            if reason:
                with history.changing(reason=reason):
                    self._changed(retry=True)
                return
            self._put_back()
            self.app.notify(
                f"{self.spec.label}: your change was not kept ({refused.question.split('.')[0]}"
                "). The field shows the stored value again.",
                severity="warning",
                timeout=8,
            )

        self._asking = True
        ask_reason(self.app, refused, answered)

    def show_stored(self, value: Any) -> None:
        """Show `value`, just stored elsewhere (a restore from the history): no save follows."""
        self.value = value
        self._put_back()

    def _put_back(self) -> None:
        """The widget shows the stored value again (no save follows: it is what is stored)."""
        if not self.built:
            self._shown = self._loaded_value()
            self._face_cache = None
            self.refresh(layout=True)  # the face draws the value
            return
        widget = self.query_one(f"#f-{self.spec.name}")
        if isinstance(widget, TextArea):
            widget.text = self.value or ""
        elif isinstance(widget, Input):
            widget.value = to_widget_text(self.value, self.spec)
        elif isinstance(widget, Select):
            widget.value = self.value if self.value is not None else Select.NULL
        elif isinstance(widget, TextListEditor):
            self.refresh(recompose=True)  # composed again from self.value
            self._shown = list(self.value or [])
            return
        self._shown = self._widget_value()

    def _pending(self, raw: Any) -> Any:
        from reviewer_tui.recovery import Pending

        owner = recovery_owner(self)
        value = None if raw is Select.NULL else raw
        return Pending(
            owner[0] if owner else None,
            owner[1] if owner else None,
            self.spec.name,
            self.spec.label,
            value,
            self.spec.kind,
            screen_place(self),
            self.reason,
        )

    def unsaved_edits(self) -> list[Any]:
        """This field, if what it shows is NOT SAVED (recovery.Pending)."""
        if not self.unsaved or not self.is_mounted:
            return []
        return [self._pending(self._widget_value())]

    def on_unmount(self) -> None:
        """Leaving the screen (or removing the row) with this field NOT SAVED keeps a recovery
        copy, offered back at the next start: the text is never simply dropped."""
        if self.unsaved:
            self.app.keep_on_close(self._pending(self._shown))

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _on_widget_changed(self, event: Message) -> None:
        event.stop()
        self._changed()

    def on_text_list_editor_list_changed(self, event: Message) -> None:
        event.stop()
        self._changed()


EditorType = TypeVar("EditorType", bound=Widget)


def _select_as_focused(widget: Widget | None) -> None:
    """An Input given the focus selects its text, so the first key typed replaces it: done now,
    as its Focus event would. Keys handed to it right after the focus moved to it (a Tab held
    with them, screens/forms.py FieldEditor) go ahead of that event if the focus moves on
    again, and it then never selects."""
    if isinstance(widget, Input) and widget.select_on_focus:
        widget.select_all()


class FieldSelect(LeanSelect[Any]):
    """A field's Select. Textual's Select takes, as it mounts, the value it was made with, and
    drops one set on it before (`field_widget(...).value = x`, `.clear()` on an editor just
    built): the value set since is the one it mounts with."""

    def _on_mount(self, _event: events.Mount) -> None:
        # runs before Select._on_mount (each class's handler is called, subclass first); only a
        # value set since (the reactive's own slot): unset, `value` is the class default (blank)
        if "_reactive_value" in self.__dict__:
            self._value = self.__dict__["_reactive_value"]


@overload
def field_widget(root: Widget, name: str) -> Widget: ...
@overload
def field_widget(root: Widget, name: str, kind: type[EditorType]) -> EditorType: ...
def field_widget(root: Widget, name: str, kind: type[Widget] = Widget) -> Widget:
    """The editor (Input, TextArea, Select, TextListEditor) of the first field named `name`
    under `root`, built if the field was still its face (FieldEditor.editor)."""
    for field_editor in root.query(FieldEditor).results(FieldEditor):
        if field_editor.spec.name == name:
            widget = field_editor.editor()
            if not isinstance(widget, kind):
                raise WrongType(f"field {name!r} is edited by {widget!r}, not a {kind.__name__}")
            return widget
    raise NoMatches(f"no field {name!r} under {root!r}")


class TextListEditor(Vertical):
    """An ordered list of free-text items (questions, key issues, training courses)."""

    DEFAULT_CSS = """
    TextListEditor { height: auto; }
    TextListEditor > Horizontal { height: auto; }
    TextListEditor TextArea { height: auto; max-height: 8; width: 1fr; }
    TextListEditor Button { min-width: 5; width: 5; }
    TextListEditor .add { width: auto; min-width: 12; }
    """

    class ListChanged(Message):
        pass

    def __init__(self, items: list[str], what: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items = list(items)
        self.what = what

    def compose(self) -> ComposeResult:
        for item in self.items:
            yield self._row(item)
        yield Button("+ Add", classes="add", variant="primary", tooltip=f"Add to {self.what}")

    def _row(self, text: str) -> Horizontal:
        return Horizontal(
            TextArea(text, soft_wrap=True, classes="item"),
            Button("✕", classes="remove", tooltip="Remove this item"),
        )

    def values(self) -> list[str]:
        return [area.text for area in self.query("TextArea.item").results(TextArea)]

    @on(TextArea.Changed)
    def _edited(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.ListChanged())

    @on(Button.Pressed, ".add")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        row = self._row("")
        await self.mount(row, before=event.button)
        row.query_one(TextArea).focus()
        self.post_message(self.ListChanged())

    @on(Button.Pressed, ".remove")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        parent = event.button.parent
        if isinstance(parent, Widget):
            await parent.remove()
        self.post_message(self.ListChanged())


class ModelForm(ReviewerNode, Vertical):
    """Every field of one row (a review, its scope...) as write-through editors."""

    DEFAULT_CSS = "ModelForm { height: auto; }"

    def __init__(self, model: type[Any], key: int, specs: Sequence[Spec], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.model = model
        self.key = key
        self.specs = specs

    @property
    def recovery_owner(self) -> tuple[str, int]:
        return (self.model.__tablename__, self.key)

    def compose(self) -> ComposeResult:
        store = self.store
        row = store.get(self.model, self.key)
        for spec in self.specs:
            yield FieldEditor(spec, getattr(row, spec.name), self._save)

    def _save(self, name: str, value: Any) -> None:
        self.store.update(self.model, self.key, **{name: value})


# A row of a RowList is a dozen widgets (a frame, a label and an editor per field, a delete
# button), each styled before the first frame: a large review's fifteen organisations were some
# 180 widgets of the terms of reference. A list of up to WHOLE_LIST (stubs.py) rows is built with
# the screen; in a longer one only the first row is, and each later one is a RowStub, one widget,
# until it scrolls into view (or to within a screen of it) or takes the focus.


class RowStub(Stub):
    """A row not built yet: its values as text, in the place and frame of its row (screens/stubs.py)."""

    def __init__(self, row: Any, specs: Sequence[Spec]) -> None:
        super().__init__(literal(_row_stub_text(row, specs)), type(row), row.id, classes="row stub")


def _row_stub_text(row: Any, specs: Sequence[Spec]) -> str:
    def shown(spec: Spec) -> str:
        text = " ".join(to_widget_text(getattr(row, spec.name), spec).split())
        return text if len(text) <= 80 else text[:79] + "…"

    first = shown(specs[0]) or f"({specs[0].label.lower()} not written yet)"
    rest = "; ".join(f"{s.label}: {shown(s)}" for s in specs[1:] if shown(s))
    return "\n".join(p for p in (first, rest, "Scroll to it or Tab to it to edit.") if p)


class RowList(ReviewerNode, Vertical, RevealsStubs):
    """An ordered list of rows of one table (organisations, scope changes...), editable in place."""

    DEFAULT_CSS = """
    RowList { height: auto; margin-bottom: 1; }
    RowList > Label.list-title { text-style: bold; }
    RowList > .list-help { color: $text-muted; }
    RowList .row { height: auto; border: round $primary 40%; padding: 0 1; }
    RowList .row FieldEditor { margin-bottom: 0; }
    RowList .row FieldEditor TextArea { height: 4; }
    RowList .row FieldEditor > .field-face--area { height: 4; }  /* its face: as tall */
    RowList .row-actions { height: auto; }
    RowList .row-actions Button { min-width: 10; }
    """

    def __init__(
        self,
        title: str,
        model: type[Any],
        review_id: int,
        specs: Sequence[Spec],
        new_values: Callable[[], dict[str, Any]],
        help: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.title = title
        self.model = model
        self.review_id = review_id
        self.specs = specs
        self.new_values = new_values
        self.help = help

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="list-title", markup=False)
        if self.help:
            yield Static(self.help, classes="list-help", markup=False)
        rows = self.store.rows(self.model, self.review_id)
        built = len(rows) if len(rows) <= WHOLE_LIST else 1
        for row in rows[:built]:
            yield self._row(row)
        yield from stubs_and_run(
            self.title,
            rows[built:],
            lambda row: RowStub(row, self.specs),
            self.model,
            lambda row: int(row.id),
            built + 1,
        )
        yield Button(
            literal(f"+ Add to {self.title.lower()}"), classes="add-row", variant="primary"
        )

    def stubs_to_reveal(self) -> Iterable[Stub]:
        return self.query_children(Stub).results(Stub)  # not those of a list inside a row

    def stub_scroller(self) -> Widget | None:
        return self._scroller()

    def _scroller(self) -> Widget | None:
        return next((a for a in self.ancestors if isinstance(a, VerticalScroll)), None)

    async def on_stub_wanted(self, event: Stub.Wanted) -> None:
        if not isinstance(event.stub, RowStub) or event.stub.parent is not self:
            return  # another list's

        def build(stub: Stub) -> RecordBox | None:
            try:
                return self._row(self.store.get(self.model, stub.row_id))
            except InputError:  # deleted meanwhile (from another screen): nothing to edit
                return None

        # the rows that came into view with it are built with it: one layout for them all
        await replace_stubs_in_view(event, build, self._scroller(), focus_first)

    def _row(self, row: Any) -> RecordBox:
        def save(name: str, value: Any, row_id: int = row.id) -> None:
            self.store.update(self.model, row_id, **{name: value})

        from reviewer_tui.screens.deleting import DeleteButton

        editors = [FieldEditor(spec, getattr(row, spec.name), save) for spec in self.specs]
        delete = DeleteButton("Delete", classes="delete-row", variant="error")
        return RecordBox(
            *editors,
            Horizontal(delete, classes="row-actions"),
            table=self.model.__tablename__,
            row_id=row.id,
            classes="row",
        )

    @on(Button.Pressed, ".add-row")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        store = self.store
        created: list[Any] = []
        if save_with_feedback(
            self,
            self.title,
            lambda: created.append(store.add_row(self.model, self.review_id, **self.new_values())),
        ):
            await make_whole(self)  # the new row goes after every other
            box = self._row(created[0])
            await self.mount(box, before=event.button)
            focus_first(box)
            self.post_message(Stored())

    @on(Button.Pressed, ".delete-row")
    async def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        box = next((a for a in event.button.ancestors if isinstance(a, RecordBox)), None)
        if box is None:
            return
        from reviewer_tui.screens.deleting import delete_box

        store = self.store
        row_id = box.row_id
        row = store.get(self.model, row_id)
        first = " ".join(str(getattr(row, self.specs[0].name) or "").split())
        what = f"'{first}' from {self.title.lower()}" if first else f"a row of {self.title.lower()}"
        await delete_box(
            box,
            self.model,
            row_id,
            what,
            lambda: self._row(store.get(self.model, row_id)),
            lambda: self.post_message(Stored()),
        )


def focus_first(box: Widget) -> None:
    """After an add: the keyboard goes to the new row's first field (or button), and the row is
    scrolled into view, on every screen."""
    for widget in box.query("*"):
        if widget.focusable:
            widget.focus()
            break
    box.scroll_visible()


class StageBody(VerticalScroll):
    """The scrolling body of a stage screen.

    It is the first thing that can take the focus, so it takes it as the screen opens, and gives
    it up as the screen closes. Textual restyles a widget with everything inside it when its focus
    changes (a rule could style what is inside a focused widget): on a large review's form, some
    hundreds of widgets styled a second time, half the CPU of opening the screen. No rule in the
    app styles anything by the focus of a container it is in (tests/test_form_screens_open.py
    checks the app's whole stylesheet), so only the body itself is styled again."""

    DEFAULT_CSS = "StageBody { scrollbar-gutter: stable; }"

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)


def field_group(title: str, *children: Widget) -> Vertical:
    group = Vertical(*children, classes="group")
    group.border_title = literal(title)
    return group


def stage_header(title: str, subtitle: str) -> ComposeResult:
    """Plain text: a title can hold a name ("Interview with ...")."""
    yield Static(title, classes="stage-title", markup=False)
    yield Static(subtitle, classes="stage-subtitle", markup=False)


__all__ = [
    "FieldEditor",
    "ModelForm",
    "RecordBox",
    "RecordRow",
    "RowList",
    "RowStub",
    "SaveIndicator",
    "Spec",
    "StageBody",
    "TextListEditor",
    "YES_NO",
    "field_group",
    "field_widget",
    "focus_first",
    "save_with_feedback",
    "stage_header",
]
