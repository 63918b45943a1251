"""The large review every budget in `make bench` runs on, built through the core's bundle import.

As big as a long multi-agency serious case review gets, and beyond:
- 10,000 chronology entries from 15 agencies, 500 of them Significant Practice Events;
- 80 people, 60 interviews with about 200 KB of notes each; one interview's notes are 2 MB in
  short lines, another's are a single 2 MB paragraph;
- 40 findings, each linked to 20 pieces of evidence (16 entries and 4 interviews);
- 60 recommendations, each with progress notes;
and a data folder holding it beside 99 copies of the public sample review (100 reviews).

Building takes a while, so the folder is kept under benchmarks/.cache/, keyed by this file's
text and the database's schema revision; a changed generator or migration builds a new one.

    python benchmarks/large_review.py [--fresh]   # build (or reuse) and print what it holds
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT.parent / "shared" / "bundle" / "sample_child_t.json"
CACHE = Path(__file__).resolve().parent / ".cache"
LARGE_TITLE = "Large review (benchmark)"

ENTRIES = 10_000
AGENCIES = 15
SIGNIFICANT = 500
PEOPLE = 80
INTERVIEWS = 60
NOTES_BYTES = 200_000
BIG_NOTES_BYTES = 2_000_000
FINDINGS = 40
EVIDENCE_ENTRIES = 16
EVIDENCE_INTERVIEWS = 4
RECOMMENDATIONS = 60
PROGRESS_NOTES = 4
REVIEWS = 100

# The interviews whose notes are 2 MB: one in short lines, one a single paragraph.
BIG_LINES_INTERVIEW = "iv-bench-2"
BIG_PARAGRAPH_INTERVIEW = "iv-bench-3"

AGENCY_NAMES = (
    ("CSC", "Children's Social Care"),
    ("POL", "Police"),
    ("SCH", "Northgate Academy"),
    ("EH", "Early Help"),
    ("HV", "Health Visiting"),
    ("GP", "General Practice"),
    ("ED", "Emergency Department"),
    ("CAMHS", "Child and Adolescent Mental Health"),
    ("HOU", "Housing"),
    ("PROB", "Probation"),
    ("YJS", "Youth Justice Service"),
    ("SN", "School Nursing"),
    ("AMB", "Ambulance Service"),
    ("DA", "Domestic Abuse Service"),
    ("ADS", "Adult Drug and Alcohol Service"),
)
WORDS = (
    "home visit strategy discussion referral school nursery bruising police welfare check "
    "mother father sibling assessment plan conference missing housing letter telephone "
    "supervision manager agreed review meeting child said felt safe grandfather written "
    "questions reply attendance health visitor concern escalated recorded Amélie Zoë café"
).split()
ISSUES = ("Decision", "Communication", "Liaison", "Assessment", "Recording", "Supervision")


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(low, high))).capitalize() + "."


def _notes_in_lines(rng: random.Random, size: int) -> str:
    lines, total, n = [], 0, 0
    while total < size:
        stamp = f"[{9 + n // 600 % 8:02d}:{n // 10 % 60:02d}] "
        line = stamp + _sentence(rng, 8, 24)
        lines.append(line)
        total += len(line) + 1
        n += 1
        if n % 12 == 0:
            lines.append("")
    return "\n".join(lines)


def _one_paragraph(rng: random.Random, size: int) -> str:
    parts, total = [], 0
    while total < size:
        part = _sentence(rng, 10, 30)
        parts.append(part)
        total += len(part) + 1
    return " ".join(parts)


def large_bundle(seed: int = 14) -> dict[str, Any]:
    """The large review as a bundle (format 2), from the public sample's shape."""
    rng = random.Random(seed)
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["review"]["title"] = LARGE_TITLE
    data["scope"]["organisations"] = [{"name": name, "code": code} for code, name in AGENCY_NAMES]
    data["scope"]["period_from"], data["scope"]["period_to"] = "2019-01-01", "2025-06-30"
    start = dt.date(2019, 1, 1)
    significant = set(rng.sample(range(ENTRIES), SIGNIFICANT))
    template_entry = data["chronology"][0]
    chronology = []
    for n in range(ENTRIES):
        day = start + dt.timedelta(days=rng.randrange(2300))
        when = day.isoformat()
        if rng.random() < 0.4:
            when += f"T{rng.randrange(8, 20):02d}:{rng.randrange(60):02d}"
        entry = dict(template_entry)
        entry.update(
            id=f"ch-bench-{n}",
            when=when,
            event=_sentence(rng, 12, 45),
            source=AGENCY_NAMES[n % AGENCIES][0],
            participation="Social worker; mother; child.",
            outcome=_sentence(rng, 6, 16),
            issues=rng.sample(ISSUES, rng.randrange(0, 3)),
            significant=n in significant,
            known_at_the_time=rng.random() < 0.8,
        )
        chronology.append(entry)
    data["chronology"] = chronology

    template_person = data["people"][0]
    people = []
    for n in range(PEOPLE):
        person = copy.deepcopy(template_person)
        code, agency = AGENCY_NAMES[n % AGENCIES]
        person.update(
            id=f"p-bench-{n}",
            full_name=f"Practitioner Number{n} Ørsted",
            pseudonym=f"Practitioner {n + 1}",
            also_known_as=[],
            employing_body=agency,
            designation=f"{agency} worker",
        )
        people.append(person)
    data["people"] = people

    template_interview = data["interviews"][0]
    interviews = []
    for n in range(INTERVIEWS):
        record = copy.deepcopy(template_interview)
        key = f"iv-bench-{n}"
        if key == BIG_LINES_INTERVIEW:
            notes = _notes_in_lines(rng, BIG_NOTES_BYTES)
        elif key == BIG_PARAGRAPH_INTERVIEW:
            notes = _one_paragraph(rng, BIG_NOTES_BYTES)
        else:
            notes = _notes_in_lines(rng, NOTES_BYTES)
        starts = dt.datetime(2025, 7, 1, 10) + dt.timedelta(days=n // 3, hours=(n % 3) * 2)
        record.update(
            id=key,
            person_id=f"p-bench-{n}",
            scheduled_for=starts.isoformat(timespec="minutes"),
            notes=notes,
            contentious_points=[],
        )
        # Half are signed, so the locks and "changed after signing" are on the path too.
        if n % 2:
            for field in ("signed_by_interviewee", "signed_by_interviewer"):
                record[field] = False
            for field in ("agreed_on", "interviewee_signed_on", "interviewer_signed_on"):
                record.pop(field, None)
        interviews.append(record)
    data["interviews"] = interviews

    # The meeting and family involvement name the sample's people; point them at ours.
    meeting = data["meeting"]
    meeting["attendees"] = [f"p-bench-{n}" for n in range(12)]
    for n, contribution in enumerate(meeting["contributions"]):
        contribution["person_id"] = f"p-bench-{n}"

    findings = []
    kinds = ("good practice", "area for development")
    for n in range(FINDINGS):
        findings.append(
            {
                "id": f"f-bench-{n}",
                "kind": kinds[n % 2],
                "statement": _sentence(rng, 20, 40),
                "chronology_ids": [
                    f"ch-bench-{k}" for k in rng.sample(range(ENTRIES), EVIDENCE_ENTRIES)
                ],
                "interview_ids": [
                    f"iv-bench-{k}" for k in rng.sample(range(INTERVIEWS), EVIDENCE_INTERVIEWS)
                ],
            }
        )
    data["findings"] = findings

    template_rec = data["recommendations"][0]
    recommendations = []
    for n in range(RECOMMENDATIONS):
        rec = copy.deepcopy(template_rec)
        rec.update(
            id=f"rec-bench-{n}",
            action=_sentence(rng, 15, 30),
            owner=AGENCY_NAMES[n % AGENCIES][1],
            due=(dt.date(2026, 1, 31) + dt.timedelta(days=7 * n)).isoformat(),
            outcome=_sentence(rng, 10, 20),
            measure=_sentence(rng, 8, 16),
            evidence=[f"ch-bench-{k}" for k in rng.sample(range(ENTRIES), 3)],
            finding_ids=[f"f-bench-{n % FINDINGS}"],
            progress=[
                {
                    "date": (dt.date(2025, 9, 1) + dt.timedelta(days=30 * k)).isoformat(),
                    "note": _sentence(rng, 10, 30),
                }
                for k in range(PROGRESS_NOTES)
            ],
        )
        recommendations.append(rec)
    data["recommendations"] = recommendations
    return data


def _cache_key() -> str:
    """The generator, the sample and every migration's text: a revision's name alone kept a
    folder built by another migration of the same number (a stash's) in use."""
    versions = Path(__file__).resolve().parents[1] / "reviewer_tui" / "migrations" / "versions"
    text = Path(__file__).read_bytes() + SAMPLE.read_bytes()
    for migration in sorted(versions.glob("*.py")):
        text += migration.name.encode() + migration.read_bytes()
    return hashlib.sha256(text).hexdigest()[:16]


def _build(target: Path) -> None:
    from reviewer_tui import bundle
    from reviewer_tui.cli import open_folder
    from reviewer_tui.reviews import Store

    folder = open_folder(target)
    store = Store(folder)
    small = bundle.load(SAMPLE)
    for n in range(REVIEWS - 1):
        copy_of = copy.deepcopy(small)
        copy_of["review"]["title"] = f"{small['review']['title']} ({n + 1})"
        bundle.import_bundle(store, copy_of)
    data = large_bundle()
    bundle.validate(data)
    bundle.import_bundle(store, data)
    folder.close()


def large_folder(fresh: bool = False) -> Path:
    """A data folder with the large review and 99 others, built once per generator version.

    Callers copy it (`copy_of_large_folder`) before changing anything."""
    target = CACHE / f"large-{_cache_key()}"
    if fresh and target.exists():
        shutil.rmtree(target)
    if not (target / "done").exists():
        if target.exists():
            shutil.rmtree(target)
        CACHE.mkdir(exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix="building-", dir=CACHE))
        started = time.perf_counter()
        _build(building / "data")
        (building / "done").write_text(f"{time.perf_counter() - started:.1f}\n", encoding="utf-8")
        building.rename(target)
    return target / "data"


def copy_of_large_folder(into: Path) -> Path:
    """A private copy of the large data folder under `into`, safe to change."""
    source = large_folder()
    target = into / "data"
    shutil.copytree(source, target)
    return target


def large_review_id(data_dir: Path) -> int:
    """The large review's id in a folder made by `large_folder`."""
    import sqlite3

    conn = sqlite3.connect(data_dir / "reviews.db")
    try:
        row = conn.execute("SELECT id FROM review WHERE title = ?", (LARGE_TITLE,)).fetchone()
    finally:
        conn.close()
    return int(row[0])


def interview_id(data_dir: Path, key: str) -> int:
    """A generated interview's row id, from its bundle key (e.g. BIG_PARAGRAPH_INTERVIEW)."""
    import sqlite3

    conn = sqlite3.connect(data_dir / "reviews.db")
    try:
        row = conn.execute("SELECT id FROM interview WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()
    return int(row[0])


def main() -> int:
    fresh = "--fresh" in sys.argv
    started = time.perf_counter()
    data_dir = large_folder(fresh=fresh)
    import sqlite3

    conn = sqlite3.connect(data_dir / "reviews.db")
    rid = large_review_id(data_dir)
    counts = {
        "reviews": "SELECT count(*) FROM review",
        "chronology entries": f"SELECT count(*) FROM chronology_entry WHERE review_id = {rid}",
        "significant practice events": "SELECT count(*) FROM chronology_entry "
        f"WHERE review_id = {rid} AND significant",
        "people": f"SELECT count(*) FROM person WHERE review_id = {rid}",
        "interviews": f"SELECT count(*) FROM interview WHERE review_id = {rid}",
        "notes, MB": "SELECT round(sum(length(notes)) / 1e6, 1) FROM interview "
        f"WHERE review_id = {rid}",
        "findings": f"SELECT count(*) FROM finding WHERE review_id = {rid}",
        "recommendations": f"SELECT count(*) FROM recommendation WHERE review_id = {rid}",
    }
    for label, sql in counts.items():
        print(f"  {label:<30} {conn.execute(sql).fetchone()[0]}")
    conn.close()
    size = (data_dir / "reviews.db").stat().st_size / 1e6
    print(f"  database {size:.0f} MB at {data_dir} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
