"""The one reader for JSON files a person chooses (review bundles, interview files).

A file from elsewhere may be anything: a film picked by mistake, a bundle edited by hand, a file
made to break the app. Reading it never raises anything but `UserFileError`, whose message is one
plain line naming the problem:
- larger than `MAX_JSON_BYTES`: refused from its size, before it is read;
- not UTF-8, a byte-order mark, a JSON syntax error, a key repeated in one object, NaN/Infinity;
- arrays or objects nested deeper than `MAX_DEPTH` (no file of ours is deeper than 8; anything
  deeper would overflow Python's recursion limit in the parser or in any walk of the value);
- a number SQLite cannot store: every whole number must fit in 64 bits (a 5,000-digit number
  would otherwise stop Python's int conversion; 10**30 stops SQLite's), and no number may be
  infinite or beyond that range as a decimal.

Never imports textual.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from reviewer_tui.errors import UserFileError

MAX_JSON_BYTES = 64 * 10**6
MAX_DEPTH = 32
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
_MAX_DIGITS = len(str(INT_MAX))
_SHOWN = 40  # longest number quoted whole in a message


def read_limited(path: Path, what: str, limit: int = MAX_JSON_BYTES) -> bytes:
    """The file's bytes, refusing one larger than `limit` without reading it.
    `what` names the kind of file in the message ("a review bundle")."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            size = _size(handle)
            if size <= limit:
                raw = handle.read(limit + 1)  # a file that grows while read is still bounded
                size = max(size, len(raw))
    except OSError as exc:
        raise UserFileError("file", f"cannot read {path}: {exc.strerror or exc}") from None
    if size > limit:
        raise UserFileError(
            "file",
            f"{path.name} is too large to be {what} ({size / 10**6:.0f} MB; "
            f"the limit is {limit // 10**6} MB)",
        )
    return raw


def _size(handle: Any) -> int:
    return os.fstat(handle.fileno()).st_size


def parse_json(raw: bytes) -> Any:
    """Parse strictly: UTF-8 only, no byte-order mark, no repeated keys, no NaN or Infinity,
    nesting and numbers within what can be stored."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise UserFileError(
            "parse", "the file starts with a byte-order mark; save it as plain UTF-8"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserFileError("parse", f"byte {exc.start} is not UTF-8 ({exc.reason})") from None
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_bad_constant,
            parse_int=_whole_number,
            parse_float=_decimal_number,
        )
    except json.JSONDecodeError as exc:
        raise UserFileError("parse", f"line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise UserFileError("parse", _too_deep()) from None
    if _deeper_than(value, MAX_DEPTH):
        raise UserFileError("parse", _too_deep())
    return value


def _too_deep() -> str:
    return f"arrays or objects are nested more than {MAX_DEPTH} levels deep; no file of ours is"


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise UserFileError("parse", f"key {key!r} appears more than once in the same object")
        seen[key] = value
    return seen


def _bad_constant(name: str) -> Any:
    raise UserFileError("parse", f"{name} is not valid JSON")


def _range() -> str:
    return f"whole numbers must be between {INT_MIN} and {INT_MAX}"


def _whole_number(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > _MAX_DIGITS:  # checked before int(): Python refuses over 4,300 digits
        shown = text if len(text) <= _SHOWN else f"{text[:12]}… ({digits} digits)"
        raise UserFileError("parse", f"the number {shown} is too large to store; {_range()}")
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise UserFileError("parse", f"the number {text} is too large to store; {_range()}")
    return value


def _decimal_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > INT_MAX:
        shown = text if len(text) <= _SHOWN else f"{text[:12]}… ({len(text)} characters)"
        raise UserFileError("parse", f"the number {shown} is too large to store; {_range()}")
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays/objects nest more than `limit` levels (walked without recursion)."""
    if not isinstance(value, dict | list):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
