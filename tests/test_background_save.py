"""The writer thread behind the notes screen: every change committed in order, the newest text
when it falls behind, errors reported (never swallowed), and nothing left unwritten on close."""

from __future__ import annotations

import threading

from reviewer_tui.background_save import BackgroundSaver


def test_commits_newest_and_reports_each_result() -> None:
    written: list[str] = []
    results: list[tuple[int, object]] = []
    gate = threading.Event()

    def save(text: str) -> None:
        gate.wait(5)
        written.append(text)

    saver = BackgroundSaver(save, lambda rev, err: results.append((rev, err)))
    saver.submit(1, "a")
    for rev, text in ((2, "ab"), (3, "abc")):  # queued while the first is being written
        saver.submit(rev, text)
    gate.set()
    assert saver.wait_idle(5)
    assert written[-1] == "abc" and saver.committed == 3
    assert results[-1] == (3, None)
    assert saver.close()


def test_failure_is_reported_and_the_next_change_retries() -> None:
    fail = {"on": True}
    results: list[tuple[int, object]] = []
    written: list[str] = []

    def save(text: str) -> None:
        if fail["on"]:
            raise OSError(28, "No space left on device")
        written.append(text)

    saver = BackgroundSaver(save, lambda rev, err: results.append((rev, err)))
    saver.submit(1, "x")
    assert saver.wait_idle(5)
    assert isinstance(results[-1][1], OSError) and saver.committed == 0
    fail["on"] = False
    saver.submit(2, "xy")
    assert saver.wait_idle(5)
    assert written == ["xy"] and saver.committed == 2


def test_close_writes_what_is_waiting() -> None:
    written: list[str] = []
    saver = BackgroundSaver(written.append, lambda rev, err: None)
    saver.submit(1, "last words")
    assert saver.close()
    assert written == ["last words"]
