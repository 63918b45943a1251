"""Where the files the app writes go: one folder per review, and never over another file.

Every file written for a review (a chronology CSV, interviews as .ics, an interview file for
another laptop, a copy of interview notes, a Word document) is offered in the review's own
folder, Documents/reviewer-tui/review-<id> (no title in the name: a title may hold a child's
name). A name already taken gets the next number (chronology-2025-09-01-2.csv): the app never
writes over a file unless the reviewer chose that file and confirmed replacing it.
"""

from __future__ import annotations

from pathlib import Path


def app_folder() -> Path:
    """Documents/reviewer-tui: where the report screen has always offered to write."""
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / "reviewer-tui"


def review_folder(review_id: int) -> Path:
    """The one place the files of one review go."""
    return app_folder() / f"review-{review_id}"


def free_path(target: Path) -> Path:
    """`target` if nothing is there, else the first of NAME-2.EXT, NAME-3.EXT... that is free."""
    target = Path(target)
    if not target.exists():
        return target
    suffix = "".join(target.suffixes[-1:])
    stem = target.name[: len(target.name) - len(suffix)]
    n = 2
    while (candidate := target.with_name(f"{stem}-{n}{suffix}")).exists():
        n += 1
    return candidate


def offered_path(review_id: int, name: str) -> Path:
    """Where a file called `name` is offered: the review's folder, under a free name."""
    return free_path(review_folder(review_id) / name)


def replacing(target: Path) -> str | None:
    """What the reviewer must confirm before `target` is written, or None when nothing is there."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        return (
            f"{target} already exists. Press OK again to replace it, or change the name "
            f"(the next free name is {free_path(target).name})."
        )
    return None
