"""The Textual application: themes, global keys, the command palette and a crash screen that
never shows local variables."""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from reviewer_tui import crash
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder

HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FF00FF",
    warning="#FFA500",
    error="#FF4040",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#262626",
    dark=True,
    variables={"text-muted": "#E0E0E0", "footer-key-foreground": "#FFFF00"},
)
THEMES = ("textual-dark", "textual-light", "high-contrast")


class ReviewerApp(App[None]):
    """reviewer-tui. The screens are thin: every change goes through `self.store`."""

    TITLE = "reviewer-tui"
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses elsewhere keep the look
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help-alt"),
        Binding("f2", "cycle_theme", "Theme", id="theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
    ]

    def __init__(self, folder: DataFolder, demo: bool = False,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__()
        self.folder = folder
        self.today = today  # injectable so tests and snapshots do not depend on the calendar
        self.store = Store(folder)
        self.demo = demo
        self.stopped_by: str | None = None  # "SIGTERM" or "SIGHUP" when a signal ended the app
        self.register_theme(HIGH_CONTRAST)
        self.sub_title = ("DEMO: a throwaway copy of the public sample review" if demo
                          else str(folder.path))
        if folder.read_only:
            self.sub_title = f"READ-ONLY · {self.sub_title}"
        if os.environ.get("REVIEWER_TUI_THEME") in THEMES:
            self.theme = os.environ["REVIEWER_TUI_THEME"]

    def get_default_screen(self) -> Screen[Any]:
        """The review list is the bottom of the screen stack: one screen to build, not two."""
        from reviewer_tui.screens.review_list import ReviewListScreen

        return ReviewListScreen()

    def on_mount(self) -> None:
        self._catch_stop_signals()
        if self.folder.read_only:
            self.screen_change_signal.subscribe(self, self._on_screen_change)
            self.call_after_refresh(self._on_screen_change, self.screen)
        self.call_after_refresh(self._after_first_frame)

    # --- read-only media: a banner on every screen, editing off ---------------------------------
    def _on_screen_change(self, screen: Screen[Any]) -> None:
        from reviewer_tui.screens.forms import ReadOnlyBanner, make_read_only

        def mark() -> None:
            if not screen.is_attached:
                return
            if not screen.query(ReadOnlyBanner):
                screen.mount(ReadOnlyBanner(below_header=bool(screen.query("Header"))))
            make_read_only(screen)

        self.call_after_refresh(mark)

    # --- SIGTERM and SIGHUP: save and leave cleanly ----------------------------------------------
    def _catch_stop_signals(self) -> None:
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is None:  # Windows has no SIGHUP
                continue
            try:
                loop.add_signal_handler(number, self._stop_for_signal, name)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # Windows event loops, or not in the main thread (tests)

    def _stop_for_signal(self, name: str) -> None:
        """Every change is already saved as it is made; save anything a widget still holds that
        differs from what was stored, then exit with code 0 so the lock is released."""
        from reviewer_tui.screens.forms import save_pending

        self.stopped_by = name
        for screen in self.screen_stack:
            save_pending(screen)
        self.exit(return_code=0)

    def _after_first_frame(self) -> None:
        self.run_worker(self._warm_up, thread=True, exit_on_error=False, group="warm-up")

    def _warm_up(self) -> None:
        """Load the database layer after the first frame, then keep long-lived objects out of
        the garbage collector's full passes (they caused 80-90 ms pauses while typing)."""
        import reviewer_tui.models  # noqa: F401
        from reviewer_tui import backups

        self.folder.engine()
        if not self.demo and not self.folder.read_only:
            try:
                backups.backup_if_due(self.folder)
            except Exception as exc:  # a failed backup must not stop the reviewer working
                self.call_from_thread(self.notify, f"Automatic backup failed: {exc}",
                                      severity="warning", timeout=10)
        gc.collect()
        gc.freeze()

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is plain text: messages quote titles, names, paths and errors,
        which are the reviewer's words, never markup. (Widget.notify passes markup=True by
        default; it is ignored here on purpose.)"""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        from reviewer_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_cycle_theme(self) -> None:
        current = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(current + 1) % len(THEMES)]
        self.notify(f"Theme: {self.theme}")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key binding of the current screen and the app is also a palette command."""
        seen: set[str] = set()
        for node in (screen, self):
            for binding in node._bindings.key_to_bindings.values():
                for b in binding:
                    if not b.description or b.action in seen:
                        continue
                    seen.add(b.action)
                    yield SystemCommand(
                        b.description, f"Key: {self.get_key_display(b)}",
                        lambda n=node, a=b.action: self.run_action(a, n),
                    )
        for theme in THEMES:
            yield SystemCommand(f"Theme: {theme}", "Change the colours",
                                lambda t=theme: setattr(self, "theme", t))

    def _fatal_error(self) -> None:
        """Replace Textual's traceback (which prints local variables) with a plain message."""
        import sys

        error = sys.exc_info()[1] or self._exception
        log = None
        try:
            if error is not None:
                log = crash.write_crash_log(self.folder.path, error)
        except OSError:
            log = None
        self.bell()
        from rich.text import Text

        # Text, not str: the console would read a data folder path holding `[/]` as markup
        self._exit_renderables.append(Text(crash.plain_message(log)))
        self._close_messages_no_wait()
