"""The typed base of the screens and widgets: `self.app` is the ReviewerApp and `self.store` its
Store, so screen code reaches the reviewer's data through typed attributes, never through
`type: ignore`.

    class WorkspaceScreen(ReviewScreen[None]): ...      # a full screen
    class LinkDialog(ReviewModal[list[int] | None]): ... # a modal dialog
    class FindingBox(ReviewerNode, Vertical): ...       # any widget that reads or writes data
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, TypeVar

from textual._time import get_time
from textual.events import DescendantFocus, Mount, ScreenResume
from textual.geometry import Size
from textual.message import Message
from textual.messages import Layout, Update
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

if TYPE_CHECKING:
    from textual import getters

    from reviewer_tui.reviews import Store
    from reviewer_tui.screens.app import ReviewerApp

    _Node = Widget
else:
    _Node = object  # at run time a plain mixin: nothing changes in the widget's CSS or MRO


class ReviewerNode(_Node):
    """Mixin for a screen or widget of reviewer-tui: typed `app` and `store`."""

    if TYPE_CHECKING:
        # Textual's own idiom for a typed app (textual.getters.app); declared for the type
        # checker only, so a widget hosted by a test's bare App still runs.
        app = getters.app(ReviewerApp)

    @property
    def store(self) -> Store:
        """Every change the reviewer makes goes through this Store."""
        return self.app.store

    async def _on_message(self, message: Message) -> None:
        """Handle a message, except Mount for a widget removed before it was built. Textual
        still sends Mount to a widget whose screen closed, or whose app began to quit, before its
        children were composed (a finding's box built as it scrolled into view just as the
        reviewer pressed Esc): it has no children, and an on_mount that fills them in would stop
        the app with an error. Such a widget is never shown; it goes as any removed widget does."""
        if isinstance(message, Mount) and (self._pruning or self._closing):
            return
        await super()._on_message(message)


class Stored(Message):
    """A widget stored a change other than one field's (a tick, links, a new row): the screen
    recounts whatever it summarises. Widgets post this; they never call their screen's methods."""


ResultType = TypeVar("ResultType")
WidgetType = TypeVar("WidgetType", bound=Widget)


class _DoneOnce:
    """What Textual does twice, done once.

    Styles: a screen is styled as it mounts; Textual styles the whole of it again on the first
    ScreenResume that follows the push, with nothing changed between (a fifth of opening a
    screen with many fields). Later resumes (back from another screen, after a change of theme)
    still restyle.

    A Resize of the size the screen is laid out at: the screen's first layout sends the screen
    one, and Textual laid the whole screen out and drew it again for it (a full frame, a tenth of
    opening most screens); a start sends more of them. It changes nothing, so it lays nothing out.

    The layout after a layout: a layout gives each widget the size it found, and a widget given
    a new size asks for a layout of its own (Textual's `virtual_size` asks as it is set), so
    every first layout of a screen was followed by a second of the whole screen that found the
    sizes the first had just given (a tenth of opening a screen of many fields). Those asks are
    dropped, but for a widget whose scroll bars the new size shows or hides (laid out without
    them). A widget that changes once it knows its size (text wrapped again, a table's columns)
    asks again from its Resize handler, and is laid out then. Textual gives the sizes without
    an ask when a scroll lays out what it exposes; this does the same for every layout.

    The asks a layout has met: a container asks as its children mount, a Static, an Input or a
    table as its content is set, and those asks reach the screen as messages, often after the
    screen's first layout, which already measured what they ask about. Such a message sent
    before the layout began lays nothing out again (the screen too asks, as the layout gives it
    its own size). A table works out its size for new rows on its next idle, after that
    layout: a layout works it out first (`_size_table_now`).

    The frame after a frame: a resume that lays the screen out draws and shows all of it, then
    Screen's handler asks for all of it to be drawn again, as does the repaint the screen asked
    for as its first layout gave it its size: a second full frame of every screen as it opened.
    And each widget asks to be drawn as it mounts, is styled or is given its size; those asks
    reach the screen after that frame, which drew it, and every widget in view was drawn again.
    A full frame shown meets every ask made before it began. A return that lays nothing out is
    drawn as Textual draws it.

    The frame before the scroll bars: a screen's first layout gives each widget its size, and a
    widget whose content then overflows shows a scroll bar it was laid out without (or hides one);
    the bar asks for a layout of its own. Textual drew the whole screen first, then laid it out
    again with the bar and drew most of it a second time on the next turn. That first frame is
    not drawn: the layout the bar asks for draws the whole screen once (a tenth of opening an
    interview or the meeting, a quarter of the help).

    The first focus: a screen names the widget that takes the focus as it opens in AUTO_FOCUS
    (Textual's), and Textual focuses it as the screen resumes, before its first layout. Focused
    from on_mount instead (`focus()` waits for the next turn), the focus moved after the first
    frame, from the first focusable widget Textual had chosen: both were styled and drawn again,
    the screen laid out again, the footer drawn again (a quarter of opening the chronology).
    Textual chooses only while the terminal has the focus (for textual-web); here a screen opened
    meanwhile (at start-up, in a terminal behind another window) is focused all the same.
    """

    _resumed_before = False
    _laid_out_at = float("-inf")  # when its last layout of the whole screen began
    _resuming = False  # between this mixin's resume handler and Screen's refresh() that ends it
    _drawn_whole = False  # the resume's layout drew and showed the whole screen
    _drawn_whole_at = float("-inf")  # when the last full frame of the screen began
    _bars_before: dict[Widget, tuple[bool, bool]] | None = None  # in a layout: scroll bars before
    _asked_at = float("-inf")  # when it last asked to be drawn, whole or a widget of it

    def _on_screen_resume(self, event: ScreenResume) -> None:
        # Screen's own handler runs next: Textual calls each class's handler along the MRO (one
        # called from here as well ran twice, and each resume restyled the screen twice).
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False
        screen: Any = self
        self._resuming = screen.is_attached  # Screen's handler ends with refresh() when attached
        self._drawn_whole = False

    def _on_mount(self, event: Mount) -> None:
        # Textual's update timer draws each frame after the first. Its first tick comes a whole
        # period (17 ms) after it first runs, so the frame after the scroll bars, or the echo of
        # a first key, waited for it: it is run once now, as the screen mounts, and is waiting
        # by then. Paused again once running, unless something already waits to be drawn.
        screen: Any = self
        timer = screen._update_timer
        timer.resume()

        def pause_unless_asked() -> None:
            if not (
                screen._layout_required
                or screen._scroll_required
                or screen._repaint_required
                or screen._recompose_required
                or screen._dirty_widgets
            ):
                timer.pause()

        asyncio.get_running_loop().call_soon(pause_unless_asked)

    first_focus: str | None = None
    """What this screen, rather than every screen of its class (AUTO_FOCUS), focuses first: a
    screen opened for a record just added gives the keyboard to the record's first field."""

    def _update_auto_focus(self) -> None:
        # Textual's (8.2.8), but whether or not the terminal has the focus.
        screen: Any = self
        auto_focus = self.first_focus or (
            screen.app.AUTO_FOCUS if screen.AUTO_FOCUS is None else screen.AUTO_FOCUS
        )
        if auto_focus and screen.focused is None:
            for widget in screen.query(auto_focus):
                if widget.focusable:
                    widget.has_focus = True
                    screen.set_focus(widget)
                    break

    def _compositor_refresh(self) -> None:
        screen: Any = self
        compositor = screen._compositor
        top = screen.app.screen
        if (
            top is not screen
            and screen in screen.app._background_screens
            and self._bars_before is None  # not a layout's: what it moved is not covered
            and self._asked_at < getattr(top, "_drawn_whole_at", float("-inf"))
        ):
            # The screen under a dialog, drawn again for what it asked before the dialog's
            # full frame, which drew it as it is (its widgets render afresh once asked):
            # Textual had the dialog draw the whole terminal a second time.
            compositor._dirty_regions.clear()
            screen._dirty_widgets.clear()
            return
        bars_before, self._bars_before = self._bars_before, None
        if (
            bars_before is not None
            and self._resuming
            and compositor.size.region in compositor._dirty_regions
            and any(bars_before.get(w, _bars(w)) != _bars(w) for w in compositor.widgets)
        ):
            # The frame before the scroll bars (see above): not drawn, the layout next does.
            screen._layout_required = True
            screen.check_idle()
            return
        # render_update's own test for a full frame, on the screen on the terminal
        if compositor.size.region in compositor._dirty_regions and (
            screen is screen.app.screen and not screen.app.is_inline
        ):
            # Every widget in view is drawn from what it holds now: a repaint asked for before
            # (as it mounted, was styled or given its size) is met by this frame. Asked again
            # while the frame is drawn, it is kept.
            self._drawn_whole_at = get_time()
            for widget in compositor.visible_widgets:
                widget._repaint_required = False
            screen._repaint_required = False
            self._drawn_whole = self._resuming
        super()._compositor_refresh()  # type: ignore[misc]  # Screen's, after this mixin

    async def _on_update(self, message: Update) -> None:
        # An ask to draw a widget again, sent before a full frame that drew it.
        screen: Any = self
        if message.time < self._drawn_whole_at and message.widget in (
            screen._compositor.visible_widgets
        ):
            message.stop()
            message.prevent_default()  # Screen's handler, next along the MRO, is not called
            return
        self._asked_at = max(self._asked_at, message.time)

    def refresh(self, *regions: Any, **how: bool) -> Any:
        # A resume that lays the screen out (a push, or a return at a new size) has just drawn
        # and shown all of it; Screen's handler then asks to draw all of it again, which drew a
        # second full frame of every screen as it opened. Any other refresh is Textual's.
        if not regions and not how:
            drawn, self._drawn_whole, self._resuming = self._drawn_whole, False, False
            if drawn:
                return self
        if how.get("repaint", True):
            self._asked_at = get_time()
        return super().refresh(*regions, **how)  # type: ignore[misc]  # Widget's

    def _screen_resized(self, size: Size) -> None:
        screen: Any = self
        if screen.is_attached and size == screen._compositor.size:
            return
        super()._screen_resized(size)  # type: ignore[misc]  # Screen's, after this mixin

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        screen: Any = self
        if not scroll or screen._layout_widgets:  # the whole screen (else only what scrolled)
            self._laid_out_at = get_time()
            for table in screen.query(DataTable).results(DataTable):
                _size_table_now(table)
        before = {widget: _layout_state(widget) for widget in (screen, *screen.walk_children())}
        self._bars_before = {widget: (shown, wide) for widget, (_, shown, wide) in before.items()}
        try:
            super()._refresh_layout(size, scroll)  # type: ignore[misc]  # Screen's, after this
        finally:
            self._bars_before = None
        for widget in screen._compositor.widgets:
            # Kept: a widget's own ask from before the layout (it may have drawn on what the
            # ask replaces; a container's was for children now laid out), and one from scroll
            # bars the new size shows or hides (laid out without them).
            asked, *bars = before.get(widget, (True, None, None))
            if (
                widget._layout_required
                and (not asked or widget._nodes)
                and bars == [*_bars(widget)]
            ):
                widget._layout_required = False

    async def _on_layout(self, message: Layout) -> None:
        # An ask sent before the screen's last layout began, from a container (that layout
        # arranged its children as they are), a Static, an Input or a table (it measured what
        # they hold): the boxes of a list, each asking as its fields mounted, a line of text
        # filled in and a box given its value as the screen mounted, laid the whole screen out
        # again after its first layout. Other widgets (a TextArea) work out their size after
        # they ask, and are laid out again.
        #
        # And a scroll bar's ask, shown or hidden as the screen's last layout placed it: Textual
        # makes a widget's scroll bar hidden, and shows it as the layout gives the widget its
        # size, which asks for another layout (the chronology's table: a second layout and a
        # frame of the whole table, once the first frame had drawn it with its bar).
        widget = message.widget
        screen: Any = self
        if (
            message.time < self._laid_out_at
            and isinstance(widget, Widget)
            and (widget._nodes or isinstance(widget, Static | Input | DataTable))
            and widget.is_attached  # laid out then, or left out (hidden) by that layout
        ) or (
            isinstance(widget, ScrollBar)
            and widget.display == (widget in screen._compositor._full_map)
        ):
            message.stop()
            message.prevent_default()  # Screen's handler, next along the MRO, is not called


def _size_table_now(table: Any) -> None:
    """Work out a table's column widths and size for the rows and cells it was given, as its
    next idle would (Textual's DataTable._on_idle, 8.2.8), so the layout about to run finds the
    table's size. Left to the idle, it came after the screen's first layout, which laid out and
    drew the table empty, then laid the screen out and drew it again (a table filled as its
    screen opened)."""
    if table._updated_cells:
        cells = table._updated_cells.copy()
        table._updated_cells.clear()
        table._update_column_widths(cells)
    if table._require_update_dimensions:
        table._require_update_dimensions = False
        rows = table._new_rows.copy()
        table._new_rows.clear()
        table._update_dimensions(rows)
        table._layout_required = False  # its ask, met by the layout that follows now


def _bars(widget: Any) -> tuple[bool, bool]:
    return widget.show_vertical_scrollbar, widget.show_horizontal_scrollbar


def _layout_state(widget: Any) -> tuple[bool, bool, bool]:
    """Whether `widget` asks for a layout, and which scroll bars it shows."""
    return widget._layout_required, *_bars(widget)


def _focused_without_repaint() -> Reactive[Widget | None]:
    """Screen.focused, but for the repaint of the whole screen as the focus moves (a full frame
    on every Tab): the widgets that gain and lose the focus, and their ancestors styled by it,
    redraw themselves. One per class, as a reactive knows the class it is declared on."""
    return Reactive(None, repaint=False)


class ReviewScreen(_DoneOnce, ReviewerNode, Screen[ResultType]):
    """A full screen of reviewer-tui."""

    focused = _focused_without_repaint()

    def tell_if_away(self, text: str, problem: bool = False) -> None:
        """How work this screen started in the background ended (a report written, a returned
        draft read), said also as a message on the screen the reviewer is on when it is not this
        one: the work goes on after they leave or open another screen, and they must know
        whether it was done. On the UI thread (a worker calls it through call_from_thread)."""
        if self.app.screen is not self:
            self.app.notify(text, severity="error" if problem else "information", timeout=20)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """A dropdown that opens brings its Select to the top of what scrolls, so its list opens
        below it with room, not over the save line and the footer docked at the bottom."""
        from textual.widgets._select import SelectOverlay

        if isinstance(event.widget, SelectOverlay) and isinstance(event.widget.parent, Widget):
            event.widget.parent.scroll_visible(top=True, animate=False, immediate=True)


class ReviewModal(_DoneOnce, ReviewerNode, ModalScreen[ResultType]):
    """A modal dialog of reviewer-tui."""

    focused = _focused_without_repaint()


# Screens that hold one row of a review rather than the review: which row, in which table.
ROW_SCREENS = (
    ("entry_id", "chronology_entry"),
    ("interview_id", "interview"),
    ("person_id", "person"),
    ("draft_id", "report_draft"),
)


def shows_a_review(screen: Screen[Any]) -> bool:
    """Whether `screen` is a screen of one review (cheap: no database read)."""
    if isinstance(getattr(screen, "review_id", None), int):
        return True
    return any(isinstance(getattr(screen, a, None), int) for a, _ in ROW_SCREENS)


def made_compact(widget: WidgetType) -> WidgetType:
    """`widget` (a Textual widget with a `compact` setting: a Checkbox, a Button, an Input) made
    compact as `compact=True` makes it, without the styling it costs: Textual styles the widget
    as the class goes on, before it is even mounted, where the mount styles it anyway."""
    setting: Any = getattr(type(widget), "compact")  # noqa: B009 - the class's reactive
    widget.set_reactive(setting, True)
    widget.add_class("-textual-compact", update=False)
    return widget


def container_of(widget: Widget) -> Widget:
    """The widget `widget` is mounted in: `widget.parent`, typed (a mounted widget's parent is a
    widget or a screen, never None)."""
    parent = widget.parent
    if not isinstance(parent, Widget):
        raise RuntimeError(f"{widget!r} is not mounted in a widget")
    return parent


def store_of(widget: Widget) -> Store:
    """The Store of the app `widget` runs in, for a widget that is not a ReviewerNode (a box of
    any kind handed to a shared helper)."""
    from reviewer_tui.screens.app import ReviewerApp

    app = widget.app
    if not isinstance(app, ReviewerApp):
        raise RuntimeError(f"{widget!r} is not in a reviewer-tui app")
    return app.store
