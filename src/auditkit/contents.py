"""A round's contents: one content folder per language its workshops work in (a mixed round: Finnish and
Swedish workshops), the same criteria in each, so that every workshop's documents are made from the content in
its language and every returned file is read against the content it was made from.

The round's main content is the one in the round's language (else the first given): its criteria, scale and
rules are what the round is scored by; another language's content must have the same criteria (numbers, ids,
areas, elements, applicability) and scale values, which load_contents checks.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .catalogue import Catalogue, load_catalogue
from .errors import ContentError, Problem, Text, say
from .i18n import N_, language
from .model import Returned


def content_language(catalogue: Catalogue) -> str:
    """The language a content folder says it is in (meta.toml language: "fi", "sv", also "sv-FI"), as a code."""
    try:
        return language(catalogue.meta.language).code
    except ValueError:
        return catalogue.meta.language


@dataclass(frozen=True, slots=True)
class Contents:
    """The content of a round in each of its languages. main: the round's (it scores the round); others: the
    same criteria in other languages, one per language."""

    main: Catalogue
    others: tuple[Catalogue, ...] = ()

    @property
    def all(self) -> tuple[Catalogue, ...]:
        return (self.main, *self.others)

    def for_language(self, lang: str) -> Catalogue | None:
        """The content in a language, or None when the round has none in it."""
        return next((c for c in self.all if content_language(c) == lang), None)

    def by_hash(self, digest: str) -> Catalogue | None:
        return next((c for c in self.all if c.hash == digest), None)


_PARTS = {"criterion": N_("criterion"), "area": N_("area"), "element": N_("element")}


def differences(main: Catalogue, other: Catalogue) -> list[Text]:
    """How another language's content differs from the main one in what scoring and read-back rely on (the
    criteria's numbers, ids, areas, elements and applicability; the areas and elements; the scale's values);
    empty when it is the same content in another language."""
    out: list[Text] = []

    def compare(part: str, mine: dict[int | str, str], theirs: dict[int | str, str]) -> None:
        what = say(_PARTS[part])
        for key in sorted(set(mine) | set(theirs), key=lambda k: (0, k, "") if isinstance(k, int) else (1, 0, k)):
            if key not in theirs or key not in mine:
                out.append(say("{what} {key} is only in {folder}", what=what, key=str(key),
                               folder=main.path if key in mine else other.path))
            elif mine[key] != theirs[key]:
                out.append(say("{what} {key} differs: {main} in the round's content, {other} here", what=what,
                               key=str(key), main=mine[key], other=theirs[key]))

    def criteria(c: Catalogue) -> dict[int | str, str]:
        return {x.number: " / ".join((x.id, x.area_id, x.element_id, x.applies_to)) for x in c.criteria}

    compare("criterion", criteria(main), criteria(other))
    compare("area", {a.id: a.element_id for a in main.areas}, {a.id: a.element_id for a in other.areas})
    compare("element", {e.id: e.descriptors for e in main.elements}, {e.id: e.descriptors for e in other.elements})
    if tuple(main.scale.values) != tuple(other.scale.values):
        out.append(say("the scale differs: {main} in the round's content, {other} here",
                       main=", ".join(map(str, main.scale.values)), other=", ".join(map(str, other.scale.values))))
    return out


def load_contents(paths: Sequence[str | os.PathLike[str] | None], round_language: str = "fi") -> Contents:
    """The contents of the folders given (none: the default content), the main one the round's language's.

    Raises ContentError when two folders are in the same language, or when another language's content has
    other criteria than the main one (each difference named)."""
    catalogues = [load_catalogue(p) for p in (paths or [None])]
    by_language: dict[str, Catalogue] = {}
    for catalogue in catalogues:
        lang = content_language(catalogue)
        if lang in by_language:
            raise ContentError(say(
                "{first} and {second} are both in {language}; give --content once per language.",
                first=by_language[lang].path, second=catalogue.path, language=lang))
        by_language[lang] = catalogue
    main = by_language.get(round_language, catalogues[0])
    others = tuple(c for c in catalogues if c is not main)
    for other in others:
        found = differences(main, other)
        if found:
            raise ContentError(say(
                "{other} ({other_language}) has other criteria than {main} ({main_language}), the round's content; "
                "a round's contents in its languages must have the same criteria, areas and scale. Give --content "
                "folders of the same content version:", other=other.path, other_language=content_language(other),
                main=main.path, main_language=content_language(main)),
                [Problem(other.path, "", text) for text in found[:20]])
    return Contents(main, others)


@dataclass(frozen=True, slots=True)
class ContentReader:
    """A format reader (excel.read_workbook, word.read_form) for a round whose files were made from its contents
    in several languages: a file made from another language's content is read against that content (its
    criteria texts and scale labels are in that language) and then counts as the round's, whose criteria it has
    (load_contents checked). Picklable, so that it travels to worker processes as the plain readers do."""

    reader: object  # Callable[[Path, Catalogue], Returned]
    contents: Contents

    def __call__(self, path: Path, catalogue: Catalogue) -> Returned:
        read = self.reader(path, catalogue)  # type: ignore[operator]
        assert isinstance(read, Returned)
        made = read.identity.content_hash
        other = self.contents.by_hash(made) if made and made != catalogue.hash else None
        if other is None:
            return read
        again = self.reader(path, other)  # type: ignore[operator]
        assert isinstance(again, Returned)
        return replace(again, identity=replace(again.identity, content_hash=catalogue.hash,
                                               content_version=catalogue.version))


def readers(read_workbook: object, read_form: object, contents: Contents | None) -> tuple[object, object]:
    """The readers compile_round is given: as they are for a round in one language, else ContentReaders."""
    if contents is None or not contents.others:
        return read_workbook, read_form
    return ContentReader(read_workbook, contents), ContentReader(read_form, contents)
