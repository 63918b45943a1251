"""Issue 13 items 5-8, the core rules: an approximate month keeps its approximation, dates to
check (one rule each, in the read model), stage summaries that say what the record says, the
agency register and the exports folder."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from reviewer_tui import bundle, dates, read_model
from reviewer_tui import chronology as ch
from reviewer_tui import models as m
from reviewer_tui.reviews import Store

TODAY = dt.date(2025, 9, 1)


# --- item 6: dates --------------------------------------------------------------------------
def test_an_approximate_month_keeps_its_approximation(store: Store, tmp_path: Path) -> None:
    when = dates.parse("c. May 2024", TODAY)
    assert when == dates.When("2024-05-01", "approximate month")
    assert when.display() == "c. May 2024"
    assert dates.parse(dates.edit_text(when.when, when.precision), TODAY) == when
    rid = store.create_review("t", "internal case review", "concern")
    ch.add_entry(store, rid, when.when, when.precision, event="Seen at home")
    target = tmp_path / "c.csv"
    ch.export_csv(store, rid, target)
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert rows[1][0] == "c. May 2024" and rows[1][7] == "approximate month"
    out = tmp_path / "b.json"
    assert bundle.export_file(store, rid, out)["chronology"][0]["date_precision"] == (
        "approximate month"
    )
    again = bundle.import_file(store, out)
    copy = ch.entries(store, again)[0]
    assert dates.display_when(copy.when, copy.date_precision) == "c. May 2024"
