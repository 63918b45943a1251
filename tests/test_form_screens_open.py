"""Opening the form screens of a large review (issue 14): what keeps the first frame cheap, checked
by structure, not by time. A long row list is built as stubs until its rows come into view or take
the focus; a stage body taking the focus is styled alone, which is right only while no rule styles
anything by the focus of a container it is in."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widget import Widget
from textual.widgets import Button, Input

from reviewer_tui import bundle
from reviewer_tui import models as m
from reviewer_tui.reviews import Store
from reviewer_tui.screens.forms import field_widget
from tests.conftest import SAMPLE, make_app, scroll_through, wait_until


def _all_widget_classes() -> list[type[Widget]]:
    import importlib
    import pkgutil

    import reviewer_tui.screens as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"reviewer_tui.screens.{info.name}")
    found: list[type[Widget]] = []
    todo: list[type[Widget]] = [Widget]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


async def test_no_rule_styles_a_widget_by_the_focus_of_a_container_it_is_in(folder) -> None:  # noqa: ANN001
    """forms.StageBody restyles only itself when its focus changes (Textual restyles everything
    inside it): that is only right while no selector that could match it has :focus or :blur
    before its last part, in every stylesheet the app can load (its own, the screens', every
    widget's DEFAULT_CSS)."""
    app = make_app(folder)
    async with app.run_test(size=(100, 30)):
        sheet = app.stylesheet.copy()
        for n, cls in enumerate(_all_widget_classes()):
            css = cls.__dict__.get("DEFAULT_CSS")
            if css:
                sheet.add_source(css, read_from=(cls.__module__, cls.__name__), tie_breaker=n)
        from reviewer_tui.screens import forms

        for path in sorted(Path(forms.__file__).parent.glob("*.tcss")):
            sheet.add_source(path.read_text(encoding="utf-8"), read_from=(str(path), ""))
        sheet.parse()
        from textual.css.model import CombinatorType, SelectorType

        from reviewer_tui.screens.forms import StageBody

        body_types = StageBody._css_type_names  # a type selector matches its subclasses too
        checked = 0
        for rule in sheet.rules:
            for selector_set in rule.selector_set:
                checked += 1
                # One element's parts (Select, &.-compact, &:focus) are joined by SAME.
                compounds: list[list[Any]] = []
                for selector in selector_set.selectors:
                    if compounds and selector.combinator == CombinatorType.SAME:
                        compounds[-1].append(selector)
                    else:
                        compounds.append([selector])
                for compound in compounds[:-1]:
                    types = {s.name for s in compound if s.type == SelectorType.TYPE}
                    if types and not types <= body_types:
                        continue  # App:blur, Select:focus...: never a stage body
                    pseudo = {p for s in compound for p in s.pseudo_classes}
                    assert not {"focus", "blur"} & pseudo, (
                        f"{rule.selector_names}: a rule styles by a container's focus; "
                        "forms.StageBody must restyle what is inside it again"
                    )
        assert checked > 100  # the widgets' rules were read, not only the app's


def _review_with_organisations(store: Store, count: int) -> int:
    raw = json.loads(SAMPLE.read_text(encoding="utf-8"))
    raw["scope"]["organisations"] = [
        {"name": f"Agency [b]{n}[/b]", "code": f"A{n}"} for n in range(count)
    ]
    return bundle.import_bundle(store, copy.deepcopy(raw))


@pytest.mark.parametrize("count", [15])
async def test_a_long_row_list_builds_its_rows_as_they_come_into_view(
    folder,
    store: Store,
    count: int,  # noqa: ANN001
) -> None:
    from reviewer_tui.screens.forms import RecordBox, RowList, RowStub, StageBody
    from reviewer_tui.screens.stubs import RUN_AFTER, WHOLE_LIST, Stub, StubRun
    from reviewer_tui.screens.terms import TermsOfReferenceScreen

    assert count > WHOLE_LIST
    rid = _review_with_organisations(store, count)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(TermsOfReferenceScreen(rid))
        await wait_until(pilot, lambda: isinstance(app.screen, TermsOfReferenceScreen))
        screen = app.screen
        await pilot.pause()
        organisations = screen.query(RowList).first()

        def settled() -> bool:
            return not any(s.building for s in organisations.query_children(RowStub))

        await wait_until(pilot, settled, what="the rows in view built")

        def boxes() -> list[RecordBox]:
            return list(organisations.query_children(RecordBox))

        stubs = list(organisations.query_children(RowStub))
        (run,) = organisations.query_children(StubRun)
        # not every row built at once: a stub each for the next few, one run for the rest
        assert len(stubs) == RUN_AFTER and len(boxes()) + len(stubs) + len(run.records) == count
        last_stub = len(boxes()) + len(stubs) - 1
        assert f"Agency [b]{last_stub}[/b]" in str(stubs[-1].render())  # shown exactly, as text
        assert f"Organisations {last_stub + 2} to {count}" in str(run.render())

        # Tab reaches the run as it would the first field of its first row: that row is built,
        # focused (the run's next rows become stubs).
        first_held = last_stub + 1
        run.focus()
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.focused, Input)
                and app.focused.value == f"Agency [b]{first_held}[/b]"
            ),
            what="the name field of the run's first organisation focused",
        )
        name = app.focused
        assert isinstance(name, Input)
        name.value = "Agency edited late"
        await wait_until(
            pilot,
            lambda: store.rows(m.Organisation, rid)[first_held].name == "Agency edited late",
            what="the edit in a row built late saved",
        )

        # Scrolling through the screen builds every row on the way, in its place and order.
        body = screen.query_one("#stage-body", StageBody)
        await scroll_through(pilot, body, lambda: not organisations.query_children(Stub), settled)
        assert not organisations.query_children(Stub)
        names = [field_widget(box, "name", Input).value for box in boxes()]
        expected = [f"Agency [b]{n}[/b]" for n in range(count)]
        expected[first_held] = "Agency edited late"
        assert names == expected


async def test_a_row_added_to_a_long_list_goes_after_every_other(folder, store: Store) -> None:  # noqa: ANN001
    """The rows past the first few are stubs and a run until reached; a row added goes after
    all of them, in the place of the last, with the keyboard in it."""
    from reviewer_tui.screens.forms import RecordBox, RowList
    from reviewer_tui.screens.stubs import Stub, StubRun
    from reviewer_tui.screens.terms import TermsOfReferenceScreen

    rid = _review_with_organisations(store, 15)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(TermsOfReferenceScreen(rid))
        await pilot.pause()
        organisations = app.screen.query(RowList).first()
        assert organisations.query_children(StubRun)
        organisations.query_one(".add-row", Button).press()
        await wait_until(pilot, lambda: len(store.rows(m.Organisation, rid)) == 16, what="added")
        new = store.rows(m.Organisation, rid)[-1]

        def listed() -> list[int]:
            return [
                c.row_id
                for c in organisations.children
                if isinstance(c, RecordBox | Stub) and not isinstance(c, StubRun)
            ]

        await wait_until(pilot, lambda: new.id in listed(), what="the new row shown")
        assert not organisations.query_children(StubRun)  # made whole first
        assert listed() == [o.id for o in store.rows(m.Organisation, rid)]
        await wait_until(
            pilot,
            lambda: (
                app.focused is not None
                and any(
                    isinstance(a, RecordBox) and a.row_id == new.id for a in app.focused.ancestors
                )
            ),
            what="the keyboard in the new row",
        )


async def test_the_rows_that_come_into_view_together_are_built_together(
    folder,  # noqa: ANN001
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As the screen opens, only the rows in view are built; the rows that come into view (or
    a screen below it) as the list scrolls are built in one go: their boxes mounted together and
    the stubs removed together, so the screen is laid out once for them all (one at a time, each
    was a layout of the whole screen: the terms of reference of a large review opened through a
    chain of them)."""
    from reviewer_tui.screens import stubs as st
    from reviewer_tui.screens.forms import RecordBox, RowList, RowStub
    from reviewer_tui.screens.terms import TermsOfReferenceScreen

    alone: list[object] = []
    one_at_a_time = st.replace_stub

    async def replace_one(event: Any, *args: Any, **kwargs: Any) -> Any:
        alone.append(event.stub)
        return await one_at_a_time(event, *args, **kwargs)

    together: list[list[Widget]] = []
    remove_children = RowList.remove_children

    def remove(self: RowList, selector: Any = "*") -> Any:
        together.append([] if isinstance(selector, str) else list(selector))
        return remove_children(self, selector)

    monkeypatch.setattr(st, "replace_stub", replace_one)
    monkeypatch.setattr(RowList, "remove_children", remove)
    rid = _review_with_organisations(store, 15)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(TermsOfReferenceScreen(rid))
        await wait_until(pilot, lambda: isinstance(app.screen, TermsOfReferenceScreen))
        await pilot.pause()
        organisations = app.screen.query(RowList).first()
        for _ in range(6):  # laid out, and what is in view asked for
            await pilot.pause()
        # below the view as it opens: only the first row, built with the screen
        assert len(organisations.query_children(RecordBox)) == 1
        body = app.screen.query_one("#stage-body")
        first_stub = organisations.query_children(RowStub).first()
        body.scroll_to(y=first_stub.virtual_region.y - 2, animate=False, immediate=True)
        await wait_until(
            pilot,
            lambda: (
                len(organisations.query_children(RecordBox)) > 1
                and not any(s.building for s in organisations.query_children(RowStub))
            ),
            what="the rows in view built",
        )
        built = len(organisations.query_children(RecordBox))
    assert alone == []
    assert together and len(together[0]) > 1
    assert sum(len(batch) for batch in together) == built - 1  # the first row is built with it


async def test_a_field_is_drawn_without_widgets_it_does_not_show(folder, store: Store) -> None:  # noqa: ANN001
    """A field's error line is made the first time there is an error (it was a widget per field,
    styled and laid out with every form), and a text box is made already marked valid (Input
    marks itself as it mounts: a second styling of every box). The error still shows, last in
    the field, quoting what was typed as text, and goes when the value is put right."""
    from textual.widgets import Static

    from reviewer_tui.screens.commissioning import CommissioningScreen
    from reviewer_tui.screens.forms import FieldEditor

    rid = store.create_review("Fields", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CommissioningScreen(rid))
        await wait_until(pilot, lambda: isinstance(app.screen, CommissioningScreen))
        screen = app.screen
        await pilot.pause()
        editors = list(screen.query(FieldEditor))
        assert len(editors) > 10
        assert not screen.query(".field-error")
        assert all(box.has_class("-valid") for box in screen.query(Input))

        editor = next(e for e in editors if e.spec.name == "commissioned_on")
        box = editor.editor()
        assert isinstance(box, Input)
        box.value = "[b]soon[/b]"
        await wait_until(pilot, lambda: bool(editor.query(".field-error.shown")), what="error")
        error = editor.query_one(".field-error", Static)
        assert editor.children[-1] is error
        assert "Not saved yet: '[b]soon[/b]'" in str(error.render())
        assert editor.unsaved
        box.value = "2025-01-02"
        await wait_until(pilot, lambda: not editor.query(".field-error.shown"), what="cleared")
        assert len(editor.query(".field-error")) == 1  # made once, hidden again
        assert str(store.review(rid).commissioned_on) == "2025-01-02"
        assert not editor.unsaved


async def test_a_field_is_one_widget_until_it_takes_the_focus(folder, store: Store) -> None:  # noqa: ANN001
    """A form opens with each field as its face: one widget drawing the label, the stored value
    (as text, never markup) and the help, and no editor at all. Tab reaches every field in order;
    a face taking the focus is replaced by its editor, focused, and keys pressed in one burst
    as it is built all reach the editor in order and are saved: the first key is never lost."""
    from textual.widgets import TextArea

    from reviewer_tui.screens.commissioning import CommissioningScreen
    from reviewer_tui.screens.forms import FieldEditor

    rid = store.create_review("[b]Faces[/b]", "internal case review", "concern")
    store.update(m.Review, rid, brief="First [i]line[/i]\nSecond line")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CommissioningScreen(rid))
        await wait_until(pilot, lambda: isinstance(app.screen, CommissioningScreen))
        screen = app.screen
        await pilot.pause()
        fields = list(screen.query(FieldEditor))
        names = [f.spec.name for f in fields]
        assert not screen.query("Input, TextArea, Select, Label, TextListEditor")
        assert all(not f.children for f in fields)
        title = fields[names.index("title")]
        assert "[b]Faces[/b]" in str(title.render())  # the value as typed, not as markup
        brief = fields[names.index("brief")]
        drawn = [brief.render_line(y).text for y in range(brief.size.height)]  # as on screen
        assert any("First [i]line[/i]" in line for line in drawn)

        # Tab from the first field walks every field in order, each built as it is reached.
        reached: list[str] = []
        title.focus()
        for _ in range(len(fields)):
            await wait_until(
                pilot,
                lambda: (
                    app.focused is not None
                    and not isinstance(app.focused, FieldEditor)
                    and any(isinstance(a, FieldEditor) for a in app.focused.ancestors)
                ),
                what="the editor focused",
            )
            owner = next(a for a in app.focused.ancestors if isinstance(a, FieldEditor))
            if owner.spec.kind == "list":
                break  # a list's own items and buttons come next
            reached.append(owner.spec.name)
            await pilot.press("tab")
        assert reached == names[: len(reached)] and len(reached) >= 8

        # Keys sent in one burst to a face are held while its editor is built, then typed.
        reason = fields[names.index("reason_for_review")]
        assert not reason.built
        reason.focus()
        for key in "Abc":
            app.post_message(events.Key(key, key))
        await wait_until(
            pilot,
            lambda: store.review(rid).reason_for_review == "Abc",
            what="every key typed on the face saved, in order",
        )
        area = field_widget(screen, "reason_for_review", TextArea)
        assert app.focused is area and area.text == "Abc"


async def test_keys_held_by_a_face_reach_its_editor_after_the_focus(folder, store: Store) -> None:  # noqa: ANN001
    """Tab to a field and type at once: the keys its face held while the editor was built reach
    the editor after the focus, as on an editor reached by Tab (an Input selects its text as it
    takes the focus). Held keys that ran first left the value selected, and the next key typed
    replaced the whole title (seen in a terminal: End, then a word, on a loaded machine)."""
    from reviewer_tui.screens.commissioning import CommissioningScreen
    from reviewer_tui.screens.forms import FieldEditor

    rid = store.create_review("Kept title", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CommissioningScreen(rid))
        await wait_until(pilot, lambda: isinstance(app.screen, CommissioningScreen))
        await pilot.pause()
        title = next(f for f in app.screen.query(FieldEditor) if f.spec.name == "title")
        assert not title.built
        title.focus()
        app.post_message(events.Key("end", None))  # held by the face, its editor on the way
        await wait_until(
            pilot, lambda: isinstance(app.focused, Input), what="the title's editor focused"
        )
        editor = app.focused
        assert isinstance(editor, Input)
        # End reached it after the focus selected the title: nothing selected, the cursor at the
        # end. (Pressed before End has run, x could overtake it: Textual runs End as a binding
        # once it has gone up to the app, after a key the Input takes itself.)
        await wait_until(
            pilot,
            lambda: editor.selection.is_empty and editor.cursor_position == len(editor.value),
            what="End run on the title's editor",
        )
        await pilot.press("x")
        await wait_until(
            pilot,
            lambda: store.review(rid).title == "Kept titlex",
            what=f"the key added at the end {store.review(rid).title!r} {app.focused!r}",
        )


def _screen_text(app: Any) -> str:
    """What the terminal shows, as text."""
    import io

    from rich.console import Console

    console = Console(width=app.size.width, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


@pytest.mark.parametrize("words", [3, 40_000, 400_000])  # a line, 200 KB, 2 MB: one paragraph
async def test_a_long_fields_face_draws_as_its_text_area_at_any_length(words: int) -> None:
    """A long field's face is drawn as its TextArea draws itself (the text wrapped with room for
    the scrollbar when it overflows, the scrollbar, the border) and costs what a short text's
    does, however long the text: only what can show is wrapped."""
    import time

    from textual.app import App, ComposeResult

    from reviewer_tui.screens.forms import FieldEditor, Spec

    text = " ".join(f"word{n % 97}" for n in range(words))

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield FieldEditor(Spec("notes", "Notes", "long"), text, lambda name, value: None)

    app = Host()
    async with app.run_test(size=(80, 12)) as pilot:
        field = app.screen.query_one(FieldEditor)
        await pilot.pause()

        def drawing(value: str) -> float:
            field.value, field._face_cache = value, None
            started = time.process_time()
            field._face_lines(field.content_region.width)
            return time.process_time() - started

        short = min(drawing("one line") for _ in range(3))
        drawn_in = min(drawing(text) for _ in range(3))
        field.refresh()
        await pilot.pause()
        face = _screen_text(app)
        field.editor()
        await pilot.pause()
        await pilot.pause()
        assert _screen_text(app) == face
    assert drawn_in < 20 * short + 0.01  # a 2 MB paragraph wrapped whole took seconds


async def test_a_fields_face_styles_only_the_parts_it_draws(folder, store: Store) -> None:  # noqa: ANN001
    """Textual styles each of a widget's component classes in a pass of its own whenever the
    widget is styled: a field styles the parts its face draws (a one-line box: its label, box,
    placeholder and help), and none once its editor is built. The face still draws as before."""
    from reviewer_tui.screens.commissioning import CommissioningScreen
    from reviewer_tui.screens.forms import FieldEditor

    rid = store.create_review("Parts", "internal case review", "concern")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CommissioningScreen(rid))
        await wait_until(pilot, lambda: isinstance(app.screen, CommissioningScreen))
        await pilot.pause()
        editors = {e.spec.name: e for e in app.screen.query(FieldEditor)}
        kinds = {e.spec.kind for e in editors.values()}
        assert {"text", "date", "long"} <= kinds
        for editor in editors.values():
            styled = set(editor._component_styles)
            assert len(styled) <= 6, (editor.spec.name, styled)  # of ten
            if editor.spec.kind == "long":
                assert "field-face--area" in styled and "field-face--box" not in styled
            elif editor.spec.kind in ("text", "date"):
                assert {"field-face--box", "field-face--placeholder"} <= styled
        title = editors["title"]
        assert "Parts" in _screen_text(app)  # the face, drawn with its parts
        title.focus()
        await wait_until(pilot, lambda: isinstance(app.focused, Input), what="the editor")
        await pilot.pause()
        assert title.built and title._get_component_classes() == frozenset()  # none restyled


async def test_the_groups_below_a_long_list_of_organisations_are_built_when_wanted(
    folder,  # noqa: ANN001
    store: Store,
) -> None:
    """Below a long list of organisations each later group is one stub until wanted: Tab onto
    it builds it from what is stored then, with the keyboard in its first field; a search hit in
    a group not built yet builds it and focuses the match; scrolling to the end builds them all."""
    from textual.widgets import Select, TextArea

    from reviewer_tui.screens.forms import RowList, StageBody
    from reviewer_tui.screens.stubs import SectionStub
    from reviewer_tui.screens.terms import TermsOfReferenceScreen
    from reviewer_tui.screens.workspace import WorkspaceScreen
    from tests.test_search_screen import open_hit

    rid = _review_with_organisations(store, 15)
    change = store.rows(m.ScopeChange, rid)[0]
    store.update(m.ScopeChange, change.id, change="A quince was added to the scope.")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(WorkspaceScreen(rid))
        # the scope change built from its group's stub, the match focused
        await open_hit(
            pilot, app, "quince", "scope_change", change.id, "change", TermsOfReferenceScreen
        )
        await app.workers.wait_for_complete()
        app.pop_screen()
        await pilot.pause()

        screen = TermsOfReferenceScreen(rid)
        await app.push_screen(screen)
        await pilot.pause()
        stubs = list(screen.query("#stage-body > SectionStub").results(SectionStub))
        assert [str(s.render()).split(":")[0] for s in stubs] == [
            "Family involvement",
            "Parallel processes and other areas",
            "Timing and interest",
            "Scope change log",
        ]
        assert len(screen.query(RowList)) == 1  # the organisations only
        store.update(m.Scope, rid, family_involvement_facilitator="Stored after it opened")
        stubs[0].focus()
        await wait_until(
            pilot,
            lambda: isinstance(app.focused, Input | TextArea | Select) and not stubs[0].is_attached,
            what="the family group built with the keyboard in it",
        )
        assert (
            field_widget(screen, "family_involvement_facilitator", Input).value
            == "Stored after it opened"
        )
        body = screen.query_one("#stage-body", StageBody)
        for _ in range(60):
            if not screen.query("#stage-body > SectionStub"):
                break
            body.scroll_end(animate=False, immediate=True)
            await pilot.pause(0.02)
        assert not screen.query("#stage-body > SectionStub")
        assert len(screen.query(RowList)) == 4


async def _open_agency_codes(app: Any, pilot: Any, rid: int) -> tuple[Any, Any]:
    """The register of agency codes opened: the screen and its scrolling body."""
    from reviewer_tui.screens.chronology import AgencyCodesScreen
    from reviewer_tui.screens.forms import StageBody

    screen = AgencyCodesScreen(rid)
    await app.push_screen(screen)
    await pilot.pause()
    return screen, screen.query_one(StageBody)


async def test_a_stage_keeps_its_width_when_it_starts_to_scroll(folder, store: Store) -> None:  # noqa: ANN001
    """A stage's body keeps room for its scrollbar: what is in it is as wide before the body
    scrolls as after, so nothing is wrapped again when a list grows past the view (and a screen
    opening is laid out once at its width, not again when Textual finds it must scroll)."""
    rid = bundle.import_file(store, SAMPLE)
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, body = await _open_agency_codes(app, pilot, rid)
        first = screen.query(".code-row").first()
        assert body.max_scroll_y == 0  # it all fits: no scrollbar yet
        width = first.size.width
        for _ in range(20):  # codes added until the list is longer than the view
            await pilot.press("ctrl+n")
            await pilot.pause()
            if body.max_scroll_y:
                break
        assert body.max_scroll_y > 0 and first.size.width == width


async def test_every_agency_code_can_be_scrolled_to(folder, store: Store) -> None:  # noqa: ANN001
    """The register's rows take the room they need in the scrolling body (they were given what
    was left of the view, and rows past it were cut off, out of reach)."""
    from reviewer_tui import chronology as ch

    rid = bundle.import_file(store, SAMPLE)
    for _ in range(20):
        ch.add_agency_code(store, rid, ch.free_code(store, rid))
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, body = await _open_agency_codes(app, pilot, rid)
        body.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        last = list(screen.query(".code-row"))[-1]
        assert body.region.contains_region(last.region)
        assert body.region.contains_region(screen.query_one("#add-code").region)
