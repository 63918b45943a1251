"""The typed base of the screens and widgets: `self.app` is the ReviewerApp and `self.store` its
Store, so screen code reaches the reviewer's data through typed attributes, never through
`type: ignore`.

    class WorkspaceScreen(ReviewScreen[None]): ...      # a full screen
    class LinkDialog(ReviewModal[list[int] | None]): ... # a modal dialog
    class FindingBox(ReviewerNode, Vertical): ...       # any widget that reads or writes data
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any, TypeVar

from textual.binding import Binding
from textual.events import DescendantFocus, Mount, ScreenResume
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

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


@dataclass(frozen=True)
class _Key:
    """One key as the footer shows it (Textual's FooterKey arguments)."""

    key: str
    display: str
    description: str
    action: str
    disabled: bool
    tooltip: str
    classes: str  # "", "-grouped" (in a group) or "-command-palette"


@dataclass(frozen=True)
class _Group:
    """Keys shown together under one label (a Binding.Group of more than one key)."""

    label: str
    compact: bool
    keys: tuple[_Key, ...]


_Plan = tuple[_Key | _Group, ...]


def _shape(plan: _Plan) -> tuple[object, ...]:
    """The widgets a plan is built of, without their words: two plans of one shape differ only
    in what their keys say."""
    return tuple(
        (item.compact, len(item.keys)) if isinstance(item, _Group) else item.classes
        for item in plan
    )


def _plain_keys(plan: _Plan) -> tuple[tuple[_Key, ...] | None, bool]:
    """The plain keys of a plan made of nothing else (but the command palette's key, last), and
    whether that key is there; None for the keys when the plan has a group."""
    palette = bool(plan) and isinstance(plan[-1], _Key) and plan[-1].classes == "-command-palette"
    body = plan[:-1] if palette else plan
    keys = tuple(item for item in body if isinstance(item, _Key) and item.classes == "")
    return (keys if len(keys) == len(body) else None), palette


class Footer(TextualFooter):
    """Textual's footer, with its keys built once and then kept: a change of focus or bindings
    re-labels, shows or removes the keys that changed, where Textual removed every key and built
    them all again (17 keys restyled and laid out on every move between the chronology's table
    and its search box). The keys are first built, as Textual builds them, once the screen's
    bindings are known after it mounts (built with the screen's first layout instead, they made
    no fewer passes of layout: measured by calls, 211,000 against 205,000 to open the history).
    Each key is given the footer's compact setting before it mounts, so it is not styled
    twice."""

    _composed: _Plan | None = None  # what the keys now on show were built from
    _updating: asyncio.Lock | None = None
    _spare: list[tuple[Widget, _Key]] = []  # keys hidden, after those on show, for reuse

    def _plan(self) -> _Plan:
        """The keys as Textual's footer composes them: the screen's active bindings that are
        shown (one key per action, a group of keys under its label), then the command palette's."""
        app = self.app
        active = self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        plan: list[_Key | _Group] = []
        for group, same_group in groupby(by_action.values(), lambda found: found[0][0].group):
            actions = list(same_group)
            if group is not None and len(actions) > 1:
                keys = []
                for binding, enabled, tooltip in (found[0] for found in actions):
                    keys.append(
                        _Key(
                            binding.key,
                            app.get_key_display(binding),
                            "",
                            binding.action,
                            not enabled,
                            tooltip or binding.description,
                            "-grouped",
                        )
                    )
                plan.append(_Group(group.description, group.compact, tuple(keys)))
                continue
            for binding, enabled, tooltip in (found[0] for found in actions):
                plan.append(
                    _Key(
                        binding.key,
                        app.get_key_display(binding),
                        binding.description,
                        binding.action,
                        not enabled,
                        tooltip,
                        "",
                    )
                )
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            palette = active.get(app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _node, binding, enabled, tooltip = palette
                plan.append(
                    _Key(
                        binding.key,
                        app.get_key_display(binding),
                        binding.description,
                        binding.action,
                        not enabled,
                        binding.tooltip or binding.description,
                        "-command-palette",
                    )
                )
        return tuple(plan)

    def _key(self, spec: _Key) -> FooterKey:
        key = FooterKey(
            spec.key,
            spec.display,
            spec.description,
            spec.action,
            disabled=spec.disabled,
            tooltip=spec.tooltip,
            classes=spec.classes,
        )
        if spec.classes != "-command-palette":
            # Bound to the footer's setting, and given it now: no second style pass on mount.
            # (The command palette's key is not bound to it: left as it is.)
            key.set_reactive(FooterKey.compact, self.compact)
            key.data_bind(compact=TextualFooter.compact)
        return key

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        plan = self._composed = self._plan()
        self._spare = []  # built afresh: the old keys, hidden ones too, are gone
        self.styles.grid_size_columns = sum(
            len(item.keys) if isinstance(item, _Group) else item.classes != "-command-palette"
            for item in plan
        )  # as Textual's footer sets it: one column per action
        for item in plan:
            if isinstance(item, _Group):
                with KeyGroup(classes="-compact" if item.compact else ""):
                    for spec in item.keys:
                        yield self._key(spec)
                yield FooterLabel(item.label)
            else:
                yield self._key(item)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Textual rebuilds every key whenever the screen's bindings may have changed: when its
        screen is covered by another (and again when shown), and on every move of focus. Here a
        screen that is covered keeps its keys until it is on top again (its resume asks again),
        and only the keys whose words changed are touched (see `update_keys`)."""
        self._bindings_ready = True
        if not screen.app.app_focus or screen is not self.screen or not self.is_attached:
            return
        if screen is not self.app.screen:
            return
        self.call_after_refresh(self.update_keys)

    async def recompose(self) -> None:
        """Bring the keys up to date (see `update_keys`): never rebuilt for nothing."""
        await self.update_keys()

    async def update_keys(self) -> None:
        """Show the keys the screen's bindings now call for. Nothing happens when they would come
        out as they are; keys of the same kinds in the same places are re-labelled; a row of
        plain keys that grows or shrinks keeps its keys (re-labelled), hides those it no longer
        needs and shows them again when it grows, and builds only keys it never had. Anything
        else (a group of keys appearing) is built afresh."""
        if self._updating is None:
            self._updating = asyncio.Lock()
        async with self._updating:  # one change at a time: each starts from the keys on show
            if not self.is_attached or self._pruning or not self._bindings_ready:
                return
            plan = self._plan()
            before = self._composed
            if before is not None and plan == before:
                return
            if before is None or not await self._update_in_place(before, plan):
                await super().recompose()
                return
            self._composed = plan

    async def _update_in_place(self, before: _Plan, plan: _Plan) -> bool:
        """Change the keys on show from `before` to `plan` without rebuilding them; False when
        the two differ in more than the words and the number of plain keys."""
        spare = [widget for widget, _spec in self._spare]
        shown = [
            child
            for child in self.children
            if not child.has_class("-textual-system") and child not in spare
        ]
        if _shape(before) == _shape(plan):
            widgets = iter(shown)
            for was, item in zip(before, plan, strict=True):
                widget = next(widgets)
                if isinstance(item, _Group) and isinstance(was, _Group):
                    for key, old, new in zip(widget.children, was.keys, item.keys, strict=True):
                        self._relabel(key, old, new)
                    label = next(widgets)
                    if was.label != item.label and isinstance(label, FooterLabel):
                        label.update(item.label)
                elif isinstance(item, _Key) and isinstance(was, _Key):
                    self._relabel(widget, was, item)
            return True
        flat_before, palette_before = _plain_keys(before)
        flat_now, palette_now = _plain_keys(plan)
        if flat_before is None or flat_now is None or palette_before != palette_now:
            return False
        # The plain keys, those on show then the spare ones hidden after them, each with what
        # it says now: the first are re-labelled (and shown), the rest hidden, kept for later.
        keys = [*zip(shown[: len(flat_before)], flat_before, strict=True), *self._spare]
        for (widget, was), item in zip(keys, flat_now, strict=False):
            self._relabel(widget, was, item)
            widget.display = True
        self._spare = keys[len(flat_now) :]
        for widget, _was in self._spare:
            widget.display = False
        if len(flat_now) > len(keys):
            added = [self._key(spec) for spec in flat_now[len(keys) :]]
            palette = shown[len(flat_before)] if palette_before else None
            await self.mount_all(added, before=palette)
        return True

    @staticmethod
    def _relabel(widget: Widget, was: _Key, spec: _Key) -> None:
        if was == spec or not isinstance(widget, FooterKey):
            return
        widget.key = spec.key
        widget.key_display = spec.display
        widget.description = spec.description
        widget.action = spec.action
        if was.disabled != spec.disabled:
            widget._disabled = spec.disabled
            widget.set_class(spec.disabled, "-disabled")
        if was.tooltip != spec.tooltip:
            widget.tooltip = spec.tooltip or None
        widget.refresh(layout=True)


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
