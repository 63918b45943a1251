"""Property tests over all of Unicode (controls and lone surrogates included): every free-text
value is stored and read back exactly, or refused with a message and nothing changed."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, String
from sqlmodel import AutoString

from reviewer_tui import bundle, chronology, storage, validators
from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.errors import BundleError, InputError
from reviewer_tui.reviews import Store
from tests.conftest import MINIMAL, SAMPLE

ANY_TEXT = st.text(
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=40
)
FUZZ = settings(
    max_examples=500,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module", autouse=True)
def no_fsync() -> Iterator[None]:
    """These tests are about text, not durability (test_storage.py and the kill tests prove that):
    without an fsync per commit, every text table can be fuzzed 500 times in a few seconds."""
    original = storage.configure_connection

    def configure(conn: Any) -> None:
        original(conn)
        conn.execute("PRAGMA synchronous = OFF")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storage, "configure_connection", configure)
        yield


def has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, list | tuple):
        return any(has_surrogate(v) for v in value)
    return False


# One word of a fixed list, not free text: every fuzzed value would be refused, hiding the rest.
VOCABULARY = {("draft_item", "kind"), ("draft_item", "resolution")}


def text_columns(model: type[Any]) -> tuple[list[str], list[str]]:
    """(plain text columns, text-list columns) of a table; ids and list positions excluded."""
    plain, lists = [], []
    for column in model.__table__.columns:
        if column.name in {"key"} or column.primary_key or column.foreign_keys:
            continue
        if (model.__tablename__, column.name) in VOCABULARY:
            continue
        if isinstance(column.type, String | AutoString):  # sqlmodel's str columns are AutoString
            plain.append(column.name)
        elif isinstance(column.type, JSON) and column.name not in {"briefing", "data"}:
            lists.append(column.name)
    return plain, lists


@pytest.fixture(scope="module")
def sample_rows(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Store, list[tuple[type[Any], Any]]]:
    folder = open_folder(tmp_path_factory.mktemp("fuzz") / "data")
    store = Store(folder)
    review_id = bundle.import_file(store, SAMPLE)
    store.add_row(m.Escalation, review_id, raised_on="2025-08-01", kind="safeguarding concern")
    store.add_row(m.AgencyCode, review_id, code="CSC", name="Children's Services")
    chronology.save_draft(store, review_id, {"event": "Typed, not yet added"})
    for row in store.rows(m.Interview, review_id):  # signed ones ask why (Locked), no text rule
        store.update(m.Interview, row.id, signed_by_interviewee=False, signed_by_interviewer=False)
        store.update(m.Interview, row.id, agreed_on=None)
    # Tables the sample leaves empty: one row each, so every text table is reached.
    store.add_row(
        m.DelayEntry,
        review_id,
        deadline="notification",
        label="Final report",
        reason="Waiting for records",
    )
    store.add_row(
        m.QualityAcceptance,
        review_id,
        identity="fuzz-check",
        item="A check",
        reason="Accepted as it is",
    )
    with store.session() as session:
        from sqlmodel import select as pick

        draft = session.exec(pick(m.ReportDraft)).first()
        recipient = session.exec(pick(m.DraftRecipient)).first()
        assert draft is not None and recipient is not None
        if session.get(m.DraftText, draft.id) is None:
            session.add(m.DraftText(report_draft_id=draft.id, file_id="fuzz-file", sections=[]))
        session.add(m.DraftItem(draft_recipient_id=recipient.id, kind="comment", added="A note"))
        session.commit()
    targets: list[tuple[type[Any], Any]] = [(m.Review, review_id)]
    from sqlmodel import select

    with store.session() as session:
        for model in m.SQLModel.metadata.tables.values():
            cls = next(
                c for c in m.SQLModel.__subclasses__() if getattr(c, "__table__", None) is model
            )
            if cls is m.Review or cls is m.AppSetting:
                continue
            row = session.exec(select(cls)).first()
            if row is None:
                continue
            key = getattr(row, next(iter(model.primary_key.columns)).name)
            targets.append((cls, key))
    yield store, targets
    folder.close()


def test_every_text_table_is_fuzzed(sample_rows) -> None:  # noqa: ANN001
    _, targets = sample_rows
    fuzzed = {cls.__name__ for cls, _ in targets if any(text_columns(cls))}
    all_text_tables = {
        cls.__name__
        for cls in m.SQLModel.__subclasses__()
        if hasattr(cls, "__table__") and any(text_columns(cls)) and cls is not m.AppSetting
    }
    # change_entry is written by the history itself (history.record), never edited as text
    missing = all_text_tables - fuzzed - {"InterviewVersion", "ChangeEntry"}
    assert not missing, missing


def refused_by_a_rule(table: str, values: dict[str, Any]) -> str:
    """The message of the validator that refuses one of `values` (a required name left blank),
    as a pattern; "" when every rule accepts them."""
    try:
        validators.check_values(table, values)
    except InputError as refused:
        return re.escape(str(refused))
    return ""


# Each example writes every text column of all 31 text tables: 150 examples cost what 500 did
# when only the 9 tables with list columns were reached.
@settings(FUZZ, max_examples=150)
@given(text=ANY_TEXT, items=st.lists(ANY_TEXT, max_size=3))
def test_every_free_text_field_keeps_text_exactly_or_refuses(
    sample_rows, text: str, items: list[str]
) -> None:  # noqa: ANN001
    store, targets = sample_rows
    for model, key in targets:
        plain, lists = text_columns(model)
        if not plain and not lists:
            continue
        values: dict[str, Any] = {name: text for name in plain}
        values.update({name: items for name in lists})
        refusal = refused_by_a_rule(model.__tablename__, values)
        if has_surrogate(list(values.values())) or refusal:
            before = store.get(model, key)
            with pytest.raises(
                InputError, match=f"{refusal}|broken character" if refusal else "broken character"
            ):
                store.update(model, key, **values)
            after = store.get(model, key)
            assert after.model_dump() == before.model_dump()
        else:
            store.update(model, key, **values)
            after = store.get(model, key)
            for name, value in values.items():
                assert getattr(after, name) == value, (model.__name__, name)


BASE = json.loads(MINIMAL.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bundle_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path]]:
    """One store for every example (a fresh folder each would make the run far slower)."""
    base = tmp_path_factory.mktemp("bundle-fuzz")
    folder = open_folder(base / "data")
    yield Store(folder), base / "bundle.json"
    folder.close()


def stored_rows(store: Store) -> dict[str, int]:
    conn = store.folder.connect()
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


@FUZZ
@given(
    text=ANY_TEXT,
    title=ANY_TEXT.filter(bool),
    tags=st.lists(ANY_TEXT.filter(bool), max_size=3, unique=True),
)
def test_bundle_import_keeps_text_or_refuses_without_writing(
    bundle_store, text: str, title: str, tags: list[str]
) -> None:  # noqa: ANN001
    """The file is imported as the CLI imports it: kept exactly, or refused naming each field,
    with no row written."""
    store, path = bundle_store
    data = copy.deepcopy(BASE)
    data["review"].update(
        title=title, brief=text, child_name=text, preliminary_questions=[text, title]
    )
    data["family"] = {
        "summary": text,
        "members": [{"id": "fm-1", "name": title, "also_known_as": tags}],
    }
    data["chronology"] = [
        {
            "id": "c-1",
            "when": "2024-10-27T01:30",
            "event": text,
            "issues": tags,
            "participation": text,
        }
    ]
    data["people"] = [{"id": "p-1", "full_name": title, "training_last_3_years": [text]}]
    data["interviews"] = [
        {"id": "i-1", "person_id": "p-1", "notes": text, "contentious_points": [text]}
    ]
    path.write_text(json.dumps(data), encoding="utf-8")  # a lone surrogate is written as \\udXXX
    before = stored_rows(store)
    try:
        review_id = bundle.import_file(store, path)
    except BundleError as refused:
        assert has_surrogate([text, title, *tags])
        assert all(": " in p for p in refused.problems)
        assert stored_rows(store) == before
        return
    assert not has_surrogate([text, title, *tags])
    exported = bundle.export_bundle(store, review_id)
    assert exported["review"]["title"] == title
    assert exported["review"].get("brief", "") == text
    assert exported["family"]["members"][0]["name"] == title
    assert exported["family"]["members"][0].get("also_known_as", []) == tags
    assert exported["chronology"][0].get("event", "") == text
    assert exported["chronology"][0]["when"] == "2024-10-27T01:30"
    assert exported["interviews"][0].get("notes", "") == text
    assert json.loads(bundle.dumps(exported)) == exported  # the written JSON reads back the same
