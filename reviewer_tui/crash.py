"""Crash logs without local variables (RELIABILITY.md rule 10): a child's name held in a variable
must never reach the screen or a log file."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

from reviewer_tui.storage import write_atomically


def write_crash_log(folder: Path, error: BaseException) -> Path:
    """Write the traceback (frames only, no locals) to a 0600 file in `folder`; return its path."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / "crash-logs" / f"crash-{stamp}.log"
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    write_atomically(target, lambda handle: handle.write(text.encode("utf-8", "backslashreplace")))
    return target


def plain_message(log: Path | None) -> str:
    where = f"Details for support were written to {log}." if log else "No crash log could be written."
    return (
        "reviewer-tui stopped because of an unexpected error.\n"
        "Everything you typed before this was already saved.\n" + where
    )
