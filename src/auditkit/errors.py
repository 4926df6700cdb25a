"""The one exception hierarchy of auditkit, and problems as data."""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass, replace
from typing import Literal, Union

from .i18n import N_

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


Param = Union[str, int, float, "Text"]


@dataclass(frozen=True, slots=True)
class Text:
    """A text a person reads, kept as its English source (a msgid of the messages catalogue, with
    str.format fields) and the values of its fields, and said in a language only when shown.

    A value may itself be a Text (a reason inside a message), said in the same language."""

    msgid: str
    params: tuple[tuple[str, Param], ...] = ()

    def said(self, lang: str | None = None) -> str:
        """The text in a language (default: the current one, i18n.current)."""
        from .i18n import wording

        words = wording("messages", lang)
        if not self.params:
            return words(self.msgid)
        values = {name: value.said(words.lang) if isinstance(value, Text) else value for name, value in self.params}
        return words(self.msgid, **values)

    def __str__(self) -> str:
        return self.said()


def say(msgid: str, /, **params: Param) -> Text:
    """A text for the messages catalogue with its values: say("'{value}' is not a rating", value=raw).

    Marks msgid for extraction (`python -m auditkit.i18n messages`); values must be hashable (join a
    list into a str, or pass a Text)."""
    return Text(msgid, tuple(params.items()))


# The places problems name, in the forms the readers write them (an English source, rendered in the
# reader's language when shown): the most particular first. Sheet and cell names stay as the files have them.
_PLACES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), msgid) for pattern, msgid in (
    (r"^sheet (?P<sheet>.+), cell (?P<cell>[A-Z]{1,3}[0-9]+)$", N_("sheet {sheet}, cell {cell}")),
    (r"^sheet (?P<sheet>.+), column (?P<column>[A-Z]{1,3})$", N_("sheet {sheet}, column {column}")),
    (r"^sheet (?P<sheet>.+), rows? (?P<row>[0-9, ]+)$", N_("sheet {sheet}, row {row}")),
    (r"^sheet (?P<sheet>.+)$", N_("sheet {sheet}")),
    (r"^lines? (?P<line>[0-9]+)$", N_("line {line}")),
    (r"^rows? (?P<row>[0-9]+)$", N_("row {row}")),
    (r"^key (?P<key>.+)$", N_("key {key}")),
    (r"^table \[(?P<table>.+)\]$", N_("table [{table}]")),
    (r"^style (?P<style>.+)$", N_("style {style}")),
    (r"^document properties$", N_("document properties")),
    # a form's criterion and row, as the form reader writes it (its row labels as the form shows them)
    (r"^(?:kriteeri|criterion) (?P<number>[0-9]+), (?P<field>.+)$", N_("criterion {number}, {field}")),
    (r"^(?:kriteeri|criterion) (?P<number>[0-9]+)$", N_("criterion {number}")),
))


def place_text(place: str) -> str | Text:
    """A place of one of the known forms as a Text ("line 4" said "rivi 4" in Finnish), to name it inside a
    message; any other place as it is."""
    for pattern, msgid in _PLACES:
        found = pattern.match(place)
        if found:
            return Text(msgid, tuple(found.groupdict().items()))
    return place


def place_said(place: str | Text, lang: str | None = None) -> str:
    """A place as a reader reads it in a language: "sheet Arviointi, cell F12" is "Arviointi!F12"
    in Finnish (as Excel names a cell); "line 4" is "rivi 4"; a place of no known form is shown as it is."""
    if isinstance(place, Text):
        return place.said(lang)
    if not place:
        return ""
    known = place_text(place)
    if isinstance(known, Text):
        return known.said(lang)
    # a compound place: "kriteeri 12, Perustelut", "sheet X, row 5, …" said part by part
    head, sep, rest = place.partition(", ")
    if sep and head != place:
        first = place_said(head, lang)
        if first != head:
            return f"{first}, {rest}"
    return place


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, said as place, problem and fix, in the reader's language.

    file: the file's path as the user gave it (or its name); where: the place in it (a key, a sheet and
    cell, a line; English forms are said in the reader's language, see `place_said`); what: what is
    wrong and what to do, an English source text and its values (`say`); severity: "error" when
    something was refused or could not be read, "warning" when it was read but deserves a look; code:
    a stable kebab-case name of the kind of problem ("rating-not-on-scale"), for filtering and tests.

    `.message` and `.place` are said in the current language (i18n.current); `message_in(lang)` and
    `place_in(lang)` in a given one. A plain str given as the message is shown as it is.
    """

    file: str
    where: str | Text
    what: str | Text
    severity: Severity = "error"
    code: str = ""

    @property
    def params(self) -> tuple[tuple[str, Param], ...]:
        """The values the message names, as (name, value) pairs."""
        return self.what.params if isinstance(self.what, Text) else ()

    def message_in(self, lang: str | None) -> str:
        return self.what.said(lang) if isinstance(self.what, Text) else self.what

    def place_in(self, lang: str | None) -> str:
        if not self.code and isinstance(self.where, str):
            return self.where  # a problem not yet said through the catalogue: its place as written, like its message
        return place_said(self.where, lang)

    @property
    def message(self) -> str:
        return self.message_in(None)

    @property
    def place(self) -> str:
        return self.place_in(None)

    def in_file(self, file: str) -> Problem:
        """The same problem, naming the file as the user knows it."""
        return replace(self, file=file)

    def said_in(self, lang: str | None) -> str:
        where = ", ".join(part for part in (self.file, self.place_in(lang)) if part)
        message = self.message_in(lang)
        return f"{where}: {message}" if where else message

    def __str__(self) -> str:
        return self.said_in(None)


class AuditkitError(Exception):
    """Base of every error auditkit raises on purpose; the CLI turns it into exit status 1.

    The message may be a Text (`say(...)`), said in the current language when shown."""

    def __init__(self, message: str | Text, problems: tuple[Problem, ...] | list[Problem] = ()) -> None:
        super().__init__(message)
        self.text = message
        self.problems: tuple[Problem, ...] = tuple(problems)

    @property
    def message(self) -> str:
        return self.text.said() if isinstance(self.text, Text) else self.text

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
