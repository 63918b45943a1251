"""The report preview worked out in a process of its own (issue 14: nothing blocks typing).

Rendering a large review's report holds Python's GIL for seconds at a time (the bundle export,
Jinja over 20 MB, long C calls over huge strings): in a thread of the app, keys waited. Here a
child Python (`python -m reviewer_tui.reports.preview_process`) reads the database through a
read-only SQLite connection (a `mode=ro` URI: no lock taken, nothing written), renders the
document with the engine's own sandbox and time limit (documents.generate_markdown), and sends
the preview back in parts as they are made, so the beginning shows while the rest is worked out.

The request goes on the child's stdin as one JSON line; the child then watches stdin and ends
itself when it closes, so no child outlives the app however the app ends (a kill included).
Replies are frames on stdout: `KIND LENGTH\\n` then LENGTH bytes of UTF-8. Kinds: `version`
(the draft version previewed, may be empty), `part` (a preview part, in order), `source` (the
next piece of the document's Markdown), `problem` (a one-line message: the preview stopped) and
`done`. No Textual here.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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
    """Whether a child process can read the folder. An encrypted database needs its key, which
    is never handed to another process: the report screen then renders in a worker thread, as
    before (keys may then wait while a very large review renders)."""
    return not folder.encrypted


def request_for(
    folder: DataFolder, review_id: int, document: str, mode: str, user_dir: Path, today: dt.date
) -> Request:
    return Request(
        data_dir=str(folder.path),
        reading_path=str(folder.reading_path),
        immutable=bool(folder.immutable or folder.read_only),
        review_id=review_id,
        document=document,
        mode=mode,
        user_dir=str(user_dir),
        today=today.isoformat(),
    )


# --- the app's side ----------------------------------------------------------------------------
_children: set[subprocess.Popen[bytes]] = set()
_children_lock = threading.Lock()
_children_registered: list[bool] = []


def start(request: Request) -> subprocess.Popen[bytes]:
    """The child, started and given its request. Its stderr goes nowhere: nothing it could print
    reaches the terminal the app draws on, and a fault comes back as a `problem` frame."""
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    process = subprocess.Popen(
        [sys.executable, "-m", "reviewer_tui.reports.preview_process"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    with _children_lock:
        if not _children_registered:
            atexit.register(stop_all)  # the app quitting ends any child still rendering
            _children_registered.append(True)
        _children.add(process)
    assert process.stdin is not None
    try:
        process.stdin.write(json.dumps(request.__dict__).encode("utf-8") + b"\n")
        process.stdin.flush()
    except OSError:  # it ended at once: frames() says so
        pass
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the child now (the screen was left, or the app is closing) and reap it."""
    try:
        process.kill()
    except OSError:
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - a kill is not refused
        pass
    for pipe in (process.stdin, process.stdout):
        try:
            if pipe is not None:
                pipe.close()
        except OSError:
            pass
    with _children_lock:
        _children.discard(process)


def stop_all() -> None:
    """Every child still running, ended (the app is quitting)."""
    with _children_lock:
        running = list(_children)
    for process in running:
        stop(process)


def frames(process: subprocess.Popen[bytes]) -> Iterator[tuple[str, str]]:
    """The child's frames as (kind, text), read in small pieces (each read waits without holding
    the GIL). Ends after `done` or `problem`; a child that ends without either gives one
    `problem` with a plain line (never its traceback). Closing the iterator early (the screen
    was left) ends the child."""
    out = process.stdout
    assert out is not None
    try:
        while True:
            header = out.readline()
            if not header.endswith(b"\n"):
                break  # the child ended
            kind, _, size = header.decode("ascii", "replace").strip().partition(" ")
            payload = _read_exactly(out, int(size) if size.isdigit() else 0)
            if payload is None:
                break
            yield kind, payload.decode("utf-8", "replace")
            if kind in ("done", "problem"):
                return
        try:
            code: int | None = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        yield "problem", CRASHED.format(code="unknown" if code is None else code)
    finally:
        stop(process)


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    chunks = []
    left = size
    while left > 0:
        chunk = stream.read(min(left, 1 << 16))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# --- the child's side ------------------------------------------------------------------------
class _Writer:
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def send(self, kind: str, text: str = "") -> None:
        payload = text.encode("utf-8", "surrogatepass")
        self.stream.write(f"{kind} {len(payload)}\n".encode("ascii") + payload)
        self.stream.flush()


def _end_when_parent_goes(stdin: IO[bytes]) -> None:
    """stdin closes when the app ends (or stops this preview): end at once, whatever runs."""

    def watch() -> None:
        try:
            while stdin.read(4096):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _open_read_only(request: Request) -> Any:
    """A Store over the folder's database, read-only: no lock, a `mode=ro` connection, and the
    engine refusing any write (storage.DataFolder with read_only set, never opened)."""
    from reviewer_tui.reviews import Store
    from reviewer_tui.storage import DataFolder

    folder = DataFolder(Path(request.data_dir), read_only=True, immutable=request.immutable)
    if Path(request.reading_path) != folder.db_path:
        folder._snapshot = Path(request.reading_path)  # the app's private copy, read as it is
    return Store(folder)


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


def render(request: Request, writer: _Writer) -> None:
    store = _open_read_only(request)
    try:
        for kind, text in preview_frames(store, request):
            writer.send(kind, text)
    finally:
        store.folder.dispose_engine()


def main() -> int:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    line = stdin.readline()
    if not line:
        return 0
    request = Request(**json.loads(line))
    _end_when_parent_goes(stdin)
    writer = _Writer(stdout)
    try:
        render(request, writer)
    except BrokenPipeError:  # the app stopped reading: nobody to tell
        pass
    stdout.flush()
    os._exit(0)  # no waiting on the watcher thread


if __name__ == "__main__":
    raise SystemExit(main())
