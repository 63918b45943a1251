"""Shared fixtures: every test gets its own data folder on disk (never an in-memory database:
workers run in threads and `sqlite://` is one database per thread)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BUNDLES = SHARED / "bundle"
SAMPLE = BUNDLES / "sample_child_t.json"
MINIMAL = BUNDLES / "minimal.json"
FIXED_TODAY = dt.date(2025, 9, 1)

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="run the long stress tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="long run: use make stress")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def folder(data_dir: Path) -> Iterator[DataFolder]:
    opened = open_folder(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def store(folder: DataFolder) -> Store:
    return Store(folder)


def make_app(folder: DataFolder):  # noqa: ANN201 - the app type imports textual
    from reviewer_tui.screens.app import ReviewerApp

    app = ReviewerApp(folder, today=lambda: FIXED_TODAY)
    return app
