"""What the screens look like (pytest-textual-snapshot). Update with --snapshot-update after a
deliberate change, and look at the SVGs in tests/__snapshots__/ before committing them."""

from __future__ import annotations

from pathlib import Path

from reviewer_tui import bundle
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE, make_app, pressing


def sample_app(data_dir: Path):  # noqa: ANN201
    folder = open_folder(data_dir)
    store = Store(folder)
    bundle.import_file(store, SAMPLE)
    store.create_review("Internal Case Review: Child R", "serious case review", "concern")
    app = make_app(folder)
    app.sub_title = "snapshot"
    return app


def test_review_list_at_80_by_24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    assert snap_compare(sample_app(data_dir), terminal_size=(80, 24))


def test_terms_of_reference(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    assert snap_compare(
        sample_app(data_dir), run_before=pressing("down", "enter", "t"), terminal_size=(100, 40)
    )
