"""A bundle import checks everything before it writes, and writes in one transaction (issue 14,
screens part item 3): a broken bundle, broken at its very end, leaves the database file byte for
byte as it was, whether the checks refuse it or the write itself fails at its last step."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from reviewer_tui import bundle, history
from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.errors import BundleError
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE


def _digest(data_dir: Path) -> str:
    """The database file's bytes, with the folder closed (the WAL checkpointed into it)."""
    return hashlib.sha256((data_dir / "reviews.db").read_bytes()).hexdigest()


def _folder_with_a_review(data_dir: Path) -> dict[str, Any]:
    folder = open_folder(data_dir)
    bundle.import_file(Store(folder), SAMPLE)
    folder.close()
    return bundle.load(SAMPLE)


def test_a_bad_reference_at_the_very_end_changes_no_byte(data_dir: Path) -> None:
    good = _folder_with_a_review(data_dir)
    broken = copy.deepcopy(good)
    broken["recommendations"][-1]["finding_ids"] = ["f-does-not-exist"]
    before = _digest(data_dir)
    folder = open_folder(data_dir)
    with pytest.raises(BundleError) as refused:
        bundle.validate(broken)
        bundle.import_bundle(Store(folder), broken)
    folder.close()
    assert "f-does-not-exist" in str(refused.value)
    assert _digest(data_dir) == before


def test_a_write_failing_at_its_last_step_changes_no_byte(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everything is added and flushed (review, chronology, people, interviews...), then the last
    step before the commit fails: the transaction is rolled back whole."""
    good = _folder_with_a_review(data_dir)
    before = _digest(data_dir)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full at the last step")

    monkeypatch.setattr(history, "add_bundle_entries", fail)
    folder = open_folder(data_dir)
    store = Store(folder)
    with pytest.raises(OSError, match="last step"):
        bundle.import_bundle(store, good)
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(m.Review)).one() == 1
        assert session.exec(select(func.count()).select_from(m.Interview)).one() == len(
            good["interviews"]
        )
    folder.close()
    assert _digest(data_dir) == before
