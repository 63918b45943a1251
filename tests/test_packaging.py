"""The installed package: mapped folders present, the core free of Textual."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

# Source folders and the package each is installed as (pyproject [tool.setuptools.package-dir]).
INSTALLED_AS = {
    "reviewer_tui": "reviewer_tui",
    "screens": "reviewer_tui.screens",
    "report_templates": "reviewer_tui.report_templates",
}


def package_folders() -> dict[str, Path]:
    found = {}
    for top, installed in INSTALLED_AS.items():
        for init in (REPO / top).rglob("__init__.py"):
            relative = init.parent.relative_to(REPO / top).parts
            found[".".join((installed, *relative))] = init.parent
    return found


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    assert set(package_folders()) <= listed, set(package_folders()) - listed


def test_built_wheel_contains_every_package_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("reviewer_tui-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for package in package_folders():
        assert f"{package.replace('.', '/')}/__init__.py" in names, package
    for data in (
        "reviewer_tui/bundle_schema.json",
        "reviewer_tui/bundle_schema_v1.json",
        "reviewer_tui/demo_review.json",
        "reviewer_tui/migrations/script.py.mako",
        "reviewer_tui/screens/app.tcss",
    ):
        assert data in names, data


CORE_MODULES = [
    "reviewer_tui.cli",
    "reviewer_tui.storage",
    "reviewer_tui.migrate",
    "reviewer_tui.models",
    "reviewer_tui.reviews",
    "reviewer_tui.bundle",
    "reviewer_tui.progress",
    "reviewer_tui.domain",
    "reviewer_tui.crash",
]


def core_modules() -> list[str]:
    names = set(CORE_MODULES)
    for path in (REPO / "reviewer_tui").rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        if "migrations" in parts or parts[-1] == "__main__":
            continue
        names.add(".".join(p for p in parts if p != "__init__"))
    return sorted(names)


def test_core_never_imports_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_schema_copy_matches_shared_schema() -> None:
    """Version 1 files are checked against the shared schema exactly (bundle_schema.json is the
    app's schema version 2, tested in test_bundle.py to keep every version 1 rule)."""
    shared = REPO.parent / "shared" / "bundle" / "review-bundle.schema.json"
    if not shared.exists():
        pytest.skip("../shared/bundle is not beside this checkout")
    assert (REPO / "reviewer_tui" / "bundle_schema_v1.json").read_bytes() == shared.read_bytes()


def test_first_screen_does_not_load_the_heavy_layers() -> None:
    """Start-up paints the review list before SQLAlchemy, Alembic, python-docx or Jinja load."""
    code = (
        "import sys\n"
        "import reviewer_tui.cli as cli\n"
        "cli.build_parser()\n"
        "import reviewer_tui.migrate, reviewer_tui.screens.app, reviewer_tui.screens.review_list\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'alembic', 'docx', 'jinja2', 'jsonschema')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
