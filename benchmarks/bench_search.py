"""Search everywhere: CPU time from the query to the result rows ready to draw, on the large
review (benchmarks/large_review.py: 10,000 chronology entries, 60 interviews of about 200 KB of
notes and two of 2 MB, built through the bundle import, whose tables' triggers keep the
full-text index in step, so the index is built exactly as in use).

Each figure is CPU time (time.process_time) for: reviewer_tui.search.search (open a connection,
run the FTS5 query, group, snippets, labels) plus screens/search.py's result_rows (the rich Text
of every row, matches stylized), i.e. everything the screen does before Textual paints the
rows. Textual's own paint of a list is not included (it is the same whatever the list holds).

The baseline, measured in the same run, is the scan a search without an index would make: a
case-insensitive LIKE over the same texts (chronology events and outcomes and the interview
notes), through the same connection. It shows what the index buys; it does not fold accents,
so it does strictly less work than the search it stands in for.

Goal (issue 15): 50 ms for a word, 100 ms for a phrase.

    python benchmarks/bench_search.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from budget import budget, reported  # noqa: E402
from large_review import copy_of_large_folder, large_review_id  # noqa: E402

GOALS_MS = {"word": 50.0, "phrase": 100.0}
WORD = "grandfather"
PHRASE = '"strategy discussion"'


def cpu_ms(action: Callable[[], object], runs: int) -> list[float]:
    action()  # warm: first use of the connection code, the page cache
    found = []
    for _ in range(runs):
        start = time.process_time()
        action()
        found.append((time.process_time() - start) * 1000)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from reviewer_tui import search
    from reviewer_tui.cli import open_folder
    from reviewer_tui.screens.search import result_rows

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        data_dir = copy_of_large_folder(Path(tmp))
        rid = large_review_id(data_dir)
        folder = open_folder(data_dir)

        def query_and_rows(query: str) -> Callable[[], object]:
            def run() -> object:
                results = search.search(folder, rid, query)
                return result_rows(results)

            return run

        def like(word: str) -> Callable[[], object]:
            def run() -> object:
                conn = folder.connect()
                try:
                    pattern = f"%{word}%"
                    return [
                        *conn.execute(
                            "SELECT id FROM chronology_entry WHERE review_id = ? AND "
                            "(event LIKE ? OR outcome LIKE ?)",
                            (rid, pattern, pattern),
                        ),
                        *conn.execute(
                            "SELECT id FROM interview WHERE review_id = ? AND notes LIKE ?",
                            (rid, pattern),
                        ),
                    ]
                finally:
                    conn.close()

            return run

        started = time.perf_counter()
        word_total = search.search(folder, rid, WORD).total
        phrase_total = search.search(folder, rid, PHRASE).total
        reported(
            "search in the large review",
            f"'{WORD}': {word_total} matching fields; {PHRASE}: {phrase_total} matching fields",
        )
        baseline = statistics.median(cpu_ms(like(WORD), args.runs))
        for kind, query in (("word", WORD), ("phrase", PHRASE)):
            found = cpu_ms(query_and_rows(query), args.runs)
            budget(
                f"search the large review for a {kind} ({query}), CPU: query + result rows, "
                f"median of {args.runs} (max {max(found):.1f} ms)",
                statistics.median(found),
                GOALS_MS[kind],
                "ms",
                baseline,
                "a LIKE scan of the same texts, no index",
            )
        folder.close()
        print(f"  ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
