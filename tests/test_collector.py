"""Full garbage collections run when the reviewer pauses, not in the middle of a key
(reviewer_tui/collector.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from reviewer_tui import collector
from reviewer_tui.storage import DataFolder
from tests.conftest import make_app, wait_until


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def full_passes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every full collection the collector asks for (not run: the test's heap is its own)."""
    asked: list[int] = []
    monkeypatch.setattr(collector.gc, "collect", lambda generation=2: asked.append(generation))
    yield asked


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[collector.Collector, Clock]]:
    clock = Clock()
    owner = collector.Collector(clock)
    before = gc.get_threshold()
    owner.take_over()
    # as if a young collection had promoted something to the oldest generation since
    monkeypatch.setattr(collector.gc, "get_count", lambda: (0, 0, 1))
    try:
        yield owner, clock
    finally:
        owner.hand_back()
        assert gc.get_threshold() == before


def test_no_full_pass_while_keys_keep_coming_until_the_longest_wait(
    taken: tuple[collector.Collector, Clock], full_passes: list[int]
) -> None:
    owner, clock = taken
    assert gc.get_threshold()[2] == collector.NEVER  # Python's own full passes are off
    while clock.now < 1000.0 + collector.AT_MOST_EVERY - 1:
        clock.now += 0.5
        owner.input_seen()  # a key every half second
        assert not owner.tick()
    assert full_passes == []
    clock.now += 1
    assert owner.tick()  # five minutes of nonstop typing: memory stays bounded
    assert full_passes == [2]


def test_a_pause_brings_one_full_pass_then_none_until_something_new(
    taken: tuple[collector.Collector, Clock],
    full_passes: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner, clock = taken
    clock.now += collector.AT_LEAST_APART
    owner.input_seen()
    clock.now += collector.IDLE_AFTER / 2
    assert not owner.tick()  # half a pause is not a pause
    clock.now += collector.IDLE_AFTER
    assert owner.tick()
    assert full_passes == [2]
    monkeypatch.setattr(collector.gc, "get_count", lambda: (0, 0, 0))  # nothing new since
    clock.now += collector.AT_LEAST_APART * 3
    assert not owner.tick()
    assert full_passes == [2]


def test_nothing_runs_before_the_app_takes_over_or_after_it_hands_back(
    full_passes: list[int],
) -> None:
    clock = Clock()
    owner = collector.Collector(clock)
    clock.now += collector.AT_MOST_EVERY * 2
    assert not owner.tick()
    owner.take_over()
    owner.hand_back()
    clock.now += collector.AT_MOST_EVERY * 2
    assert not owner.tick()
    assert full_passes == []


def test_paused_turns_collection_back_on_only_if_it_was_on() -> None:
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_the_app_runs_a_full_pass_once_the_reviewer_pauses_and_not_while_typing(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the real app: keys every few hundredths of a second bring no full pass; stop typing
    and one comes (the pause and the spacing shortened for the test)."""
    monkeypatch.setattr(collector, "IDLE_AFTER", 0.6)
    monkeypatch.setattr(collector, "AT_LEAST_APART", 0.0)
    full: list[float] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: gc.get_threshold()[2] == collector.NEVER)
        gc.callbacks.append(seen)
        try:
            for _ in range(40):  # two and a half seconds of keys, each 1/16 s apart
                await pilot.press("down")
                await pilot.pause(1 / 16)
            assert full == [], "a full pass ran while keys kept coming"
            gc.collect(1)  # something reaches the oldest generation
            await wait_until(pilot, lambda: full, timeout=5, what="a full pass in the pause")
        finally:
            gc.callbacks.remove(seen)
