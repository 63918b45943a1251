"""Crash logs without local variables (RELIABILITY.md rule 10): a child's name held in a variable
must never reach the screen or a log file."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

from reviewer_tui.storage import write_atomically


ENCRYPTED_NOTE = ("This data folder is encrypted, so this log holds no review content: the error "
                  "messages are left out (they can quote what was typed or stored); the program's "
                  "own frames and the kinds of error are kept.\n\n")


def _frames_only(error: BaseException) -> str:
    """The traceback of `error` and the errors chained to it, without any error message."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    parts = [ENCRYPTED_NOTE]
    for link, item in enumerate(reversed(chain)):
        if link:
            parts.append("\nWhile handling that, another error happened:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(f"{type(item).__module__}.{type(item).__qualname__} (message left out)\n")
    return "".join(parts)


def write_crash_log(folder: Path, error: BaseException) -> Path:
    """Write the traceback (frames only, no locals) to a 0600 file in `folder`; return its path.

    In an encrypted folder (RELIABILITY.md rule 11) nothing readable about a review may be kept,
    so the log leaves out every error message and says so."""
    from reviewer_tui.encryption import is_encrypted
    from reviewer_tui.storage import DB_NAME

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / "crash-logs" / f"crash-{stamp}.log"
    if is_encrypted(Path(folder) / DB_NAME):
        text = _frames_only(error)
    else:
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    write_atomically(target, lambda handle: handle.write(text.encode("utf-8", "backslashreplace")))
    return target


def plain_message(log: Path | None) -> str:
    where = f"Details for support were written to {log}." if log else "No crash log could be written."
    return (
        "reviewer-tui stopped because of an unexpected error.\n"
        "Everything you typed before this was already saved.\n" + where
    )
