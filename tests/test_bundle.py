"""Review bundle import and export: the contract between stages and machines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reviewer_tui import bundle
from reviewer_tui.errors import BundleError
from reviewer_tui.reviews import Store
from reviewer_tui.storage import DataFolder
from tests.conftest import BUNDLES, MINIMAL, SAMPLE

BROKEN = sorted((BUNDLES / "broken").glob("*.json"))


def same_content(value: Any) -> Any:
    """Bundle README rule 5: an absent field, "" and [] mean the same; exported_at is informational."""
    if isinstance(value, dict):
        return {
            k: same_content(v)
            for k, v in value.items()
            if v not in ("", [], {}, None) and k != "exported_at"
        }
    if isinstance(value, list):
        return [same_content(v) for v in value]
    return value


def dump(folder: DataFolder) -> list[str]:
    conn = folder.connect()
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize("path", [SAMPLE, MINIMAL], ids=["sample", "minimal"])
def test_import_then_export_gives_the_same_content(
    store: Store, path: Path, tmp_path: Path
) -> None:
    original = json.loads(path.read_text(encoding="utf-8"))
    review_id = bundle.import_file(store, path)
    out = tmp_path / "out.json"
    exported = bundle.export_file(store, review_id, out)
    assert exported["schema_version"] == 2  # the app's schema version; the content is the same
    assert same_content(
        {k: v for k, v in exported.items() if k != "schema_version"}
    ) == same_content(original)
    on_disk = out.read_bytes()
    assert not on_disk.startswith(b"\xef\xbb\xbf")
    assert list(json.loads(on_disk))[:2] == ["format", "version"]
    # The list order and ids are kept, chronology in the order entered.
    assert [c["id"] for c in exported.get("chronology", [])] == [
        c["id"] for c in original.get("chronology", [])
    ]


CHECK_WITH_APP_SCHEMA = """
import json, sys
sys.path.insert(0, sys.argv[1])
import bundlelib, validate
schema = json.load(open(sys.argv[2], encoding="utf-8"))
errors, warnings = validate.validate_file(sys.argv[3], bundlelib.validator(schema))
print("\\n".join(errors) or "OK")
"""


def test_exported_file_passes_the_reference_checker(store: Store, tmp_path: Path) -> None:
    """The shared checker (strict parse, schema, references), given the app's schema version 2."""
    pytest.importorskip("jsonschema")
    review_id = bundle.import_file(store, SAMPLE)
    out = tmp_path / "sample-export.json"
    bundle.export_file(store, review_id, out)
    app_schema = Path(bundle.__file__).with_name("bundle_schema.json")
    result = subprocess.run(
        [sys.executable, "-c", CHECK_WITH_APP_SCHEMA, str(BUNDLES), str(app_schema), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "OK"


def test_a_version_1_file_may_not_hold_the_apps_fields() -> None:
    """Without schema_version the file is plain version 1, where unknown keys are errors."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["records_examined"][0]["date_read"] = "2025-08-01"
    with pytest.raises(BundleError) as refused:
        bundle.validate(data)
    assert any(
        p.startswith("records_examined[0]:") and "date_read" in p for p in refused.value.problems
    )
    data["schema_version"] = 2
    bundle.validate(data)
    data["schema_version"] = 3
    with pytest.raises(BundleError) as refused:
        bundle.validate(data)
    assert any(p.startswith("schema_version:") for p in refused.value.problems)


def test_the_apps_schema_is_version_1_plus_fields_only() -> None:
    """Schema version 2 keeps every rule of version 1: each v1 definition's properties, required
    keys and constraints are unchanged; only new optional properties (and schema_version) added, and
    values added to a list of allowed values ('approximate month' to date_precision)."""
    v1 = json.loads((BUNDLES / "review-bundle.schema.json").read_text(encoding="utf-8"))
    v2 = bundle.schema()

    def check(old: Any, new: Any, path: str) -> None:
        if isinstance(old, dict):
            for key, value in old.items():
                if key in ("description", "$id", "title"):
                    continue
                assert key in new, path + "/" + key
                if key == "required":
                    assert set(value) <= set(new[key]), path
                    assert set(new[key]) - set(value) <= {"schema_version"}, path
                elif key == "enum":  # may gain values: every version 1 file still validates
                    assert set(value) <= set(new[key]), path + "/enum"
                else:
                    check(value, new[key], path + "/" + key)
        elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
            for n, (was, now) in enumerate(zip(old, new, strict=True)):
                check(was, now, f"{path}/{n}")
        else:
            assert old == new, path

    check(v1, v2, "")


def test_sample_is_exported_in_schema_section_order(store: Store) -> None:
    exported = bundle.export_bundle(store, bundle.import_file(store, SAMPLE))
    schema_order = list(bundle.schema()["properties"])
    assert list(exported) == [k for k in schema_order if k in exported]


@pytest.mark.parametrize(
    "beside", [{"required": ["y"]}, {"$ref": "#/$defs/a/$defs/b"}], ids=["a rule", "nested"]
)
def test_a_schema_the_check_cannot_inline_exactly_is_refused(
    monkeypatch: pytest.MonkeyPatch, beside: dict[str, Any]
) -> None:
    """The check inlines each $ref of the schema files; a $ref with a rule beside it (which
    the inlining would replace, not add to) or into nested $defs stops it, never a bundle."""
    schema = {
        "$defs": {"a": {"type": "object", "required": ["x"]}},
        "properties": {"p": {"$ref": "#/$defs/a", **beside}},
    }
    monkeypatch.setattr(bundle, "_schema_file", lambda name: schema)
    bundle._validator.cache_clear()
    try:
        with pytest.raises(ValueError, match="cannot inline"):
            bundle._validator("test_schema.json")
    finally:
        bundle._validator.cache_clear()


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_bundle_is_refused_naming_the_path(
    folder: DataFolder, store: Store, path: Path
) -> None:
    store.create_review("Existing review", "internal case review", "concern")
    before = dump(folder)
    with pytest.raises(BundleError) as refused:
        bundle.import_file(store, path)
    problems = refused.value.problems
    assert problems and all(":" in p for p in problems)
    assert dump(folder) == before


EXPECTED_PATHS = {
    "bad_date": "review.commissioned_on",
    "bad_id_characters": "recommendations[3].id",
    "bad_recording_method": "interviews[0].recording_method",
    "bad_review_type": "review.review_type",
    "bad_significance_key": "chronology[5].significance[2]",
    "byte_order_mark": "(parse)",
    "dangling_attendee": "meeting.attendees[3]",
    "dangling_evidence": "recommendations[0].evidence[2]",
    "dangling_family_member": "family_involvement_record[0].family_member_ids[2]",
    "dangling_finding_evidence": "findings[0].chronology_ids[2]",
    "dangling_person_id": "interviews[1].person_id",
    "date_in_uk_format": "recommendations[0].due",
    "date_time_with_offset": "chronology[0].when",
    "duplicate_chronology_id": "chronology[1].id",
    "duplicate_json_key": "(parse)",
    "exact_without_time": "chronology[0].when",
    "impossible_local_date_time": "interviews[0].scheduled_for",
    "issues_as_string": "chronology[0].issues",
    "level_out_of_range": "family_involvement_record[0].level",
    "missing_title": "review",
    "person_without_id": "people[2]",
    "unknown_matter_covered": "interviews[0].matters_covered[7]",
    "unknown_nested_key": "chronology[0]",
    "unknown_top_level_key": "(top level)",
    "wrong_version": "version",
}


def test_every_broken_file_has_an_expected_path() -> None:
    assert {p.stem for p in BROKEN} == set(EXPECTED_PATHS)


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_refusal_names_the_json_path(store: Store, path: Path) -> None:
    with pytest.raises(BundleError) as refused:
        bundle.import_file(store, path)
    assert any(p.startswith(EXPECTED_PATHS[path.stem] + ":") for p in refused.value.problems), (
        refused.value.problems
    )


def test_text_is_kept_exactly(store: Store) -> None:
    tricky = "  {{ child_name }} {% if %} <b>x</b> *x* # x & \\ %s\t\r\n\n\u0007 e\u0301 é 👩🏽‍⚕️ שלום \u200f  "
    data = json.loads(MINIMAL.read_text(encoding="utf-8"))
    data["review"]["brief"] = tricky
    data["review"]["preliminary_questions"] = [tricky, "second"]
    data["chronology"] = [
        {"id": "c1", "when": "2024-03-31T23:30", "event": tricky, "issues": ["Decision"]}
    ]
    bundle.validate(data)
    exported = bundle.export_bundle(store, bundle.import_bundle(store, data))
    assert exported["review"]["brief"] == tricky
    assert exported["review"]["preliminary_questions"] == [tricky, "second"]
    assert exported["chronology"][0]["event"] == tricky
    assert exported["chronology"][0]["when"] == "2024-03-31T23:30"
    assert "\\u0007" in bundle.dumps(exported)


def test_lone_surrogate_is_refused_with_its_path(
    folder: DataFolder, store: Store, tmp_path: Path
) -> None:
    """Importing the file (as the CLI does) names the field and stores nothing."""
    data = json.loads(MINIMAL.read_text(encoding="utf-8"))
    data["review"]["brief"] = "half a pair: \ud83d"
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON keeps the half as \\ud83d
    store.create_review("Existing review", "internal case review", "concern")
    before = dump(folder)
    with pytest.raises(BundleError, match=r"review\.brief"):
        bundle.import_file(store, path)
    assert dump(folder) == before


def test_import_is_all_or_nothing(
    folder: DataFolder, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after most rows were written leaves nothing behind."""
    before = dump(folder)
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    from reviewer_tui import models

    original = models.DraftRecipient.__init__

    def explode(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(models.DraftRecipient, "__init__", explode)
    with pytest.raises(OSError):
        bundle.import_bundle(store, data)
    monkeypatch.setattr(models.DraftRecipient, "__init__", original)
    assert dump(folder) == before
