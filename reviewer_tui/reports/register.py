"""The register of every person in a review, pseudonyms, and the publication check
(RELIABILITY.md rules 15-16).

Name forms: each name and alias as written, without accents, with each kind of apostrophe,
"SURNAME, Given", "Surname, Given", "G. Surname", "Surname G", titles with the surname, the given
name and the surname alone. Names and aliases the reviewer recorded take precedence over forms
made from them; a made form shared by two people with different pseudonyms (two Brennans) is
never replaced, only checked, so the check blocks and the reviewer rewrites that sentence.

Multi-word forms match in any letter case; single words match as written, in capitals or
capitalised ("Frank" the grandfather, not "a frank discussion"). Possessives need no form of their
own: a match ends at any character that is not a letter or digit, so "Tyler's" and "Tyler’s"
are found through "Tyler".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from reviewer_tui.genogram import relationship_role

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")
APOSTROPHES = "'’‘ʼ`"
STREET_WORDS = (
    "road",
    "street",
    "lane",
    "row",
    "avenue",
    "close",
    "drive",
    "way",
    "court",
    "house",
    "crescent",
    "gardens",
    "terrace",
    "place",
    "walk",
    "grove",
    "hill",
    "mews",
    "cottage",
    "cottages",
    "farm",
    "lodge",
    "rise",
    "view",
    "square",
    "park",
    "green",
    "parade",
    "yard",
)
POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_ANY_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’\-.]*$")


@dataclass
class Entry:
    """One person in the register."""

    kind: str  # family | staff | other
    pseudonym: str
    names: list[str]  # the name and every alias the reviewer recorded
    dates_of_birth: list[dt.date] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    label: str = ""  # how messages refer to them, never their name


def _strip_accents(text: str) -> str:
    if text.isascii():  # nothing to strip (most text)
        return text
    # Only the runs of non-ASCII characters are translated: str.translate takes a dictionary
    # step per character, 2.4 s over the 18 MB of a large review's accented notes; the runs
    # are found in C and hold a few per cent of the characters (0.9 s in all).
    table = _combining()
    return _NON_ASCII.sub(
        lambda run: run.group(0).translate(table), unicodedata.normalize("NFKD", text)
    )


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@functools.cache
def _combining() -> dict[int, None]:
    """Every combining character, for str.translate to drop: a Python step per character took
    20 s over the 20 MB of a large review (built once, about 0.1 s)."""
    return {c: None for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))}


def _variants(form: str) -> set[str]:
    out = {form, unicodedata.normalize("NFC", form), _strip_accents(form)}
    for text in list(out):
        if any(a in text for a in APOSTROPHES):
            for a in APOSTROPHES:
                out.add(re.sub(f"[{APOSTROPHES}]", a, text))
            out.add(re.sub(f"[{APOSTROPHES}]", "", text))
        if "-" in text:
            out.add(text.replace("-", " "))
    return {v for v in out if v.strip()}


def name_like(text: str) -> str | None:
    """A person's name at the start of free text such as 'Priti Shah, Business Support Officer'
    or 'Rhiannon Pugh (interviewer)'; None for 'None requested' and the like."""
    head = re.split(r"[,(;–—]", text, maxsplit=1)[0].strip()
    words = head.split()
    if not 2 <= len(words) <= 4:
        return None
    if all(_NAME_WORD.match(w) for w in words) and words[0] not in ("None", "Not", "No", "The"):
        return head
    return None


def made_forms(name: str) -> set[str]:
    """Forms made from one name: 'SURNAME, Given', initials, titles, given name, surname."""
    words = name.split()
    forms: set[str] = set()
    if len(words) < 2:
        return forms
    given, surname = words[0], words[-1]
    if given.rstrip(".") in TITLES or len(given.rstrip(".")) < 2:
        return forms  # "Ms Brennan", "T. Brennan": recorded as they are, nothing to make
    initial = given[0]
    forms |= {
        f"{surname}, {given}",
        f"{surname.upper()}, {given}",
        f"{surname.upper()} {given}",
        f"{given} {surname.upper()}",
        f"{initial}. {surname}",
        f"{initial} {surname}",
        f"{surname} {initial}",
        f"{surname}, {initial}",
        f"{surname}, {initial}.",
        f"{surname} {initial}.",
        given,
        surname,
    }
    forms |= {f"{title} {surname}" for title in TITLES}
    forms |= {f"{title}. {surname}" for title in TITLES}
    return forms


class Register:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._build()

    # --- forms ---------------------------------------------------------------------------------
    def _build(self) -> None:
        recorded: dict[str, set[int]] = {}
        made: dict[str, set[int]] = {}
        for index, entry in enumerate(self.entries):
            for name in entry.names:
                for form in _variants(name.strip()):
                    recorded.setdefault(form, set()).add(index)
                for base in made_forms(name.strip()):
                    for form in _variants(base):
                        made.setdefault(form, set()).add(index)
        self.forms: dict[str, set[int]] = {}  # every form -> the people it may be
        self.replacements: dict[str, str] = {}  # forms that name exactly one pseudonym
        for source, tier in ((recorded, 0), (made, 1)):
            for form, who in source.items():
                if len(form) < 2:
                    continue
                self.forms.setdefault(form, set()).update(who)
                if form in self.replacements or (tier == 1 and form in recorded):
                    continue
                pseudonyms = {self.entries[i].pseudonym for i in who}
                if len(pseudonyms) == 1:
                    self.replacements[form] = pseudonyms.pop()
        self._replace_re = _forms_regex(self.replacements)
        # pseudonyms that name a post ("Team Manager"), read with "the" in running text; not
        # a family's ("Mother") nor a label ending in a letter or number ("Child T", "SW 1")
        self._roles = {
            e.pseudonym
            for e in self.entries
            if e.kind != "family"
            and e.pseudonym[:1].isupper()
            and not re.search(r"(?:^|\s)[A-Z0-9]\w?$", e.pseudonym)
        }
        # a family's pseudonyms that are relationship words ("Mother", "Maternal grandfather"),
        # read in running text as a common noun: "from the maternal grandfather"
        self._relatives = {
            e.pseudonym
            for e in self.entries
            if e.kind == "family"
            and relationship_role(e.pseudonym)[0] not in ("subject", "other")
            and e.pseudonym.casefold() not in _FAMILY_NAMES
        }
        self._lookup = {_fold(k): v for k, v in self.replacements.items()}
        self._replace_index: dict[str, list[tuple[re.Pattern[str], Any]]] = {}
        if self._replace_re is not None:
            for form in self.replacements:
                for key in _keys(form):
                    self._replace_index[key] = [(self._replace_re, None)]

    def check_pseudonyms(self) -> list[str]:
        """Pseudonyms that are missing or that equal (or contain) someone's name form."""
        problems = []
        for entry in self.entries:
            if not entry.pseudonym.strip():
                problems.append(f"{entry.label} has no pseudonym: give one before publishing.")
                continue
            hits = find_names(entry.pseudonym, self)
            if entry.pseudonym.strip() in self.forms or hits:
                problems.append(
                    f"The pseudonym '{entry.pseudonym}' ({entry.label}) is, or contains, a real "
                    "name in the register: choose another."
                )
        return problems

    # --- replacing ------------------------------------------------------------------------------
    def pseudonymise(self, text: str) -> str:
        """Names replaced by pseudonyms so the sentence reads as if written that way (see
        `_fit`), then dates of birth and addresses withheld."""
        if not text or self._replace_re is None:
            return text
        out, last = "", 0
        for match, _payload in _scan(text, self._replace_index):
            if match.start() < last:  # inside text already taken by the name before
                continue
            pseudonym = self._lookup.get(_fold(match.group(0)), match.group(0))
            out, replacement, skip = _fit(
                out + text[last : match.start()],
                text[match.end() :],
                pseudonym,
                "post"
                if pseudonym in self._roles
                else "relative"
                if pseudonym in self._relatives
                else "",
            )
            out += replacement
            last = match.end() + skip
        text = out + text[last:]
        return _replace(text, self._detail_index(), lambda _m, payload: payload)

    def _detail_index(self) -> dict[str, list[tuple[re.Pattern[str], Any]]]:
        if not hasattr(self, "_details"):
            details: dict[str, list[tuple[re.Pattern[str], Any]]] = {}
            for entry in self.entries:
                for day in entry.dates_of_birth:
                    for form in date_forms(day):
                        _index(details, form, _phrase_regex(form), "[date of birth withheld]")
                for address in entry.addresses:
                    for part in address_parts(address):
                        _index(details, part, _phrase_regex(part), "[address withheld]")
            self._details = details
        return self._details


# what a family calls its own, used as names ("Dad said no"), not as common nouns
_FAMILY_NAMES = {
    "mum",
    "mom",
    "dad",
    "nan",
    "nana",
    "nanna",
    "gran",
    "granny",
    "grandad",
    "grandma",
}
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this"}
# words that open a sentence and run on into a name ("At Francis D'Arcy's house"), unlike a
# salutation ("Dear Owen Pritchard,"), which keeps the pseudonym as it is
_OPENING_WORDS = {"at", "from", "with", "for", "by", "and", "but", "after", "before", "as"}


def _fit(before: str, after: str, pseudonym: str, role: str) -> tuple[str, str, int]:
    """How a pseudonym replaces a name between `before` and `after`, so the text reads as if
    written with it: (the text before, possibly trimmed; the replacement; how many characters
    of `after` to drop).

    - after its own role ("Team Manager Owen Pritchard", "his mother, Kerry Brennan, in") the
      name goes, with its commas: "Team Manager", "his mother in";
    - before its own role ("Priti Shah, Business Support Officer", "Tyler Brennan (Child T)",
      "Amélie Durand (Social Worker, North)") the role is not said twice;
    - a post in running text takes "the" ("with the Team Manager"; "The Team Manager wrote");
    - a relative named by a relationship word is a common noun in running text ("from the
      maternal grandfather"; "British; the mother describes"; "his mother").
    `role` says which: "post", "relative" or "" (a name such as "Child T", used as it is).
    """
    p = re.escape(pseudonym)
    said = re.search(rf"(?i)(?<!\w){p}(,?\s+)$", before)
    if said:  # the role is written just before the name: the name adds nothing
        before = before[: len(before) - len(said.group(1))]
        skip = 1 if "," in said.group(1) and after.startswith(",") else 0
        return before, "", skip
    skip = 0
    again = re.match(rf"(?i)(\s*\(\s*){p}(\s*\)|\s*,\s*)?|,\s*{p}(?!\w)", after)
    if again:
        if again.group(1) is not None and again.group(2) is not None:
            if ")" in again.group(2):  # "Tyler Brennan (Child T)": the brackets go
                skip = again.end()
            else:  # "(Social Worker, North)": "(North)" stays
                return before, _article(before, after, pseudonym, role) + " (", again.end()
        elif again.group(1) is None:  # ", Business Support Officer"
            skip = again.end()
    return before, _article(before, after[skip:], pseudonym, role), skip


def _article(before: str, after: str, pseudonym: str, role: str) -> str:
    if not role:
        return pseudonym
    noun = pseudonym[:1].lower() + pseudonym[1:] if role == "relative" else pseudonym
    if re.search(r"\w['’]s[ \t]+$", before):  # "Tyler's Kerry Brennan": "Child T's mother"
        return noun
    previous = re.search(r"(\w+)[ \t]+$", before)  # the word before, on the same line
    word = previous.group(1) if previous else ""
    # "with Owen Pritchard", or a sentence that opens into the name: "At Francis D'Arcy's house"
    opening = word.casefold() in _OPENING_WORDS and re.search(r"(?:^|[.!?]\s+)\w+[ \t]+$", before)
    if word and (word[:1].islower() or opening):
        if word.casefold() in _DETERMINERS:
            return noun
        return f"the {noun}"
    # running text goes on after the name: "Owen Pritchard wrote", "Kerry Brennan's view"
    running = re.match(r"(?:['’]s)?[ \t]+(?:\(.*\)[ \t]+)?[a-z]", after)
    if running and (not before.strip() or re.search(r"(?:[.!?]\s+|\n[ \t]*)$", before)):
        return f"The {noun}"  # a sentence or a line starts with the name
    if running and re.search(r"[;:,][ \t]+$", before):  # "British; Kerry Brennan describes"
        return f"the {noun}"
    return pseudonym


# --- finding forms fast: only words that can start a form are tried -------------------------------
_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return _strip_accents(unicodedata.normalize("NFC", word)).casefold()


def _keys(form: str) -> set[str]:
    """The words a form can start with in text, as looked up: its first word, and for a phrase
    written without spaces (a postcode as 'EQ42PL') the run-together version."""
    keys = set()
    for candidate in (form, form.replace(" ", "")):
        first = _WORD.search(_strip_accents(candidate))
        if first:
            keys.add(_word_key(first.group(0)))
    return keys


def _index(
    index: dict[str, list[tuple[re.Pattern[str], Any]]],
    form: str,
    pattern: re.Pattern[str],
    payload: Any,
) -> None:
    for key in _keys(form):
        entries = index.setdefault(key, [])
        if (pattern, payload) not in entries:
            entries.append((pattern, payload))


def _scan(
    text: str, index: dict[str, list[tuple[re.Pattern[str], Any]]], every: bool = False
) -> Iterator[tuple[re.Match[str], Any]]:
    """Matches starting at a word that can start a form; the longest at each place, left to
    right without overlaps (or, with `every`, every pattern's match at every place)."""
    if not index:
        return
    # The words of the text that start a form, found once per distinct word (a long text
    # repeats a few thousand words): the text is then searched for those words only, in C,
    # instead of a Python step per word (20 MB of notes are three million words).
    starts = [w for w in _distinct_words(text) if _word_key(w) in index]
    if not starts:
        return
    resume = 0
    for word in _start_finder(frozenset(starts)).finditer(text):
        if word.start() < resume and not every:
            continue
        entries = index[_word_key(word.group(0))]
        best: tuple[re.Match[str], Any] | None = None
        for pattern, payload in entries:
            match = pattern.match(text, word.start())
            if match is None:
                continue
            if every:
                yield match, payload
            elif best is None or match.end() > best[0].end():
                best = (match, payload)
        if best is not None:
            yield best
            resume = best[0].end()


# The distinct words of the last few texts scanned: one text is scanned several times in a row
# (for names to replace, then for dates of birth and addresses, then the publication check of
# the result), and finding its words is most of the cost of each scan.
_WORDS_OF: dict[str, frozenset[str]] = {}
_WORDS_KEPT = 4


def _distinct_words(text: str) -> frozenset[str]:
    words = _WORDS_OF.get(text)
    if words is None:
        words = frozenset(_WORD.findall(text))
        if len(_WORDS_OF) >= _WORDS_KEPT:
            for old in list(_WORDS_OF)[: len(_WORDS_OF) - _WORDS_KEPT + 1]:
                _WORDS_OF.pop(old, None)
        _WORDS_OF[text] = words
    return words


@functools.lru_cache(maxsize=1024)
def _start_finder(words: frozenset[str]) -> re.Pattern[str]:
    """Each of `words` where it is a whole word of the text (a maximal run of word characters,
    as _WORD finds them), left to right."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def _replace(
    text: str, index: dict[str, list[tuple[re.Pattern[str], Any]]], replacement: Any
) -> str:
    pieces, last = [], 0
    for match, payload in _scan(text, index):
        pieces.append(text[last : match.start()])
        pieces.append(replacement(match, payload))
        last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _fold(text: str) -> str:
    """The key two spellings of one form share: no accents, one apostrophe, any case."""
    text = re.sub(f"[{APOSTROPHES}]", "'", _strip_accents(unicodedata.normalize("NFC", text)))
    return " ".join(text.split()).casefold()


def _char_pattern(ch: str) -> str:
    if ch in APOSTROPHES:
        return f"[{APOSTROPHES}]"
    plain = _strip_accents(ch)
    if plain != ch and plain:
        return f"(?:{re.escape(ch)}|{re.escape(plain)})"
    return re.escape(ch)


def _word_pattern(word: str) -> str:
    return "".join(_char_pattern(c) for c in word)


def _form_pattern(form: str) -> str:
    """Accented letters also match without their accent and any apostrophe matches any other,
    letter by letter, so mixed spellings ("O’BRIEN, Zoë") are found too."""
    words = form.split()
    if len(words) > 1:
        return "(?i:" + r"\s+".join(_word_pattern(w) for w in words) + ")"
    variants = {form, form.upper(), form[:1].upper() + form[1:]}
    return "(?:" + "|".join(_word_pattern(v) for v in sorted(variants, key=len, reverse=True)) + ")"


def _forms_regex(forms: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(forms), key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(_form_pattern(f) for f in ordered) + r")(?![\w])")


def _phrase_regex(phrase: str) -> re.Pattern[str]:
    body = (
        r"\s*".join(re.escape(w) for w in phrase.split())
        if POSTCODE.fullmatch(phrase)
        else r"\s+".join(re.escape(w) for w in phrase.split())
    )
    return re.compile(r"(?<![\w])" + body + r"(?![\w])", re.IGNORECASE)


def date_forms(day: dt.date) -> list[str]:
    """A date of birth as people write it."""
    months = (day.strftime("%B"), day.strftime("%b"))
    suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    forms = {day.isoformat(), day.strftime("%Y%m%d"), day.strftime("%Y/%m/%d")}
    for d in (f"{day.day:02d}", str(day.day)):
        for mth in (f"{day.month:02d}", str(day.month)):
            for sep in "/.-":
                forms.add(f"{d}{sep}{mth}{sep}{day.year}")
                forms.add(f"{d}{sep}{mth}{sep}{day.year % 100:02d}")
                forms.add(f"{mth}{sep}{d}{sep}{day.year}")
        for month in months:
            forms |= {
                f"{d} {month} {day.year}",
                f"{d}{suffix} {month} {day.year}",
                f"{d}{suffix} of {month} {day.year}",
                f"{month} {d}, {day.year}",
                f"{month} {d} {day.year}",
                f"{month} {d}{suffix}, {day.year}",
                f"{d}-{month}-{day.year}",
            }
    return sorted(forms, key=len, reverse=True)


def address_parts(address: str) -> list[str]:
    """The identifying parts of an address: postcodes, house number and street, house names.
    Towns are left out (the agency's own name usually contains one)."""
    parts: set[str] = set()
    for match in POSTCODE.finditer(address):
        parts.add(f"{match.group(1)} {match.group(2)}")
    for match in re.finditer(r"\b\d+[A-Za-z]?\s+(?:[A-Z][\w'’-]*\s+)*[A-Z][\w'’-]*", address):
        words = match.group(0).split()
        if len(words) >= 2 and words[-1].lower() in STREET_WORDS:
            parts.add(match.group(0))
    for segment in re.split(r"[,;()]", address):
        segment = segment.strip()
        words = segment.split()
        if POSTCODE.fullmatch(segment) or not words:
            continue
        if words[-1].lower() in STREET_WORDS and all(
            w[:1].isupper() or w[:1].isdigit() for w in words
        ):
            parts.add(segment)
    if address.strip():
        parts.add(address.strip())
    return sorted(parts, key=len, reverse=True)


def register_from_bundle(bundle: dict[str, Any]) -> Register:
    """Everyone the review names who must not be named in public: family, staff, meeting
    attendees, note takers and supporters; not the lead reviewer nor the commissioner."""
    entries: list[Entry] = []
    review = bundle.get("review", {})
    members = bundle.get("family", {}).get("members", [])
    child_recorded = any(m.get("name") == review.get("child_name") for m in members)
    if review.get("child_name") and not child_recorded:
        entries.append(
            Entry(
                "family",
                review.get("child_pseudonym", ""),
                [review["child_name"]],
                label="the child",
            )
        )
    for n, m in enumerate(members, start=1):
        dob = []
        if m.get("date_of_birth"):
            dob.append(dt.date.fromisoformat(m["date_of_birth"]))
        entries.append(
            Entry(
                "family",
                m.get("pseudonym", ""),
                [m["name"], *m.get("also_known_as", [])],
                dob,
                [m["address"]] if m.get("address") else [],
                label=f"family member {n} ({m.get('relationship') or 'no relationship'})",
            )
        )
    known = {_fold(n) for e in entries for n in e.names}
    for n, p in enumerate(bundle.get("people", []), start=1):
        entries.append(
            Entry(
                "staff",
                p.get("pseudonym", ""),
                [p["full_name"], *p.get("also_known_as", [])],
                addresses=[p["home_address"]] if p.get("home_address") else [],
                label=f"member of staff {n} ({p.get('designation') or 'no designation'})",
            )
        )
        known |= {_fold(p["full_name"])}
    for n, p in enumerate(bundle.get("people", []), start=1):
        supporter = name_like(p.get("supporter", ""))
        if supporter and _fold(supporter) not in known:
            known.add(_fold(supporter))
            entries.append(
                Entry("other", "a supporter", [supporter], label=f"supporter of staff {n}")
            )

    def other(name: str, pseudonym: str, label: str) -> None:
        if name and _fold(name) not in known:
            known.add(_fold(name))
            entries.append(Entry("other", pseudonym, [name], label=label))

    # The author (lead reviewer) and the commissioner are public roles: a published report is
    # theirs by name, so they are never replaced nor counted as a leak, wherever they appear.
    for public in ("lead_reviewer", "commissioner"):
        name = review.get(public, {}).get("name", "")
        if name:
            known.add(_fold(name))
    meeting = bundle.get("meeting", {})
    for o in meeting.get("other_attendees", []):
        other(o.get("name", ""), o.get("role") or "a meeting attendee", "a meeting attendee")
    takers = [meeting.get("note_taker", "")] + [
        i.get("note_taker", "") for i in bundle.get("interviews", [])
    ]
    for text in takers:
        name = name_like(text or "")
        if name:
            other(name, "the note taker", "a note taker")
    return Register(entries)


def pseudonymise_bundle(value: Any, register: Register, key: str = "") -> Any:
    """Every string in the bundle with names replaced; ids and references left alone."""
    if isinstance(value, str):
        if key in ("id", "person_id") or key.endswith("_ids") or key == "evidence":
            return value
        return register.pseudonymise(value)
    if isinstance(value, list):
        return [pseudonymise_bundle(v, register, key) for v in value]
    if isinstance(value, dict):
        return {k: pseudonymise_bundle(v, register, k) for k, v in value.items()}
    return value


# --- the check ----------------------------------------------------------------------------------
def _matcher(register: Register) -> dict[str, list[tuple[re.Pattern[str], Any]]]:
    index: dict[str, list[tuple[re.Pattern[str], Any]]] = {}
    by_person: dict[int, set[str]] = {}
    for form, who in register.forms.items():
        for person in who:
            by_person.setdefault(person, set()).add(form)
    for person, forms in by_person.items():
        regex = _forms_regex(forms)
        if regex is not None:
            for form in forms:
                _index(index, form, regex, f"a name of {register.entries[person].label}")
    for entry in register.entries:
        for day in entry.dates_of_birth:
            for form in date_forms(day):
                _index(
                    index,
                    form,
                    re.compile(
                        r"(?<![\w])"
                        + r"\s*".join(re.escape(w) for w in form.split())
                        + r"(?![\w])",
                        re.IGNORECASE,
                    ),
                    f"the date of birth of {entry.label}",
                )
        for address in entry.addresses:
            for part in address_parts(address):
                _index(index, part, _phrase_regex(part), f"the address of {entry.label}")
    return index


def find_names(text: str, register: Register) -> list[str]:
    return [f"{what}: '{m}'" for m, what in _hits(text, _matcher(register))]


def find_names_in(
    texts: Iterable[tuple[str, str]], register: Register
) -> list[tuple[str, str, str]]:
    """The same check as `find_names` over many texts at once, built once: (where, what, the
    words found) for each hit, `where` as given with the text."""
    checks = _matcher(register)
    return [(where, what, found) for where, text in texts for found, what in _hits(text, checks)]


def _hits(text: str, checks: dict[str, list[tuple[re.Pattern[str], Any]]]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    stripped = _strip_accents(text)  # once: the costly step on a long text
    candidates = {unicodedata.normalize("NFC", text), stripped}
    candidates.add(_ANY_APOSTROPHE.sub("'", stripped))
    for candidate in candidates:
        for match, what in _scan(candidate, checks, every=True):
            item = (match.group(0), what)
            if item not in found:
                found.append(item)
    return found


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PARAGRAPHS = (_W + "p", _A + "p")
_TEXTS = (_W + "t", _W + "instrText", _W + "delText", _A + "t")


def describe_part(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    if name == "word/document.xml":
        return "the document body (word/document.xml)"
    for prefix, what in (
        ("header", "a page header"),
        ("footer", "a page footer"),
        ("comments", "the comments"),
        ("footnotes", "the footnotes"),
        ("endnotes", "the endnotes"),
    ):
        if base.startswith(prefix):
            return f"{what} ({name})"
    if name == "docProps/core.xml":
        return "the document properties (docProps/core.xml)"
    if name == "docProps/app.xml":
        return "the application properties (docProps/app.xml)"
    if name == "docProps/custom.xml":
        return "the custom properties (docProps/custom.xml)"
    if name.startswith("customXml/"):
        return f"custom XML ({name})"
    if name.endswith(".rels"):
        return f"the relationships ({name})"
    return name


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_package(data: bytes | Path, register: Register) -> list[str]:
    """Every place in a .docx where a register name form, date of birth, address or postcode
    appears: every part, every text and attribute value, paragraph text joined across runs."""
    checks = _matcher(register)
    source = BytesIO(data) if isinstance(data, bytes) else Path(data)
    hits: list[str] = []

    def report(where: str, text: str) -> None:
        for found, what in _hits(text, checks):
            hits.append(f"{where}: {what} ('{found}')")

    with zipfile.ZipFile(source) as package:
        if package.comment:
            report("the zip comment", package.comment.decode("utf-8", "replace"))
        for info in package.infolist():
            name = info.filename
            report(f"the part name {name}", name)
            raw = package.read(name)
            where = describe_part(name)
            if not name.endswith((".xml", ".rels")):
                report(f"{where} (binary part)", raw.decode("utf-8", "ignore"))
                continue
            try:
                root = ElementTree.fromstring(raw)
            except ElementTree.ParseError:
                report(f"{where} (unreadable XML)", raw.decode("utf-8", "ignore"))
                continue
            paragraph_number = 0
            for element in root.iter():
                for attr, value in element.attrib.items():
                    report(f"{where}, attribute {_local(attr)} of <{_local(element.tag)}>", value)
                if element.tag in _PARAGRAPHS:
                    paragraph_number += 1
                    joined = "".join(t.text or "" for t in element.iter() if t.tag in _TEXTS)
                    report(f"{where}, paragraph {paragraph_number}", joined)
                elif element.tag not in _TEXTS and (element.text or "").strip():
                    report(f"{where}, <{_local(element.tag)}>", element.text or "")
                if (element.tail or "").strip():
                    report(f"{where}, text after <{_local(element.tag)}>", element.tail or "")
            # Text split across paragraphs or elements, read as one.
            whole = " ".join(t.text or "" for t in root.iter() if t.tag in _TEXTS)
            for found, what in _hits(whole, checks):
                line = f"{where}: {what} ('{found}')"
                if not any(h.startswith(where) and f"('{found}')" in h for h in hits):
                    hits.append(line + " across paragraphs")
    return hits
