"""Work done in a Python process of its own, so that nothing it does holds up the app's keys
(issue 14). Long work in Python holds the interpreter's lock (the GIL) for seconds at a time:
in a thread of the app, keys waited behind it. A child Python has its own.

The one way a child is run here, shared by the report preview (reviewer_tui.reports.
preview_process) and the quality check (reviewer_tui.quality_process):
- the app starts `python -m MODULE` and writes the request on its stdin as one JSON line;
- the child reads the database through a read-only SQLite connection (a `mode=ro` URI: no lock
  taken, nothing written), never an encrypted one (the key never leaves the app's process: the
  caller then does the work in a worker thread, see `can_run_in_child`);
- the child then watches stdin and ends itself when it closes, so no child outlives the app
  however the app ends (a kill included), and the app ends a child it no longer wants by
  killing it (`stop`), every child still running as it quits (`stop_all`);
- replies are frames on stdout: `KIND LENGTH\\n` then LENGTH bytes of UTF-8, the last one of
  kind `done` or `problem` (a one-line message). A child that ends without either is reported
  as one `problem` line, never with its traceback (its stderr goes nowhere).
No Textual here.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import threading
from collections.abc import Generator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store
    from reviewer_tui.storage import DataFolder


def can_run_in_child(folder: DataFolder) -> bool:
    """Whether a child process can read the folder. An encrypted database needs its key, which
    is never handed to another process: the work is then done in a worker thread of the app
    (keys may then wait while it runs on a very large review)."""
    return not folder.encrypted


def reading(folder: DataFolder) -> dict[str, Any]:
    """What a child needs to read the folder as the app sees it (part of every request)."""
    return {
        "data_dir": str(folder.path),
        "reading_path": str(folder.reading_path),  # a private copy on read-only media
        "immutable": bool(folder.immutable or folder.read_only),
    }


# --- the app's side ----------------------------------------------------------------------------
_children: set[subprocess.Popen[bytes]] = set()
_children_lock = threading.Lock()
_children_registered: list[bool] = []


def start(module: str, request: dict[str, Any]) -> subprocess.Popen[bytes]:
    """`python -m module`, started and given its request. Its stderr goes nowhere: nothing it
    could print reaches the terminal the app draws on, and a fault comes back as a `problem`."""
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    with _children_lock:
        if not _children_registered:
            atexit.register(stop_all)  # the app quitting ends any child still working
            _children_registered.append(True)
        _children.add(process)
    assert process.stdin is not None
    try:
        process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        process.stdin.flush()
    except OSError:  # it ended at once: frames() says so
        pass
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the child now (its screen was left, or the app is closing) and reap it."""
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


def frames(
    process: subprocess.Popen[bytes], crashed: str
) -> Generator[tuple[str, str], None, None]:
    """The child's frames as (kind, text), read in small pieces (each read waits without holding
    the GIL). Ends after `done` or `problem`; a child that ends without either gives one
    `problem`: `crashed` with {code} filled in. Closing the iterator early (the screen was left)
    ends the child."""
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
        yield "problem", crashed.format(code="unknown" if code is None else code)
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
class Writer:
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def send(self, kind: str, text: str = "") -> None:
        payload = text.encode("utf-8", "surrogatepass")
        self.stream.write(f"{kind} {len(payload)}\n".encode("ascii") + payload)
        self.stream.flush()


def end_when_parent_goes(stdin: IO[bytes]) -> None:
    """stdin closes when the app ends (or stops this child): end at once, whatever runs."""

    def watch() -> None:
        try:
            while stdin.read(4096):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def open_read_only(data_dir: str, reading_path: str, immutable: bool) -> Store:
    """A Store over the folder's database, read-only: no lock, a `mode=ro` connection, and the
    engine refusing any write (storage.DataFolder with read_only set, never opened)."""
    from reviewer_tui.reviews import Store
    from reviewer_tui.storage import DataFolder

    folder = DataFolder(Path(data_dir), read_only=True, immutable=immutable)
    if Path(reading_path) != folder.db_path:
        folder._snapshot = Path(reading_path)  # the app's private copy, read as it is
    return Store(folder)


def serve(work: Any) -> int:
    """A child's main: read the request, watch the parent, run `work(request, writer)`, end.
    Used as `raise SystemExit(child_process.serve(work))` by each child module."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    line = stdin.readline()
    if not line:
        return 0
    request = json.loads(line)
    end_when_parent_goes(stdin)
    writer = Writer(stdout)
    try:
        work(request, writer)
    except BrokenPipeError:  # the app stopped reading: nobody to tell
        pass
    stdout.flush()
    os._exit(0)  # no waiting on the watcher thread
