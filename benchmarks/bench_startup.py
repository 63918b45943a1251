"""Cold start to the review list painted, in a real pseudo-terminal, against a bare Textual app
measured in the same run (machines here are noisy: only the ratio means anything).

    python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("BARE-APP-READY")

Bare().run()
"""
GOAL = 1.3


def time_to_marker(
    argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 30.0
) -> float:
    """Seconds from fork to `marker` appearing on the pty, then the process is killed."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(argv[0], argv, env)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen = (seen + chunk)[-200_000:]
            if marker in seen:
                return time.perf_counter() - start
        raise RuntimeError(f"{marker!r} never appeared; last output: {seen[-400:]!r}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def prepare_data(folder: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\nfrom reviewer_tui.cli import open_folder\n"
        "from reviewer_tui.reviews import Store\n"
        "f = open_folder(Path(sys.argv[1]))\ns = Store(f)\n"
        "for i in range(1, 6):\n"
        "    s.create_review(f'Bench review {i}', 'serious case review', 'concern')\n"
        "f.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(folder)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "32",
        "TEXTUAL_ANIMATIONS": "none",
    }
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        prepare_data(data)
        bare_script = Path(tmp) / "bare.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")
        app_argv = [sys.executable, "-m", "reviewer_tui", "--data-dir", str(data)]
        bare_argv = [sys.executable, str(bare_script)]
        # Warm the file cache once for each, then alternate so drift hits both alike.
        time_to_marker(app_argv, b"Bench review 1", env)
        time_to_marker(bare_argv, b"BARE-APP-READY", env)
        app_times, bare_times = [], []
        for _ in range(args.runs):
            bare_times.append(time_to_marker(bare_argv, b"BARE-APP-READY", env))
            app_times.append(time_to_marker(app_argv, b"Bench review 1", env))
    app_median, bare_median = statistics.median(app_times), statistics.median(bare_times)
    ratio = app_median / bare_median
    print(f"start-up to review list painted (5 reviews, pty, {args.runs} runs each)")
    print(f"  bare Textual app : median {bare_median * 1000:7.1f} ms")
    print(f"  reviewer-tui     : median {app_median * 1000:7.1f} ms")
    print(
        f"  ratio            : {ratio:.2f}x (goal {GOAL}x or less) {'OK' if ratio <= GOAL else 'OVER GOAL'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
