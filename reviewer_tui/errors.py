"""Every error the app raises on purpose, in one module that every layer imports.

Standard library only and importing nothing of the app, so storage, encryption, reviews, the
importers, the reports, the CLI and the screens can all depend on it without depending on each
other. Each message is written for a lead reviewer: it says what is wrong and what to do.

    InputError            a change refused with a message; nothing was stored
        DateProblem       a date or time we will not guess
        Locked            a change to a signed record without a reason
        ReadOnlyError     (also a StorageError) a write while the reviews are open read-only
    StorageError          a problem with the data file
        AlreadyOpen       another instance holds the folder
        EncryptionUnavailable, PassphraseNeeded, WrongPassphrase, BadPassphrase
    BackupStopped         a backup given up because the app is stopping
    BundleError           a bundle refused on import, one line per problem
    UserFileError         a file the user chose that cannot be read
    ImportFileError       a file that cannot be read as a chronology
    TemplateProblem       a report template that cannot be used
    PublicationError      a publication version that cannot be made
"""

from __future__ import annotations

READ_ONLY_MESSAGE = (
    "These reviews are open read-only (the folder or file cannot be written, "
    "for example a CD, a locked USB stick or a read-only share): nothing can be "
    "changed here. Copy the folder somewhere writable to edit."
)


class InputError(ValueError):
    """Input we refuse, with a message naming the problem. Nothing is stored."""


class DateProblem(InputError):
    """A date we will not guess: the message says what is wrong and how to write it."""


class Locked(InputError):
    """A change to a signed record (read_model.signed_record) made without a reason: nothing was
    stored. `question` asks for the reason in the record's terms; `table`, `row_id` name it."""

    def __init__(self, question: str, table: str, row_id: int) -> None:
        super().__init__(f"{question} Give a reason to change it; nothing was changed.")
        self.question = question
        self.table = table
        self.row_id = row_id


class StorageError(Exception):
    """A problem with the data file, with a message a lead reviewer can act on."""


class AlreadyOpen(StorageError):
    """Another reviewer-tui holds the data folder's lock; this one must not write."""


class ReadOnlyError(StorageError, InputError):
    """A write was attempted while the reviews are open read-only.

    Also an InputError (a change refused with a message, nothing stored), which every screen
    already handles; not a DB-API error, so SQLAlchemy passes it through unwrapped.
    """

    def __init__(self, message: str = READ_ONLY_MESSAGE) -> None:
        super().__init__(message)


class BackupStopped(Exception):
    """A backup given up because the app is stopping; the half-made copy has been removed."""


class EncryptionUnavailable(StorageError):
    """The optional sqlcipher3 package is missing; the message says how to install it."""


class PassphraseNeeded(StorageError):
    """The file is encrypted and no passphrase was given."""


class WrongPassphrase(StorageError):
    """The passphrase does not open the file."""


class BadPassphrase(StorageError):
    """A passphrase that cannot be used at all (empty, or a character that cannot be encoded)."""


class BundleError(ValueError):
    """A bundle that is refused. `problems` holds one 'json.path: what is wrong' line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class UserFileError(ValueError):
    """A file refused while reading. `kind` is "file" (cannot be read at all) or "parse"."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


class ImportFileError(ValueError):
    """A file we cannot read as a chronology; the message says why in plain words."""


class TemplateProblem(Exception):
    """A template that cannot be used, with a message naming the template and the line."""


class PublicationError(Exception):
    """A publication version cannot be made; the message says why and where."""

    def __init__(self, message: str, hits: list[str] | None = None) -> None:
        super().__init__(message)
        self.hits = hits or []
