"""Run mypy over the package as it is installed.

`screens/` and `report_templates/` are installed as `reviewer_tui.screens` and
`reviewer_tui.report_templates` by setuptools' editable import hook, which mypy cannot follow.
This builds a link tree in .mypy_cache/tree (reviewer_tui/ with every entry of the real folder
linked in, plus screens/ and report_templates/ linked under their installed names), runs mypy on
it with the repository's configuration, and rewrites the paths in mypy's output back to the real
files. The tree is rebuilt on every run at the same place, so mypy's cache stays valid.

    python tools/typecheck.py            # the package, tests/ and benchmarks/
    python tools/typecheck.py FILE...    # extra mypy arguments are passed through
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAPPED = {"screens": "screens", "report_templates": "report_templates"}  # installed name: folder
CHECKED = ["benchmarks", "tools"]  # tests/: ruff only for now (see Makefile)


TREE = REPO / ".mypy_cache" / "tree"


def link_tree(root: Path) -> Path:
    """Make root/reviewer_tui afresh: the core's entries and the mapped folders, as symlinks."""
    package = root / "reviewer_tui"
    shutil.rmtree(root, ignore_errors=True)
    package.mkdir(parents=True)
    for entry in (REPO / "reviewer_tui").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    for name, folder in MAPPED.items():
        (package / name).symlink_to(REPO / folder, target_is_directory=True)
    return package


def real_path(line: str, package: Path) -> str:
    """mypy names a file by the path it was given: put the real file's path back."""
    for prefix in (str(package) + os.sep, str(package.relative_to(REPO)) + os.sep):
        if line.startswith(prefix):
            rest = line[len(prefix) :]
            break
    else:
        return line
    for name, folder in MAPPED.items():
        if rest.startswith(name + os.sep):
            return folder + rest[len(name) :]
    return "reviewer_tui" + os.sep + rest


def main(argv: list[str]) -> int:
    package = link_tree(TREE)
    env = {**os.environ, "MYPYPATH": str(TREE)}
    targets = argv or [str(package), *(p for p in CHECKED if (REPO / p).is_dir())]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"), *targets],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for stream, out in ((done.stdout, sys.stdout), (done.stderr, sys.stderr)):
        for line in stream.splitlines():
            print(real_path(line, package), file=out)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
