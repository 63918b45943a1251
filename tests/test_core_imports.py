"""The core's layers import each other one way only: errors at the bottom (every layer imports
it), then the cipher, then storage, then the store. Each module imports alone, in a fresh
interpreter, whichever is imported first."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CORE = REPO / "reviewer_tui"
ALONE = [
    "errors",
    "dbfile",
    "validators",
    "domain",
    "dates",
    "reviews",
    "storage",
    "encryption",
    "folder_encryption",
    "migrate",
    "bundle",
    "cli",
]
# Left for the migrations work: storage asks migrate whether a file is from a newer version.
KNOWN_CYCLES = [["reviewer_tui.migrate", "reviewer_tui.storage"]]


@pytest.mark.parametrize("name", ALONE)
def test_each_core_module_imports_alone(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import reviewer_tui.{name}"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr


def imports_of(path: Path) -> set[str]:
    """Every reviewer_tui module `path` imports, at the top or inside a function (only
    TYPE_CHECKING blocks are left out: they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for n in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reviewer_tui"):
            if node.module in ("reviewer_tui", "reviewer_tui.reports"):
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
            else:
                found.add(str(node.module))
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("reviewer_tui.")}
    return found


def core_graph() -> dict[str, set[str]]:
    graph = {}
    for path in CORE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = ("reviewer_tui", *path.relative_to(CORE).with_suffix("").parts)
        graph[".".join(p for p in parts if p != "__init__")] = imports_of(path)
    return {name: {d for d in deps if d in graph and d != name} for name, deps in graph.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a circle (Tarjan's components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_storage_encryption_and_reviews_import_each_other_in_no_circle() -> None:
    graph = core_graph()
    assert graph["reviewer_tui.errors"] == set()
    assert graph["reviewer_tui.dbfile"] == set()
    assert "reviewer_tui.storage" not in graph["reviewer_tui.encryption"]
    assert "reviewer_tui.storage" not in graph["reviewer_tui.reviews"]
    assert cycles(graph) == KNOWN_CYCLES
