"""An unexpected error shows a plain message and writes a private crash log without local variables."""

from __future__ import annotations

import os
import pty
import select
import stat
import sys
import time
from pathlib import Path

from tests.conftest import REPO

CRASHING_APP = """
import sys
from pathlib import Path
from reviewer_tui.cli import open_folder
from reviewer_tui.screens.app import ReviewerApp

class Crashing(ReviewerApp):
    def on_ready(self):
        child_name = "Tyler Brennan SECRET-LOCAL"
        raise RuntimeError("simulated fault")

folder = open_folder(Path(sys.argv[1]))
app = Crashing(folder)
app.run()
folder.close()
sys.exit(app.return_code or 0)
"""


def run_in_pty(argv: list[str], timeout: float = 60) -> tuple[int, str]:
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        os.execvpe(argv[0], argv, {**os.environ, "TERM": "xterm-256color"})
    output = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


def test_crash_message_and_log_have_no_locals(data_dir: Path, tmp_path: Path) -> None:
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_APP, encoding="utf-8")
    code, output = run_in_pty([sys.executable, str(script), str(data_dir)])
    assert code == 1
    assert "stopped because of an unexpected error" in output
    assert "Everything you typed before this was already saved" in output
    assert "SECRET-LOCAL" not in output
    logs = list((data_dir / "crash-logs").glob("crash-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text(encoding="utf-8")
    assert "RuntimeError" in text and "in on_ready" in text
    assert "simulated fault" not in text  # a message can quote user text: never logged
    assert "SECRET-LOCAL" not in text
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
