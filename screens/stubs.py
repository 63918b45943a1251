"""Long lists built as they come into view (issue 14): the one way a list of boxes that can be
long (recommendations, findings, the rows of a `forms.RowList`) shows a box it has not built yet.

A box is a few dozen widgets (a frame, a label, an editor and a counter per field, buttons),
each styled and laid out before the first frame: a large review's sixty recommendations were
about 5,000 widgets. A long list builds its first few boxes with the screen and shows each later
one as a `Stub`, one widget holding the record's text, until it scrolls into view (or, once the
list has scrolled, to within a screen below it) or takes the focus (Tab reaches it as it would
the box's first field). The box is then built from the record as stored at that moment, never
from the copy read when the list was drawn (a restore from the history, or another screen, may
have changed it since).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.content import Content
from textual.css.query import NoMatches
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from reviewer_tui.screens.base import container_of

# A list of up to WHOLE_LIST boxes (recommendations, findings, the rows of a RowList) is built
# whole with its screen; in a longer one only the first box is, and each later one is a stub until
# it is wanted. Below a longer list, a screen's later sections are stubs too (the meeting's parts
# below the people present, the terms of reference's groups below the organisations).
WHOLE_LIST = 6
# Past its first RUN_AFTER stubs a long list is one StubRun, until the list scrolls near it. Four
# stubs (three to seven lines each) reach well below a first box that fills the view; each stub
# more is a widget styled and laid out as the screen opens, out of sight (twelve were a fifth of
# opening a large review's recommendations).
RUN_AFTER = 4
LOOK_AGAIN = 0.05  # seconds: see RevealsStubs._stubs_moved

if TYPE_CHECKING:
    _Host = Widget
else:
    _Host = object  # at run time a plain mixin: the host's CSS and MRO are unchanged


class Stub(Static):
    """A box of a long list not built yet: the record's text in the place and frame of its box.
    `table` and `row_id` name the record it stands for (as the search index does)."""

    can_focus = True
    DEFAULT_CSS = "Stub { height: auto; }"
    # Once its list has scrolled, built a screen ahead of the view (scrolling on finds the box
    # there), not only in it.
    ahead = True

    class Wanted(Message):
        """The stub is in view or focused: build its box (focused, when the stub was)."""

        def __init__(self, stub: Stub, focus: bool) -> None:
            super().__init__()
            self.stub = stub
            self.focus = focus

    def __init__(
        self, text: Content | str, model: Any, row_id: int, classes: str, id: str | None = None
    ) -> None:
        super().__init__(text, classes=classes, id=id)
        self.table = str(model.__tablename__)  # the search index's name for the record's table
        self.row_id = row_id
        self.building = False  # its box is being mounted
        self.focus_box = False  # the box takes the focus once mounted
        self.in_view = False  # asked for as it came into view (want_those_in_view)
        self.box: Widget | None = None  # what it became

    def on_focus(self) -> None:
        self.post_message(self.Wanted(self, True))

    def stands_for(self, table: str, row_id: int) -> bool:
        """Whether the box this stub becomes edits row `row_id` of `table` (a search hit there
        asks for it)."""
        return (self.table, self.row_id) == (table, row_id)


class SectionStub(Stub):
    """A whole section below a long list (a form, a list of points), not built yet: its title in
    its place, built like a box as it comes into view or takes the focus (not a screen ahead: a
    section is tens of widgets, reached on purpose, and the first screenful of a screen whose
    lists are short would otherwise build every section below them). `build` makes the
    section from the record as stored then; `model` and `row_id` name that record, as search
    finds it. A section that lists rows of its own (the family members, a recommendation's
    progress notes) says which in `holds(table, row_id)`: a search hit on one builds it too."""

    def __init__(
        self,
        title: str,
        model: Any,
        row_id: int,
        build: Callable[[], Widget],
        id: str,
        holds: Callable[[str, int], bool] | None = None,
    ) -> None:
        super().__init__(
            Content(f"{title}: scroll to it or Tab to it to edit."),
            model,
            row_id,
            classes="subgroup section stub",
            id=id,
        )
        self.build = build
        self.holds = holds

    ahead = False

    def stands_for(self, table: str, row_id: int) -> bool:
        held = self.holds is not None and self.holds(table, row_id)
        return held or super().stands_for(table, row_id)


class StubRun(Stub):
    """The stubs of a long list past its first RUN_AFTER, as one widget: a line saying which
    records it holds, in a stub's frame. Each stub is a widget to style and lay out as the
    screen opens (the 47 past the first twelve were a third of opening a large review's
    recommendations), for records a screen or more below the view. Once the list has scrolled
    to within a screen of it, or it takes the focus, or a search asks for one of its records,
    it becomes the stubs of its next RUN_AFTER records (and a run of the rest), which then
    build their boxes as any stub does. It stands at the end of its list: whatever adds to the
    list makes it whole first (`make_whole`)."""

    def __init__(
        self,
        noun: str,
        records: list[Any],
        make_stub: Callable[[Any], Stub],
        model: Any,
        row_ids: list[int],
        first_number: int,
    ) -> None:
        super().__init__("", model, row_ids[0], classes="subgroup stub stub-run")
        self.noun = noun
        self.model = model
        self.records = records
        self.make_stub = make_stub
        self.row_ids = row_ids
        self.number_from(first_number)

    def number_from(self, first: int) -> None:
        """Say which records it holds, numbered by their places from `first`."""
        last = first + len(self.records) - 1
        self.update(
            Content(f"{self.noun} {first} to {last}: scroll on, or Tab here, to see and edit them.")
        )
        self.first_number = first

    def stands_for(self, table: str, row_id: int) -> bool:
        return table == self.table and row_id in self.row_ids

    def hold_as_now(self, now: Callable[[int], Any | None], first_number: int) -> None:
        """Its records as they are now (`now` of a row id; None when deleted since), numbered
        from `first_number`."""
        kept = [(row_id, now(row_id)) for row_id in self.row_ids]
        self.row_ids = [row_id for row_id, record in kept if record is not None]
        self.records = [record for _, record in kept if record is not None]
        if self.records:
            self.number_from(first_number)
        else:
            self.remove()

    async def become_stubs(self, focus: bool, every: bool = False) -> None:
        """Its next RUN_AFTER stubs (all of them, `every`) and a run of the rest in its place;
        the first stub takes the focus when `focus` (and builds its box)."""
        if self.building or not self.is_attached:
            return
        self.building = True
        now = len(self.records) if every else RUN_AFTER
        stubs: list[Stub] = [self.make_stub(record) for record in self.records[:now]]
        if self.records[now:]:
            stubs.append(
                StubRun(
                    self.noun,
                    self.records[now:],
                    self.make_stub,
                    self.model,
                    self.row_ids[now:],
                    self.first_number + now,
                )
            )
        await container_of(self).mount_all(stubs, after=self)
        if self.has_focus:
            self.screen.set_focus(None)  # passed on by the removal, it would go to a stub
        await self.remove()
        if focus:
            stubs[0].focus()


def stubs_and_run(
    noun: str,
    records: list[Any],
    make_stub: Callable[[Any], Stub],
    model: Any,
    row_id: Callable[[Any], int],
    first_number: int,
) -> list[Stub]:
    """A stub for each of the first RUN_AFTER `records` (numbered from `first_number`) and one
    StubRun for the rest."""
    stubs = [make_stub(record) for record in records[:RUN_AFTER]]
    rest = records[RUN_AFTER:]
    if rest:
        ids = [row_id(record) for record in rest]
        stubs.append(StubRun(noun, rest, make_stub, model, ids, first_number + RUN_AFTER))
    return stubs


async def make_whole(container: Widget) -> None:
    """Every run of stubs in `container` made its stubs: before a record is added at the end of
    its list, so the stubs stay in the records' order."""
    for run in list(container.query(StubRun).results(StubRun)):
        await run.become_stubs(focus=False, every=True)


def want_those_in_view(stubs: Iterable[Stub], view: Region, look_ahead: bool = True) -> None:
    """Ask every stub on screen, or (a box's, when `look_ahead`) within a screen below it, for
    its box (what is above the view stays as it is, so what is seen does not move)."""
    ahead = view.grow((0, 0, view.height, 0))
    for stub in stubs:
        region = stub.region
        wanted_in = ahead if stub.ahead and look_ahead else view
        if not stub.building and region.height and region.overlaps(wanted_in):
            stub.in_view = True
            stub.post_message(Stub.Wanted(stub, False))


class RevealsStubs(_Host):
    """Mixin for the screen (or widget) that holds a long list's stubs: it watches what scrolls
    the list and, once the screen is laid out where it now is (on mount, after each scroll, after
    a resize), asks every stub in view, or within a screen below it, for its box. The one copy of
    that watch: a host says which stubs are its own (`stubs_to_reveal`) and what scrolls them
    (`stub_scroller`); its `on_stub_wanted` builds the box with `replace_stub`.

    Boxes a screen below the view are built only once the list has scrolled: as the screen
    opens, only what is seen is built (the boxes below it were a third of opening the terms of
    reference of a large review, four more layouts of the whole screen, before any was seen).

    Its handlers are Textual's, found along the host's MRO: put it last among the host's bases,
    and the host's own `on_mount` and `on_resize` (and its bases') run as well, without
    calling these."""

    _stubs_scrolled = False  # the list has scrolled since it opened: build a screen ahead

    def stubs_to_reveal(self) -> Iterable[Stub]:
        """The stubs this host builds (not those of a list inside it that builds its own)."""
        return self.query(Stub).results(Stub)

    def stub_scroller(self) -> Widget | None:
        """What scrolls the stubs: None for the screen itself."""
        return None

    async def on_stub_wanted(self, event: Stub.Wanted) -> None:
        """A section's stub is built here, and a run of stubs becomes its stubs; a box's stub is
        built by the host's own handler."""
        stub = event.stub
        if isinstance(stub, StubRun) and stub in self.stubs_to_reveal():
            event.stop()
            await stub.become_stubs(event.focus)
            return
        if not isinstance(stub, SectionStub) or stub not in self.stubs_to_reveal():
            return
        from reviewer_tui.screens.forms import focus_first

        try:
            scroller = self.stub_scroller()
        except NoMatches:  # taken apart as the screen closes
            return
        await replace_stub(event, stub.build, scroller, focus_first)

    def on_mount(self) -> None:
        if not any(self.stubs_to_reveal()):
            return  # a short list, built whole: nothing to watch
        scroller = self.stub_scroller()
        if scroller is not None:
            self.watch(scroller, "scroll_y", self._stubs_scrolled_to, init=False)
            # What it scrolls grew or shrank (a box built, its editor opened): stubs may have
            # come into view with nothing scrolled.
            self.watch(scroller, "virtual_size", self._stubs_moved, init=False)
        self._stubs_moved()

    def _stubs_scrolled_to(self, *_: Any) -> None:
        self._stubs_scrolled = True
        self._stubs_moved()

    def on_resize(self, event: events.Resize) -> None:
        self._stubs_moved()

    def _stubs_moved(self, *_: Any) -> None:
        """Once the screen is laid out again where it now is, build what came into view. Looked
        at again a moment later: a scroll is laid out on the screen's next update, which can
        come after the refresh (the stubs' places were then those before the scroll)."""
        if self.is_attached and any(self.stubs_to_reveal()):
            self.call_after_refresh(self._reveal_in_view)
            self.set_timer(LOOK_AGAIN, self._reveal_in_view)

    def _reveal_in_view(self) -> None:
        if not self.is_attached:
            return  # closed meanwhile
        try:
            scroller = self.stub_scroller()
        except NoMatches:  # taken apart as the screen closes
            return
        view = scroller.region if scroller is not None else self.screen.region
        want_those_in_view(self.stubs_to_reveal(), view, look_ahead=self._stubs_scrolled)


async def replace_stubs_in_view(
    event: Stub.Wanted,
    build: Callable[[Stub], Widget | None],
    scroller: Widget | None,
    focus: Callable[[Widget], object],
) -> None:
    """`replace_stub` for every stub of the same container that came into view with the one
    `event` asks for: their boxes are mounted together and the stubs removed together, so the
    screen is laid out once for them all, not once a box (a long list's first screenful was a
    chain of layouts, each of the whole screen). A stub that was above the view (the view then
    moves by what its box grew), or asked for by the focus, is replaced on its own."""
    stub = event.stub
    if stub.building or not stub.is_attached:  # asked again: replace_stub says what that does
        await replace_stub(event, lambda: build(stub), scroller, focus)
        return
    container = container_of(stub)
    top = scroller.region.y if scroller is not None else None

    def alone(other: Stub) -> bool:
        return other.focus_box or other.has_focus or (top is not None and other.region.y < top)

    together = [
        other
        for other in container.query_children(Stub).results(Stub)
        if type(other) is type(stub)  # a box's stub like it (a run of them becomes stubs)
        and (other is stub or other.in_view)
        and not other.building
        and other.is_attached
        and not alone(other)
    ]
    if event.focus or stub not in together or len(together) == 1:
        await replace_stub(event, lambda: build(stub), scroller, focus)
        return
    event.stop()
    mounts: list[Awaitable[None]] = []
    boxes: list[tuple[Stub, Widget]] = []
    for other in together:
        other.building = True
        box = build(other)
        if box is not None:
            other.box = box
            mounts.append(container.mount(box, after=other))
            boxes.append((other, box))
    for mounted in mounts:
        await mounted
    await container.remove_children(together)
    # a stub focused while its box was on the way (Tab, or the reviewer's click): the box takes
    # the focus, as replace_stub does
    for other, box in boxes:
        if other.focus_box and box.is_attached:
            focus(box)


async def replace_stub(
    event: Stub.Wanted,
    build: Callable[[], Widget | None],
    scroller: Widget | None,
    focus: Callable[[Widget], object],
    after: Callable[[], Awaitable[None] | None] = lambda: None,
) -> Widget | None:
    """Put the box `build` makes (from the record as stored now; None when the record was
    deleted meanwhile, and the stub just goes) in the place of the stub `event` asks for. When
    the stub's top was above the view, the view moves by what the box grew, so what is seen
    stays put; `focus` is given the box when the stub was focused; `after` runs once the box is
    in place (a renumbering). A second message for the same stub does nothing."""
    event.stop()
    stub = event.stub
    stub.focus_box = stub.focus_box or event.focus
    if stub.building or not stub.is_attached:
        if event.focus and not stub.is_attached and stub.box is not None and stub.box.is_attached:
            focus(stub.box)  # built with others meanwhile (replace_stubs_in_view): focus it now
        return None
    stub.building = True
    box = build()
    stub.box = box
    if box is None:
        await stub.remove()
        return None
    above = scroller is not None and stub.region.y < scroller.region.y
    stub_height = stub.outer_size.height
    # The field the reviewer is in, seen below this stub: it stays seen as the box grows above
    # it (Tab to a section below a list, and the boxes in view above it are built meanwhile).
    focused = stub.screen.focused
    keep_seen = (
        focused is not None
        and not above
        and scroller is not None
        and focused.region.overlaps(scroller.region)
        and focused.region.y > stub.region.y
    )
    await container_of(stub).mount(box, after=stub)
    if stub.has_focus:
        # Removed with the focus, the stub would pass it to the widget beside it: another stub,
        # which then built its own box and took the focus there (Tab to the last recommendation
        # built the one before it as well, and the boxes were numbered while both were there).
        # The box takes the focus below.
        stub.screen.set_focus(None)
    await stub.remove()
    waited = after()
    if waited is not None:
        await waited
    if above and scroller is not None:

        def keep_in_place() -> None:
            grown = box.outer_size.height - stub_height
            scroller.scroll_to(y=scroller.scroll_y + grown, animate=False, immediate=True)

        box.call_after_refresh(keep_in_place)
    elif keep_seen and focused is not None:
        seen = focused

        def keep_focus_seen() -> None:
            if seen.is_attached:
                seen.scroll_visible(animate=False, immediate=True)

        box.call_after_refresh(keep_focus_seen)
    if stub.focus_box and box.is_attached:
        focus(box)
    return box
