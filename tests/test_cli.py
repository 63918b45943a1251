"""The reviewer-tui command: import, export, list, and refusing bad data folders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLES, REPO, SAMPLE


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


def test_import_list_export(data_dir: Path, tmp_path: Path) -> None:
    imported = run("--data-dir", str(data_dir), "import", str(SAMPLE))
    assert imported.returncode == 0, imported.stderr
    review_id = imported.stdout.strip()
    assert review_id.isdigit()
    listed = run("--data-dir", str(data_dir), "list")
    assert listed.stdout.splitlines() == [
        f"{review_id}\tInternal Case Review: Child T – Eastholme County Council Children’s Services"
        "\tInternal Case Review"
    ]
    out = tmp_path / "child-t.json"
    exported = run("--data-dir", str(data_dir), "export", review_id, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["review"]["child_pseudonym"] == "Child T"
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_refused_import_names_the_path_and_writes_nothing(data_dir: Path) -> None:
    result = run(
        "--data-dir", str(data_dir), "import", str(BUNDLES / "broken" / "dangling_person_id.json")
    )
    assert result.returncode == 1
    assert "interviews[1].person_id: 'p-9' does not match any people[].id" in result.stderr
    assert "nothing was imported" in result.stderr
    assert run("--data-dir", str(data_dir), "list").stdout == ""


def test_environment_variable_chooses_the_data_folder(data_dir: Path) -> None:
    env_run = subprocess.run(
        [sys.executable, "-m", "reviewer_tui", "import", str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**__import__("os").environ, "REVIEWER_TUI_DATA_DIR": str(data_dir)},
    )
    assert env_run.returncode == 0, env_run.stderr
    assert (data_dir / "reviews.db").exists()


def test_demo_loads_the_public_sample(tmp_path: Path) -> None:
    from reviewer_tui.cli import load_demo, open_folder
    from reviewer_tui.reviews import list_reviews

    folder = open_folder(tmp_path / "demo")
    try:
        load_demo(folder)
        conn = folder.connect()
        assert [s.title for s in list_reviews(conn)][0].startswith("Internal Case Review: Child T")
        conn.close()
    finally:
        folder.close()


@pytest.mark.parametrize(
    ("argv", "app_only"),
    [
        ([], True),
        (["--data-dir", "x"], True),
        (["--data-dir=x"], True),
        (["--demo", "--data-dir", "x y"], True),
        (["--data-dir"], False),
        (["--data-dir", "-x"], False),
        (["--data", "x"], False),
        (["--help"], False),
        (["--data-dir", "x", "list"], False),
        (["list"], False),
    ],
)
def test_a_start_of_the_app_parses_as_the_full_command_line(
    argv: list[str], app_only: bool
) -> None:
    """Start-up skips building every command's parser only for a command line that starts the
    app and nothing else, and reads it exactly as the full parser does."""
    from reviewer_tui.cli import build_parser, starts_the_app_only

    assert starts_the_app_only(argv) == app_only
    if app_only:
        assert vars(build_parser(commands_too=False).parse_args(argv)) == vars(
            build_parser().parse_args(argv)
        )
