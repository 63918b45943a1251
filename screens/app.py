"""The Textual application: themes, global keys, the command palette and a crash screen that
never shows local variables."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import AwaitMount

from reviewer_tui import collector, crash
from reviewer_tui.reviews import Store
from reviewer_tui.screens.text import NoTerminalControls
from reviewer_tui.stopping import StopGuard
from reviewer_tui.storage import DataFolder

if TYPE_CHECKING:
    from reviewer_tui.read_model import EarlyReviewList

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
WARM_UP_AFTER = 1.0  # seconds after the first frame: the database layer is loaded then


class _LayoutUnlessLaidOut:
    """A screen as its AwaitMount sees it (ReviewerApp._get_screen): the layout it asks for,
    unless the screen is already laid out at the app's size."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.screen = screen
        self.app = screen.app

    def refresh(self, *regions: Any, layout: bool = False, **kwargs: Any) -> Screen[Any]:
        screen = self.screen
        if layout and screen.is_attached and screen._compositor.size == self.app.size:
            return screen  # laid out as it resumed, after it mounted: nothing to do again
        return screen.refresh(*regions, layout=layout, **kwargs)


class ReviewerApp(App[None]):
    """reviewer-tui. The screens are thin: every change goes through `self.store`."""

    TITLE = "reviewer-tui"
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses elsewhere keep the look
    ENABLE_COMMAND_PALETTE = True
    # Under 100 columns every screen is "-cramped": the footer drops its spacing (app.tcss)
    HORIZONTAL_BREAKPOINTS = [(0, "-cramped"), (100, "-roomy")]
    BINDINGS = [
        # priority: F1 opens help inside dialogs too (no text field binds F1)
        Binding("f1", "help", "Help", priority=True, id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help-alt"),
        Binding("f2", "cycle_theme", "Theme", id="theme"),
        Binding("ctrl+f", "search", "Search review", id="search"),
        Binding("f3", "history", "History", id="history"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        # Textual's own Tab keys (Screen's), run before the key goes to the focused field: as a
        # screen binding, Tab moved the focus only after the keys behind it in one read of the
        # terminal had gone to the field it was leaving (tests/test_key_bursts.py). No widget
        # of the app takes Tab itself (a TextArea's tab_behavior is "focus").
        # Not described, so not listed by F1 (its own line says what Tab does).
        Binding("tab", "move_focus(1)", "", show=False, priority=True, id="focus-next"),
        Binding("shift+tab", "move_focus(-1)", "", show=False, priority=True, id="focus-previous"),
    ]

    def __init__(
        self,
        folder: DataFolder,
        demo: bool = False,
        today: Callable[[], dt.date] = dt.date.today,
        guard: StopGuard | None = None,
        keymap_file: Path | None = None,
        pack_interview: int | None = None,
        early_list: EarlyReviewList | None = None,
    ) -> None:
        super().__init__()
        self.pack_interview = pack_interview  # `reviewer-tui open-pack`: start on the pack screen
        self.early_list = early_list  # the review list read while the app was imported (cli.py)
        self.folder = folder
        self.keymap_file = keymap_file  # the reviewer's own keys (screens/keymap.py), if any
        self._stopping = threading.Event()  # set on a stop signal: start-up work gives up
        self._first_frame_lock = threading.Lock()
        self._first_frame_shown = False
        self._stop_waiting: str | None = None  # a stop signal that came before the first frame
        self.collector = collector.Collector()
        self.guard = guard  # SIGTERM and SIGHUP: see reviewer_tui.stopping
        if guard is not None:
            guard.ask_to_stop = self._ask_to_stop
        self.today = today  # injectable so tests and snapshots do not depend on the calendar
        self.store = Store(folder)
        self.demo = demo
        self.stopped_by: str | None = None  # "SIGTERM" or "SIGHUP" when a signal ended the app
        self._kept: dict[str, Any] = {}  # recovery copies written this session: key -> text
        self.register_theme(HIGH_CONTRAST)
        self._no_terminal_controls = NoTerminalControls()
        self.sub_title = (
            "DEMO: a throwaway copy of the public sample review" if demo else str(folder.path)
        )
        if folder.read_only:
            self.sub_title = f"READ-ONLY · {self.sub_title}"
        if os.environ.get("REVIEWER_TUI_THEME") in THEMES:
            self.theme = os.environ["REVIEWER_TUI_THEME"]

    def get_line_filters(self) -> list[LineFilter]:
        """Textual's filters, then one that keeps control characters in user text (an ESC from
        an imported bundle) off the terminal (screens/text.py)."""
        return [*super().get_line_filters(), self._no_terminal_controls]

    def _load_screen_css(self, screen: Screen[Any]) -> None:
        """Called by Textual for every screen before it is mounted (push, switch, the default).
        The screen gets its width's breakpoint class (-cramped or -roomy) now: Textual would add
        it on the screen's first Resize, after every widget was styled, and so style the whole
        screen a second time (a fifth of opening a screen with many fields)."""
        super()._load_screen_css(screen)
        breakpoints = (
            self.HORIZONTAL_BREAKPOINTS
            if screen.HORIZONTAL_BREAKPOINTS is None
            else screen.HORIZONTAL_BREAKPOINTS
        ) or []
        if breakpoints and not screen.is_mounted:
            chosen = screen._get_breakpoint_classes(self.size.width, breakpoints)
            classes = {name: name in chosen for _, name in breakpoints}
            screen.update_classes(classes, update=False)

    def _get_screen(self, screen: Screen[Any] | str) -> tuple[Screen[Any], AwaitMount]:
        """Called by Textual for every screen pushed or switched to. For one not running yet,
        Textual's AwaitMount asks for a layout of the whole screen once the screen has mounted.
        A screen is laid out as it resumes, which comes after its mount (Screen's
        `_on_screen_resume`), so the ask came after that layout and laid the screen out, and
        drew it, a second time with nothing changed (5-14% of opening a screen). The ask is
        passed on only when the screen is not laid out at the app's size by then."""
        found, mounted = super()._get_screen(screen)
        if mounted._widgets:
            setattr(mounted, "_parent", _LayoutUnlessLaidOut(found))  # noqa: B010 - Textual's own
        return found, mounted

    def get_default_screen(self) -> Screen[Any]:
        """The review list is the bottom of the screen stack: one screen to build, not two."""
        from reviewer_tui.screens.review_list import ReviewListScreen

        return ReviewListScreen()

    def on_mount(self) -> None:
        if self.keymap_file is not None:
            self._load_keymap(self.keymap_file)
        if self.folder.read_only:
            self.screen_change_signal.subscribe(self, self._on_screen_change)
            self.call_after_refresh(self._on_screen_change, self.screen)
        self.call_after_refresh(self._after_first_frame)
        if self.pack_interview is not None:
            from reviewer_tui.screens.packs import PackScreen

            self.push_screen(PackScreen(self.pack_interview))

    def _load_keymap(self, path: Path) -> None:
        from reviewer_tui.screens.keymap import load_keymap

        keymap, problem = load_keymap(path)
        if keymap:
            self.set_keymap(keymap)
        if problem:
            self.notify(problem, severity="warning", timeout=30)

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
    def get_driver_class(self) -> Any:
        """On Linux and macOS, Textual's terminal driver made safe to stop at any moment
        (see screens/terminal.py)."""
        driver = super().get_driver_class()
        if driver.__module__ == "textual.drivers.linux_driver" and driver.__name__ == "LinuxDriver":
            from reviewer_tui.screens.terminal import SafeLinuxDriver

            return SafeLinuxDriver
        return driver

    def _ask_to_stop(self, name: str) -> bool:
        """Called by the guard, on its own thread, when a stop signal arrives: have the event loop
        run _stop_for_signal. False if the loop is not running (nothing on screen to save)."""
        self._stopping.set()  # start-up work (the automatic backup) stops early
        loop = self._loop
        if loop is None:
            return False
        with self._first_frame_lock:
            if not self._first_frame_shown:
                # Textual cannot be stopped while it builds the first screen (a Header then
                # fails to find its title and the app "crashes"): stop once it is shown.
                self._stop_waiting = name
                return True
        try:
            loop.call_soon_threadsafe(self._stop_for_signal, name)
        except RuntimeError:  # the loop has closed: the app has already returned
            return False
        return True

    def _stop_for_signal(self, name: str) -> None:
        """The one place a stop signal is handled in the app. Every change is already saved as it
        is made; save anything a widget still holds that differs from what was stored, write a
        recovery copy of whatever is still NOT SAVED, then exit with code 0 so the lock is
        released. If this has not finished 5 s after the signal, the StopGuard ends the process."""
        from reviewer_tui.screens.forms import save_pending

        self.stopped_by = name
        self._stopping.set()
        try:
            for screen in self.screen_stack:
                # Not a retry of failed saves: the terminal may be gone, and each failure rings
                # the bell and repaints; what still fails is kept in the recovery copy below.
                save_pending(screen, retry=False)
            pending = self.unsaved_edits()
            if pending:
                try:
                    self.keep_recovery_copies(pending)
                except Exception as exc:  # noqa: BLE001 - nothing can be asked now; say it on exit
                    self._exit_renderables.append(
                        f"reviewer-tui: {len(pending)} unsaved field(s) could not be kept: the "
                        f"recovery copy could not be written ({exc})."
                    )
        finally:
            self.exit(return_code=0)

    # --- what is NOT SAVED: one notion the quit paths ask for ----------------------------------
    def _nodes_with(self, method: str) -> list[Any]:
        found = []
        for screen in self.screen_stack:
            for node in (screen, *screen.walk_children()):
                if callable(getattr(node, method, None)):
                    found.append(node)
        return found

    def unsaved_edits(self) -> list[Any]:
        """Every field on any open screen whose text is NOT SAVED (recovery.Pending)."""
        return [item for node in self._nodes_with("unsaved_edits") for item in node.unsaved_edits()]

    def retry_saves(self) -> None:
        """Try every pending save again, as the next change would."""
        from reviewer_tui.screens.forms import save_pending

        for screen in self.screen_stack:
            save_pending(screen)
        for node in self._nodes_with("retry_saves"):
            node.retry_saves()

    def keep_recovery_copies(self, pending: list[Any], place: Path | None = None) -> list[Path]:
        """Write a recovery copy of each pending field (in the data folder unless `place`).
        Raises OSError or a database error when it cannot be written."""
        from reviewer_tui import recovery

        written = recovery.write(self.folder, pending, place)
        if place is None:
            self._kept.update((item.key, item.value) for item in pending)
        return written

    def keep_on_close(self, item: Any) -> None:
        """A field NOT SAVED is being closed (its screen left, the app quitting): keep a copy,
        unless this very text was already kept, and say so."""
        if self._kept.get(item.key, object()) == item.value:
            return
        try:
            self.keep_recovery_copies([item])
        except Exception as exc:  # noqa: BLE001 - reported, never raised while closing
            self.notify(
                f"NOT SAVED and no recovery copy could be written ({exc}): "
                f"{item.label} is lost unless you retype it.",
                severity="error",
                timeout=30,
                markup=False,
            )
            return
        self.notify(
            f"{item.label} was NOT SAVED: a recovery copy was kept and will be offered "
            "back when reviewer-tui next starts.",
            severity="warning",
            timeout=15,
            markup=False,
        )

    def forget_recovery_copy(self, item: Any) -> None:
        """A field saved at last: its older recovery copy, if one was kept, must not come back."""
        from reviewer_tui import recovery

        if self._kept.pop(item.key, None) is not None:
            try:
                recovery.discard_key(self.folder, item)
            except OSError:
                pass  # offered at the next start; the person can discard it there

    async def action_quit(self) -> None:
        """Quit, unless something is NOT SAVED: then ask what to do with it."""
        pending = self.unsaved_edits()
        if not pending:
            self.exit()
            return
        from reviewer_tui.screens.unsaved import UnsavedDialog

        if not isinstance(self.screen, UnsavedDialog):
            await self.push_screen(UnsavedDialog(pending))

    def _offer_recovery_copies(self) -> None:
        from reviewer_tui import recovery

        if self.folder.read_only or not recovery.recovery_dir(self.folder).is_dir():
            return
        found, problems = recovery.copies(self.folder)
        for problem in problems:
            self.notify(problem, severity="warning", timeout=15, markup=False)
        if found:
            from reviewer_tui.screens.unsaved import RecoveryScreen

            self.push_screen(RecoveryScreen(found))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent | events.Paste):
            self.collector.input_seen()  # a full collection waits for the reviewer to pause
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.collector.hand_back()

    def _after_first_frame(self) -> None:
        # Full collections from now on when the reviewer pauses (reviewer_tui/collector.py)
        self.collector.take_over()
        self.set_interval(1.0, self.collector.tick)
        with self._first_frame_lock:
            self._first_frame_shown = True
            stop = self._stop_waiting
        if stop is not None:
            self._stop_for_signal(stop)
            return
        # The file's quick_check, when it was left until after the first frame (the file was as
        # this app left it): begun with the warm-up, for the same reason (the first keys are
        # answered at full speed; anything that connects before then starts it itself).
        self.folder.check_pages_in_background(self._file_found_damaged, start=False)
        # The warm-up waits a moment: an import holds the interpreter (Python runs one thread
        # at a time), so begun at once it took turns with the first keys, which answered at half
        # speed. A change made before it has finished imports what it needs itself, as before.
        self.set_timer(WARM_UP_AFTER, self._start_warm_up)
        if not self.demo and not self.folder.read_only:
            self._automatic_backup()
        self._offer_recovery_copies()

    def _file_found_damaged(self, error: BaseException) -> None:
        """The quick_check left until after the first frame failed (the file was as this app
        had left it, so the damage came from the disk): called on the check's thread. The file
        is refused as on opening; nothing was written to it, as every write waits for that
        check."""
        loop = self._loop
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(self.refuse_damaged_file, error)
        except RuntimeError:  # the loop has closed: the app has already returned
            pass

    def refuse_damaged_file(self, error: BaseException) -> None:
        """Leave, saying why: the data file was found damaged after the first frame (nothing
        was written to it). What was typed meanwhile is kept as a recovery copy if it can be."""
        from rich.text import Text

        if self._stopping.is_set():
            return

        pending = self.unsaved_edits()
        if pending:  # typed in the moment before the check ended: none of it could be saved
            try:
                self.keep_recovery_copies(pending)
            except Exception:  # noqa: BLE001, S110 - the file is damaged: the message says so
                pass
        self.exit(return_code=1, message=Text(f"reviewer-tui: {error}"))

    def _start_warm_up(self) -> None:
        if self._stopping.is_set():
            return
        self.folder.check_pages_in_background()
        # Not a Textual worker: an import cannot be stopped, and quitting would wait for it
        # (asyncio joins its worker threads on the way out). A daemon thread is left behind.
        threading.Thread(target=self._warm_up, name="warm-up", daemon=True).start()

    def _warm_up(self) -> None:
        """Load the database layer after the first frame (about a second of imports), so the
        first change the reviewer makes does not wait for it. Only imports here: the folder's
        own objects are made on first use, on the UI side."""
        import reviewer_tui.models  # noqa: F401
        from reviewer_tui import storage

        if self._stopping.is_set():
            return
        storage.import_engine_layer()

    def exit(
        self, result: None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        """Every way out (ctrl+q, the quit dialog, a stop signal): background work is told to
        stop first, so the automatic backup gives up at once (leaving no half-made file) instead
        of holding the process open for the seconds a large copy takes."""
        self._stopping.set()
        self.folder.pause_page_check()  # a save on the way out starts it again
        super().exit(result, return_code, message)

    @work(thread=True, exclusive=True, exit_on_error=False, group="backup")
    def _automatic_backup(self) -> None:
        """The automatic backup when one is due (the 68 MB large review takes seconds), shown
        in the header as it goes; keys are taken and saved meanwhile."""
        from reviewer_tui import backups
        from reviewer_tui.errors import BackupStopped

        if self._stopping.is_set() or not backups.is_due(self.folder):
            return
        base = self.sub_title
        shown = [""]

        def progress(step: str) -> None:
            if step != shown[0] and not self._stopping.is_set():
                shown[0] = step
                self.call_from_thread(setattr, self, "sub_title", f"{base} · backing up: {step}")

        try:
            backups.backup_if_due(self.folder, stop=self._stopping.is_set, progress=progress)
        except BackupStopped:
            return  # the app is stopping: the half-made copy was removed
        except Exception as exc:  # a failed backup must not stop the reviewer working
            if not self._stopping.is_set():
                self.call_from_thread(
                    self.notify, f"Automatic backup failed: {exc}", severity="warning", timeout=10
                )
        finally:
            if not self._stopping.is_set():
                self.call_from_thread(setattr, self, "sub_title", base)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: messages quote titles, names, paths and errors,
        which are the reviewer's words, never markup. (Widget.notify passes markup=True by
        default; it is ignored here on purpose.)"""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+f searches the review on screen: on the review list there is none. (The footer
        asks this for the first frame: answered without importing the search screen.)"""
        if action == "search":
            from reviewer_tui.screens.base import shows_a_review

            return shows_a_review(self.screen)
        return True

    def action_move_focus(self, step: int) -> None:
        """Tab (+1) and shift+tab (-1), as Textual's, but a field whose editor is on the way
        (its face has the focus, and holds the keys typed on it) holds the move with them:
        screens/forms.py FieldEditor.hold_focus_move."""
        hold = getattr(self.screen.focused, "hold_focus_move", None)
        if hold is not None and hold(step):
            return
        if step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    def action_search(self) -> None:
        """Search every text of the review on screen (screens/search.py)."""
        from reviewer_tui.screens.search import SearchScreen, review_of

        screen = self.screen
        if isinstance(screen, SearchScreen):
            screen.action_focus_query()
            return
        review_id = review_of(screen, self.folder)
        if review_id is None:
            self.notify("Open a review first: search looks through one review at a time.")
            return
        self.push_screen(SearchScreen(review_id))

    def action_help(self) -> None:
        from reviewer_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_history(self) -> None:
        """The change history of the focused item, or of the review (screens/history.py)."""
        from reviewer_tui.screens.history import open_history

        open_history(self)

    def action_cycle_theme(self) -> None:
        current = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(current + 1) % len(THEMES)]
        self.notify(f"Theme: {self.theme}")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key binding of the current screen (and of its lists) and of the app is also a
        palette command, with every key that runs it, as the help screen lists them."""
        from reviewer_tui.screens.help import keyed_actions

        seen: set[str] = set()
        for node in (screen, self):
            for owner, action, description, keys in keyed_actions(node, self):
                if action in seen:
                    continue
                seen.add(action)
                yield SystemCommand(
                    description,
                    f"Key: {' / '.join(keys)}",
                    lambda n=owner, a=action: self.run_action(a, n),
                )
        for theme in THEMES:
            yield SystemCommand(
                f"Theme: {theme}", "Change the colours", lambda t=theme: setattr(self, "theme", t)
            )

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
