"""Cold start to a painted, usable review list with 100 reviews (the large review and 99 others,
benchmarks/large_review.py), in a real pseudo-terminal, against a bare Textual hello app measured
in the same run, alternating (machines here are noisy: only the ratio means anything).

"Usable" is measured, not assumed: each app is timed from fork until it has drawn its content
AND answered a key. The review list's marker is its caption ("100 reviews"), written only once
the table's rows are filled, and the footer below it; then `down` is sent and the clock stops
when the cursor's move to the second review is drawn. The bare app is timed the same way: its
text, then a key it answers by changing the text. Quitting is timed too (ctrl+q to the process
ending), as a reported figure.

A third app, alternating with the two, is Textual's own Header, DataTable and Footer showing the
same list (FLOOR_APP) with nothing of the app: where Textual alone lands, reported beside.

    python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from budget import budget, reported  # noqa: E402
from large_review import copy_of_large_folder  # noqa: E402

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    BINDINGS = [("down", "answer", "Answer")]

    def compose(self):
        yield Static("BARE-APP-READY", id="hello")

    def action_answer(self):
        self.query_one("#hello", Static).update("BARE-APP-ANSWERED")

Bare().run()
"""
# Textual's own widgets showing the review list's 100 rows, and nothing of the app (no data
# folder, no checks, no read): Header, the caption, a DataTable of the same cells, column widths
# and row heights as the app shows them, the hint's lines and Footer with the same keys in the
# same order (write_floor_list reads them from the app). Where Textual alone lands against the
# hello app, in the same run. Its argument: the JSON file write_floor_list wrote.
FLOOR_APP = """
import json, sys
from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

LIST = json.loads(open(sys.argv[1], encoding="utf-8").read())

class Floor(App):
    # The app's own spacing of the caption and of the hint below the table (3 lines, empty)
    CSS = "#caption { padding: 0 1; } #reviews { height: 1fr; } #hint { padding: 1 2; height: auto; }"
    # One action per key: Textual's footer shows one key per action
    BINDINGS = [Binding(key, f"nothing({n})", text) for n, (key, text) in enumerate(LIST["keys"])]

    def compose(self):
        yield Header()
        yield Static(LIST["caption"], id="caption")
        table = DataTable(id="reviews", cursor_type="row", zebra_stripes=True)
        for name, width in LIST["columns"]:
            table.add_column(name, width=width, key=name)
        for cells, height in LIST["rows"]:
            table.add_row(*(Text(cell, end="") for cell in cells), height=height)
        yield table
        yield Static("", id="hint")
        yield Footer()

    def action_nothing(self, n):
        pass

Floor().run()
"""
GOAL = 1.3
COLUMNS, LINES = 120, 40
DOWN = b"\x1b[B"
CTRL_Q = b"\x11"


class Run:
    """One process in a pty: read its output, look for markers, send keys."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child: a terminal of a known size, then the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.seen = b""
        self.ended = False
        self.cpu = 0.0  # CPU seconds the process used (all its threads), once it has ended

    def wait_for(self, marker: bytes, after: int = 0, timeout: float = 60.0) -> float:
        """Seconds from fork until `marker` appears in the output after byte `after`."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if marker in self.seen[after:]:
                return time.perf_counter() - self.start
            if not self._read(0.05):
                break
        if marker in self.seen[after:]:
            return time.perf_counter() - self.start
        raise RuntimeError(f"{marker!r} never appeared; last output: {self.seen[-600:]!r}")

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        self.seen += chunk
        return True

    def send(self, data: bytes) -> int:
        """Write keys; returns the output length at that moment (look for answers after it)."""
        while select.select([self.fd], [], [], 0)[0]:  # take what is already waiting
            if not self._read(0):
                break
        mark = len(self.seen)
        os.write(self.fd, data)
        return mark

    def wait_end(self, timeout: float = 30.0) -> float:
        """Seconds until the process ends (its output drained meanwhile)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            done, _, usage = os.wait4(self.pid, os.WNOHANG)
            if done:
                self.ended = True
                self.cpu = usage.ru_utime + usage.ru_stime
                return time.perf_counter()
            self._read(0.01)
        raise RuntimeError("the process did not end")

    def close(self) -> None:
        if not self.ended:
            os.kill(self.pid, signal.SIGKILL)
            _, _, usage = os.wait4(self.pid, 0)
            self.cpu = usage.ru_utime + usage.ru_stime
        os.close(self.fd)


CPU_SEEN: list[tuple[str, float]] = []  # (which, CPU seconds to usable), killed at once after


def started_and_answering(
    argv: list[str],
    env: dict[str, str],
    ready: bytes,
    answer: bytes,
    quit_too: bool = False,
    frame_end: bytes | None = None,
) -> tuple[float, float | None]:
    """(seconds to drawn and answering a key, seconds ctrl+q took to end the process or None).
    `frame_end`: text drawn after `ready` in the same frame, when `answer` is in that frame too
    (the frame can arrive in two reads: the key is sent once all of it has)."""
    run = Run(argv, env)
    try:
        run.wait_for(ready)
        if frame_end is not None:
            run.wait_for(frame_end, after=run.seen.index(ready))
        mark = run.send(DOWN)
        usable = run.wait_for(answer, after=mark)
        quit_seconds = None
        if quit_too:
            time.sleep(0.3)  # let the frame settle, as a person reads before quitting
            asked = time.perf_counter()
            run.send(CTRL_Q)
            quit_seconds = run.wait_end() - asked
        return usable, quit_seconds
    finally:
        run.close()
        if not quit_too:
            CPU_SEEN.append((argv[-1], run.cpu))


def second_review_title(data: Path) -> str:
    """The title of the list's second row (the list's own order: newest first)."""
    conn = sqlite3.connect(data / "reviews.db")
    try:
        rows = conn.execute(
            "SELECT title FROM review ORDER BY archived_at IS NOT NULL, created_at DESC, id DESC"
        ).fetchall()
    finally:
        conn.close()
    return str(rows[1][0])


def prepare(data: Path) -> None:
    """The automatic backup made once, as on any start but the first in 12 hours (the start that
    makes it is timed by itself below, as a reported figure)."""
    code = (
        "import sys\nfrom pathlib import Path\nfrom reviewer_tui.cli import open_folder\n"
        "from reviewer_tui import backups\n"
        "f = open_folder(Path(sys.argv[1]))\nbackups.backup_if_due(f)\nf.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(data)], check=True)


def compile_bytecode() -> None:
    """Python writes the app's bytecode on its first start, as pip does on install; this shell
    may set PYTHONDONTWRITEBYTECODE, which would have every run here compile the app's source
    again while Textual's own bytecode (written by pip) is used: write it once, as a user has it."""
    code = (
        "import compileall, pathlib, reviewer_tui, reviewer_tui.screens\n"
        "for package in (reviewer_tui, reviewer_tui.screens):\n"
        "    compileall.compile_dir(pathlib.Path(package.__file__).parent, quiet=1)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def write_floor_list(data: Path, out: Path) -> None:
    """The review list as the app shows it at COLUMNS x LINES, read from the app itself started
    headless on `data` (outside the timing): its caption, the table's columns with their widths,
    each row's cells and height, and the footer's keys in order. For FLOOR_APP."""
    import asyncio
    import json

    from textual.widgets import DataTable, Static

    from reviewer_tui.cli import open_folder
    from reviewer_tui.screens.app import ReviewerApp
    from reviewer_tui.screens.bars import Footer

    async def read() -> dict[str, object]:
        folder = open_folder(data)
        app = ReviewerApp(folder)
        try:
            async with app.run_test(size=(COLUMNS, LINES)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                screen = app.screen
                table: DataTable[object] = screen.query_one("#reviews", DataTable)
                footer = screen.query_one(Footer)
                _, palette = footer.plan()
                return {
                    "caption": str(screen.query_one("#list-caption", Static).render()),
                    "columns": [(str(c.label), c.width) for c in table.ordered_columns],
                    "rows": [
                        ([str(cell) for cell in table.get_row(row.key)], row.height)
                        for row in table.ordered_rows
                    ],
                    "keys": [(k.key, k.description) for k in footer.shown_keys() if k != palette],
                }
        finally:
            folder.close()

    out.write_text(json.dumps(asyncio.run(read())), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": str(COLUMNS),
        "LINES": str(LINES),
        "TEXTUAL_ANIMATIONS": "none",
    }
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        data = copy_of_large_folder(Path(tmp))
        second = second_review_title(data)[:20].encode()
        count = sqlite3.connect(data / "reviews.db").execute("SELECT count(*) FROM review")
        reviews = count.fetchone()[0]
        bare_script = Path(tmp) / "bare.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")
        floor_script, floor_list = Path(tmp) / "floor.py", Path(tmp) / "floor.json"
        floor_script.write_text(FLOOR_APP, encoding="utf-8")
        app_argv = [sys.executable, "-m", "reviewer_tui", "--data-dir", str(data)]
        bare_argv = [sys.executable, str(bare_script)]
        ready = f"{reviews} reviews".encode()

        def app(quit_too: bool = False) -> tuple[float, float | None]:
            # the second review's title is in the first frame too: the key is sent once the
            # frame's last line, the footer (its last key, the palette's), has arrived
            return started_and_answering(app_argv, env, ready, second, quit_too, b"palette")

        def bare() -> float:
            return started_and_answering(bare_argv, env, b"BARE-APP-READY", b"BARE-APP-ANSWERED")[0]

        def floor() -> float:
            # Textual's footer draws the palette's key as "pa" and "lette" (two regions): the
            # frame's end is the second
            argv = [sys.executable, str(floor_script), str(floor_list)]
            return started_and_answering(argv, env, ready, second, False, b"lette")[0]

        first_start, first_quit = app(quit_too=True)  # the automatic backup is due on this one
        prepare(data)
        write_floor_list(data, floor_list)  # after the day's backup: a start like the timed ones
        app()  # warm the file cache once for each, then alternate so drift hits all alike
        bare()
        floor()
        app_times, bare_times, floor_times, quit_times = [], [], [], []
        for n in range(args.runs):
            bare_times.append(bare())
            floor_times.append(floor())
            usable, quit_seconds = app(quit_too=n < 3)
            app_times.append(usable)
            if quit_seconds is not None:
                quit_times.append(quit_seconds)
    app_median, bare_median = statistics.median(app_times), statistics.median(bare_times)
    floor_median = statistics.median(floor_times)
    app_cpu = statistics.median(cpu for which, cpu in CPU_SEEN if which == str(data))
    bare_cpu = statistics.median(cpu for which, cpu in CPU_SEEN if which == str(bare_script))
    print(
        f"start to a painted review list that answers a key ({reviews} reviews, the large one "
        f"among them; pty {COLUMNS}x{LINES}; {args.runs} runs each, alternating)"
    )
    print(f"  bare Textual app : median {bare_median * 1000:7.1f} ms")
    print(f"  Textual's widgets: median {floor_median * 1000:7.1f} ms (the same list, no app)")
    print(f"  reviewer-tui     : median {app_median * 1000:7.1f} ms")
    budget(
        "start to a usable review list, 100 reviews",
        app_median / bare_median,
        GOAL,
        "x",
        bare_median * 1000,
        "a bare Textual hello app answering a key",
    )
    reported(
        "start: Textual's own Header, DataTable and Footer showing the same list, no app",
        f"{floor_median / bare_median:.2f}x the bare app ({floor_median * 1000:.0f} ms); "
        f"reviewer-tui {app_median / floor_median:.2f}x that",
    )
    reported(
        "start to a usable review list, CPU of the process (all threads, killed on answering)",
        f"{app_cpu * 1000:.0f} ms against {bare_cpu * 1000:.0f} ms for the bare app: "
        f"{app_cpu / bare_cpu:.2f}x (less swayed by the machine's load than the time)",
    )
    reported(
        "quit (ctrl+q to the process ending), 100 reviews",
        f"median {statistics.median(quit_times) * 1000:.0f} ms over {len(quit_times)} quits",
    )
    reported(
        "first start of the day (automatic backup of the 68 MB file due)",
        f"usable after {first_start * 1000:.0f} ms; quit took {(first_quit or 0) * 1000:.0f} ms",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
