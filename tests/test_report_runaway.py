"""A user's report template that runs away (a huge range, nested loops, runaway recursion, huge
arithmetic) stops within the time limit with the template's name, its line and a plain message:
in the core, the CLI and the report screen (issue "Trust" item 10)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from reviewer_tui import bundle
from reviewer_tui.errors import TemplateProblem
from reviewer_tui.reports import engine
from reviewer_tui.reviews import Store
from tests.conftest import REPO, SAMPLE, make_app, wait_until

LIMIT = getattr(engine, "RENDER_SECONDS", 3.0)
NESTED = (
    "Introduction\n\n"
    "{% for a in range(100000) %}\n"
    "{% for b in range(100000) %}\n"
    "{% for c in range(100000) %}{{ c }}{% endfor %}\n"
    "{% endfor %}\n"
    "{% endfor %}\n"
)

RUNAWAYS = {
    # name: (template source, the line named, words in the message)
    "huge_range": ("Title\n\n{% for i in range(10**9) %}{{ i }}{% endfor %}\n", 3, "range"),
    "nested_loops": (NESTED, 5, "more than"),
    "loop_over_context": (
        "{% set xs = range(100000)|list %}\n"
        "{% for a in xs %}{% for b in xs %}{{ a }}{% endfor %}{% endfor %}\n",
        2,
        "more than",
    ),
    "exponential_macro": (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
        "{% endmacro %}\n\n{{ f(60) }}\n",
        1,
        "more than",
    ),
    "endless_recursion": ("{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n", 1, "itself"),
    "huge_string": ("A\n{{ 'x' * 10**10 }}\n", 2, "too large"),
    "huge_power": ("A\nB\n{{ (10 ** (10 ** 9)) > 1 }}\n", 3, "too large"),
}


def render_in_thread(name: str, folder: Path) -> tuple[BaseException | str | None, float]:
    """Render in a daemon thread so a template that never stops fails the test, not the run."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(engine.render(name, {}, folder))
        except BaseException as exc:  # noqa: BLE001 - the test inspects whatever came out
            outcome.append(exc)

    started = time.perf_counter()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(LIMIT + 5)
    return (outcome[0] if outcome else None), time.perf_counter() - started


@pytest.mark.parametrize("case", sorted(RUNAWAYS))
def test_a_runaway_template_stops_with_its_name_and_line(tmp_path: Path, case: str) -> None:
    source, line, words = RUNAWAYS[case]
    (tmp_path / "mine.md").write_text(source, encoding="utf-8")
    outcome, elapsed = render_in_thread("mine.md", tmp_path)
    assert outcome is not None, f"still running after {elapsed:.0f} s"
    assert isinstance(outcome, TemplateProblem), repr(outcome)
    message = str(outcome)
    assert f"The report template mine.md ({tmp_path / 'mine.md'})" in message
    assert f"line {line}" in message and words in message, message
    assert "\n" not in message
    assert elapsed < LIMIT + 4  # the limit, plus room for a machine busy with other tests


def test_a_long_but_honest_template_still_renders(tmp_path: Path) -> None:
    (tmp_path / "big.md").write_text(
        "{% for a in range(300) %}{% for b in range(300) %}{{ b }}{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    text = engine.render("big.md", {}, tmp_path)
    assert text == "".join(str(b) for b in range(300)) * 300


def user_templates(tmp_path: Path, source: str) -> Path:
    config = tmp_path / "config"
    folder = config / "reviewer-tui" / "report_templates"
    folder.mkdir(parents=True)
    (folder / "management-review.md").write_text(source, encoding="utf-8")
    return config


def test_cli_report_with_a_runaway_template_stops_with_a_message(
    data_dir: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(user_templates(tmp_path, NESTED))}

    def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reviewer_tui", "--data-dir", str(data_dir), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
            env=env,
        )

    rid = run("import", str(SAMPLE)).stdout.strip()
    out = tmp_path / "report.docx"
    started = time.perf_counter()
    result = run(
        "report", rid, "--document", "management-review", "-o", str(out), timeout=LIMIT + 30
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "management-review.md" in result.stderr and "line 5" in result.stderr
    assert "was stopped" in result.stderr
    assert not out.exists()
    assert time.perf_counter() - started < LIMIT + 15  # start-up and import included


async def test_report_screen_shows_the_runaway_template_and_line(
    folder: Any, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Select, Static

    from reviewer_tui.screens.reports import ReportScreen

    config = user_templates(tmp_path, NESTED)
    monkeypatch.setattr(
        engine, "user_template_dir", lambda: config / "reviewer-tui" / "report_templates"
    )
    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        app.push_screen(ReportScreen(rid))
        await pilot.pause()
        # the screen opens on the kind's first document: this test's template is the report's
        app.screen.query_one("#document", Select).value = "management-review"
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("f5")
        await wait_until(
            pilot,
            lambda: (
                "management-review.md"
                in str(app.screen.query_one("#report-status", Static).render())
            ),
            timeout=LIMIT + 60,  # the child process starts first: slow on a loaded machine
        )
        status = str(app.screen.query_one("#report-status", Static).render())
        assert "management-review.md" in status and "line 5" in status, status
        assert "was stopped" in status
        assert time.perf_counter() - started < LIMIT + 60


async def test_report_screen_shows_a_template_error_as_plain_text(
    folder: Any, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Select, Static

    from reviewer_tui.screens.reports import ReportScreen

    config = user_templates(tmp_path, "Title\n{% set d = {} %}{{ d['[/]'] }}\n")
    monkeypatch.setattr(
        engine, "user_template_dir", lambda: config / "reviewer-tui" / "report_templates"
    )
    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(140, 50)) as pilot:
        app.push_screen(ReportScreen(rid))
        await pilot.pause()
        # the screen opens on the kind's first document: this test's template is the report's
        app.screen.query_one("#document", Select).value = "management-review"
        await pilot.pause()
        await pilot.press("f5")  # worked out in a child process: its answer comes later
        await wait_until(
            pilot,
            lambda: "failed" in str(app.screen.query_one("#report-status", Static).render()),
            60,
        )
        status = str(app.screen.query_one("#report-status", Static).render())
        assert "failed on line 2" in status and "'[/]'" in status, status
