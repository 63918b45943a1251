"""A bundle written by a newer reviewer-tui is refused with one plain line saying so.

Seen: a bundle with "schema_version": 3 (and a field this version does not know) was refused
with "schema_version: 2 was expected" and one "Additional properties are not allowed" line per
new field, which reads as a damaged file. A reviewer needs to know to update the app, as
`restore` already says for a newer database (issue "Trust", item 4).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer_tui import bundle
from reviewer_tui.reviews import Store, list_reviews
from reviewer_tui.storage import DataFolder
from tests.conftest import SAMPLE


@pytest.mark.parametrize("version", [3, 99])
def test_bundle_from_a_newer_version_is_refused_plainly(
    folder: DataFolder, store: Store, tmp_path: Path, version: int
) -> None:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["schema_version"] = version
    data["review"]["a_field_from_the_future"] = "x"
    data["something_new"] = []
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(bundle.BundleError) as refused:
        bundle.import_file(store, path)
    assert len(refused.value.problems) == 1
    problem = refused.value.problems[0]
    assert "newer version of reviewer-tui" in problem
    assert f"schema_version {version}" in problem
    conn = folder.connect()
    try:
        assert list_reviews(conn) == []  # nothing was imported
    finally:
        conn.close()


def test_bundle_of_this_version_still_reports_each_problem(store: Store, tmp_path: Path) -> None:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["schema_version"] = bundle.SCHEMA_VERSION
    data["review"]["title"] = 5
    problems = bundle.schema_problems(data)
    assert problems == ["review.title: 5 is not of type 'string'"]
