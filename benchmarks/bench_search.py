"""Search everywhere: CPU time from the query to the result rows ready to draw, on a large review.

The review is built through the core: 10,000 chronology entries through the chronology
importer's Core executemany path, and 60 interviews whose 200 KB of notes are saved by
interviews.save_notes (what the notes screen calls). Both write the tables whose triggers keep
the full-text index in step, so the index is built exactly as in use.

Each figure is CPU time (time.process_time) for: reviewer_tui.search.search (open a connection,
run the FTS5 query, group, snippets, labels) plus screens/search.py's result_rows (the rich Text
of every row, matches stylized), i.e. everything the screen does before Textual paints the
rows. Textual's own paint of a list is not included (it is the same whatever the list holds).

The baseline, measured in the same run, is the scan a search without an index would make: a
case-insensitive LIKE over the same texts (chronology events and outcomes and the interview
notes), through the same connection. It shows what the index buys; it does not fold accents,
so it does strictly less work than the search it stands in for.

Goal (issue 15): 50 ms for a word, 100 ms for a phrase.

    python benchmarks/bench_search.py [--entries N] [--interviews N] [--notes-kb N] [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GOALS_MS = {"word": 50.0, "phrase": 100.0}
WORD = "grandfather"
PHRASE = '"strategy discussion"'
FILLER = (
    "home visit referral school nursery bruising police welfare check mother father sibling "
    "assessment plan conference missing housing letter telephone said agreed worried health "
    "visitor manager supervision record"
).split()


def fill(store: Any, review_id: int, count: int, rng: random.Random) -> None:
    """`count` chronology entries through the importer's Core executemany path."""
    from reviewer_tui import chronology_import as ci
    from reviewer_tui.dates import parse

    start = dt.date(2022, 1, 1)
    rows = []
    for n in range(count):
        when = (start + dt.timedelta(days=rng.randrange(900))).isoformat()
        words = [rng.choice(FILLER) for _ in range(rng.randrange(6, 30))]
        if rng.random() < 0.002:
            words.insert(2, "grandfather")
        cells = (when, " ".join(words), "CYPS", "Social worker; mother", "Plan agreed", "")
        rows.append(ci.PreviewRow(n + 2, cells, parse(when), "CYPS", accepted=True))
    ci.commit(store, review_id, "CYPS", rows)


def build(data_dir: Path, entries: int, interviews: int, notes_kb: int) -> tuple[Any, int]:
    from reviewer_tui import interviews as iv
    from reviewer_tui import migrate
    from reviewer_tui.reviews import Store
    from reviewer_tui.storage import DataFolder

    folder = DataFolder(data_dir)
    folder.open()
    migrate.upgrade(folder)
    store = Store(folder)
    rid = store.create_review("Child B", "internal case review", "concern")
    rng = random.Random(5)
    fill(store, rid, entries, rng)
    for n in range(interviews):
        person = iv.add_person(store, rid, f"Practitioner {n}")
        interview = iv.add_interview(store, rid, person.id)
        lines, size = [], 0
        while size < notes_kb * 1000:
            words = [rng.choice(FILLER) for _ in range(rng.randrange(8, 20))]
            if rng.random() < 0.002:
                words.insert(3, "grandfather")
            if rng.random() < 0.01:
                words[2:2] = ["strategy", "discussion"]
            line = f"{rng.randrange(9):02d}:{rng.randrange(60):02d} " + " ".join(words) + "."
            lines.append(line)
            size += len(line) + 1
        iv.save_notes(store, interview.id, "\n".join(lines))
    return folder, rid


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
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--interviews", type=int, default=60)
    parser.add_argument("--notes-kb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from reviewer_tui import search
    from reviewer_tui.screens.search import result_rows

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        folder, rid = build(Path(tmp), args.entries, args.interviews, args.notes_kb)
        print(
            f"built: {args.entries} entries, {args.interviews} interviews of {args.notes_kb} KB "
            f"notes in {time.perf_counter() - started:.1f} s"
        )

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

        results = search.search(folder, rid, WORD)
        print(f"'{WORD}': {results.total} matching fields; {PHRASE}: ", end="")
        print(f"{search.search(folder, rid, PHRASE).total} matching fields")
        baseline = statistics.median(cpu_ms(like(WORD), args.runs))
        print(f"baseline (LIKE scan of the same texts, no index): {baseline:7.1f} ms CPU")
        missed = False
        for kind, query in (("word", WORD), ("phrase", PHRASE)):
            found = cpu_ms(query_and_rows(query), args.runs)
            median, worst = statistics.median(found), max(found)
            verdict = "PASS" if median <= GOALS_MS[kind] else "MISS"
            missed = missed or verdict == "MISS"
            print(
                f"{kind:6} search {query!r}: median {median:6.1f} ms CPU, max {worst:6.1f} ms "
                f"(query + result rows; {baseline / max(median, 0.001):4.1f}x faster than the "
                f"baseline) goal {GOALS_MS[kind]:.0f} ms: {verdict}"
            )
        folder.close()
    return 0  # a MISS is reported above, as the other benchmarks do


if __name__ == "__main__":
    raise SystemExit(main())
