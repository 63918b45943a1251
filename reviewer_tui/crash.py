"""Crash logs without local variables (RELIABILITY.md rule 10): a child's name held in a variable
must never reach the screen or a log file."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

from reviewer_tui.storage import write_atomically


def write_crash_log(folder: Path, error: BaseException) -> Path:
    """Write the traceback (frames only, no locals) to a 0600 file in `folder`; return its path."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / "crash-logs" / f"crash-{stamp}.log"
    text = describe(error)
    write_atomically(target, lambda handle: handle.write(text.encode("utf-8", "backslashreplace")))
    return target


MESSAGE_LEFT_OUT = "(message left out: it can quote what was typed)"


def describe(error: BaseException) -> str:
    """The traceback of `error` and of the errors that led to it: each exception's type and its
    frames (file, line, function), never the exception's message or notes, nor lines of source
    (a script or template run from text could hold user data).

    A message can carry what a person typed: a title `Child R [/A Person]` raised MarkupError
    "closing tag '[/A Person]' ...", `int("Tyler")` says "invalid literal ... 'Tyler'", a KeyError
    is its key. The types and frames are enough to find the fault."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = (
                current.__cause__,
                "The error above was the direct cause of the error below.",
            )
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = (
                current.__context__,
                "While handling the error above, the error below happened.",
            )
        else:
            current = None
    out: list[str] = []
    for number, (exc, _link) in enumerate(reversed(chain)):
        if number:
            out.append(f"\n{chain[len(chain) - number][1]}\n\n")
        out.append("Traceback (most recent call last):\n")
        out.extend(
            f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
            for frame in traceback.extract_tb(exc.__traceback__, limit=None)
        )
        kind = type(exc)
        module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
        out.append(f"{module}{kind.__qualname__} {MESSAGE_LEFT_OUT}\n")
        if isinstance(exc, BaseExceptionGroup):
            for inner in exc.exceptions:
                out.append("  contains: " + describe(inner).replace("\n", "\n  ").rstrip() + "\n")
    return "".join(out)


def plain_message(log: Path | None) -> str:
    where = (
        f"Details for support were written to {log}." if log else "No crash log could be written."
    )
    return (
        "reviewer-tui stopped because of an unexpected error.\n"
        "Everything you typed before this was already saved.\n" + where
    )
