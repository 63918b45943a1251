"""The note taker's pack: one interview carried to a note taker's laptop and back, without the rest
of the review (issue 13 item 9).

The reviewer makes a pack of one interview (`make_pack`): the interviewee's name and role, when
and where, the sixteen matters to cover, the disclosure reminder, and the notes as they stand
(the *base*). Nothing else of the review goes in it: no other person, no chronology, no findings,
not even the review's title (it usually names the child).

The note taker opens the pack in the same app (`open_pack`): it becomes a small record of its own
in their data folder, typed on the notes screen and saved as typed, and `write_back` writes one
file, the pack with their notes, beside the pack they opened.

Merging it back (`merge_pack`) is three-way: what the pack was made from, what the reviewer has
now, what the note taker wrote. Only when both changed the same text since then is there a
conflict; it is kept beside the record, shown word by word, and the reviewer keeps theirs, the
note taker's or both (`resolve`). The reviewer's data folder remembers each pack it made (an
`InterviewVersion` row, source `MADE`), so a pack of another review, a pack whose identity was
edited, or the same file merged twice changes nothing.

Packs are plain JSON and not encrypted. Never imports textual.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer_tui import domain, userfile
from reviewer_tui import interviews as iv
from reviewer_tui.errors import InputError, UserFileError
from reviewer_tui.reviews import check_text

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store

PACK_FORMAT = "reviewer-tui-note-taker-pack"
PACK_VERSION = 1
PACK_SUFFIX = ".json"
RETURNED_STEM = "-with-notes"
# InterviewVersion.source of the rows this module keeps (resolved=True: never shown as a version).
MADE = "note-taker pack made"  # on the reviewer's laptop: what a pack was made from
OPENED = "note-taker pack opened"  # on the note taker's laptop: the pack this record holds

# What the note taker can change, with the words a person reads for each.
FIELDS: dict[str, str] = {
    "notes": "Notes",
    "matters_covered": "Matters covered",
    "contentious_points": "Contentious points to check back",
    "contentious_points_checked_back": "Contentious points checked back",
}
_IDENTITY = (
    "format",
    "version",
    "pack_id",
    "made_at",
    "interview",
    "interviewee",
    "matters_to_cover",
    "disclosure_reminder",
    "base",
)


def field_name(field: str) -> str:
    """The words for a field of the interview record (never its internal name)."""
    return FIELDS.get(field) or field.replace("_", " ").capitalize()


def _fields_of(row: Any) -> dict[str, Any]:
    return {
        "notes": row.notes,
        "matters_covered": list(row.matters_covered),
        "contentious_points": list(row.contentious_points),
        "contentious_points_checked_back": row.contentious_points_checked_back,
    }


def _digest(pack: dict[str, Any]) -> str:
    identity = {key: pack.get(key) for key in _IDENTITY}
    raw = json.dumps(identity, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _write(pack: dict[str, Any], target: Path) -> None:
    from reviewer_tui.storage import write_atomically

    raw = json.dumps(pack, ensure_ascii=False, indent=1).encode("utf-8")
    write_atomically(Path(target), lambda handle: handle.write(raw))


def _versions(store: Store, source: str) -> list[Any]:
    from sqlmodel import col, select

    from reviewer_tui.models import InterviewVersion as V

    with store.session() as session:
        return list(session.exec(select(V).where(V.source == source).order_by(col(V.id))))


# --- the reviewer makes a pack ---------------------------------------------------------------


def default_name(store: Store, interview_id: int) -> str:
    """A file name saying whose interview it is and when, without the review's title."""
    from reviewer_tui.models import Interview, Person

    row = store.get(Interview, interview_id)
    person = store.get(Person, row.person_id)
    who = re.sub(r"[^A-Za-z0-9]+", "-", person.full_name).strip("-").lower() or row.key
    return f"note-taker-pack-{who[:40]}-{row.key}{PACK_SUFFIX}"


def find_interview(store: Store, review_id: int, wanted: str) -> int:
    """The interview of the review with this id (iv-1) or interviewee's name (any case)."""
    from reviewer_tui.models import Interview, Person

    store.review(review_id)  # says plainly when there is no such review
    people = {p.id: p for p in store.rows(Person, review_id)}
    rows = store.rows(Interview, review_id)
    text = wanted.strip().casefold()
    found = [r for r in rows if r.key.casefold() == text] or [
        r for r in rows if people[r.person_id].full_name.strip().casefold() == text
    ]
    if len(found) == 1:
        return int(found[0].id or 0)
    listed = "; ".join(f"{r.key} {people[r.person_id].full_name}" for r in rows) or "none yet"
    why = "matches more than one interview" if found else "is not an interview of this review"
    raise InputError(f"'{wanted}' {why}. Its interviews: {listed}.")


def build_pack(store: Store, interview_id: int) -> dict[str, Any]:
    """A new pack of one interview: what `make_pack` writes."""
    from reviewer_tui.models import Interview, Person

    row = store.get(Interview, interview_id)
    person = store.get(Person, row.person_id)
    pack: dict[str, Any] = {
        "format": PACK_FORMAT,
        "version": PACK_VERSION,
        "pack_id": uuid.uuid4().hex,
        "made_at": domain.utc_now().replace(microsecond=0).isoformat(),
        "interview": {
            "id": row.key,
            "when": row.scheduled_for,
            "length_minutes": row.duration_minutes,
            "location": row.location,
        },
        "interviewee": {"name": person.full_name, "role": person.designation},
        "matters_to_cover": [{"key": key, "text": text} for key, text in iv.MATTERS],
        "disclosure_reminder": iv.DISCLOSURE_REMINDER,
        "base": _fields_of(row),
    }
    pack["identity_check"] = _digest(pack)
    pack["work"] = None
    pack["written_back_at"] = None
    return pack


def make_pack(store: Store, interview_id: int, target: Path) -> Path:
    """Write a pack of one interview to `target` and remember what it was made from."""
    from reviewer_tui.models import InterviewVersion

    problem = store.folder.plain_copy_problem(Path(target))
    if problem:  # the pack is plain JSON: never inside an encrypted data folder
        raise InputError(problem)
    pack = build_pack(store, interview_id)
    _write(pack, target)
    with store.session() as session:
        session.add(
            InterviewVersion(
                interview_id=interview_id,
                source=MADE,
                data={
                    "pack_id": pack["pack_id"],
                    "identity_check": pack["identity_check"],
                    "base": pack["base"],
                    "merged": None,
                    "file": str(target),
                },
                resolved=True,
            )
        )
        session.commit()
    return Path(target)


# --- reading a pack: everything checked before anything is kept ---------------------------------


def _bad(name: str, why: str, action: str) -> InputError:
    return InputError(f"{name} {why}; nothing was {action}.")


def _check_fields(name: str, data: Any, part: str, action: str) -> dict[str, Any]:
    """Refuse, naming the field in words, anything the note taker's fields cannot hold."""
    if not isinstance(data, dict) or set(data) != set(FIELDS):
        raise _bad(name, f"is damaged: its {part} is not what reviewer-tui writes", action)
    checks: dict[str, tuple[Callable[[Any], bool], str]] = {
        "notes": (lambda v: isinstance(v, str), "text"),
        "matters_covered": (
            lambda v: isinstance(v, list) and all(x in iv.MATTER_KEYS for x in v),
            "a list of the sixteen matters",
        ),
        "contentious_points": (
            lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
            "a list of texts",
        ),
        "contentious_points_checked_back": (
            lambda v: v is None or isinstance(v, bool),
            "yes, no or not set",
        ),
    }
    for field, (fits, kind) in checks.items():
        if not fits(data[field]):
            raise _bad(
                name, f"is damaged: in its {part}, {field_name(field)} is not {kind}", action
            )
    try:
        check_text(data["notes"], "notes")
        for text in data["contentious_points"]:
            check_text(text, "contentious points")
    except InputError as exc:
        raise _bad(name, f"holds text that cannot be stored ({exc})", action) from None
    return data


def read_pack(path: Path, action: str = "opened") -> dict[str, Any]:
    """The pack in `path`, checked: a damaged file, another kind of file, or a pack whose identity
    (who, which interview, the text it was made from) was edited is refused with one line."""
    name = Path(path).name
    try:
        pack = userfile.parse_json(userfile.read_limited(Path(path), "a note-taker pack"))
    except UserFileError as exc:
        if exc.kind == "file":
            raise InputError(f"{exc}; nothing was {action}.") from None
        raise _bad(
            name, f"is damaged and could not be read as a note-taker pack ({exc})", action
        ) from None
    if not isinstance(pack, dict) or pack.get("format") != PACK_FORMAT:
        raise _bad(name, "is not a note-taker pack made by reviewer-tui", action)
    if pack.get("version") != PACK_VERSION:
        raise _bad(name, "is a note-taker pack of a version this app cannot read", action)
    interview, person = pack.get("interview"), pack.get("interviewee")
    shapes = (
        isinstance(pack.get("pack_id"), str)
        and isinstance(pack.get("made_at"), str)
        and isinstance(pack.get("identity_check"), str)
        and isinstance(interview, dict)
        and isinstance(interview.get("id"), str)
        and (interview.get("when") is None or isinstance(interview.get("when"), str))
        and (
            interview.get("length_minutes") is None or type(interview.get("length_minutes")) is int
        )
        and isinstance(interview.get("location"), str)
        and isinstance(person, dict)
        and isinstance(person.get("name"), str)
        and isinstance(person.get("role"), str)
        and isinstance(pack.get("disclosure_reminder"), str)
        and isinstance(pack.get("matters_to_cover"), list)
        and (pack.get("written_back_at") is None or isinstance(pack.get("written_back_at"), str))
    )
    if not shapes:
        raise _bad(
            name, "is damaged: parts of it are missing or not what reviewer-tui writes", action
        )
    if _digest(pack) != pack["identity_check"]:
        raise _bad(
            name,
            "was edited after it was made: who it is about, which interview or the text it "
            "started from no longer match its check",
            action,
        )
    _check_fields(name, pack.get("base"), "starting text", action)
    if pack.get("work") is not None:
        _check_fields(name, pack["work"], "notes from the note taker", action)
    try:
        check_text(pack["interviewee"]["name"], "name")
        check_text(pack["interviewee"]["role"], "role")
        check_text(pack["interview"]["location"], "location")
    except InputError as exc:
        raise _bad(name, f"holds text that cannot be stored ({exc})", action) from None
    return pack


# --- the note taker's side ----------------------------------------------------------------------


def returned_path(source: Path) -> Path:
    """Where the note taker's pack with notes is written: beside the pack they opened."""
    source = Path(source)
    stem = source.stem if source.stem.endswith(RETURNED_STEM) else source.stem + RETURNED_STEM
    return source.with_name(stem + PACK_SUFFIX)


@dataclass(frozen=True)
class Opened:
    """A pack held in this data folder for the note taker."""

    interview_id: int
    review_id: int
    name: str
    role: str
    written_to: Path


def _opened_record(store: Store, interview_id: int) -> Any | None:
    from sqlmodel import select

    from reviewer_tui.models import InterviewVersion as V

    with store.session() as session:
        return session.exec(
            select(V).where(V.interview_id == interview_id, V.source == OPENED)
        ).first()


def opened(store: Store, interview_id: int) -> Opened | None:
    """The pack this interview holds, if it was opened from one (None for the reviewer's own)."""
    from reviewer_tui.models import Interview

    record = _opened_record(store, interview_id)
    if record is None:
        return None
    row = store.get(Interview, interview_id)
    person = record.data["pack"]["interviewee"]
    return Opened(
        interview_id,
        row.review_id,
        person["name"],
        person["role"],
        Path(record.data["written_to"]),
    )


def pack_interview(store: Store, review_id: int) -> int | None:
    """The interview of a review that holds an opened pack (the review list opens it on the
    pack screen), or None for an ordinary review."""
    from reviewer_tui.models import Interview

    for row in store.rows(Interview, review_id):
        assert row.id is not None  # read from the database
        if _opened_record(store, row.id) is not None:
            return row.id
    return None


def open_pack(store: Store, path: Path) -> int:
    """Hold the pack in `path` in this data folder for the note taker to type in, and return the
    interview's id. Opening the same pack again returns the record already held (nothing typed
    is replaced)."""
    from reviewer_tui.models import InterviewVersion

    path = Path(path).expanduser()
    pack = read_pack(path, "opened")
    for record in _versions(store, OPENED):
        if record.data["pack"]["pack_id"] == pack["pack_id"]:
            return int(record.interview_id)
    for record in _versions(store, MADE):
        if record.data["pack_id"] == pack["pack_id"]:
            raise InputError(
                f"{path.name} was made from a review in this data folder: merge it there "
                "(the interview screen, ctrl+p 'Merge a note-taker pack') instead of opening it; "
                "nothing was opened."
            )
    person, interview = pack["interviewee"], pack["interview"]
    start = pack["work"] if pack["work"] is not None else pack["base"]
    review_id = store.create_review(
        f"Note-taker pack: interview with {person['name'] or 'someone not yet named'}",
        domain.REVIEW_KINDS[0].key,
        domain.CRITERIA[0],
    )
    who = iv.add_person(store, review_id, person["name"], designation=person["role"])
    row = iv.add_interview(
        store,
        review_id,
        who.id,
        scheduled_for=interview["when"],
        duration_minutes=interview["length_minutes"],
        location=interview["location"],
        **start,
    )
    identity = {key: pack[key] for key in _IDENTITY} | {"identity_check": pack["identity_check"]}
    with store.session() as session:
        session.add(
            InterviewVersion(
                interview_id=row.id,
                source=OPENED,
                data={"pack": identity, "written_to": str(returned_path(path))},
                resolved=True,
            )
        )
        session.commit()
    return int(row.id)


def write_back(store: Store, interview_id: int) -> Path:
    """Write the pack with the note taker's notes as one file, beside the pack they opened."""
    from reviewer_tui.models import Interview

    record = _opened_record(store, interview_id)
    if record is None:
        raise InputError("This interview was not opened from a note-taker pack.")
    target = Path(record.data["written_to"])
    problem = store.folder.plain_copy_problem(target)
    if problem:
        raise InputError(problem)
    if target.exists():
        try:
            there = read_pack(target, "written")
        except InputError:
            there = None
        if there is None or there["pack_id"] != record.data["pack"]["pack_id"]:
            raise InputError(
                f"{target} already exists and is not this pack's notes: move it away and write "
                "back again; nothing was written."
            )
    pack = dict(record.data["pack"])
    pack["work"] = _fields_of(store.get(Interview, interview_id))
    pack["written_back_at"] = domain.utc_now().replace(microsecond=0).isoformat()
    _write(pack, target)
    return target


# --- the reviewer merges it back ----------------------------------------------------------------


def merge_text(base: str, ours: str, theirs: str) -> str | None:
    """Three-way merge of a text, line by line: the changes of each side since `base` are both
    applied when they touch different lines; None when both changed the same lines differently."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    b = base.splitlines(keepends=True)

    def hunks(other: str) -> list[tuple[int, int, list[str]]]:
        """Where `other` differs from the base: (first base line, line after, new lines). The
        common beginning and end are set aside first, so long notes with a change at the end
        (the usual case) cost little; lines repeated many times (blank ones) stay cheap."""
        lines = other.splitlines(keepends=True)
        start = 0
        while start < min(len(b), len(lines)) and b[start] == lines[start]:
            start += 1
        end = 0
        while end < min(len(b), len(lines)) - start and b[-1 - end] == lines[-1 - end]:
            end += 1
        old, new = b[start : len(b) - end], lines[start : len(lines) - end]
        matcher = difflib.SequenceMatcher(None, old, new)
        return [
            (start + i1, start + i2, new[j1:j2])
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]

    mine, yours = hunks(ours), hunks(theirs)
    merged: list[tuple[int, int, list[str]]] = list(mine)
    for hunk in yours:
        if hunk in mine:
            continue
        if any(a1 <= hunk[1] and hunk[0] <= a2 for a1, a2, _ in mine):
            return None
        merged.append(hunk)
    out: list[str] = []
    at = 0
    for i1, i2, lines in sorted(merged, key=lambda h: (h[0], h[1])):
        out.extend(b[at:i1])
        out.extend(lines)
        at = i2
    out.extend(b[at:])
    return "".join(out)


def _merge_list(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """Items each side added are added, items the note taker removed are removed."""
    kept = [item for item in ours if item in theirs or item not in base]
    return kept + [item for item in theirs if item not in base and item not in kept]


def merge_fields(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """(the merged fields, the fields both sides changed differently: ours kept for those)."""
    merged = dict(ours)
    conflicts: list[str] = []
    text = merge_text(base["notes"], ours["notes"], theirs["notes"])
    if text is None:
        conflicts.append("notes")
    else:
        merged["notes"] = text
    for field in ("matters_covered", "contentious_points"):
        merged[field] = _merge_list(base[field], ours[field], theirs[field])
    merged["matters_covered"] = [k for k in iv.MATTER_KEYS if k in merged["matters_covered"]]
    field = "contentious_points_checked_back"
    if ours[field] == base[field]:
        merged[field] = theirs[field]
    elif theirs[field] not in (base[field], ours[field]):
        conflicts.append(field)
    return merged, conflicts


@dataclass(frozen=True)
class MergeResult:
    interview_id: int
    outcome: str  # "merged" | "unchanged" | "already merged" | "conflict"
    message: str
    conflicts: tuple[str, ...] = ()


def merge_pack(store: Store, review_id: int, path: Path) -> MergeResult:
    """Merge a note taker's pack back into its interview of this review, in one transaction."""
    from reviewer_tui.models import Interview, InterviewVersion, Review, stored_id

    path = Path(path).expanduser()
    name = path.name
    pack = read_pack(path, "merged")
    record = next((r for r in _versions(store, MADE) if r.data["pack_id"] == pack["pack_id"]), None)
    if record is None:
        raise _bad(
            name,
            "is a pack of another review (no review in this data folder made it)",
            "merged",
        )
    if pack["work"] is None:
        raise _bad(
            name,
            "holds no notes from the note taker yet: it is the pack as it was made",
            "merged",
        )
    row = store.get(Interview, record.interview_id)
    interview_id = stored_id(row)
    if row.review_id != review_id:
        other = store.get(Review, row.review_id)
        raise _bad(name, f"is a pack of another review ('{other.title}')", "merged")
    if record.data["identity_check"] != pack["identity_check"]:
        raise _bad(
            name, "was edited after it was made: it does not match the pack made here", "merged"
        )
    theirs = pack["work"]
    if record.data["merged"] == theirs:
        return MergeResult(
            interview_id, "already merged", f"{name} was merged before: nothing changed."
        )
    base = record.data["merged"] or record.data["base"]
    ours = _fields_of(row)
    merged, conflicts = merge_fields(base, ours, theirs)
    when = pack["written_back_at"] or "?"
    with store.session() as session:
        stored = session.get(Interview, interview_id)
        version = session.get(InterviewVersion, record.id)
        if stored is None or version is None:
            raise InputError("That interview no longer exists; nothing was merged.")
        changed = [f for f in FIELDS if merged[f] != ours[f]]
        for field in changed:
            setattr(stored, field, merged[field])
        if changed:
            review = session.get(Review, row.review_id)
            if review is not None:
                review.updated_at = domain.utc_now()
        if conflicts:
            session.add(
                InterviewVersion(
                    interview_id=interview_id,
                    source=f"the note taker's pack {name}, written back {when[:16].replace('T', ' ')}",
                    data={
                        "pack_id": pack["pack_id"],
                        "theirs": {f: theirs[f] for f in conflicts},
                        "base": {f: base[f] for f in conflicts},
                    },
                    resolved=False,
                )
            )
        version.data = dict(record.data) | {"merged": theirs}
        session.commit()
    words = ", ".join(field_name(f).lower() for f in changed) or "nothing"
    if conflicts:
        both = ", ".join(field_name(f).lower() for f in conflicts)
        return MergeResult(
            interview_id,
            "conflict",
            f"Merged {name}: you and the note taker both changed the same text ({both}) since "
            "the pack was made. Yours is unchanged until you choose what to keep (the interview "
            "screen shows it).",
            tuple(conflicts),
        )
    if not changed:
        return MergeResult(interview_id, "unchanged", f"{name} holds nothing new: nothing changed.")
    return MergeResult(interview_id, "merged", f"Merged {name}: updated {words}.")


# --- conflicts: shown in words, settled by the reviewer -----------------------------------------


@dataclass(frozen=True)
class Conflict:
    version_id: int
    source: str
    field: str
    label: str
    ours: Any
    theirs: Any


def conflicts(store: Store, interview_id: int) -> list[Conflict]:
    """Every field the note taker changed that is still to be settled, oldest first."""
    from sqlmodel import col, select

    from reviewer_tui.models import Interview
    from reviewer_tui.models import InterviewVersion as V

    row = store.get(Interview, interview_id)
    with store.session() as session:
        versions = list(
            session.exec(
                select(V)
                .where(V.interview_id == interview_id, V.resolved == False)  # noqa: E712
                .order_by(col(V.id))
            )
        )
    out = []
    for version in versions:
        # Copies kept by earlier versions of the app hold the whole record, not "theirs".
        theirs = version.data.get("theirs", version.data)
        for field, value in theirs.items():
            if field in FIELDS:
                mine = getattr(row, field)
                mine = mine.isoformat() if isinstance(mine, dt.date) else mine
                if mine != value:
                    out.append(
                        Conflict(
                            int(version.id or 0),
                            version.source,
                            field,
                            field_name(field),
                            mine,
                            value,
                        )
                    )
    return out


def resolve(store: Store, version_id: int, choice: str) -> None:
    """Settle a kept copy: "ours" keeps the record, "theirs" takes the note taker's text, "both"
    keeps ours followed by theirs (text fields; other fields keep ours)."""
    from reviewer_tui.models import Interview, InterviewVersion, Review

    if choice not in ("ours", "theirs", "both"):
        raise InputError(f"'{choice}' is not ours, theirs or both.")
    with store.session() as session:
        version = session.get(InterviewVersion, version_id)
        if version is None:
            raise InputError("That copy was already settled.")
        row = session.get(Interview, version.interview_id)
        assert row is not None  # cascades with its interview
        theirs = version.data.get("theirs", version.data)
        for field, value in theirs.items():
            if field not in FIELDS:
                continue
            mine = getattr(row, field)
            if choice == "theirs":
                setattr(row, field, value)
            elif choice == "both" and isinstance(mine, str) and isinstance(value, str):
                if value not in mine:
                    setattr(row, field, f"{mine.rstrip()}\n\n{BOTH_MARK}\n{value}")
        version.resolved = True
        review = session.get(Review, row.review_id)
        if review is not None:
            review.updated_at = domain.utc_now()
        session.commit()


BOTH_MARK = "--- The note taker's text (both kept) ---"


WORD_DIFF_LIMIT = 4000  # changed words compared word by word; a longer change is shown whole
SHOWN_CHANGE = 1500  # characters shown of one side of a change too long to compare


def word_diff(ours: Any, theirs: Any, context: int = 8) -> list[tuple[str, str]]:
    """The difference of two texts in words: ("same" | "ours" | "theirs" | "gap", text) pieces.
    Changed words separated only by spaces read as one change; long unchanged stretches are cut
    to `context` words either side. The common beginning and end are set aside first, so a few
    changes in long notes cost little; a changed stretch too long to compare is shown whole."""
    a = _words(_as_text(ours))
    b = _words(_as_text(theirs))
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    mid_a, mid_b = a[start : len(a) - end], b[start : len(b) - end]
    chunks: list[list[Any]] = [[True, a[:start], b[:start]]]  # [equal?, ours, theirs]
    if len(mid_a) + len(mid_b) > WORD_DIFF_LIMIT:
        pieces = [(False, mid_a, mid_b)]
    else:
        matcher = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        pieces = [
            (tag == "equal", mid_a[i1:i2], mid_b[j1:j2])
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    for equal, mine, yours in pieces:
        if chunks and not equal and not chunks[-1][0]:
            chunks[-1][1] += mine
            chunks[-1][2] += yours
        elif (
            not equal
            and len(chunks) >= 2
            and not chunks[-2][0]
            and "".join(chunks[-1][1]).isspace()
        ):
            space = chunks.pop()[1]
            chunks[-1][1] += space + mine
            chunks[-1][2] += space + yours
        elif equal or mine or yours:
            chunks.append([equal, list(mine), list(yours)])
    chunks.append([True, a[len(a) - end :], []])
    out: list[tuple[str, str]] = []
    for index, (equal, mine, yours) in enumerate(chunks):
        if equal:
            words = [w for w in mine if not w.isspace()]
            if len(words) > 2 * context + 2:
                head, tail = _cut_words(mine, context, index == 0, index == len(chunks) - 1)
                out += [("same", head), ("gap", " … "), ("same", tail)]
            else:
                out.append(("same", "".join(mine)))
            continue
        out += [("ours", _clip("".join(mine))), ("theirs", _clip("".join(yours)))]
    return [(kind, text) for kind, text in out if text]


def _clip(text: str) -> str:
    if len(text) <= SHOWN_CHANGE:
        return text
    half = SHOWN_CHANGE // 2
    return f"{text[:half]} … ({len(text) - 2 * half:,} characters) … {text[-half:]}"


def _as_text(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(iv.MATTER_SHORT.get(str(v), str(v)) for v in value) or "none"
    return str(value)


def _words(text: str) -> list[str]:
    return re.findall(r"\s+|[^\s]+", text)


def _cut_words(tokens: list[str], context: int, at_start: bool, at_end: bool) -> tuple[str, str]:
    """The first and last `context` words of an unchanged stretch (none at the text's ends)."""
    positions = [i for i, t in enumerate(tokens) if not t.isspace()]
    head = "" if at_start else "".join(tokens[: positions[context - 1] + 1])
    tail = "" if at_end else "".join(tokens[positions[-context] :])
    return head, tail
