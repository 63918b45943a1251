"""The typed base of the screens and widgets: `self.app` is the ReviewerApp and `self.store` its
Store, so screen code reaches the reviewer's data through typed attributes, never through
`type: ignore`.

    class WorkspaceScreen(ReviewScreen[None]): ...      # a full screen
    class LinkDialog(ReviewModal[list[int] | None]): ... # a modal dialog
    class FindingBox(ReviewerNode, Vertical): ...       # any widget that reads or writes data
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual.events import DescendantFocus, Mount, ScreenResume
from textual.geometry import Size
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

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


class _OpensOnce:
    """What Textual does twice as a screen opens, done once.

    Styles: a screen is styled as it mounts; Textual styles the whole of it again on the first
    ScreenResume that follows the push, with nothing changed between (a fifth of opening a
    screen with many fields). Later resumes (back from another screen, after a change of theme)
    still restyle.

    Layout: the screen's first layout sends the screen a Resize of the size it was just laid out
    at, and Textual lays the whole screen out and draws it again for it (a full frame, a tenth of
    opening most screens); a start sends more of them. A Resize of the size the screen is laid
    out at changes nothing, so its layout is skipped; whatever a widget changed as it took its
    own size asks for its own layout, done on the screen's next update as always."""

    _resumed_before = False

    def _on_screen_resume(self, event: ScreenResume) -> None:
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False
        super()._on_screen_resume(event)  # type: ignore[misc]  # Screen's, after this mixin

    def _screen_resized(self, size: Size) -> None:
        screen: Any = self
        if screen.is_attached and size == screen._compositor.size:
            return
        super()._screen_resized(size)  # type: ignore[misc]  # Screen's, after this mixin


class ReviewScreen(_OpensOnce, ReviewerNode, Screen[ResultType]):
    """A full screen of reviewer-tui."""

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """A dropdown that opens brings its Select to the top of what scrolls, so its list opens
        below it with room, not over the save line and the footer docked at the bottom."""
        from textual.widgets._select import SelectOverlay

        if isinstance(event.widget, SelectOverlay) and isinstance(event.widget.parent, Widget):
            event.widget.parent.scroll_visible(top=True, animate=False, immediate=True)


class ReviewModal(_OpensOnce, ReviewerNode, ModalScreen[ResultType]):
    """A modal dialog of reviewer-tui."""


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
