"""Screen keys never edit text (issue "Trust", item 2).

A focused text widget's own bindings win over its screen's, so a screen key that Input or
TextArea also binds never reaches the screen: F6 selected the line of a meeting note and the next
key replaced it; ctrl+k deleted to the end of the line on the escalations screen.

Every screen of the app is opened with a filled text field focused, and every key bound by the
screen, the app and any widget between them is pressed. The keys come from the live binding
maps, so a binding added tomorrow is pressed tomorrow; a screen added tomorrow fails
`test_every_screen_is_checked` until it is listed here.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key
from textual.screen import Screen
from textual.widgets import Input, TextArea

from reviewer_tui import bundle
from reviewer_tui import models as m
from reviewer_tui.actions import add_escalation
from reviewer_tui.cli import open_folder
from reviewer_tui.reports import returned
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from reviewer_tui.storage import DataFolder
from tests.conftest import SAMPLE, eventually, make_app, wait_until

LINE = "Known words ✓ stay 42"
AREA = "First line of the note.\nSecond line ✓ keeps every word.\nThird line too."
LINE_CURSOR = 6  # inside a word: ctrl+k, ctrl+u, ctrl+w and ctrl+d all change something here
AREA_CURSOR = (1, 7)  # inside the middle line: F6 selects it, ctrl+k cuts its end
LEAVE_ACTIONS = {"quit"}  # pressed last, once: the app ends, the text must be stored
# Keys whose whole purpose is to add to the note being typed (the time, on the notes screen):
# they may add, never remove or replace a character.
INSERTING_ACTIONS = {"insert_time"}
# Keys whose purpose is to empty a filter (not stored, not the reviewer's writing).
CLEARING_FILTER_ACTIONS = {"clear_filters", "clear_search_or_leave"}
# Esc on quick entry closes it and drops an entry not yet added with Enter, by design: it warns
# once first when an event has been typed.
DISCARDING = {("QuickEntryScreen", "close")}


def _character(key: str) -> str | None:
    """The character a key types, as Textual's own key presses make it (None for F-keys etc.)."""
    try:
        return unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        return key if len(key) == 1 else None


@dataclass
class Sample:
    review_id: int
    interview_id: int
    person_id: int
    entry_id: int
    draft_id: int


def _sample(store: Store) -> Sample:
    rid = bundle.import_file(store, SAMPLE)
    if not store.rows(m.Escalation, rid):
        add_escalation(store, rid, "safeguarding concern", "2025-01-01 09:30", "Sample concern")
    interview = store.rows(m.Interview, rid)[0]
    # a signed record asks for a reason before its text changes (tests/test_history_screens.py)
    store.update(
        m.Interview, interview.id, signed_by_interviewee=False, signed_by_interviewer=False
    )
    store.update(m.Interview, interview.id, agreed_on=None)
    draft = store.add_row(m.ReportDraft, rid, version="0.1", document="management-review")
    return Sample(
        rid, interview.id, interview.person_id, store.rows(m.ChronologyEntry, rid)[0].id, draft.id
    )


@pytest.fixture(scope="module")
def sample_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Sample]:
    """The sample review made ready once for the module (a bundle import and its extra rows cost
    about half a second); each test works on its own copy (`prepared`)."""
    folder = open_folder(tmp_path_factory.mktemp("keys-sample") / "data")
    try:
        sample = _sample(Store(folder))
    finally:
        folder.close()
    return folder.db_path, sample


@pytest.fixture
def prepared(
    sample_database: tuple[Path, Sample], data_dir: Path
) -> Iterator[tuple[DataFolder, Store, Sample]]:
    """A data folder of the test's own holding a copy of the prepared sample review (copied
    through SQLite's backup API, as a restore copies), opened as the app opens it."""
    source_path, sample = sample_database
    data_dir.mkdir(mode=0o700)
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(data_dir / source_path.name)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    folder = open_folder(data_dir)
    yield folder, Store(folder), sample
    folder.close()


SAMPLE_OPEN_ITEM = returned.OpenItem(
    1,
    "0.2",
    "management-review",
    "Owen Pritchard [TM]",
    "comment",
    "Owen Pritchard",
    "4.3. Ways in which practice can be improved",
    'Comment on "face to face": "[b]When?[/b]"',
    "analysis",
)


def _opened_pack(store: Store, sample: Sample) -> int:
    """An interview held from a note-taker pack (as on the note taker's laptop)."""
    from reviewer_tui import packs

    pack = packs.build_pack(store, sample.interview_id)
    path = Path.home() / f"pack-{pack['pack_id']}.json"  # the test's own home
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(pack), encoding="utf-8")
    return packs.open_pack(store, path)


def _conflict(store: Store, sample: Sample) -> int:
    """The sample interview with a note taker's change to settle."""
    with store.session() as session:
        session.add(
            m.InterviewVersion(
                interview_id=sample.interview_id,
                source="the note taker's pack p.json",
                data={"theirs": {"notes": "The note taker's words."}},
            )
        )
        session.commit()
    return sample.interview_id


def _factories() -> dict[str, Callable[[Any, Sample], Screen[Any]]]:
    from reviewer_tui.findings import candidates
    from reviewer_tui.screens.actions import EscalationsScreen, LinkDialog, RecommendationsScreen
    from reviewer_tui.screens.chronology import (
        AgencyCodesScreen,
        ChronologyScreen,
        EntryScreen,
        QuickEntryScreen,
    )
    from reviewer_tui.screens.chronology_import import ChronologyImportScreen
    from reviewer_tui.screens.commissioning import CommissioningScreen
    from reviewer_tui.screens.dialogs import ConfirmDelete, NewReviewDialog, TextPrompt
    from reviewer_tui.screens.family import FamilyScreen
    from reviewer_tui.screens.findings import AnalysisScreen, EvidenceDialog
    from reviewer_tui.screens.help import HelpScreen
    from reviewer_tui.screens.history import HistoryScreen
    from reviewer_tui.screens.interviews import InterviewScreen, InterviewsStageScreen
    from reviewer_tui.screens.meeting import MeetingScreen
    from reviewer_tui.screens.notes import NotesScreen
    from reviewer_tui.screens.packs import ConflictScreen, PackScreen
    from reviewer_tui.screens.people import PersonScreen
    from reviewer_tui.screens.readiness import DelayDialog, QualityScreen, TimescalesScreen
    from reviewer_tui.screens.records import RecordsScreen
    from reviewer_tui.screens.reports import DraftScreen, PublicationScreen, ReportScreen
    from reviewer_tui.screens.returned import ResolveDialog, ReturnedDraftsScreen
    from reviewer_tui.screens.review_list import ReviewListScreen
    from reviewer_tui.screens.search import SearchScreen
    from reviewer_tui.screens.summary import ExecutiveSummaryScreen
    from reviewer_tui.screens.terms import TermsOfReferenceScreen
    from reviewer_tui.screens.unsaved import RecoveryScreen, UnsavedDialog
    from reviewer_tui.screens.workspace import WorkspaceScreen

    return {
        "ReviewListScreen": lambda app, s: ReviewListScreen(),
        "WorkspaceScreen": lambda app, s: WorkspaceScreen(s.review_id),
        "CommissioningScreen": lambda app, s: CommissioningScreen(s.review_id),
        "TermsOfReferenceScreen": lambda app, s: TermsOfReferenceScreen(s.review_id),
        "RecordsScreen": lambda app, s: RecordsScreen(s.review_id),
        "ChronologyScreen": lambda app, s: ChronologyScreen(s.review_id),
        "QuickEntryScreen": lambda app, s: QuickEntryScreen(s.review_id),
        "EntryScreen": lambda app, s: EntryScreen(s.entry_id),
        "AgencyCodesScreen": lambda app, s: AgencyCodesScreen(s.review_id),
        "ChronologyImportScreen": lambda app, s: ChronologyImportScreen(s.review_id),
        "InterviewsStageScreen": lambda app, s: InterviewsStageScreen(s.review_id),
        "InterviewScreen": lambda app, s: InterviewScreen(s.interview_id),
        "NotesScreen": lambda app, s: NotesScreen(s.interview_id),
        "PackScreen": lambda app, s: PackScreen(_opened_pack(app.store, s)),
        "ConflictScreen": lambda app, s: ConflictScreen(_conflict(app.store, s)),
        "PersonScreen": lambda app, s: PersonScreen(s.person_id),
        "MeetingScreen": lambda app, s: MeetingScreen(s.review_id),
        "AnalysisScreen": lambda app, s: AnalysisScreen(s.review_id),
        "EvidenceDialog": lambda app, s: EvidenceDialog(candidates(app.store, s.review_id), []),
        "RecommendationsScreen": lambda app, s: RecommendationsScreen(s.review_id),
        "LinkDialog": lambda app, s: LinkDialog("Link", [("One finding", 1)], [], "Nothing yet"),
        "EscalationsScreen": lambda app, s: EscalationsScreen(s.review_id),
        "FamilyScreen": lambda app, s: FamilyScreen(s.review_id),
        "ReportScreen": lambda app, s: ReportScreen(s.review_id),
        "PublicationScreen": lambda app, s: PublicationScreen(s.review_id),
        "SearchScreen": lambda app, s: SearchScreen(s.review_id, "Tyler"),
        "DraftScreen": lambda app, s: DraftScreen(s.draft_id),
        "ReturnedDraftsScreen": lambda app, s: ReturnedDraftsScreen(s.review_id),
        "ResolveDialog": lambda app, s: ResolveDialog(SAMPLE_OPEN_ITEM),
        "ExecutiveSummaryScreen": lambda app, s: ExecutiveSummaryScreen(s.review_id),
        "NewReviewDialog": lambda app, s: NewReviewDialog(),
        "TextPrompt": lambda app, s: TextPrompt("Rename review", "New title", "Old title"),
        "ConfirmDelete": lambda app, s: ConfirmDelete("A review"),
        "HelpScreen": lambda app, s: HelpScreen(app.screen),
        "HistoryScreen": lambda app, s: HistoryScreen(s.review_id),
        # Buttons only: what is NOT SAVED, and copies kept from last time (no text to type in).
        "UnsavedDialog": lambda app, s: UnsavedDialog([]),
        "RecoveryScreen": lambda app, s: RecoveryScreen([]),
        "QualityScreen": lambda app, s: QualityScreen(s.review_id),
        "TimescalesScreen": lambda app, s: TimescalesScreen(s.review_id),
        "DelayDialog": lambda app, s: DelayDialog(s.review_id, _first_timescale(app, s)),
    }


def _first_timescale(app: Any, s: Sample) -> Any:
    from reviewer_tui import timescales

    return timescales.timescales_now(app.folder, s.review_id, app.today())[0]


# Screens with nothing to type in: their letter keys are safe. Checked, not assumed.
WITHOUT_TEXT = {
    "ReviewListScreen",
    "WorkspaceScreen",
    "EvidenceDialog",
    "LinkDialog",
    "HelpScreen",
    "HistoryScreen",
    "UnsavedDialog",
    "RecoveryScreen",
    "ConflictScreen",
    "QualityScreen",
}
BASES = {"NarrowAware", "ReviewScreen", "ReviewModal"}  # not screens of their own


def _screen_classes() -> set[str]:
    import reviewer_tui.screens as package

    found = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"reviewer_tui.screens.{info.name}")
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, Screen)
                and obj.__module__ == module.__name__
            ):
                found.add(name)
    return found - BASES


def test_every_screen_is_checked() -> None:
    assert _screen_classes() == set(_factories())


# --- what is stored -------------------------------------------------------------------------
def _stored(folder: DataFolder, text: str) -> bool:
    """Whether any text column of any table holds `text` exactly (plain or inside JSON)."""
    forms = {text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}
    conn = folder.connect()
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                for form in forms:
                    if conn.execute(
                        f'SELECT 1 FROM "{table}" WHERE instr(CAST("{column}" AS TEXT), ?) > 0 '
                        "LIMIT 1",
                        (form,),
                    ).fetchone():
                        return True
    finally:
        conn.close()
    return False


# --- the field under test -------------------------------------------------------------------
def _fields(screen: Screen[Any]) -> list[Input | TextArea]:
    from reviewer_tui.screens.forms import FieldEditor

    for face in screen.query(FieldEditor).results(FieldEditor):
        if not face.built and face.region.area:
            face.editor()  # a form field in view is its face until wanted: its editor, built
    return [
        w
        for w in screen.query("Input, TextArea")
        if isinstance(w, (Input, TextArea))
        and w.focusable
        and not getattr(w, "read_only", False)
        and w.region.area
    ]


def _known(field: Input | TextArea) -> str:
    return AREA if isinstance(field, TextArea) else LINE


def _typed(field: Input | TextArea, character: str) -> str:
    """The field's text after `character` is typed at the cursor the test put there."""
    if isinstance(field, TextArea):
        lines = AREA.split("\n")
        row, column = AREA_CURSOR
        lines[row] = lines[row][:column] + character + lines[row][column:]
        return "\n".join(lines)
    return LINE[:LINE_CURSOR] + character + LINE[LINE_CURSOR:]


def _text(field: Input | TextArea) -> str:
    return field.text if isinstance(field, TextArea) else field.value


async def _fill(pilot: Any, field: Input | TextArea) -> None:
    """Give the field its known text, the focus and the cursor in the middle of a word."""
    if not field.has_focus:
        field.focus()
        await (
            pilot.pause()
        )  # an Input selects its text as it gains the focus: place the cursor after
    if _text(field) != _known(field):
        if isinstance(field, TextArea):
            field.text = AREA
        else:
            field.value = LINE
        await pilot.pause()
    if isinstance(field, TextArea):
        field.move_cursor(AREA_CURSOR)
    else:
        field.cursor_position = LINE_CURSOR


def _keys_declared_by(node_class: type) -> set[str]:
    """Keys bound by this project's classes in `node_class`'s ancestry (not Textual's own, such
    as tab or ctrl+c)."""
    keys: set[str] = set()
    for cls in node_class.__mro__:
        if cls.__module__.startswith("reviewer_tui") and "BINDINGS" in cls.__dict__:
            for binding in cls.__dict__["BINDINGS"]:
                key = binding.key if hasattr(binding, "key") else binding[0]
                keys.update(k.strip() for k in key.split(","))
    return keys


def _declared_keys(nodes: list[Any]) -> set[str]:
    return set().union(*(_keys_declared_by(type(node)) for node in nodes))


def _bindings_above(field: Input | TextArea) -> list[tuple[Any, str, Any]]:
    """(node, key, binding) for every key Textual looks up above the focused field: its
    containers, the screen and the app; above a modal screen only the priority ones (ctrl+q)."""
    found = []
    past_modal = False
    for node in field.ancestors_with_self[1:]:
        for key, bindings in node._bindings.key_to_bindings.items():
            found += [(node, key, b) for b in bindings if b.priority or not past_modal]
        past_modal = past_modal or node.is_modal
    return found


def _binding_keys(field: Input | TextArea) -> dict[str, set[str]]:
    """Every key bound above the focused field (widgets, screen, app), with its actions."""
    keys: dict[str, set[str]] = {}
    for _, key, binding in _bindings_above(field):
        keys.setdefault(key, set()).add(binding.action)
    return keys


class Harness:
    def __init__(
        self, app: Any, pilot: Any, folder: DataFolder, make: Callable[[], Screen[Any]]
    ) -> None:
        self.app, self.pilot, self.folder, self.make = app, pilot, folder, make
        self.calls: list[tuple[str, Any]] = []
        self.screen: Screen[Any] | None = None
        self.stored: dict[type, bool] = {}  # whether each kind of field's text reached the database
        run_action = app.run_action

        async def spy(action: Any, default_namespace: Any = None, *args: Any) -> bool:
            self.calls.append((str(action), default_namespace))
            return await run_action(action, default_namespace, *args)

        app.run_action = spy

    async def open(self, with_fields: bool = True) -> Screen[Any]:
        self.screen = self.make()
        await self.app.push_screen(self.screen)
        await wait_until(
            self.pilot,
            lambda: (
                self.app.screen is self.screen and (bool(_fields(self.screen)) or not with_fields)
            ),
            what=f"{type(self.screen).__name__} with its text fields",
        )
        await self.pilot.pause()
        return self.screen

    async def back_to_screen(self, reopen: bool = True) -> bool:
        """Close whatever a key opened over the screen; True if the screen itself was left (it
        is opened again unless this was the last key)."""
        assert self.screen is not None
        while self.screen in self.app.screen_stack and self.app.screen is not self.screen:
            self.app.pop_screen()
            await self.pilot.pause()
        if self.screen not in self.app.screen_stack:
            if reopen:
                await self.open()
            return True
        return False

    def field(self, kind: type) -> Input | TextArea | None:
        assert self.screen is not None
        return next((f for f in _fields(self.screen) if isinstance(f, kind)), None)


# App-wide keys (F1, F2, ctrl+p, tab...) are the same bindings on every screen: they are pressed on
# a screen with both kinds of field and on a modal; each screen's own keys (and those of the
# widgets around the field) on every screen; ctrl+q, last, on those two.
APP_KEYS_ON = {"MeetingScreen", "TextPrompt"}


def _keys_to_press(h: Harness, with_app_keys: bool) -> dict[str, type]:
    """Each key once, in the kind of field that binds it itself if one does (that is where a
    clash would show), otherwise in whichever field the screen has."""
    kinds = [k for k in (TextArea, Input) if h.field(k) is not None]
    keys: dict[str, type] = {}
    for kind in kinds:
        field = h.field(kind)
        assert field is not None
        above = [(n, k) for n, k, _ in _bindings_above(field) if with_app_keys or n is not h.app]
        declared = _declared_keys(list({id(n): n for n, _ in above}.values()))
        own = set(field._bindings.key_to_bindings)
        for node, key in above:
            if not with_app_keys and node is h.screen and key not in _declared_keys([node]):
                continue  # tab and shift+tab: Textual's own, pressed with the app keys
            if key in own and key not in declared:
                continue  # a container's arrow keys are the field's own business
            if key in own or key not in keys:
                keys[key] = kind
    return keys


async def _press_in_field(
    h: Harness, kind: type, key: str, failures: list[str], last: bool = False
) -> None:
    field = h.field(kind)
    for _ in range(20):  # editors built as their faces came into view: laid out a frame later
        if field is not None:
            break
        await h.pilot.pause(0.05)
        field = h.field(kind)
    assert field is not None, f"no {kind.__name__} in view on {type(h.screen).__name__} for {key!r}"
    await _fill(h.pilot, field)
    stored = h.stored.get(kind, False)
    actions = _binding_keys(field).get(key, set())
    declared = _declared_keys(list({id(n): n for n, _, _ in _bindings_above(field)}.values()))
    h.calls.clear()
    await h.pilot.press(key)
    where = f"{type(h.screen).__name__} {type(field).__name__} {key!r}"
    ran = {a for a, ns in h.calls if ns is not field}
    field_ran = {a for a, ns in h.calls if ns is field}
    character = _character(key)
    if (
        character is not None
        and character.isprintable()
        and field.check_consume_key(key, character)
    ):
        # A letter is typed, never run as a screen key while a field has the focus.
        if _text(field) != _typed(field, character) or ran & actions:
            failures.append(f"{where}: typed {_text(field)!r}, ran {sorted(ran & actions)}")
    else:
        if (
            key in declared
            and not (ran & actions)
            and not (key == "enter" and isinstance(field, Input) and field_ran == {"submit"})
        ):
            failures.append(
                f"{where}: the field took the key ({sorted(field_ran)}), "
                f"not the screen ({sorted(actions)})"
            )
        if field.is_attached and field.screen is h.screen:
            if ran & actions & INSERTING_ACTIONS:
                before, after = _typed(field, "\0").split("\0")
                text = _text(field)
                if not (
                    text.startswith(before)
                    and text.endswith(after)
                    and len(text) > len(before + after)
                ):
                    failures.append(f"{where}: inserting, the text became {text!r}")
            elif ran & actions & CLEARING_FILTER_ACTIONS and not stored and not _text(field):
                pass  # the search text of a filter, emptied on request
            elif _text(field) != _known(field):
                failures.append(f"{where}: text became {_text(field)!r}")
            elif not field.selection.is_empty:
                failures.append(f"{where}: selected {field.selection}; the next key replaces it")
    left = await h.back_to_screen(reopen=not last)
    discarded = any((type(h.screen).__name__, a) in DISCARDING for a in ran)
    if left and stored and not discarded and not _stored(h.folder, _known(field)):
        failures.append(f"{where}: left the screen and the stored text is gone")


@pytest.mark.parametrize("name", sorted(_factories()))
async def test_no_key_edits_a_focused_field(
    name: str,
    prepared: tuple[DataFolder, Store, Sample],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, store, sample = prepared
    monkeypatch.setenv(
        "HOME", str(tmp_path / "home")
    )  # files a key writes land in the test's folder
    monkeypatch.chdir(tmp_path)
    make = _factories()[name]
    app = make_app(folder)
    failures: list[str] = []
    stored_at_quit = False
    async with app.run_test(size=(120, 50)) as pilot:
        h = Harness(app, pilot, folder, lambda: make(app, sample))
        screen = await h.open(with_fields=name not in WITHOUT_TEXT)
        fields = _fields(screen)
        if name in WITHOUT_TEXT:
            assert not fields, f"{name} has a text field now: take it out of WITHOUT_TEXT"
            return
        assert fields, f"{name} shows no text field"
        for kind in (TextArea, Input):  # fill both first: each one's text must be stored
            field = h.field(kind)
            if field is not None:
                await _fill(pilot, field)
                h.stored[kind] = await eventually(
                    pilot, lambda f=field: _stored(folder, _known(f)), 1
                )
        app_keys = name in APP_KEYS_ON
        pressed = _keys_to_press(h, with_app_keys=app_keys)
        order = sorted(pressed, key=lambda k: (k == "escape", k))  # Esc, which leaves, last
        order = [
            k
            for k in order
            if not (
                _binding_keys(h.field(pressed[k])).get(k, set())  # type: ignore[arg-type]  # field may be None: filtered
                & LEAVE_ACTIONS
            )
        ]
        for index, key in enumerate(order):
            await _press_in_field(
                h, pressed[key], key, failures, last=not app_keys and index == len(order) - 1
            )
        if not app_keys:
            await app.workers.wait_for_complete()
            assert not failures, "\n".join(failures)
            return
        # Last, the keys that leave the app, with a filled field focused.
        field = h.field(TextArea) or h.field(Input)
        assert field is not None
        await _fill(pilot, field)
        stored_at_quit = await eventually(pilot, lambda: _stored(folder, _known(field)), 1)
        await app.workers.wait_for_complete()
        quit_keys = [k for k, actions in _binding_keys(field).items() if actions & LEAVE_ACTIONS]
        assert quit_keys
        await pilot.press(quit_keys[0])
    assert not failures, "\n".join(failures)
    if stored_at_quit:
        assert _stored(folder, _known(field))


# --- the two cases the issue names ---------------------------------------------------------
async def test_next_part_on_the_meeting_screen_keeps_the_note(
    prepared: tuple[DataFolder, Store, Sample],
) -> None:
    from reviewer_tui.screens.meeting import MeetingScreen

    folder, store, sample = prepared
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        await app.push_screen(MeetingScreen(sample.review_id))
        await pilot.pause()
        note = field_widget(app.screen, "open_discussion", TextArea)
        note.text = AREA
        note.focus()
        note.move_cursor(AREA_CURSOR)
        await pilot.pause()
        keys = [
            key
            for key, bindings in app.screen._bindings.key_to_bindings.items()
            if any(b.action in ("next_part", "previous_part") for b in bindings)
        ]
        assert "ctrl+down" in keys and len(keys) >= 4  # ctrl+arrows and an F-key pair
        for key in keys:
            await _fill(pilot, note)
            await pilot.press(key, "x")  # move to another part, then type there
            await pilot.pause()
            assert note.text == AREA, f"{key}: {note.text!r}"
            assert app.focused is not note, key
    assert store.get(m.Meeting, sample.review_id).open_discussion == AREA


async def test_next_part_key_moves_on_from_a_focused_note(
    prepared: tuple[DataFolder, Store, Sample],
) -> None:
    """F-key part navigation reaches the screen from inside a text area: focus leaves the note."""
    from reviewer_tui.screens.meeting import MeetingScreen

    folder, store, sample = prepared
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        await app.push_screen(MeetingScreen(sample.review_id))
        await pilot.pause()
        note = field_widget(app.screen, "open_discussion", TextArea)
        note.text = AREA
        note.focus()
        note.move_cursor(AREA_CURSOR)
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert app.focused is not note
        assert note.text == AREA and note.selection.is_empty
    assert store.get(m.Meeting, sample.review_id).open_discussion == AREA


async def test_conduct_issue_key_on_escalations_keeps_the_line(
    prepared: tuple[DataFolder, Store, Sample],
) -> None:
    from reviewer_tui.screens.actions import EscalationsScreen

    folder, store, sample = prepared
    before = len(store.rows(m.Escalation, sample.review_id))
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        await app.push_screen(EscalationsScreen(sample.review_id))
        await pilot.pause()
        for kind in (Input, TextArea):
            _fields(app.screen)  # builds the editors of the fields in view
            await pilot.pause()
            field = next(f for f in _fields(app.screen) if isinstance(f, kind))
            await _fill(pilot, field)
            key = next(b.key for b in app.screen.BINDINGS if "conduct" in b.action).split(",")[0]
            await pilot.press(key)
            await pilot.pause()
            assert _text(field) == _known(field)
    kinds = [r.kind for r in store.rows(m.Escalation, sample.review_id)]
    assert len(kinds) == before + 2 and kinds[-2:] == ["conduct or capability issue"] * 2
    assert _stored(folder, AREA)


# --- fast guards and what the reviewer sees --------------------------------------------------
def _widget_keys(widget_class: type) -> set[str]:
    keys: set[str] = set()
    for binding in widget_class.BINDINGS:
        key = binding.key if hasattr(binding, "key") else binding[0]
        keys.update(k.strip() for k in key.split(","))
    return keys


def test_no_screen_with_text_fields_binds_a_key_text_fields_own() -> None:
    """Checked from the classes alone, in milliseconds: a screen (or a custom widget) that can
    hold a text field binds none of the keys Textual's Input and TextArea bind themselves."""
    from textual.widgets import Input, TextArea

    owned = _widget_keys(TextArea) | _widget_keys(Input)
    import reviewer_tui.screens as package

    clashes = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"reviewer_tui.screens.{info.name}")
        for name, obj in vars(module).items():
            if not (
                inspect.isclass(obj)
                and obj.__module__ == module.__name__
                and "BINDINGS" in obj.__dict__
            ):
                continue
            if not issubclass(obj, Screen) or name in WITHOUT_TEXT:
                continue
            for key in _keys_declared_by(obj) & owned:
                if not (
                    name == "QuickEntryScreen" and key == "enter"
                ):  # Enter adds the entry typed
                    clashes.append(f"{name}: {key}")
    assert not clashes, clashes


async def test_help_and_palette_show_the_new_keys(
    prepared: tuple[DataFolder, Store, Sample],
) -> None:
    from textual.command import CommandPalette
    from textual.widgets import Static

    from reviewer_tui.screens.actions import EscalationsScreen
    from reviewer_tui.screens.records import RecordsScreen

    folder, store, sample = prepared
    app = make_app(folder)
    async with app.run_test(size=(120, 50)) as pilot:
        await app.push_screen(EscalationsScreen(sample.review_id))
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        help_text = str(app.screen.query_one(Static).render())
        assert "Next part" in help_text and "f8" in help_text
        assert "Conduct issue" in help_text and "^g" in help_text.replace("ctrl+g", "^g")
        assert "f6" not in help_text and "ctrl+k" not in help_text and "^k" not in help_text
        await pilot.press("escape")
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert "f8" in commands["Next part"] and "Conduct issue" in commands
        app.pop_screen()
        await app.push_screen(RecordsScreen(sample.review_id))
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        help_text = str(app.screen.query_one(Static).render())
        assert (
            "Delete record (in the list)" in help_text and "Undo delete (in the list)" in help_text
        )
        await pilot.press("escape")
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert "Delete record (in the list)" in commands
        assert not isinstance(app.screen, CommandPalette)
