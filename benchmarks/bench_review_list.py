"""The review list's read for 100 reviews (the sample review imported 100 times): the read model
(the list plus one query per attention rule over all reviews) against a baseline measured in the
same run, the list's own query alone with the escalation count it used to carry as a subquery
(CPU time of this process, as the machines here are noisy: the ratio means most).

    python benchmarks/bench_review_list.py [--reviews N] [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "bundle" / "sample_child_t.json"
TODAY = dt.date(2025, 9, 1)


def timed(action: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.process_time()
        action()
        out.append(time.process_time() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=100)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()

    from reviewer_tui import bundle, read_model, reviews, summaries
    from reviewer_tui.cli import open_folder

    with tempfile.TemporaryDirectory() as tmp:
        folder = open_folder(Path(tmp) / "data")
        store = reviews.Store(folder)
        for _ in range(args.reviews):
            bundle.import_file(store, SAMPLE)
        baseline_sql = (
            "SELECT r.id, r.title, r.review_type, r.criterion, r.commissioned_on, "
            f"s.target_completion, {summaries._STAGE_SQL}, r.archived_at IS NOT NULL, "
            "(SELECT count(*) FROM escalation e WHERE e.review_id = r.id "
            "AND e.advised_commissioner_on = ''), d.submitted_on "
            "FROM review r LEFT JOIN scope s ON s.review_id = r.id "
            "LEFT JOIN report_details d ON d.review_id = r.id "
            "ORDER BY r.archived_at IS NOT NULL, r.created_at DESC, r.id DESC"
        )

        def baseline() -> object:
            with read_model.reading(folder) as conn:
                return conn.execute(baseline_sql).fetchall()

        rows = read_model.review_list(folder, TODAY)
        assert len(rows) == args.reviews
        before, after = [], []
        for _ in range(args.runs):  # interleaved, so both see the same load
            before += timed(baseline, 1)
            after += timed(lambda: read_model.review_list(folder, TODAY), 1)
        folder.close()

    def line(name: str, xs: list[float]) -> str:
        fast = sorted(xs)[len(xs) // 10] * 1000
        return f"{name}: median {statistics.median(xs) * 1000:.1f} ms, fastest tenth {fast:.1f} ms"

    print(f"{args.reviews} reviews, {args.runs} runs each")
    print(line("list query alone (baseline)", before))
    print(line("read model: list + four rules", after))
    print(f"ratio of medians {statistics.median(after) / statistics.median(before):.1f}")


if __name__ == "__main__":
    main()
