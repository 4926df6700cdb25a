"""The one exception hierarchy of auditkit, and problems as data."""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
# Set to 1 to see the traceback behind an unexpected error, in the terminal and in a file's problem.
DEBUG_ENV = "AUDITKIT_DEBUG"


def debugging() -> bool:
    """Whether AUDITKIT_DEBUG asks for the tracebacks behind unexpected errors."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "no", "false")


def cause(err: BaseException) -> str:
    """An unexpected error as a message may name it: its type; under AUDITKIT_DEBUG=1 its text and
    traceback too, so that whoever looks into it sees the real cause."""
    if not debugging():
        return type(err).__name__
    return "".join(traceback.format_exception(err)).rstrip()


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, said as place, problem and fix.

    file: the file's path as the user gave it (or its name); place: where in it (a key, a sheet and
    cell, a line); message: what is wrong and what to do; severity: "error" when something was refused
    or could not be read, "warning" when it was read but deserves a look.
    """

    file: str
    place: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.place) if part)
        return f"{where}: {self.message}" if where else self.message


class AuditkitError(Exception):
    """Base of every error auditkit raises on purpose; the CLI turns it into exit status 1."""

    def __init__(self, message: str, problems: tuple[Problem, ...] | list[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems: tuple[Problem, ...] = tuple(problems)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join([self.message, *(f"  - {p}" for p in self.problems)])


class ContentError(AuditkitError):
    """The content folder (criteria, concepts, scale, rules) is missing or invalid."""


class TemplateError(AuditkitError):
    """A template or the base document is missing or broken."""


class OutputExistsError(AuditkitError):
    """An output file exists and overwriting it was not asked for."""


class OutputError(AuditkitError):
    """An output cannot be written (the folder is a file, no permission, the disk is full); the message
    names the path and what to do."""


class InputFileError(AuditkitError):
    """A file given to auditkit cannot be read (a register, a returned workbook or form)."""


class RoundError(AuditkitError):
    """The round file, the register or the assignment is invalid."""


class UsageError(AuditkitError, ValueError):
    """A library function was given what it cannot use: an unknown role, criterion or field, a value of
    the wrong type, or a package that is not a kit's document. A ValueError too, as Python callers expect."""
