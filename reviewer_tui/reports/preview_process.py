"""The report preview worked out in a process of its own (issue 14: nothing blocks typing).

Rendering a large review's report holds Python's GIL for seconds at a time (the bundle export,
Jinja over 20 MB, long C calls over huge strings): in a thread of the app, keys waited. Here a
child Python (`python -m reviewer_tui.reports.preview_process`) reads the database through a
read-only SQLite connection (a `mode=ro` URI: no lock taken, nothing written), renders the
document with the engine's own sandbox and time limit (documents.generate_markdown), and sends
the preview back in parts as they are made, so the beginning shows while the rest is worked out.

The child is run the one way reviewer_tui.child_process runs children: the request goes on
its stdin as one JSON line; the child then watches stdin and ends itself when it closes, so no
child outlives the app however the app ends (a kill included). Replies are frames on stdout: `KIND LENGTH\\n` then LENGTH bytes of UTF-8. Kinds: `version`
(the draft version previewed, may be empty), `part` (a preview part, in order), `source` (the
next piece of the document's Markdown), `problem` (a one-line message: the preview stopped) and
`done`. No Textual here.
"""

from __future__ import annotations

import datetime as dt
import os  # noqa: F401 - kept for tests/test_report_preview_process.py, which reads it here
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer_tui import child_process

if TYPE_CHECKING:
    from reviewer_tui.storage import DataFolder

SOURCE_PIECE = 65_536  # characters of Markdown sent at once
CRASHED = "The preview stopped unexpectedly (its process ended with code {code}); try F5 again."


@dataclass(frozen=True)
class Request:
    data_dir: str
    reading_path: str  # the database, or a private copy on read-only media (DataFolder)
    immutable: bool
    review_id: int
    document: str
    mode: str  # "draft", "final" or "publication", as the report screen's choice
    user_dir: str  # the user's template folder, as the app sees it
    today: str  # ISO date: the app's day, so the child and the app agree


def can_run_in_child(folder: DataFolder) -> bool:
    """Whether a child process can read the folder: otherwise (an encrypted database) the report
    screen renders in a worker thread, as before (child_process.can_run_in_child)."""
    return child_process.can_run_in_child(folder)


def request_for(
    folder: DataFolder, review_id: int, document: str, mode: str, user_dir: Path, today: dt.date
) -> Request:
    return Request(
        **child_process.reading(folder),
        review_id=review_id,
        document=document,
        mode=mode,
        user_dir=str(user_dir),
        today=today.isoformat(),
    )


# --- the app's side (child_process: the one way a child is run) ------------------------------
def start(request: Request) -> subprocess.Popen[bytes]:
    """The child, started and given its request."""
    return child_process.start("reviewer_tui.reports.preview_process", request.__dict__)


stop = child_process.stop
stop_all = child_process.stop_all


def frames(process: subprocess.Popen[bytes]) -> Iterator[tuple[str, str]]:
    """The child's frames as (kind, text), ending after `done` or `problem` (a child that ends
    without either gives one plain `problem` line). Closing it early ends the child."""
    return child_process.frames(process, CRASHED)


# --- the child's side ------------------------------------------------------------------------
def preview_frames(
    store: Any, request: Request, cancelled: Callable[[], bool] | None = None
) -> Iterator[tuple[str, str]]:
    """The preview as the frames the child sends: `version`, then each `part` as soon as it is
    whole with the Markdown's `source` pieces between, then `done`, or a `problem` line. Run in
    the child; the report screen's worker thread runs it itself when no child can read the
    folder (can_run_in_child). engine.RenderCancelled passes through when `cancelled` says yes."""
    from reviewer_tui.errors import InputError, PublicationError, TemplateProblem
    from reviewer_tui.reports import documents
    from reviewer_tui.reports.engine import RenderCancelled

    name, mode = request.document, request.mode
    pending: list[str] = []
    held = 0
    out: list[tuple[str, str]] = []

    def pieces(version: str | None) -> Iterator[str]:
        nonlocal held
        for piece in documents.generate_markdown(
            store,
            request.review_id,
            name,
            publication=mode == "publication",
            version=version,
            user_dir=Path(request.user_dir),
            today=dt.date.fromisoformat(request.today),
            cancelled=cancelled,
        ):
            pending.append(piece)
            held += len(piece)
            if held >= SOURCE_PIECE:
                out.append(("source", "".join(pending)))
                pending.clear()
                held = 0
            yield piece

    try:
        version = (
            documents.next_version(store, request.review_id, name)
            if (mode == "draft" and documents.DOCUMENTS[name].drafts)
            else None
        )
        yield "version", version or ""
        lines = documents.preview_lines(documents.split_lines(pieces(version)))
        for part in documents.iter_preview_parts(lines):
            yield from out
            out.clear()
            yield "part", part
        yield from out
        if pending:
            yield "source", "".join(pending)
        yield "done", ""
    except RenderCancelled:
        raise
    except (TemplateProblem, PublicationError, InputError) as exc:
        yield "problem", str(exc)
    except Exception as exc:  # noqa: BLE001 - one plain line, never a traceback
        yield "problem", f"The preview failed: {' '.join(str(exc).split())}"


def render(request: Request, writer: child_process.Writer) -> None:
    store = child_process.open_read_only(request.data_dir, request.reading_path, request.immutable)
    try:
        for kind, text in preview_frames(store, request):
            writer.send(kind, text)
    finally:
        store.folder.dispose_engine()


def main() -> int:
    return child_process.serve(lambda request, writer: render(Request(**request), writer))


if __name__ == "__main__":
    raise SystemExit(main())
