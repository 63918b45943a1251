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
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual import getters
    from textual.app import ComposeResult

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


class Footer(TextualFooter):
    """Textual's footer, rebuilt on every change of focus or bindings, without restyling each key
    twice as it is mounted (a key starts compact and is then bound to the footer's own setting:
    two style passes per key, a third of the CPU of opening a screen). Each key is given the
    footer's setting before it mounts, so neither pass happens."""

    _composed: tuple[object, ...] | None = None  # what the keys now on show were built from

    def _shown(self) -> tuple[object, ...]:
        """Everything the keys are built from (Textual's compose reads the same): the screen's
        active bindings that are shown, the command palette's, how each key is displayed, and
        the footer's own settings. A hidden binding (a text box's own keys) changes nothing."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING
        return (
            self.compact,
            self.show_command_palette,
            app.ENABLE_COMMAND_PALETTE,
            palette,
            tuple(
                (
                    key,
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    binding.show,
                    binding.group,
                    binding.tooltip,
                    enabled,
                    tooltip,
                )
                for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == palette
            ),
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Textual rebuilds every key whenever the screen's bindings may have changed: when its
        screen is covered by another (and again when shown), and on every move of focus. Here a
        screen that is covered keeps its keys until it is on top again (its resume asks again),
        and the keys are rebuilt only when what they show differs (see `recompose`)."""
        if screen is self.screen and self.is_attached and screen is not self.app.screen:
            self._bindings_ready = True
            return
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        """Rebuild the keys, unless they would come out exactly as they are."""
        if not self.is_attached:
            return
        if self._composed is not None and self._shown() == self._composed:
            return
        await super().recompose()

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._composed = self._shown()
        for widget in super().compose():
            for key in (widget, *getattr(widget, "_pending_children", ())):
                # The command palette's key is not bound to the footer's setting: left as it is
                if isinstance(key, FooterKey) and not key.has_class("-command-palette"):
                    key.set_reactive(FooterKey.compact, self.compact)
            yield widget


class _StyledOnce:
    """A screen is styled as it mounts; Textual styles the whole of it again on the first
    ScreenResume that follows the push, with nothing changed between (a fifth of opening a
    screen with many fields). Later resumes (back from another screen, after a change of theme)
    still restyle."""

    _resumed_before = False

    def _on_screen_resume(self, event: ScreenResume) -> None:
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False
        super()._on_screen_resume(event)  # type: ignore[misc]  # Screen's, after this mixin


class ReviewScreen(_StyledOnce, ReviewerNode, Screen[ResultType]):
    """A full screen of reviewer-tui."""

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """A dropdown that opens brings its Select to the top of what scrolls, so its list opens
        below it with room, not over the save line and the footer docked at the bottom."""
        from textual.widgets._select import SelectOverlay

        if isinstance(event.widget, SelectOverlay) and isinstance(event.widget.parent, Widget):
            event.widget.parent.scroll_visible(top=True, animate=False, immediate=True)


class ReviewModal(_StyledOnce, ReviewerNode, ModalScreen[ResultType]):
    """A modal dialog of reviewer-tui."""


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
