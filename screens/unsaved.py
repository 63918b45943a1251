"""Quitting while something is NOT SAVED, and the recovery copies offered back at the next start.

`UnsavedDialog` is what ctrl+q shows when a field's text is not in the database: it names each
field and why, and offers to try saving again, to write a recovery copy and quit, or to keep
working; when even the copy cannot be written it says so and offers another place.
`RecoveryScreen` shows each copy found at start: where it belongs and its text, to put back
(through the normal save), save as a file, or discard. Nothing typed is shown as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static, TextArea

from reviewer_tui.screens.bars import Footer
from reviewer_tui.screens.base import ReviewModal, ReviewScreen
from reviewer_tui.screens.dialogs import DIALOG_CSS, TextPrompt, plain_file_prompt

PREVIEW = 160


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else "…" + flat[-PREVIEW:]  # the newest words matter most


def kept_when(stamp: str) -> str:
    """When a recovery copy was kept, in local time as the app writes times; a stamp a damaged
    copy holds that is not a time is shown as it is."""
    from reviewer_tui.history import local_when

    try:
        return local_when(stamp)
    except (TypeError, ValueError):
        return str(stamp or "at a time not recorded")


class UnsavedDialog(ReviewModal[None]):
    """ctrl+q with text NOT SAVED: try again, keep a recovery copy and quit, or keep working."""

    AUTO_FOCUS = "#retry"  # focused as it opens, before its first frame (base.py)

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="UnsavedDialog")
        + """
    UnsavedDialog > Vertical { width: 90; }
    UnsavedDialog #fields { height: auto; max-height: 14; }
    UnsavedDialog .field { margin-bottom: 1; }
    UnsavedDialog #elsewhere { display: none; }
    UnsavedDialog.copy-failed #elsewhere { display: block; }
    UnsavedDialog Horizontal.buttons { align-horizontal: left; }
    """
    )
    BINDINGS = [Binding("escape", "keep_working", "Keep working", id="unsaved-keep")]

    def __init__(self, pending: list[Any]) -> None:
        super().__init__()
        self.pending = pending

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Not everything is saved", classes="title")
            yield VerticalScroll(id="fields")
            yield Static("", classes="error", id="problem")
            with Horizontal(classes="buttons"):
                yield Button("Try saving again", id="retry", variant="primary")
                yield Button("Write a recovery copy and quit", id="recover-quit", variant="warning")
                yield Button("Keep working", id="keep-working")
            with Horizontal(classes="buttons"):
                yield Button("Write the copy to another place…", id="elsewhere", variant="warning")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        box = self.query_one("#fields", VerticalScroll)
        box.remove_children()
        lines = []
        for item in self.pending:
            where = " · ".join(p for p in (item.place, item.label) if p)
            text = Text.assemble(("NOT SAVED: ", "bold"), where)
            if item.reason:
                text.append(f" ({item.reason})")
            text.append("\n")
            text.append(_preview(item.as_text()), style="italic")
            lines.append(Static(text, classes="field"))
        box.mount_all(lines)

    def _problem(self, text: str) -> None:
        self.query_one("#problem", Static).update(Text(text))

    @on(Button.Pressed, "#retry")
    def _retry(self) -> None:
        app: Any = self.app
        app.retry_saves()
        self.pending = app.unsaved_edits()
        if not self.pending:
            app.exit()
            return
        self._show()
        self._problem(
            "Tried again: still NOT SAVED. Your text is still on screen. Write a recovery "
            "copy and quit, or keep working and try later."
        )

    @on(Button.Pressed, "#recover-quit")
    def _recover_and_quit(self) -> None:
        app: Any = self.app
        self.pending = app.unsaved_edits() or self.pending
        try:
            written = app.keep_recovery_copies(self.pending)
        except Exception as exc:  # noqa: BLE001 - any failure to write is said plainly
            from reviewer_tui.screens.forms import save_failure_reason

            reason = save_failure_reason(exc) if isinstance(exc, Exception) else None
            self.add_class("copy-failed")
            self._problem(
                f"The recovery copy could not be written ({reason or exc}). Nothing has "
                "been lost yet: the text is still on screen. Keep working, or write the "
                "copy to another place (a USB stick or another drive)."
            )
            return
        app.exit(
            message=f"reviewer-tui: {len(written)} recovery cop{'y' if len(written) == 1 else 'ies'} "
            f"kept in {written[0].parent}; they will be offered back at the next start."
        )

    @on(Button.Pressed, "#elsewhere")
    def _elsewhere(self) -> None:
        app: Any = self.app
        folder = app.folder
        warning = (
            "Copies written outside the data folder are not offered back by themselves: "
            f"move them into {folder.path / 'recovery'} before the next start."
        )
        if not folder.encrypted:
            warning += " They are NOT ENCRYPTED: anyone who has them can read them."

        def write(place: str | None) -> None:
            if not place:
                return
            target = Path(place).expanduser()
            try:
                written = app.keep_recovery_copies(self.pending, place=target)
            except Exception as exc:  # noqa: BLE001
                self._problem(
                    f"The copy could not be written to {target} either ({exc}). "
                    "Keep working: the text is still on screen."
                )
                return
            app.exit(
                message=f"reviewer-tui: {len(written)} recovery copies written to {target}. "
                f"Move them into {folder.path / 'recovery'} to have them offered back."
            )

        default = Path.home() / "reviewer-tui-recovery"
        app.push_screen(
            TextPrompt(
                "Write the recovery copy to another place",
                "Folder to write to",
                str(default),
                warning=warning,
            ),
            write,
        )

    @on(Button.Pressed, "#keep-working")
    def action_keep_working(self) -> None:
        self.dismiss(None)


class RecoveryScreen(ReviewScreen[None]):
    """At start: the recovery copies of text that was NOT SAVED last time, one box each."""

    DEFAULT_CSS = """
    RecoveryScreen .title { text-style: bold; padding: 0 1; background: $warning; color: $text; }
    RecoveryScreen #intro { padding: 0 1; margin-bottom: 1; }
    RecoveryScreen .copy { height: auto; border: round $warning; padding: 0 1; margin-bottom: 1; }
    RecoveryScreen .copy .where { text-style: bold; }
    RecoveryScreen .copy TextArea { height: auto; max-height: 12; }
    RecoveryScreen .copy .result { color: $error; text-style: bold; height: auto; }
    RecoveryScreen .copy Horizontal { height: auto; }
    RecoveryScreen .copy Button { margin-right: 1; }
    """
    BINDINGS = [Binding("escape", "later", "Decide later", id="recovery-later")]

    def __init__(self, copies: list[Any]) -> None:
        super().__init__()
        self.copies = copies

    def compose(self) -> ComposeResult:
        from reviewer_tui import recovery

        store: Any = self.store
        yield Static("Text kept from last time", classes="title")
        many = len(self.copies) != 1
        yield Static(
            (
                f"{len(self.copies)} pieces of text were NOT SAVED"
                if many
                else "1 piece of text was NOT SAVED"
            )
            + " when reviewer-tui last closed. A recovery copy of "
            + ("each was kept. Put each back" if many else "it was kept. Put it back")
            + ", save it as a file, or discard it. Esc decides later: "
            + ("they are" if many else "it is")
            + " offered again at the next start.",
            id="intro",
        )
        with VerticalScroll(id="copies"):
            for index, copy in enumerate(self.copies):
                with Vertical(classes="copy", id=f"copy-{index}"):
                    yield Static(Text(recovery.describe(store, copy)), classes="where")
                    yield Static(Text(f"Kept {kept_when(copy.written_at)}"), classes="hint")
                    yield TextArea(
                        copy.as_text(), read_only=True, soft_wrap=True, show_line_numbers=False
                    )
                    yield Static("", classes="result")
                    with Horizontal():
                        yield Button(
                            "Put it back",
                            classes="put-back",
                            variant="primary",
                            disabled=copy.table is None,
                        )
                        yield Button("Save as a file…", classes="save-file")
                        yield Button("Discard", classes="discard", variant="error")
        yield Footer()

    def _box(self, button: Button) -> tuple[Vertical, Any]:
        box = next(a for a in button.ancestors if isinstance(a, Vertical) and a.has_class("copy"))
        return box, self.copies[int(str(box.id).removeprefix("copy-"))]

    def _result(self, box: Vertical, text: str) -> None:
        box.query_one(".result", Static).update(Text(text))

    async def _done(self, box: Vertical) -> None:
        await box.remove()
        if not self.query(".copy"):
            self.dismiss(None)

    @on(Button.Pressed, ".put-back")
    async def _put_back(self, event: Button.Pressed) -> None:
        from reviewer_tui import recovery
        from reviewer_tui.screens.forms import save_failure_reason

        box, copy = self._box(event.button)
        try:
            recovery.put_back(self.store, copy)
        except Exception as exc:
            reason = save_failure_reason(exc)
            if reason is None:
                raise
            self._result(box, f"NOT put back: {reason}. The copy is kept.")
            return
        self.notify(Text(f"Put back: {copy.label}.").plain, markup=False)
        await self._done(box)

    @on(Button.Pressed, ".save-file")
    def _save_file(self, event: Button.Pressed) -> None:
        from reviewer_tui import recovery

        box, copy = self._box(event.button)

        def write(path: str | None) -> None:
            if not path:
                return
            target = Path(path).expanduser()
            try:
                recovery.save_as_file(copy, target)
            except OSError as exc:
                self._result(
                    box, f"Not written to {target}: {exc.strerror or exc}. The copy is kept."
                )
                return
            self._result(
                box,
                f"Written to {target} (not encrypted). The recovery copy is kept "
                "until you discard it.",
            )

        self.app.push_screen(
            plain_file_prompt(
                self.app, "Save the text as a file", str(Path.home() / f"{copy.key}.txt")
            ),
            write,
        )

    @on(Button.Pressed, ".discard")
    async def _discard(self, event: Button.Pressed) -> None:
        from reviewer_tui import recovery

        box, copy = self._box(event.button)
        if not event.button.has_class("armed"):
            event.button.add_class("armed")
            event.button.label = "Discard for good"
            self._result(box, "Discarding cannot be undone: press again to discard this text.")
            return
        try:
            recovery.discard(copy)
        except OSError as exc:
            self._result(box, f"Could not discard it: {exc.strerror or exc}.")
            return
        await self._done(box)

    def action_later(self) -> None:
        self.dismiss(None)
