"""The note taker's pack on screen (reviewer_tui/packs.py does the work).

- PackScreen: on the note taker's laptop, the notes screen itself (saved as typed, the matters
  beside it, the disclosure reminder), with one more key: ctrl+s writes the pack with the notes
  back as one file, at the place the screen names from the start.
- ConflictScreen: on the reviewer's laptop, what the note taker and the reviewer both changed
  since the pack was made, word by word under human field names, and the choice: keep mine,
  take the note taker's, or keep both.
- make_pack_from / merge_pack_into: the prompts the interview screens use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from reviewer_tui import history, packs
from reviewer_tui.errors import Locked
from reviewer_tui.screens.bars import Footer, Header
from reviewer_tui.screens.base import ReviewScreen
from reviewer_tui.screens.forms import save_failure_reason
from reviewer_tui.screens.history import ask_reason
from reviewer_tui.screens.notes import NotesScreen

OURS_STYLE = "strike bold red"
THEIRS_STYLE = "underline bold green"


def attempt(screen: ReviewScreen[Any], what: str, action: Callable[[], object]) -> bool:
    """Run `action`; a refusal (a bad pack, a place that may not be written) or a failed save is
    one line on screen and changes nothing."""
    try:
        action()
    except Exception as exc:
        reason = save_failure_reason(exc)
        if reason is None:
            raise
        screen.app.bell()
        screen.notify(reason, title=what, severity="error", timeout=15, markup=False)
        return False
    return True


class PackScreen(NotesScreen):
    """The notes of an interview opened from a note-taker pack, and the way back to the reviewer."""

    BINDINGS = [Binding("ctrl+s", "write_back", "Write back", id="pack-write-back")]
    DEFAULT_CSS = """
    PackScreen #pack-where { height: auto; padding: 0 1; background: $primary 25%;
                             text-overflow: fold; }
    """

    def compose(self) -> ComposeResult:
        held = packs.opened(self.store, self.interview_id)
        if held is None:  # an ordinary interview: the notes screen as it is
            yield from super().compose()
            return
        role = f" ({held.role})" if held.role else ""
        yield Static(
            Text.assemble(
                ("Note-taker pack", "bold"),
                f": {held.name}{role}. Your notes are saved here as you type; ctrl+s writes "
                f"them back for the reviewer to {held.written_to}",
            ),
            id="pack-where",
        )
        yield from super().compose()

    def action_write_back(self) -> None:
        if self.saver is not None:
            self.saver.wait_idle(timeout=3)  # the last key's commit, normally milliseconds
        if not self.all_saved:
            self.notify(
                "The last change is NOT SAVED yet: type a key to retry, then write back.",
                severity="error",
                timeout=10,
            )
            return
        store = self.store
        written: list[Path] = []
        if attempt(
            self, "Write back", lambda: written.append(packs.write_back(store, self.interview_id))
        ):
            self.notify(
                f"Written back to {written[0]}. Give this one file to the reviewer; it holds the "
                "interviewee's name and is not encrypted.",
                timeout=15,
                markup=False,
            )


def diff_text(ours: Any, theirs: Any) -> Text:
    """A word diff anyone can read without colour: [-words only in yours-] {+words only in the
    note taker's+}; colour and strike-through only add to the brackets."""
    out = Text()
    for kind, text in packs.word_diff(ours, theirs):
        if kind == "ours":
            out.append(f"[-{text}-]", OURS_STYLE)
        elif kind == "theirs":
            out.append(f"{{+{text}+}}", THEIRS_STYLE)
        elif kind == "gap":
            out.append(text, "dim")
        else:
            out.append(text)
    return out


class ConflictScreen(ReviewScreen[None]):
    """Settle what the note taker and the reviewer both changed since the pack was made."""

    BINDINGS = [
        Binding("k", "settle('ours')", "Keep mine", id="conflict-keep-mine"),
        Binding("t", "settle('theirs')", "Take theirs", id="conflict-take-theirs"),
        Binding("b", "settle('both')", "Keep both", id="conflict-keep-both"),
        Binding("escape", "back", "Decide later", id="conflict-back"),
    ]
    DEFAULT_CSS = """
    ConflictScreen #conflict-body { height: 1fr; padding: 0 1; }
    ConflictScreen .conflict-title { text-style: bold; margin-top: 1; }
    ConflictScreen .conflict-diff { border: round $warning; padding: 0 1; height: auto; }
    ConflictScreen #conflict-buttons { height: auto; dock: bottom; padding: 0 1; }
    ConflictScreen #conflict-buttons Button { margin-right: 1; }
    """

    def __init__(self, interview_id: int) -> None:
        super().__init__()
        self.interview_id = interview_id
        self.version_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="conflict-body")
        with Horizontal(id="conflict-buttons"):
            yield Button("Keep mine (k)", id="keep-mine")
            yield Button("Take theirs (t)", id="take-theirs", variant="warning")
            yield Button("Keep both (b)", id="keep-both", variant="primary")
        yield Footer()

    async def on_mount(self) -> None:
        self.title = "The note taker's changes"
        await self.show_next()

    async def show_next(self) -> None:
        found = packs.conflicts(self.store, self.interview_id)
        body = self.query_one("#conflict-body", VerticalScroll)
        if not found:
            if self.version_id is not None:  # the last one was just settled
                self.dismiss()
                return
            await body.mount(Static("Nothing is left to settle from the note taker's packs."))
            self.query_one("#conflict-buttons").display = False
            return
        first = found[0].version_id
        self.version_id = first
        these = [c for c in found if c.version_id == first]
        await body.remove_children()
        widgets: list[Static] = [
            Static(
                Text(
                    f"From {these[0].source}. You and the note taker both changed the same "
                    "text since the pack was made. Yours is unchanged until you choose."
                )
            ),
            Static(
                Text.assemble(
                    ("[-…-]", OURS_STYLE),
                    " only in yours   ",
                    ("{+…+}", THEIRS_STYLE),
                    " only in the note taker's",
                )
            ),
        ]
        for conflict in these:
            widgets.append(Static(Text(conflict.label), classes="conflict-title"))
            widgets.append(
                Static(diff_text(conflict.ours, conflict.theirs), classes="conflict-diff")
            )
        await body.mount_all(widgets)
        text_only = all(isinstance(c.ours, str) and isinstance(c.theirs, str) for c in these)
        self.query_one("#keep-both", Button).display = text_only
        if len(found) > len(these):
            self.sub_title = f"{len(found) - len(these)} more to settle after this"
        else:
            self.sub_title = ""

    @on(Button.Pressed, "#keep-mine")
    async def _mine(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_settle("ours")

    @on(Button.Pressed, "#take-theirs")
    async def _theirs(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_settle("theirs")

    @on(Button.Pressed, "#keep-both")
    async def _both(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_settle("both")

    async def action_settle(self, choice: str) -> None:
        version = self.version_id
        if version is None:
            return
        if choice == "both" and not self.query_one("#keep-both", Button).display:
            self.notify("Only text can be kept both ways: keep yours or take theirs.")
            return
        store = self.store
        if attempt(self, "Choice", lambda: packs.resolve(store, version, choice)):
            said = {"ours": "Kept yours.", "theirs": "Took the note taker's.", "both": "Kept both."}
            self.notify(said[choice])
            await self.show_next()

    def action_back(self) -> None:
        self.dismiss()


def make_pack_from(screen: ReviewScreen[Any], interview_id: int) -> None:
    """Ask where to write a pack of this interview (the prompt says it is not encrypted)."""
    from reviewer_tui import exports
    from reviewer_tui.models import Interview
    from reviewer_tui.screens.dialogs import plain_file_prompt

    store = screen.store
    review_id = store.get(Interview, interview_id).review_id
    default = str(exports.offered_path(review_id, packs.default_name(store, interview_id)))

    def chosen(path: str | None) -> None:
        if not path:
            return
        target = Path(path).expanduser()
        if attempt(screen, "Pack", lambda: packs.make_pack(store, interview_id, target)):
            screen.notify(
                f"Note-taker pack written to {target}. It holds the interviewee's name: carry it "
                "securely. The note taker opens it with: reviewer-tui open-pack FILE",
                timeout=15,
                markup=False,
            )

    screen.app.push_screen(
        plain_file_prompt(
            screen.app,
            "Make a note-taker pack",
            default,
            "It holds this one interview, the interviewee's name and role, the matters to "
            "cover and the notes so far; nothing else of the review.",
            review_id=review_id,
        ),
        chosen,
    )


def merge_pack_into(screen: ReviewScreen[Any], review_id: int, after: Callable[[], object]) -> None:
    """Ask for a note taker's pack and merge it into this review; a conflict opens the choice."""
    from reviewer_tui.screens.dialogs import TextPrompt

    store = screen.store

    def chosen(path: str | None, reason: str = "") -> None:
        if not path:
            return
        results: list[packs.MergeResult] = []

        locked: list[Locked] = []

        def merge() -> None:
            try:
                with history.changing(reason=reason):
                    results.append(packs.merge_pack(store, review_id, Path(path)))
            except Locked as refused:  # a signed record: merged only with the reviewer's reason
                locked.append(refused)

        merged = attempt(screen, "Merge", merge)
        if locked:

            def answered(given: str | None) -> None:
                if given:
                    chosen(path, given)

            ask_reason(screen.app, locked[0], answered)
            return
        if merged:
            result = results[0]
            conflict = result.outcome == "conflict"
            screen.notify(
                result.message,
                timeout=10,
                severity="warning" if conflict else "information",
                markup=False,
            )
            after()
            if conflict:
                screen.app.push_screen(ConflictScreen(result.interview_id))

    screen.app.push_screen(
        TextPrompt("Merge a note-taker pack", "The pack the note taker wrote back", ""), chosen
    )
