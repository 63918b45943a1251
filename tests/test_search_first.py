"""search._first_per_group: each place's count of matching fields and its first results, from
every matching document of the full-text index handed over in one piece (issue 14: the large
review's common word matches some 11,000 documents, so the picking is done per table, not per
document). Checked against the plain definition: one result per field, its first matching part
standing for it, a place's first results in (row id, part, document id) order across its
tables."""

from __future__ import annotations

import random
from operator import itemgetter

from reviewer_tui import search
from reviewer_tui.search import GROUP_OF


def plain_definition(found: list[tuple[int, str, int, str, int]], per_group: int):
    """The definition, one document at a time (what search_in did before)."""
    totals: dict[str, int] = {}
    chosen: dict[str, list[int]] = {}
    seen = set()
    for doc_id, table, row_id, column, _part in sorted(found, key=itemgetter(2, 4, 0)):
        group = GROUP_OF.get(table)
        if group is None or (table, row_id, column) in seen:
            continue
        seen.add((table, row_id, column))
        totals[group] = totals.get(group, 0) + 1
        if totals[group] <= per_group:
            chosen.setdefault(group, []).append(doc_id)
    return totals, chosen


def _picked(found, per_group):
    rows = sorted(found, key=itemgetter(1))  # as search_in hands them over: each table's together
    return search._first_per_group(rows, per_group)


def test_a_long_field_matched_in_many_parts_is_one_result_its_first_part():
    found = [
        (40, "interview", 7, "notes", 3),
        (31, "interview", 7, "notes", 0),
        (52, "interview", 7, "notes", 9),
        (60, "interview", 7, "disagreements", 0),
        (70, "interview", 8, "notes", 2),
        (71, "interview", 8, "notes", 5),
    ]
    totals, chosen = _picked(found, 25)
    assert totals == {"interviews": 3}
    assert chosen == {"interviews": [31, 60, 70]}


def test_a_place_of_several_tables_shows_its_first_rows_across_them_and_counts_them_all():
    found = [(100 + i, "chronology_entry", 50 - i, "event", 0) for i in range(30)]
    found += [(200, "agency_code", 3, "name", 0), (201, "agency_code", 90, "code", 0)]
    found += [(300, "finding", 5, "statement", 0), (301, "unindexed_table", 1, "x", 0)]
    totals, chosen = _picked(found, 5)
    assert totals == {"chronology": 32, "findings": 1}
    # Row 3 of agency codes comes before the entries' rows 21..25; row 90 is past the first five.
    assert chosen["chronology"] == [200, 129, 128, 127, 126]
    assert chosen["findings"] == [300]


def test_it_agrees_with_the_definition_on_random_matches():
    tables = ["chronology_entry", "agency_code", "interview", "person", "previous_employment"]
    fields = ["notes", "event", "name"]
    for seed in range(40):
        rng = random.Random(seed)
        found = []
        used = set()
        for doc_id in rng.sample(range(1, 5000), rng.randint(0, 400)):
            key = (rng.choice(tables), rng.randint(1, 60), rng.choice(fields), rng.randint(0, 4))
            if key[3] and key[0] != "interview":
                key = (*key[:3], 0)  # only long texts have later parts
            if key in used:
                continue  # one document per part of a field
            used.add(key)
            found.append((doc_id, *key))
        for per_group in (1, 3, 25):
            assert _picked(found, per_group) == plain_definition(found, per_group), (
                seed,
                per_group,
            )
