"""One way for every benchmark to state a budget: the figure, the goal, the baseline measured in
the same run, and PASS or MISS on one line. `make bench` collects these lines (BENCH_SUMMARY names
the file) and prints them together at the end.
"""

from __future__ import annotations

import os


def budget(
    name: str,
    figure: float,
    goal: float,
    unit: str,
    baseline: float | None = None,
    baseline_name: str = "",
) -> bool:
    """Print (and collect) one budget line; the figure passes when it is at most the goal.

    `unit` is "x" for a ratio to the baseline, otherwise the unit of figure and goal (ms, MB)."""
    passed = figure <= goal
    if unit == "x":
        shown = f"{figure:.2f}x (goal <= {goal:.2f}x)"
    else:
        shown = f"{figure:.1f} {unit} (goal <= {goal:g} {unit})"
    line = f"{'PASS' if passed else 'MISS'}  {name}: {shown}"
    if baseline is not None:
        base_unit = "ms" if unit == "x" else unit
        line += f"; baseline {baseline:.1f} {base_unit}"
        if baseline_name:
            line += f", {baseline_name}"
    _emit(line)
    return passed


def reported(name: str, text: str) -> None:
    """A figure the issue asks to be reported, with no budget of its own."""
    _emit(f"INFO  {name}: {text}")


def _emit(line: str) -> None:
    print(line, flush=True)
    summary = os.environ.get("BENCH_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(line + "\n")
