"""The reviewer's own keys: keymap.json in the config folder maps binding ids to keys, loaded at
start (Textual's keymap: a binding with an id takes the keys given for it).

    {"notes-time": "f5", "help": "f1,ctrl+h"}

A file is used whole or not at all: one that names an unknown id, a key text fields use to edit
text, or a printable key for a binding that acts while typing is refused with a message saying
which, and the standard keys stay.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from pathlib import Path

from textual.binding import Binding
from textual.keys import _normalize_key_list, key_to_character

KEYMAP_FILE = "keymap.json"
# Start-up only asks for keymap_path(); the rest is imported when a keymap file exists.


def keymap_path() -> Path:
    """Beside the user's report templates, in the config folder (platformdirs)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("reviewer-tui", appauthor=False)) / KEYMAP_FILE


def text_keys() -> frozenset[str]:
    """Every key a focused Input or TextArea binds to edit text (ENGINEERING.md's list)."""
    from textual.widgets import Input, TextArea

    return frozenset(
        key
        for cls in (TextArea, Input)
        for b in cls.BINDINGS
        for key in _keys(b.key if isinstance(b, Binding) else b[0])
    )


def _keys(keys: str) -> list[str]:
    return [k for k in _normalize_key_list(keys).split(",") if k]


def _binding_classes() -> Iterator[type]:
    import reviewer_tui.screens as package
    from reviewer_tui.screens.app import ReviewerApp

    yield ReviewerApp
    for info in pkgutil.iter_modules(package.__path__):
        try:
            module = importlib.import_module(f"{package.__name__}.{info.name}")
        except ImportError:  # the terminal driver's module is for Linux and macOS only
            continue
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                yield value


def app_bindings() -> dict[str, Binding]:
    """Every binding of the app, its screens and widgets, by id (one binding per id; an id used
    on several screens, such as stage-back, means the same thing on each)."""
    found: dict[str, Binding] = {}
    for cls in _binding_classes():
        for b in vars(cls).get("BINDINGS", ()):
            if isinstance(b, Binding) and b.id:
                found.setdefault(b.id, b)
    return found


class KeymapError(ValueError):
    """keymap.json cannot be used; the message says why and what to change."""


def parse_keymap(data: object, bindings: Mapping[str, Binding]) -> dict[str, str]:
    """The keymap in `data` (binding id -> keys, comma-separated), checked against `bindings`.
    Raises KeymapError naming the first problem."""
    if not isinstance(data, dict):
        raise KeymapError(
            'it must be one JSON object of binding ids and keys, like {"notes-time": "f5"}'
        )
    owned = text_keys()
    keymap: dict[str, str] = {}
    for binding_id, keys in data.items():
        if binding_id not in bindings:
            raise KeymapError(
                f"{binding_id!r} is not a binding id of reviewer-tui. The ids are: "
                + ", ".join(sorted(bindings))
            )
        if not isinstance(keys, str) or not _keys(keys):
            raise KeymapError(
                f'the keys for {binding_id!r} must be a text such as "f5" or "f5,ctrl+t"'
            )
        for key in _keys(keys):
            if key in owned:
                raise KeymapError(
                    f"{binding_id!r} is given {key}, a key text fields use to edit "
                    "text: choose another (f-keys and ctrl+letters such as ctrl+t "
                    "are free)"
                )
            if bindings[binding_id].priority and key_to_character(key) is not None:
                raise KeymapError(
                    f"{binding_id!r} works while you type, so {key} would never "
                    "reach the text: choose a key that types nothing (an f-key or "
                    "a ctrl+letter)"
                )
        keymap[binding_id] = keys
    return keymap


def load_keymap(path: Path) -> tuple[dict[str, str], str | None]:
    """(keymap, problem): the file's keymap, or {} and a message saying why it was not used.
    No file: ({}, None)."""
    from reviewer_tui import userfile

    if not path.exists():
        return {}, None
    try:
        data = userfile.parse_json(userfile.read_limited(path, "a keymap file"))
        return parse_keymap(data, app_bindings()), None
    except (userfile.UserFileError, KeymapError) as exc:
        return {}, f"Your keys in {path} were not used, the standard keys are: {exc}."
