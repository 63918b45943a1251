"""The header and the footer of every screen, each one widget (issue 14).

Textual's header is four widgets and its footer one widget per key (and a group per set of
keys), each styled, laid out and drawn on its own; the footer built its keys only after the
screen's bindings were known, a layout of the whole screen later. Together they were about 30 ms
of every screen's opening (measured: a bare screen 15 ms, with both 45 ms). Here each is one
line drawn from what it shows: the same words, places and colours as Textual's, the same mouse
use (click a key to press it, hover it for its tooltip, the wheel to see keys past the edge;
click the header's icon for the command palette, the header to make it taller).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # Textual's header icon: eight columns (padding 0 1)
CLOCK_WIDTH = 10  # and the clock's space on the right


class Header(Widget):
    """The app's title (the screen's own, when it has one) and subtitle, centred on one line,
    after the command palette's icon."""

    DEFAULT_CSS = """
    Header { dock: top; width: 100%; height: 1; background: $panel; color: $foreground; }
    Header.-tall { height: 3; }
    Header > .header--icon-hover { background: $foreground 10%; }
    """
    COMPONENT_CLASSES = {"header--icon-hover"}
    ALLOW_SELECT = False

    _icon_hover = False

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._retitle, init=False)
            self.watch(owner, "sub_title", self._retitle, init=False)

    def _retitle(self, *_: Any) -> None:
        self.refresh()

    def title_content(self) -> Content:
        """The title as Textual's header shows it: the screen's title and subtitle, each the app's
        where the screen has none (user text in them is text, never markup)."""
        screen = self.screen
        title = screen.title if screen.title is not None else self.app.title
        sub_title = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        return self.app.format_title(title, sub_title)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        if y != self.size.height // 2:
            return Strip.blank(width, style)
        icon_style = style
        if self._icon_hover:
            icon_style = style + self.get_component_rich_style("header--icon-hover")
        icon = Segment(f" {ICON}".ljust(ICON_WIDTH)[:width], icon_style)
        room = max(width - ICON_WIDTH - CLOCK_WIDTH, 0)
        title = self.title_content().center(room, ellipsis=True) if room else Content("")
        segments = [icon, *Segment.apply_style(title.render_segments(), style)]
        segments.append(Segment(" " * CLOCK_WIDTH, style))
        return Strip(segments).crop_extend(0, width, style)

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH:
            event.stop()
            await self.run_action("app.command_palette")
        else:
            self.toggle_class("-tall")

    def on_mouse_move(self, event: events.MouseMove) -> None:
        over_icon = event.x < ICON_WIDTH
        if over_icon != self._icon_hover:
            self._icon_hover = over_icon
            self.tooltip = "Open the command palette" if over_icon else None
            self.refresh()

    def on_leave(self) -> None:
        if self._icon_hover:
            self._icon_hover = False
            self.tooltip = None
            self.refresh()


@dataclass(frozen=True)
class FooterKey:
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    disabled: bool
    tooltip: str


@dataclass(frozen=True)
class KeyGroup:
    """Keys shown together under one label (a Binding.Group of more than one action)."""

    label: str
    compact: bool
    keys: tuple[FooterKey, ...]


Plan = tuple[tuple[FooterKey | KeyGroup, ...], FooterKey | None]  # the keys, the palette's


@dataclass(frozen=True)
class _Piece:
    """A run of the footer's line: its text, the style's part, and the key it presses."""

    text: str
    part: str  # a component class, or "" for the footer's own style
    key: FooterKey | None = None


class Footer(Widget):
    """The keys the screen's bindings show now, on one line: one per action, a group's keys
    under its label, the command palette's key on the right. Drawn again (never laid out) when
    what it shows changes: a move of focus, a binding enabled or disabled."""

    # Colours as Textual's footer has them; the spacing of each part is its padding (the app
    # narrows it on a cramped screen, app.tcss). The palette's key is compact, as Textual's.
    DEFAULT_CSS = """
    Footer { dock: bottom; width: 100%; height: 1; color: $footer-foreground;
             background: $footer-background; }
    Footer > .footer--item { background: $footer-item-background; }
    Footer > .footer--key { color: $footer-key-foreground; background: $footer-key-background;
                            text-style: bold; padding: 0 1; }
    Footer > .footer--description { color: $footer-description-foreground;
                                    background: $footer-description-background;
                                    padding: 0 1 0 0; }
    Footer > .footer--label { color: $footer-description-foreground;
                              background: $footer-description-background; padding: 0 1 0 0; }
    Footer > .footer--palette-key { padding: 0; }
    Footer > .footer--palette-description { padding: 0 0 0 1; }
    Footer > .footer--palette { padding: 0 1 0 0; }
    Footer > .footer--hover { color: $footer-key-foreground; background: $block-hover-background; }
    Footer > .footer--edge { color: $foreground 20%; }
    """
    COMPONENT_CLASSES = {
        "footer--item",
        "footer--key",
        "footer--description",
        "footer--label",
        "footer--palette-key",
        "footer--palette-description",
        "footer--palette",
        "footer--hover",
        "footer--edge",
    }
    ALLOW_SELECT = False
    can_focus = False

    def __init__(self, show_command_palette: bool = True) -> None:
        super().__init__()
        self.show_command_palette = show_command_palette
        self._plan: Plan | None = None  # what is drawn: None until the bindings are known
        self._hover: FooterKey | None = None
        self._scrolled = 0  # columns of keys scrolled past on the left (a narrow terminal)
        self._keys_at: list[tuple[int, int, FooterKey]] = []  # (from x, to x, key) as drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """The screen's bindings may have changed (focus moved, a binding was enabled...): draw
        the keys again if what they show differs. Not while the app has lost the terminal's focus
        (the bindings without a focused widget would flicker by), nor for a covered screen (its
        resume asks again)."""
        if not screen.app.app_focus or screen is not self.screen or not self.is_attached:
            return
        if screen is not self.app.screen:
            return
        self.call_after_refresh(self._replan)

    def _replan(self) -> None:
        if not self.is_attached:
            return
        plan = self.plan()
        if plan != self._plan:
            self._plan = plan
            self._hover = None
            self.refresh()

    def plan(self) -> Plan:
        """The keys as Textual's footer shows them: the screen's active bindings that are shown
        (one key per action, a group of keys under its label), then the command palette's."""
        app = self.app
        active = self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        items: list[FooterKey | KeyGroup] = []
        for group, same_group in groupby(by_action.values(), lambda found: found[0][0].group):
            firsts = [found[0] for found in same_group]
            if group is not None and len(firsts) > 1:
                keys = tuple(
                    FooterKey(
                        binding.key,
                        app.get_key_display(binding),
                        "",
                        binding.action,
                        not enabled,
                        tooltip or binding.description,
                    )
                    for binding, enabled, tooltip in firsts
                )
                items.append(KeyGroup(group.description, group.compact, keys))
                continue
            for binding, enabled, tooltip in firsts:
                items.append(
                    FooterKey(
                        binding.key,
                        app.get_key_display(binding),
                        binding.description,
                        binding.action,
                        not enabled,
                        tooltip,
                    )
                )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                palette = FooterKey(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    not enabled,
                    binding.tooltip or binding.description,
                )
        return tuple(items), palette

    def shown_keys(self) -> list[FooterKey]:
        """Every key the footer shows, in order (the palette's last)."""
        if self._plan is None:
            return []
        items, palette = self._plan
        keys: list[FooterKey] = []
        for item in items:
            keys.extend(item.keys if isinstance(item, KeyGroup) else (item,))
        return keys + ([palette] if palette is not None else [])

    def _padded(self, text: str, part: str) -> str:
        """`text` with the padding of its part either side."""
        padding = self.get_component_styles(part).padding
        return f"{' ' * padding.left}{text}{' ' * padding.right}"

    def _key_pieces(self, key: FooterKey) -> list[_Piece]:
        """A key as Textual's FooterKey draws it: the key then its description, each padded,
        or the key alone when it has no description (a key in a group)."""
        if not key.description:
            return [_Piece(key.display, "footer--key", key)]
        return [
            _Piece(self._padded(key.display, "footer--key"), "footer--key", key),
            _Piece(
                self._padded(key.description, "footer--description"), "footer--description", key
            ),
        ]

    def _pieces(self, items: tuple[FooterKey | KeyGroup, ...]) -> list[_Piece]:
        pieces: list[_Piece] = []
        for item in items:
            if isinstance(item, FooterKey):
                pieces.extend(self._key_pieces(item))
                continue
            if item.compact:  # Textual's compact group: padded left, no space between keys
                pieces.append(_Piece(" ", ""))
                for key in item.keys:
                    pieces.extend(self._key_pieces(key))
                pieces.append(_Piece(" ", ""))
            else:  # a space either side of each key (their margins, collapsed between them)
                for key in item.keys:
                    pieces.append(_Piece(" ", ""))
                    pieces.extend(self._key_pieces(key))
                pieces.append(_Piece(" ", ""))
            pieces.append(_Piece(self._padded(item.label, "footer--label"), "footer--label"))
        return pieces

    def _palette_pieces(self, palette: FooterKey) -> list[_Piece]:
        """The command palette's key: docked right behind an edge, then its padding."""
        return [
            _Piece("▏", "footer--edge"),
            _Piece(self._padded(palette.display, "footer--palette-key"), "footer--key", palette),
            _Piece(
                self._padded(palette.description, "footer--palette-description"),
                "footer--description",
                palette,
            ),
            _Piece(self._padded("", "footer--palette"), ""),
        ]

    def _styler(self, base: Style) -> Callable[[_Piece], Segment]:
        """Each piece as a segment over `base`, its style worked out once a drawing for each kind
        of piece (the footer's own style is worked out from its ancestors: slow, piece by piece)."""
        made: dict[tuple[str, bool, bool, bool], Style] = {}

        def styled(piece: _Piece) -> Segment:
            key = piece.key
            kind = (
                piece.part,
                key is not None,
                key is not None and key == self._hover,
                key is not None and key.disabled,
            )
            style = made.get(kind)
            if style is None:
                part, is_key, hovered, disabled = kind
                style = base
                if is_key:
                    style += self.get_component_rich_style("footer--item")
                if part:
                    style += self.get_component_rich_style(part)
                if hovered:
                    style += self.get_component_rich_style("footer--hover")
                if disabled:
                    style += Style(dim=True)
                made[kind] = style
            return Segment(piece.text, style)

        return styled

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if self._plan is None:  # the screen's bindings are not known yet: drawn once they are
            self._plan = self.plan()
        items, palette = self._plan
        right: list[_Piece] = []
        if palette is not None:
            right = self._palette_pieces(palette)
        right_width = sum(cell_len(p.text) for p in right)
        room = max(width - right_width, 0)
        left = self._pieces(items)
        total = sum(cell_len(p.text) for p in left)
        self._scrolled = max(0, min(self._scrolled, total - room))
        keys_at: list[tuple[int, int, FooterKey]] = []
        x = -self._scrolled
        for piece in left:
            end = x + cell_len(piece.text)
            if piece.key is not None and end > 0 and x < room:
                keys_at.append((max(x, 0), min(end, room), piece.key))
            x = end
        x = room
        for piece in right:
            end = x + cell_len(piece.text)
            if piece.key is not None:
                keys_at.append((x, min(end, width), piece.key))
            x = end
        self._keys_at = keys_at
        styled = self._styler(base)
        line = Strip([styled(p) for p in left]).crop_extend(
            self._scrolled, self._scrolled + room, base
        )
        if right:
            line = Strip.join([line, Strip([styled(p) for p in right])])
        return line.crop_extend(0, width, base)

    def key_at(self, x: int) -> FooterKey | None:
        """The key drawn at column `x`, if any."""
        return next((key for start, end, key in self._keys_at if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        if key.disabled:
            self.app.bell()
        else:
            self.app.simulate_key(key.key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self.key_at(event.x)
        if key != self._hover:
            self._hover = key
            self.tooltip = (key.tooltip or None) if key is not None else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll_keys(event, 4)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll_keys(event, -4)

    def _scroll_keys(self, event: events.MouseEvent, by: int) -> None:
        """The wheel moves along keys that do not fit (drawn again, clamped to the keys)."""
        event.stop()
        event.prevent_default()
        before = self._scrolled
        self._scrolled = max(0, self._scrolled + by)
        if self._scrolled != before:
            self.refresh()
