"""The review list's read for the large folder's 100 reviews (the large review among them,
benchmarks/large_review.py): the read model (the list plus one query per attention rule over all
reviews), timed in CPU of this process against the list's own query alone in the same run,
interleaved (the machines here are noisy). The read is on the path to the first frame, and runs
again whenever the list is shown.

    python benchmarks/bench_review_list.py [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from budget import budget, reported  # noqa: E402
from large_review import copy_of_large_folder  # noqa: E402

GOAL_MS = 50.0  # CPU for the whole read: an interaction's budget (issue 14)


def timed(action: Callable[[], object]) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    from reviewer_tui import read_model
    from reviewer_tui.cli import open_folder

    today = dt.date.today()
    with tempfile.TemporaryDirectory() as tmp:
        folder = open_folder(copy_of_large_folder(Path(tmp)))
        try:

            def baseline() -> object:
                from reviewer_tui.summaries import list_reviews

                with read_model.reading(folder) as conn:
                    return list_reviews(conn)

            rows = read_model.review_list(folder, today)
            flagged = sum(row.attention.any for row in rows)
            before, after = [], []
            for _ in range(args.runs):  # interleaved, so both see the same load
                before.append(timed(baseline))
                after.append(timed(lambda: read_model.review_list(folder, today)))
        finally:
            folder.close()
    base_ms, read_ms = statistics.median(before) * 1000, statistics.median(after) * 1000
    print(f"{len(rows)} reviews ({flagged} with something to attend to), {args.runs} runs each")
    budget(
        "review list read, 100 reviews with the large one (CPU)",
        read_ms,
        GOAL_MS,
        "ms",
        base_ms,
        "the list's query alone",
    )
    reported(
        "review list read, fastest tenth",
        f"{sorted(after)[len(after) // 10] * 1000:.1f} ms CPU (list query alone "
        f"{sorted(before)[len(before) // 10] * 1000:.1f} ms)",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
