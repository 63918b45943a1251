"""Small modal dialogs. Each dismisses with its value, or None when cancelled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from reviewer_tui import dates, domain
from reviewer_tui.screens.base import ReviewModal
from reviewer_tui.screens.inputs import LeanSelect

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 76; max-width: 100%; height: auto; max-height: 100%;
    border: thick $primary; background: $surface; padding: 1 2; }}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .error {{ color: $error; text-style: bold; height: auto; }}
{name} .hint {{ color: $text-muted; }}
{name} .warning {{ color: $warning; text-style: bold; margin-bottom: 1; }}
{name} Horizontal.buttons {{ height: auto; align-horizontal: right; margin-top: 1; }}
{name} Horizontal.buttons Button {{ margin-left: 1; }}
"""


class NewReviewDialog(ReviewModal[dict[str, Any] | None]):
    """Start a review: title, kind, criterion and the date it was commissioned."""

    AUTO_FOCUS = "#title"  # focused as it opens, before its first frame (base.py)

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="NewReviewDialog")
        + """
/* Compact fields: Create and Cancel fit on a 24-line terminal. */
NewReviewDialog > Vertical { padding: 0 2; }
NewReviewDialog .title { margin-bottom: 0; }
NewReviewDialog Label { margin-top: 1; }
NewReviewDialog Input, NewReviewDialog Select { background: $boost; }
NewReviewDialog #kind-help { height: auto; max-height: 3; }
"""
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog-cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Start a new review", classes="title")
            yield Label("Title")
            yield Input(
                placeholder="for example Internal Case Review: Child R", id="title", compact=True
            )
            yield Label("Kind of review")
            yield LeanSelect(
                [(k.name, k.key) for k in domain.REVIEW_KINDS],
                value="internal case review",
                allow_blank=False,
                id="kind",
                compact=True,
            )
            yield Static("", id="kind-help", classes="hint")
            yield Label("Criterion")
            yield LeanSelect(
                [("Concern", "concern"), ("Progressing well", "progressing well")],
                value="concern",
                allow_blank=False,
                id="criterion",
                compact=True,
            )
            yield Label("Commissioned on")
            yield Input(
                self.app.today().isoformat(),
                placeholder="YYYY-MM-DD or dd/mm/yyyy",
                id="commissioned",
                compact=True,
            )
            yield Static("", classes="error", markup=False)  # can quote what was typed
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Create", variant="primary", id="create")

    def on_mount(self) -> None:
        self._describe_kind("internal case review")

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self._describe_kind(str(event.value))

    def _describe_kind(self, key: str) -> None:
        kind = domain.KINDS_BY_KEY[key]
        target = (
            f" Default target: {kind.target_months} months from commissioning."
            if kind.target_months
            else ""
        )
        self.query_one("#kind-help", Static).update(f"{kind.nation}. {kind.guidance}{target}")

    @on(Input.Submitted, "#title")
    def _title_entered(self, event: Input.Submitted) -> None:
        """Enter in the title moves on to the kind: a review is not created before its kind and
        criterion have been seen."""
        event.stop()
        self.query_one("#kind", Select).focus()

    @on(Input.Submitted, "#commissioned")
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        error = self.query_one(".error", Static)
        title = self.query_one("#title", Input).value
        if not title.strip():
            error.update("Give the review a title.")
            return
        raw_date = self.query_one("#commissioned", Input).value
        try:
            commissioned = dates.parse_day(raw_date)
        except ValueError as exc:
            error.update(Text(str(exc)))  # quotes what was typed: never markup
            return
        self.dismiss(
            {
                "title": title,
                "review_type": self.query_one("#kind", Select).value,
                "criterion": self.query_one("#criterion", Select).value,
                "commissioned_on": commissioned,
            }
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(ReviewModal[str | None]):
    """Ask for one line of text."""

    DEFAULT_CSS = DIALOG_CSS.format(name="TextPrompt")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog-cancel")]

    def __init__(
        self,
        title: str,
        label: str,
        value: str = "",
        warning: str = "",
        check: Callable[[str], str | None] | None = None,
        problem: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.value = value
        self.warning = warning  # shown above the field, before anything is done
        self.check = check  # the reason a value is refused (the dialog stays open), or None
        self.problem = problem  # shown from the start, e.g. why the last try was NOT SAVED

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title", markup=False)
            if self.warning:
                yield Static(self.warning, classes="warning", markup=False)
            yield Label(self.label, markup=False)
            yield Input(self.value, id="value")
            yield Static(self.problem, classes="error", markup=False)  # can quote what was typed
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("OK", variant="primary", id="ok")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        value = self.query_one("#value", Input).value
        if not value.strip():
            self.query_one(".error", Static).update(f"{self.label} cannot be empty.")
            return
        problem = self.check(value) if self.check is not None else None
        if problem:
            self.query_one(".error", Static).update(Text(problem))
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


REVIEW_GOES = (
    "Everything recorded in it will be erased. Archiving (a) hides it instead and can be undone."
)


class ConfirmDelete(ReviewModal[str | None]):
    """The one confirmation before a deletion: it says what will go, and the reviewer types a word
    (a review's title, or DELETE) to confirm. A word that does not match says so; nothing is
    deleted. Dismisses with the word asked for, or None when cancelled."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ConfirmDelete")
        + """
ConfirmDelete .quote { height: auto; max-height: 8; }  /* a 9,000-character title hid the field */
"""
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog-cancel")]

    def __init__(
        self,
        word: str,
        heading: str = "Delete this review for good?",
        goes: str = REVIEW_GOES,
        asked: str = "the title",
    ) -> None:
        super().__init__()
        self.word = word  # user text (a title): shown literally, never as markup
        self.heading = heading
        self.goes = goes
        self.asked = asked

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, classes="title", markup=False)
            yield Static(self.goes, classes="hint", markup=False)
            yield Static(
                f"Type {self.asked} to confirm:\n{self.word}", markup=False, classes="quote"
            )
            yield Input(id="typed")
            yield Static("", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Delete", variant="error", id="delete", disabled=True)

    def _matches(self, typed: str) -> bool:
        return typed.strip().casefold() == self.word.strip().casefold()

    @on(Input.Changed, "#typed")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#delete", Button).disabled = not self._matches(event.value)
        self.query_one(".error", Static).update("")

    @on(Input.Submitted)
    @on(Button.Pressed, "#delete")
    def _delete(self) -> None:
        if self._matches(self.query_one("#typed", Input).value):
            self.dismiss(self.word)
            return
        self.query_one(".error", Static).update(
            f"That is not {self.asked}: nothing was deleted. Type it as shown, or Esc to cancel."
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def plain_file_prompt(
    app: Any, title: str, default: str, warning: str = "", review_id: int | None = None
) -> TextPrompt:
    """Ask where to write a file that is not encrypted (a notes copy, an export): the prompt says
    so before anything is written, and refuses a place inside an encrypted data folder, where
    nothing readable about a review may be kept (RELIABILITY.md rule 11). It says where the
    review's files go (reviewer_tui.exports) and never replaces a file without asking: the first
    OK on a file that exists says so, the second replaces it."""
    from pathlib import Path

    from reviewer_tui import exports

    folder = app.folder
    said = (
        "This file is NOT ENCRYPTED: anyone who has it can read it. Write it where your "
        "organisation allows review material to be kept."
    )
    if folder.encrypted:
        said += " It cannot go inside the encrypted data folder."
    if review_id is not None:
        said += f" This review's files go to {exports.review_folder(review_id)}."
    confirmed: set[Path] = set()

    def check(path: str) -> str | None:
        target = Path(path).expanduser()
        problem: str | None = folder.plain_copy_problem(target)
        if problem is None and target.is_dir():
            problem = f"{target} is a folder: add a file name."
        if problem is None and target not in confirmed:
            problem = exports.replacing(target)
            if problem is not None:
                confirmed.add(target)
        return problem

    return TextPrompt(
        title, "File to write", default, warning=f"{said} {warning}".strip(), check=check
    )
