"""Pilot: the note taker's round trip end to end with two data folders. The reviewer makes the
pack on the interview screen; the note taker opens it from the review list of their own folder,
types notes (saved as typed) and writes it back; the reviewer merges it: no conflict, the notes
equal. Then both change the same line: the conflict is shown in words and settled. Merging twice
changes nothing; a damaged pack gets one line. Snapshots at 80x24 of the pack screen and the
conflict view."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static, TextArea

from reviewer_tui import bundle, packs
from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import Store
from tests.conftest import SAMPLE, make_app, pressing, wait_until


async def _answer(pilot: Any, value: str) -> None:
    """Type a file name into the prompt that is open and press Enter."""
    await wait_until(pilot, lambda: bool(pilot.app.screen.query(Input)), what="the file prompt")
    pilot.app.screen.query_one(Input).value = value
    await pilot.press("enter")
    await pilot.pause()


def _said(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _type_notes(pilot: Any, text: str) -> None:
    screen = pilot.app.screen
    area = screen.query_one("#notes", TextArea)
    area.move_cursor(area.document.end)
    area.insert(text)
    await wait_until(pilot, lambda: screen.all_saved and screen.saves > 0, what="notes saved")


async def _merge(app: Any, pilot: Any, interview_id: int, path: Path) -> None:
    from reviewer_tui.screens.interviews import InterviewScreen

    if not isinstance(app.screen, InterviewScreen):
        await app.push_screen(InterviewScreen(interview_id))
        await pilot.pause()
    app.screen.set_focus(None)
    await pilot.press("m")
    await _answer(pilot, str(path))


async def test_round_trip_between_two_folders_through_the_screens(tmp_path: Path) -> None:
    from reviewer_tui.screens.interviews import InterviewScreen
    from reviewer_tui.screens.packs import ConflictScreen, PackScreen

    reviewer_folder = open_folder(tmp_path / "reviewer")
    taker_folder = open_folder(tmp_path / "note-taker")
    try:
        reviewer = Store(reviewer_folder)
        rid = bundle.import_file(reviewer, SAMPLE)
        row = reviewer.rows(m.Interview, rid)[0]
        # A record still being written (merging into a signed one asks for a reason first)
        reviewer.update(
            m.Interview, row.id, signed_by_interviewee=False, signed_by_interviewer=False
        )
        reviewer.update(m.Interview, row.id, agreed_on=None)
        made = tmp_path / "usb" / "pack.json"

        # 1. The reviewer makes the pack on the interview screen.
        app = make_app(reviewer_folder)
        async with app.run_test(size=(100, 40)) as pilot:
            await app.push_screen(InterviewScreen(row.id))
            await pilot.pause()
            app.screen.set_focus(None)
            await pilot.press("p")
            await wait_until(pilot, lambda: bool(app.screen.query(Input)), what="the prompt")
            assert "NOT ENCRYPTED" in str(app.screen.query_one(".warning", Static).render())
            await _answer(pilot, str(made))
            assert made.exists()
            assert any(str(made) in said and "name" in said for said in _said(app))

        # 2. The note taker opens it from the review list of their own folder and types.
        app = make_app(taker_folder)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.press("o")
            await _answer(pilot, str(made))
            await wait_until(pilot, lambda: isinstance(app.screen, PackScreen), what="pack")
            where = str(app.screen.query_one("#pack-where", Static).render())
            assert "pack-with-notes.json" in where.replace("\n", "")
            await _type_notes(pilot, "\nShe said the plan was [unclear].")
            await pilot.press("ctrl+s")
            await pilot.pause()
            back = made.with_name("pack-with-notes.json")
            assert back.exists()
            assert any(str(back) in said for said in _said(app))
            held = app.screen.interview_id
            # Leaving it and opening it again from the review list: the pack screen, not a review.
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, PackScreen), what="list")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, PackScreen), what="reopened")
            assert app.screen.interview_id == held
        taker = Store(taker_folder)
        taker_notes = taker.get(m.Interview, held).notes
        assert taker_notes == row.notes + "\nShe said the plan was [unclear]."

        # 3. The reviewer merges it back: no conflict, the notes equal; twice changes nothing.
        app = make_app(reviewer_folder)
        async with app.run_test(size=(100, 40)) as pilot:
            await _merge(app, pilot, row.id, back)
            assert not isinstance(app.screen, ConflictScreen)
            assert reviewer.get(m.Interview, row.id).notes == taker_notes
            await _merge(app, pilot, row.id, back)
            assert any("merged before: nothing changed" in said for said in _said(app))
            assert reviewer.get(m.Interview, row.id).notes == taker_notes

            # 4. Both change the same line: a real conflict, shown in words.
            reviewer_line = taker_notes + " The reviewer checked it."
            from reviewer_tui import interviews as iv

            iv.save_notes(reviewer, row.id, reviewer_line)
            iv.save_notes(taker, held, taker_notes + " The note taker heard more.")
            packs.write_back(taker, held)
            await app.pop_screen()
            await _merge(app, pilot, row.id, back)
            await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen), what="conflict")
            shown = "\n".join(str(s.render()) for s in app.screen.query(Static))
            assert "Notes" in shown
            assert "The [-reviewer checked it.-]{+note taker heard more.+}" in shown
            assert "notes:" not in shown and "contentious_points" not in shown
            assert reviewer.get(m.Interview, row.id).notes == reviewer_line  # yours unchanged
            await pilot.press("b")
            await wait_until(pilot, lambda: not isinstance(app.screen, ConflictScreen))
            kept = reviewer.get(m.Interview, row.id).notes
            assert kept.startswith(reviewer_line) and kept.endswith("The note taker heard more.")

            # 5. A damaged pack: one line, nothing changed.
            damaged = tmp_path / "damaged.json"
            damaged.write_bytes(back.read_bytes()[:300])  # cut short, as a failed copy leaves it
            await _merge(app, pilot, row.id, damaged)
            said = _said(app)[-1]
            assert "damaged.json is damaged" in said and "nothing was merged" in said
            assert "\n" not in said
            assert reviewer.get(m.Interview, row.id).notes == kept
    finally:
        reviewer_folder.close()
        taker_folder.close()


def _pack_app(data_dir: Path, conflict: bool) -> Any:
    """A folder holding the sample review and, for the pack screen, a pack opened from it (its
    write-back place fixed, so the picture does not depend on the test's folder)."""
    folder = open_folder(data_dir)
    store = Store(folder)
    rid = bundle.import_file(store, SAMPLE)
    row = store.rows(m.Interview, rid)[0]
    app = make_app(folder)
    app.sub_title = "snapshot"
    if conflict:
        with store.session() as session:
            session.add(
                m.InterviewVersion(
                    interview_id=row.id,
                    source="the note taker's pack pack-with-notes.json, written back 2026-12-01 10:30",
                    data={
                        "theirs": {
                            "notes": row.notes.replace("two corrections", "three corrections")
                            + " More."
                        }
                    },
                )
            )
            session.commit()
        app.pack_interview = None

        async def show(pilot: Any) -> None:
            from reviewer_tui.screens.packs import ConflictScreen

            await pilot.app.push_screen(ConflictScreen(row.id))
            await pressing()(pilot)

        return app, show
    pack = packs.build_pack(store, row.id)
    path = data_dir.parent / "pack.json"
    path.write_text(json.dumps(pack), encoding="utf-8")
    held = packs.open_pack(store, path)
    with store.session() as session:
        record = session.get(m.InterviewVersion, packs._opened_record(store, held).id)
        record.data = record.data | {"written_to": "/media/usb/pack-with-notes.json"}
        session.commit()
    app.pack_interview = held
    return app, pressing()


def test_pack_screen_at_80_by_24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    app, before = _pack_app(data_dir, conflict=False)
    assert snap_compare(app, run_before=before, terminal_size=(80, 24))


def test_conflict_view_at_80_by_24(snap_compare, data_dir: Path) -> None:  # noqa: ANN001
    app, before = _pack_app(data_dir, conflict=True)
    assert snap_compare(app, run_before=before, terminal_size=(80, 24))
