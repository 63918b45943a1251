"""Property tests over all of Unicode (controls and lone surrogates included): every free-text
value is stored and read back exactly, or refused with a message and nothing changed."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, String

from reviewer_tui import bundle
from reviewer_tui import models as m
from reviewer_tui.cli import open_folder
from reviewer_tui.reviews import InputError, Store
from tests.conftest import MINIMAL, SAMPLE

ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()),
                   max_size=40)
FUZZ = settings(max_examples=500, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, list | tuple):
        return any(has_surrogate(v) for v in value)
    return False


def text_columns(model: type[Any]) -> tuple[list[str], list[str]]:
    """(plain text columns, text-list columns) of a table; ids and list positions excluded."""
    plain, lists = [], []
    for column in model.__table__.columns:
        if column.name in {"key"} or column.primary_key or column.foreign_keys:
            continue
        if isinstance(column.type, String) and column.type.__class__.__name__ != "UTCDateTime":
            plain.append(column.name)
        elif isinstance(column.type, JSON) and column.name not in {"briefing", "data"}:
            lists.append(column.name)
    return plain, lists


@pytest.fixture(scope="module")
def sample_rows(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[tuple[type[Any], Any]]]:
    folder = open_folder(tmp_path_factory.mktemp("fuzz") / "data")
    store = Store(folder)
    review_id = bundle.import_file(store, SAMPLE)
    store.add_row(m.Escalation, review_id, raised_on="2025-08-01", kind="safeguarding concern")
    store.add_row(m.AgencyCode, review_id, code="CSC", name="Children's Services")
    targets: list[tuple[type[Any], Any]] = [(m.Review, review_id)]
    from sqlmodel import select

    with store.session() as session:
        for model in m.SQLModel.metadata.tables.values():
            cls = next(c for c in m.SQLModel.__subclasses__() if getattr(c, "__table__", None) is model)
            if cls is m.Review or cls is m.AppSetting:
                continue
            row = session.exec(select(cls)).first()
            if row is None:
                continue
            key = row.review_id if "review_id" in model.primary_key.columns.keys() else row.id
            targets.append((cls, key))
    yield store, targets
    folder.close()


def test_every_text_table_is_fuzzed(sample_rows) -> None:  # noqa: ANN001
    _, targets = sample_rows
    fuzzed = {cls.__name__ for cls, _ in targets if any(text_columns(cls))}
    all_text_tables = {cls.__name__ for cls in m.SQLModel.__subclasses__()
                       if hasattr(cls, "__table__") and any(text_columns(cls)) and cls is not m.AppSetting}
    missing = all_text_tables - fuzzed - {"InterviewVersion"}
    assert not missing, missing


@FUZZ
@given(text=ANY_TEXT, items=st.lists(ANY_TEXT, max_size=3))
def test_every_free_text_field_keeps_text_exactly_or_refuses(sample_rows, text: str, items: list[str]) -> None:  # noqa: ANN001
    store, targets = sample_rows
    for model, key in targets:
        plain, lists = text_columns(model)
        if not plain and not lists:
            continue
        values: dict[str, Any] = {name: text for name in plain}
        values.update({name: items for name in lists})
        if has_surrogate(list(values.values())):
            before = store.get(model, key)
            with pytest.raises(InputError, match="broken character"):
                store.update(model, key, **values)
            after = store.get(model, key)
            assert after.model_dump() == before.model_dump()
        else:
            store.update(model, key, **values)
            after = store.get(model, key)
            for name, value in values.items():
                assert getattr(after, name) == value, (model.__name__, name)


BASE = json.loads(MINIMAL.read_text(encoding="utf-8"))


@FUZZ
@given(text=ANY_TEXT, title=ANY_TEXT.filter(bool), tags=st.lists(ANY_TEXT.filter(bool), max_size=3, unique=True))
def test_bundle_import_keeps_text_or_refuses_without_writing(tmp_path_factory, text: str, title: str,
                                                               tags: list[str]) -> None:  # noqa: ANN001
    store = _bundle_store(tmp_path_factory)
    data = copy.deepcopy(BASE)
    data["review"].update(title=title, brief=text, child_name=text, preliminary_questions=[text, title])
    data["family"] = {"summary": text, "members": [{"id": "fm-1", "name": title, "also_known_as": tags}]}
    data["chronology"] = [{"id": "c-1", "when": "2024-10-27T01:30", "event": text, "issues": tags,
                           "participation": text}]
    data["people"] = [{"id": "p-1", "full_name": title, "training_last_3_years": [text]}]
    data["interviews"] = [{"id": "i-1", "person_id": "p-1", "notes": text, "contentious_points": [text]}]
    conn = store.folder.connect()
    before = conn.execute("SELECT count(*) FROM review").fetchone()[0]
    try:
        bundle.validate(data)
    except bundle.BundleError as refused:
        assert has_surrogate([text, title, *tags])
        assert all(": " in p for p in refused.problems)
        assert conn.execute("SELECT count(*) FROM review").fetchone()[0] == before
        conn.close()
        return
    conn.close()
    assert not has_surrogate([text, title, *tags])
    exported = bundle.export_bundle(store, bundle.import_bundle(store, data))
    assert exported["review"]["title"] == title
    assert exported["review"].get("brief", "") == text
    assert exported["family"]["members"][0]["name"] == title
    assert exported["family"]["members"][0].get("also_known_as", []) == tags
    assert exported["chronology"][0].get("event", "") == text
    assert exported["chronology"][0]["when"] == "2024-10-27T01:30"
    assert exported["interviews"][0].get("notes", "") == text
    assert json.loads(bundle.dumps(exported)) == exported  # the written JSON reads back the same


_STORES: dict[str, Store] = {}


def _bundle_store(factory: pytest.TempPathFactory) -> Store:
    if "store" not in _STORES:
        _STORES["store"] = Store(open_folder(factory.mktemp("bundle-fuzz") / "data"))
    return _STORES["store"]


def test_zz_close_fuzz_store() -> None:
    store = _STORES.pop("store", None)
    if store is not None:
        store.folder.close()


