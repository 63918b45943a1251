"""When Python's cycle collector walks the whole heap: the one place that decides.

Python starts a full collection when its allocation counts say so, and a full pass walks every
live object: with the large review loaded, 50-130 ms, landing in the middle of whatever the
reviewer did at that moment (an Enter in the chronology took 190 ms instead of 90). The app
takes that moment over. Young objects are still collected automatically (a few ms each); full
passes run when the reviewer has paused (no key or click for `IDLE_AFTER` seconds), and at the
latest every `AT_MOST_EVERY` seconds of nonstop use, so memory stays bounded either way.

Also here: collection off while thousands of objects are made at once (`paused`), and for the
start of the app until its first frame (`pause_for_start`, then `take_over`, which keeps what
the start made, alive as long as the process, out of every pass).

Nothing else freezes objects: a screen's objects, kept out of passes, would never be freed after
the screen closed.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

IDLE_AFTER = 2.0  # seconds without a key or a click: the reviewer has paused
AT_MOST_EVERY = 300.0  # seconds: a full pass runs then even while keys keep coming
AT_LEAST_APART = 10.0  # seconds between passes while idle (an idle app still allocates a little)
NEVER = 1 << 30  # a threshold the collector's own count never reaches


@contextmanager
def paused() -> Iterator[None]:
    """No collection while thousands of small objects are made at once (none of them a cycle):
    the collector would otherwise walk them several times while they are made."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def pause_for_start() -> None:
    """No collection until the app's first frame (`Collector.take_over` turns it on again):
    each pass walks every object the imports made, a fifth of the start."""
    gc.disable()


def resume_after_start() -> None:
    """The start did not reach a first frame (the command ended, the file was refused)."""
    gc.enable()


class Collector:
    """The app's full collections: `take_over` as the first frame is painted, `input_seen` on
    every key and click, `tick` every second or so, `hand_back` as the app ends."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()
        self._last_full = clock()
        self._thresholds: tuple[int, int, int] | None = None  # Python's own, while taken over

    def take_over(self) -> None:
        """Automatic full passes off, young collections on. When the start ran with collection
        off (`pause_for_start`), what it made (modules, classes: alive as long as the process)
        is kept out of every pass first."""
        if not gc.isenabled():
            gc.freeze()
        if self._thresholds is None:
            young, middle, full = gc.get_threshold()
            self._thresholds = (young, middle, full)
            gc.set_threshold(young, middle, NEVER)
        gc.enable()
        self._last_full = self._clock()

    def hand_back(self) -> None:
        """Python decides again (the process goes on after the app: a test run, a command)."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def input_seen(self) -> None:
        self._last_input = self._clock()

    def tick(self) -> bool:
        """Run a full pass if it is time: the reviewer has paused and something has reached the
        oldest generation since the last pass, or the longest wait is over. True if it ran."""
        if self._thresholds is None:
            return False
        now = self._clock()
        idle = now - self._last_input >= IDLE_AFTER
        waiting = now - self._last_full
        grown = gc.get_count()[2] > 0  # young collections since the last full pass
        if waiting < AT_MOST_EVERY and not (idle and grown and waiting >= AT_LEAST_APART):
            return False
        gc.collect()
        self._last_full = self._clock()
        return True
