"""Importing a returned draft (issue 17): the sample's management review report as generated,
returned with 100 comments and 200 tracked changes (100 insertions, 100 deletions), read into the
draft register: every comment, change, untracked-edit comparison and the rows written. Against
the same file merely opened by python-docx and its paragraph and table text read, in the same
run. Goal: the import takes under a second (median).

    python benchmarks/bench_drafts_import.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GOAL_S = 1.0
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "bundle" / "sample_child_t.json"


def python_docx_alone(path: Path) -> int:
    import docx

    doc = docx.Document(str(path))
    words = sum(len(p.text.split()) for p in doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                words += len(cell.text.split())
    return words


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import delete

    from reviewer_tui import bundle
    from reviewer_tui import models as m
    from reviewer_tui.cli import open_folder
    from reviewer_tui.reports import documents, returned
    from reviewer_tui.reviews import Store
    from tests.docx_edits import Returned

    place = Path(tempfile.mkdtemp(prefix="bench-drafts-"))
    folder = open_folder(place / "data")
    try:
        store = Store(folder)
        rid = bundle.import_file(store, SAMPLE)
        draft = documents.generate(store, rid, "management-review", place / "draft.docx").path
        copy = Returned(draft)
        copy.mark_runs(comments=100, insertions=100, deletions=100, author="Owen Pritchard")
        path = copy.save(place / "returned.docx")
        baseline, imports = [], []
        result = None
        for _ in range(args.runs):
            start = time.perf_counter()
            python_docx_alone(path)
            baseline.append(time.perf_counter() - start)
            with store.session() as s:  # each run imports into an empty register
                s.execute(delete(m.DraftItem))
                s.execute(delete(m.DraftRecipient))
                s.commit()
            start = time.perf_counter()
            result = returned.import_returned(store, rid, path, "Owen Pritchard")
            imports.append(time.perf_counter() - start)
        assert result is not None
        assert (result.comments, result.changes) == (100, 200), result.line(path.name)
    finally:
        folder.close()
    base, took = statistics.median(baseline), statistics.median(imports)
    print(f"returned draft: 100 comments, 200 tracked changes; {args.runs} runs, medians")
    print(f"  python-docx alone (open + read text): {base * 1000:8.0f} ms")
    print(f"  drafts import (read + compare + store): {took * 1000:6.0f} ms")
    print(
        f"  ratio {took / base:.2f}x; goal under {GOAL_S:.0f} s: {'PASS' if took < GOAL_S else 'MISS'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
