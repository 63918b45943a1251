"""The quality check worked out in a process of its own (issue 14: nothing blocks typing).

The check reads the whole review and looks for names in every text the publication may print
(20 MB on a large review, seconds of regular-expression scans that hold Python's GIL): in a
thread of the app, keys waited behind it. Here a child Python
(`python -m reviewer_tui.quality_process`), run the one way reviewer_tui.child_process runs
children, reads the database read-only and runs the same check (reviewer_tui.quality.check),
so the checklist says exactly what a check in the app would.

The request carries what the app already knows (quality.known_names: the names found in each
text checked before, by digest), so a check with nothing changed scans nothing again; the
child sends back what it knows after its check, and the app keeps it for the next check and
for the checks it runs itself (the gate before a final or publication version).

Frames (besides child_process's `problem`): `progress` ("DONE TOTAL": characters of text
checked, of all to check; "0 0" while the review is read), `known` (JSON: quality.known_names
of the register checked against), `done` (JSON: the items, quality.items_to_data).
No Textual here.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from reviewer_tui import child_process

if TYPE_CHECKING:
    from reviewer_tui.storage import DataFolder

MODULE = "reviewer_tui.quality_process"
CRASHED = (
    "The quality check stopped unexpectedly (its process ended with code {code}); "
    "open the checklist again."
)

can_run_in_child = child_process.can_run_in_child
stop = child_process.stop


def start(folder: DataFolder, review_id: int) -> subprocess.Popen[bytes]:
    """The child, started with the review to check and what this process already knows."""
    from reviewer_tui import quality

    request = {
        **child_process.reading(folder),
        "review_id": review_id,
        "known": quality.known_names(),
    }
    return child_process.start(MODULE, request)


def frames(process: subprocess.Popen[bytes]) -> Generator[tuple[str, str], None, None]:
    """The child's frames as (kind, text), ending after `done` or `problem`. Closing it early
    ends the child."""
    return child_process.frames(process, CRASHED)


# --- the child's side ------------------------------------------------------------------------
def check(request: dict[str, Any], writer: child_process.Writer) -> None:
    from reviewer_tui import quality

    store = child_process.open_read_only(
        request["data_dir"], request["reading_path"], request["immutable"]
    )
    try:
        quality.remember_names(request.get("known") or [])
        try:
            items = quality.check(
                store,
                int(request["review_id"]),
                progress=lambda done, total: writer.send("progress", f"{done} {total}"),
            )
        except Exception as exc:  # noqa: BLE001 - one plain line, never a traceback
            writer.send("problem", f"The quality check failed: {' '.join(str(exc).split())}")
            return
        known = quality.known_names()
        writer.send("known", json.dumps(known[-1:]))  # the register just checked against
        writer.send("done", json.dumps(quality.items_to_data(items)))
    finally:
        store.folder.dispose_engine()


def main() -> int:
    return child_process.serve(check)


if __name__ == "__main__":
    raise SystemExit(main())
