"""The chronology screen on the large review (10,000 entries): CPU time of the app's work for
each interaction, and the resident memory with the chronology open.

Each interaction is measured in CPU time (time.process_time: every thread of the process, so
work moved to a worker is counted too) from the change to the next frame painted (Textual's
headless driver; `pilot.press` and `pilot.pause()` wait until the screen is idle, so layout and
drawing are included, and so is the harness's own small share):

- open: the chronology screen pushed from the workspace until its table is painted;
- scroll a page: page down in the table (three presses);
- filter: an agency, an issue, Significant Practice Events only, "learned later", then each
  cleared again (ctrl+l);
- search: the screen's own text search, the words typed into it key by key;
- add an entry: the quick-entry form's keys (each kept as a draft) and Enter (the entry
  stored, shown in the table, checked in the database afterwards).
Leaving the search box (Esc) and the form (Esc) are measured too and reported: they move the
focus or the screen, which Textual's footer redraws whatever the chronology holds.

The same steps run once on one of the small sample reviews (19 entries) in the same app, and
are reported beside: what Textual costs for the screen whatever the size.

Each run opens a fresh screen, so nothing built by an earlier run (a search's casefolded text,
say) is reused. Per interaction the figure is the median over runs of the slowest step of the
run. The baseline, measured in the same run, is Textual's DataTable cleared and refilled with
the same 10,000 rows (what a naive table does on every change).

Memory: a subprocess runs the real app on a copy of the large folder with the large review's
chronology open and reads its VmRSS; the baseline is a bare Textual app's VmRSS, measured the
same way in the same run.

    python benchmarks/bench_chronology.py [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from budget import budget, reported  # noqa: E402
from large_review import ENTRIES, copy_of_large_folder, large_review_id  # noqa: E402

GOAL_MS = 50.0
RSS_GOAL_MB = 300.0
TODAY = dt.date(2025, 9, 1)
SEARCH_WORDS = "home visit"  # typed key by key: every key is one text-filter change


def cpu_ms(start: float) -> float:
    return (time.process_time() - start) * 1000


async def measure(
    data_dir: Path, runs: int, small: int
) -> tuple[dict[str, list[float]], dict[str, Any]]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Input, Select

    from reviewer_tui import models as m
    from reviewer_tui.cli import open_folder
    from reviewer_tui.screens.app import ReviewerApp
    from reviewer_tui.screens.chronology import ChronologyScreen, QuickEntryScreen
    from reviewer_tui.screens.chronology_table import ChronologyTable

    rid = large_review_id(data_dir)
    folder = open_folder(data_dir)
    app = ReviewerApp(folder, today=lambda: TODAY)
    worst: dict[str, list[float]] = {}  # interaction -> the slowest step of each run
    info: dict[str, Any] = {"steps": {}}

    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()  # start-up work (an automatic backup) done
        await pilot.pause()

        async def step(name: str, action: Callable[[], Awaitable[object] | object]) -> float:
            """One interaction step: CPU from the change to the frame painted."""
            start = time.process_time()
            result = action()
            if asyncio.iscoroutine(result):
                await result
            await pilot.pause()
            spent = cpu_ms(start)
            info["steps"].setdefault(prefix_now[0] + name, []).append(spent)
            return spent

        def press(key: str) -> Callable[[], Awaitable[None]]:
            """A step pressing `key` (a space is the key named "space")."""
            name = "space" if key == " " else key
            return lambda: pilot.press(name)

        async def idle() -> None:
            await app.workers.wait_for_complete()
            await pilot.pause()

        prefix_now = [""]
        info["harness"] = [await step("harness: nothing changed", lambda: None) for _ in range(5)]
        plan = [(rid, run > 0, "") for run in range(runs + 1)]  # run 0 warms imports, caches
        plan.append((small, True, "small review: "))
        for run, (review, counted, prefix) in enumerate(plan):
            gc.collect()
            prefix_now[0] = prefix
            run_worst: dict[str, float] = {}

            def note(kind: str, spent: float, run_worst: dict[str, float] = run_worst) -> None:
                run_worst[kind] = max(run_worst.get(kind, 0.0), spent)

            screen = ChronologyScreen(review)

            async def push(screen: ChronologyScreen = screen) -> None:
                app.collector.input_seen()  # opened by a key, as the reviewer opens it
                await app.push_screen(screen)

            note("open", await step("open", push))
            table = screen.query_one(ChronologyTable)
            assert len(table.rows) == len(screen.view) >= (ENTRIES if not prefix else 10)
            await idle()

            for _ in range(3):
                note("scroll", await step("scroll a page", lambda: pilot.press("pagedown")))

            source = screen.query_one("#filter-source", Select)
            issue = screen.query_one("#filter-issue", Select)
            known = screen.query_one("#filter-known", Select)

            def choose(select: Select[str], value: str) -> Callable[[], None]:
                def change() -> None:
                    select.value = value

                return change

            for label, action in (
                ("filter: agency", choose(source, "POL")),
                ("filter: issue", choose(issue, "Liaison")),
                ("filter: SPE only", lambda: pilot.press("s")),
                ("filter: learned later", choose(known, "later")),
                ("filter: all cleared", lambda: pilot.press("ctrl+l")),
                ("filter: agency again", choose(source, "CSC")),
                ("filter: cleared again", lambda: pilot.press("ctrl+l")),
            ):
                note("filter", await step(label, action))
            assert len(table.rows) == len(screen.view), "the filters were not cleared"
            await idle()

            await pilot.press("slash")
            assert isinstance(app.focused, Input)
            for n, key in enumerate(SEARCH_WORDS):
                note("search", await step(f"search: key {n + 1}", press(key)))
            matched = len(table.rows)
            note("leave", await step("search: cleared (Esc)", lambda: pilot.press("escape")))
            assert len(table.rows) == len(screen.view)
            if not prefix:
                info["search matches"] = matched
            await idle()

            await pilot.press("n")
            await idle()
            form = app.screen
            assert isinstance(form, QuickEntryScreen)
            event = f"Benchmark entry {run}"
            for field, text in (("when", f"14/0{run % 9 + 1}/2023"), ("source", "POL")):
                form.query_one(f"#qe-{field}", Input).value = text
            await idle()
            form.query_one("#qe-event", Input).focus()
            for n, key in enumerate(event[:6]):
                note("add", await step(f"add: a key in the form ({n + 1})", press(key)))
            form.query_one("#qe-event", Input).value = event
            await idle()
            before = len(screen.view)
            note("add", await step("add: Enter (stored and shown)", lambda: pilot.press("enter")))
            assert len(screen.view) == before + 1, "the entry was not added"
            note(
                "leave",
                await step("add: Esc back to the chronology", lambda: pilot.press("escape")),
            )
            assert app.screen is screen
            stored = [
                e for e in app.store.rows(m.ChronologyEntry, review) if e.event == event
            ]  # outside the timing
            assert len(stored) == 1, f"the entry was not stored: {len(stored)}"
            assert table.current is not None and table.current.event == event
            await idle()

            await pilot.press("escape")  # back to where it was pushed from
            await idle()
            if counted:
                for kind, spent in run_worst.items():
                    worst.setdefault(prefix + kind, []).append(spent)
            if not prefix:
                info["entries"] = len(screen.view)

    folder.close()

    # The baseline: a DataTable cleared and refilled with the same rows.
    from reviewer_tui import chronology as ch

    folder = open_folder(data_dir)
    from reviewer_tui.reviews import Store

    views = ch.ChronologyView(ch.entries(Store(folder), rid)).all
    folder.close()
    rows = [(v.when, v.source, v.event, ", ".join(v.issues)) for v in views]

    class Baseline(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    baseline = Baseline()
    async with baseline.run_test(size=(120, 40)) as pilot:
        data = baseline.query_one(DataTable)
        data.add_columns("Date & time", "Source", "Event", "Issues")
        for n in range(3):
            gc.collect()
            start = time.process_time()
            data.clear()
            data.add_rows(rows)
            await pilot.pause()
            if n:
                worst.setdefault("baseline", []).append(cpu_ms(start))
    return worst, info


# --- resident memory ------------------------------------------------------------------------
CHILD = r"""
import asyncio, datetime as dt, json, sys
from pathlib import Path

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

async def bare():
    from textual.app import App
    from textual.widgets import Label
    class Hello(App):
        def compose(self):
            yield Label("Hello")
    app = Hello()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return rss_mb()

async def real(data_dir, rid):
    from reviewer_tui.cli import open_folder
    from reviewer_tui.screens.app import ReviewerApp
    from reviewer_tui.screens.chronology import ChronologyScreen
    from reviewer_tui.screens.chronology_table import ChronologyTable
    folder = open_folder(Path(data_dir))
    app = ReviewerApp(folder, today=lambda: dt.date(2025, 9, 1))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        screen = ChronologyScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("pagedown")
        assert len(screen.query_one(ChronologyTable).rows) >= 10000
        rss = rss_mb()
    folder.close()
    return rss

which = sys.argv[1]
print(json.dumps(asyncio.run(bare() if which == "bare" else real(sys.argv[2], int(sys.argv[3])))))
"""


def child_rss(*args: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-chronology-") as tmp:
        data_dir = copy_of_large_folder(Path(tmp))
        rid = large_review_id(data_dir)
        small = (
            sqlite3.connect(data_dir / "reviews.db")
            .execute("SELECT min(id) FROM review WHERE id != ?", (rid,))
            .fetchone()[0]
        )
        started = time.perf_counter()
        worst, info = asyncio.run(measure(data_dir, args.runs, small))
        print(
            f"Chronology of the large review ({info['entries']} entries), {args.runs} runs "
            f"after one warm-up, in {time.perf_counter() - started:.0f} s; CPU ms per step "
            f"(median / max over runs):"
        )
        for name, spent in info["steps"].items():
            print(f"  {name:<42} {statistics.median(spent):7.1f} / {max(spent):7.1f}")
        print(f"  search for {SEARCH_WORDS!r} matched {info['search matches']} entries")
        base = statistics.median(worst["baseline"])
        for kind, label in (
            ("open", "open"),
            ("scroll", "scroll a page"),
            ("filter", "change a filter"),
            ("search", "search, per key"),
            ("add", "add an entry (form keys, Enter)"),
        ):
            figure = statistics.median(worst[kind])
            budget(
                f"chronology of {ENTRIES:,} entries: {label}, CPU (slowest step, median of runs)",
                figure,
                GOAL_MS,
                "ms",
                base,
                "DataTable cleared and refilled with the same rows",
            )
            reported(
                f"chronology {label}: the same on the 19-entry sample review",
                f"{worst['small review: ' + kind][0]:.1f} ms CPU (Textual's share whatever the size)",
            )
        reported(
            "chronology: leaving the search box or the quick-entry form (Esc), CPU",
            f"{statistics.median(worst['leave']):.1f} ms; on the sample review "
            f"{worst['small review: leave'][0]:.1f} ms",
        )
        bare = child_rss("bare")
        with tempfile.TemporaryDirectory(prefix="bench-chronology-rss-") as rss_tmp:
            rss = child_rss("real", str(copy_of_large_folder(Path(rss_tmp))), str(rid))
        budget(
            "resident memory, the large review open in the chronology",
            rss,
            RSS_GOAL_MB,
            "MB",
            bare,
            "a bare Textual app",
        )
        reported(
            "chronology memory over a bare Textual app", f"{rss - bare:.0f} MB ({rss / bare:.1f}x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
