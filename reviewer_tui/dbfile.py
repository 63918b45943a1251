"""What a reviewer-tui data file is: its name, the header every plain SQLite file starts with,
and the application id that marks it as ours. Constants only, below storage and encryption."""

from __future__ import annotations

APPLICATION_ID = 0x52565455  # "RVTU": marks a reviewer-tui database in the SQLite header
DB_NAME = "reviews.db"
SQLITE_MAGIC = b"SQLite format 3\x00"
