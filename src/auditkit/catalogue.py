"""The criteria, concepts, scale and rules: loading and validating `content/`, and the model."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .i18n import DOCUMENT_LANGUAGES, wording
from .labels import APPLIES_TO, AUDIENCE, label
from .errors import ContentError, Problem, Text, UsageError, say
from .resources import content_dir

Applicability = Literal["all", "youth", "adult", "learning-environments"]
APPLICABILITY: tuple[str, ...] = ("all", "youth", "adult", "learning-environments")
CONCEPT_KINDS: tuple[str, ...] = ("core", "key", "other")
DESCRIPTOR_KINDS: tuple[str, ...] = ("practice", "results")
AUDIENCES: tuple[str, ...] = ("youth", "adult", "both")

FILES = ("meta.toml", "structure.toml", "criteria.toml", "concepts.toml", "scale.toml", "rules.toml")


@dataclass(frozen=True, slots=True)
class Element:
    """One of the three elements (Suunta, Toiminta, Seuranta).

    heading: the name the deck prints on its slides when it differs from name (else name);
    descriptors: "practice" or "results", which scale descriptors suit its criteria.
    """

    id: str
    name: str
    heading: str
    descriptors: str


@dataclass(frozen=True, slots=True)
class Area:
    """An area (osa-alue) of an element."""

    id: str
    element_id: str
    name: str


@dataclass(frozen=True, slots=True)
class Item:
    """A listed theme inside a criterion (criterion 51 has five)."""

    text: str
    applies_to: str = "all"


@dataclass(frozen=True, slots=True)
class Criterion:
    """One quality criterion, its text word for word.

    applies_to: "all", "youth", "adult" or "learning-environments"; condition: a condition the
    workshop judges itself (e.g. criterion 6 and a background organisation), or None;
    concepts: glossary terms the criterion uses.
    """

    number: int
    id: str
    area_id: str
    element_id: str
    text: str
    items: tuple[Item, ...] = ()
    applies_to: str = "all"
    condition: str | None = None
    concepts: tuple[str, ...] = ()
    subheading: str | None = None

    @property
    def full_text(self) -> str:
        """The text with its items, one per line, as it is shown in documents and checked on read-back."""
        return "\n".join([self.text, *(f"• {item.text}" for item in self.items)])


@dataclass(frozen=True, slots=True)
class Concept:
    """A glossary concept. kind: "core", "key" or "other"; definition None for "other" concepts."""

    term: str
    kind: str
    definition: str | None
    source: str | None = None

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in (self.definition or "").split("\n\n") if p)


@dataclass(frozen=True, slots=True)
class Note:
    title: str
    text: str

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in self.text.split("\n\n") if p)


@dataclass(frozen=True, slots=True)
class Level:
    """A level of the rating scale, with its practice and results descriptors."""

    value: int
    name: str
    plain: str
    practice: str
    results: str

    @property
    def label(self) -> str:
        """What a drop-down shows, e.g. "3 – Kehittynyt"."""
        return f"{self.value} – {self.name}"


@dataclass(frozen=True, slots=True)
class NotApplicable:
    label: str
    plain: str
    code: str
    meaning: str
    reason_required: bool = True


@dataclass(frozen=True, slots=True)
class Scale:
    levels: tuple[Level, ...]
    not_applicable: NotApplicable

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)

    @property
    def min(self) -> int:
        return min(self.values)

    @property
    def max(self) -> int:
        return max(self.values)

    def level(self, value: int) -> Level:
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(value)

    @property
    def choices(self) -> tuple[str, ...]:
        """Every drop-down entry: the levels' labels, then "Ei sovellu"."""
        return (*(level.label for level in self.levels), self.not_applicable.label)


@dataclass(frozen=True, slots=True)
class Rule:
    """Scoring and recommendation thresholds (rules.toml)."""

    max_not_applicable_share: float
    rejected_not_applicable_counts_as: int
    fail_rating: int
    element_mean_min: float
    high_rating: int
    min_share_high: float
    conditional_max_fail: int
    conditional_element_mean_floor: float
    conditional_max_weak_elements: int
    recommended: str
    conditional: str
    not_recommended: str
    conditional_note: str

    def describe(self) -> tuple[str, ...]:
        """The rule in Finnish, one sentence per line, as every report prints it."""
        return (
            "1. Kattavuus: jokainen kriteeri on arvioitu tai sen ”Ei sovellu” on hyväksytty.",
            f"2. Yhtäkään kriteeriä ei ole arvioitu tasolle {self.fail_rating}.",
            f"3. Jokaisen elementin keskiarvo on vähintään {_fi(self.element_mean_min)}.",
            f"4. Vähintään {_fi(round(self.min_share_high * 100, 1))} % arvioiduista kriteereistä on tasolla "
            f"{self.high_rating} tai ylempänä.",
            f"Kaikki neljä täyttyvät: {self.recommended}.",
            f"Kattavuus ja ehto 4 täyttyvät, ja poikkeamia on enintään {self.conditional_max_fail} kriteeriä "
            f"tasolla {self.fail_rating} ja/tai enintään {self.conditional_max_weak_elements} elementti, jonka "
            f"keskiarvo on {_fi(self.conditional_element_mean_floor)}–{_fi(round(self.element_mean_min - 0.01, 2))}: "
            f"{self.conditional} ({self.conditional_note.rstrip('.').lower()}).",
            f"Muuten: {self.not_recommended}.",
            f"Alue tai elementti, jonka kriteereistä yli {_fi(round(self.max_not_applicable_share * 100))} % "
            "on ”Ei sovellu”, ei ole arvioitavissa. Hylätty ”Ei sovellu” lasketaan arvoksi "
            f"{self.rejected_not_applicable_counts_as}.",
        )


def _fi(number: float) -> str:
    """A number the Finnish way: 2,5 and 66,7; whole numbers without decimals."""
    if float(number).is_integer():
        return str(int(number))
    return f"{number}".replace(".", ",")


@dataclass(frozen=True, slots=True)
class Meta:
    title: str
    subtitle: str
    publisher: str
    year: int
    source: str
    language: str
    version: str
    getting_started_title: str
    getting_started: tuple[str, ...]
    question: str


@dataclass(frozen=True, slots=True)
class Profile:
    """Which criteria apply to a workshop: audience youth/adult/both, and learning environments or not."""

    audience: str = "both"
    learning_environments: bool = True


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Everything in a content folder, validated. hash identifies the exact content (sha256, hex)."""

    meta: Meta
    elements: tuple[Element, ...]
    areas: tuple[Area, ...]
    criteria: tuple[Criterion, ...]
    concepts: tuple[Concept, ...]
    note: Note | None
    scale: Scale
    rule: Rule
    path: str
    hash: str = field(default="")

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def short_hash(self) -> str:
        return self.hash[:12]

    def element(self, element_id: str) -> Element:
        return next(e for e in self.elements if e.id == element_id)

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)

    def criterion(self, number: int) -> Criterion:
        for criterion in self.criteria:
            if criterion.number == number:
                return criterion
        raise KeyError(number)

    def areas_of(self, element_id: str) -> tuple[Area, ...]:
        return tuple(a for a in self.areas if a.element_id == element_id)

    def criteria_of(self, area_id: str) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.area_id == area_id)

    def concept(self, term: str) -> Concept:
        return next(c for c in self.concepts if c.term == term)

    def concepts_of(self, kind: str) -> tuple[Concept, ...]:
        return tuple(c for c in self.concepts if c.kind == kind)


def applies(criterion: Criterion | Item, profile: Profile) -> bool:
    """Whether a criterion (or item) applies to a workshop of this profile."""
    if criterion.applies_to == "youth":
        return profile.audience in ("youth", "both")
    if criterion.applies_to == "adult":
        return profile.audience in ("adult", "both")
    if criterion.applies_to == "learning-environments":
        return profile.learning_environments
    return True


def require_criteria(catalogue: Catalogue, numbers: Iterable[int]) -> None:
    """Raise ValueError naming every number that is no criterion of this content."""
    known = {c.number for c in catalogue.criteria}
    unknown = sorted(n for n in numbers if n not in known)
    if unknown:
        raise UsageError(f"no criterion {', '.join(map(str, unknown))} in content {catalogue.version}")




def number_ranges(numbers: Iterable[int]) -> str:
    """Criterion numbers as people write them: 1, 2, 3, 5 -> "1–3, 5"."""
    out: list[str] = []
    nums = sorted(numbers)
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(f"{nums[i]}–{nums[j]}" if j > i else str(nums[i]))
        i = j + 1
    return ", ".join(out)


def criteria_fi(numbers: Iterable[int]) -> str:
    """"kriteerille 12" or "kriteereille 12, 20–22": the allative Finnish wants after "arviota"."""
    numbers = list(numbers)
    return f"{'kriteerille' if len(numbers) == 1 else 'kriteereille'} {number_ranges(numbers)}"


def profile_reason(criterion: Criterion, profile: Profile, lang: str = "fi") -> str:
    """The reason a criterion outside a workshop's profile is Ei sovellu, as every document and workbook
    in this language writes it (the kit's, forward's and checks' one wording)."""
    _ = wording("messages", lang)
    audience = label(AUDIENCE, profile.audience, lang)
    environments = _("learning environments") if profile.learning_environments else _("no learning environments")
    what = label(APPLIES_TO, criterion.applies_to, lang).rstrip(".").lower() if criterion.applies_to in APPLIES_TO.texts else ""
    if what:
        return _("Outside the workshop's profile ({audience}; {environments}): {what}.", audience=audience,
                 environments=environments, what=what)
    return _("Outside the workshop's profile ({audience}; {environments}).", audience=audience,
             environments=environments)


def kit_profile_reasons(criterion: Criterion) -> frozenset[str]:
    """Every reason a kit writes for this criterion's Ei sovellu, in every language documents are made in
    and for each profile it does not apply to: text a workshop did not write (checks.answered leaves it out)."""
    profiles = [Profile(audience, environments) for audience in ("youth", "adult", "both") for environments in (True, False)]
    return frozenset(profile_reason(criterion, p, lang) for p in profiles if not applies(criterion, p)
                     for lang in DOCUMENT_LANGUAGES)


# --- loading -----------------------------------------------------------------------------------


class _Reader:
    """Collects problems while reading TOML tables, so that one run reports all of them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.loaded: set[str] = set()  # files read as TOML: an empty one is checked like any other

    def problem(self, file: str, key: str, message: Text, code: str = "content-invalid") -> None:
        self.problems.append(Problem(file, key, message, code=code))

    def load(self, name: str) -> dict[str, Any]:
        path = self.folder / name
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
            self.loaded.add(name)
            return data
        except FileNotFoundError:
            self.problem(name, "", say("file missing from {folder}; copy it from the bundled content folder.",
                                       folder=str(self.folder)), "content-file-missing")
        except tomllib.TOMLDecodeError as err:
            self.problem(name, "", say("not valid TOML ({reason}); fix the syntax at that line.", reason=str(err)),
                         "toml-syntax")
        except UnicodeDecodeError as err:
            self.problem(name, "", say("not UTF-8 text (byte {byte} cannot be read as UTF-8); save the file as UTF-8 "
                                       "in your editor.", byte=err.start), "not-utf8")
        except OSError as err:
            self.problem(name, "", say("cannot be read ({reason}).", reason=str(err.strerror)), "file-unreadable")
        return {}

    def text(self, file: str, key: str, table: dict[str, Any], name: str, *, required: bool = True) -> str:
        value = table.get(name)
        if value is None:
            if required:
                self.problem(file, f"{key}.{name}", say("missing; add it."), "key-missing")
            return ""
        if not isinstance(value, str):
            self.problem(file, f"{key}.{name}", say("must be text, not {kind}.", kind=type(value).__name__), "not-text")
            return ""
        if required and not value.strip():
            self.problem(file, f"{key}.{name}", say("empty text; write it."), "text-empty")
        return value.strip()

    def number(self, file: str, key: str, table: dict[str, Any], name: str, kind: type = float) -> Any:
        value = table.get(name)
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok:
            if value is None:
                message = say("missing a whole number; set it.") if kind is int else say("missing a number; set it.")
            elif kind is int:
                message = say("{value} is not a whole number; set it.", value=repr(value))
            else:
                message = say("{value} is not a number; set it.", value=repr(value))
            self.problem(file, f"{key}.{name}", message, "not-a-number")
            return kind(0)
        return kind(value)

    def tables(self, file: str, data: dict[str, Any], name: str) -> list[dict[str, Any]]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(file, name, say("must be a list of [[{name}]] tables.", name=name), "not-tables")
            return []
        if not value and (data or file in self.loaded):
            self.problem(file, name, say("no [[{name}]] entries; add them (see the bundled content folder).",
                                         name=name), "tables-empty")
        return value


def load_catalogue(path: str | os.PathLike[str] | None = None) -> Catalogue:
    """Load and validate a content folder (default: $AUDITKIT_CONTENT, else the bundled content).

    Returns the Catalogue. Raises ContentError carrying every problem found, each naming file and key.
    """
    catalogue, problems = _load(content_dir(path))
    if problems or catalogue is None:
        raise ContentError(say("{folder}: the content has {count} problem(s)", folder=str(content_dir(path)),
                               count=len(problems)), problems)
    return catalogue


def check_content(path: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem in a content folder (empty when it is valid)."""
    return _load(content_dir(path))[1]


def _load(folder: Path) -> tuple[Catalogue | None, list[Problem]]:
    r = _Reader(folder)
    if not folder.is_dir():
        r.problem(str(folder), "", say("content folder not found; give an existing folder with --content."),
                  "content-folder-missing")
        return None, r.problems
    raw = {name: r.load(name) for name in FILES}

    meta = _meta(r, raw["meta.toml"])
    elements, areas = _structure(r, raw["structure.toml"])
    concepts, note = _concepts(r, raw["concepts.toml"])
    criteria = _criteria(r, raw["criteria.toml"], {a.id: a for a in areas}, {c.term for c in concepts})
    scale = _scale(r, raw["scale.toml"])
    rule = _rule(r, raw["rules.toml"], scale)
    if r.problems:
        return None, r.problems
    catalogue = Catalogue(meta, elements, areas, criteria, concepts, note, scale, rule, str(folder))
    digest = hashlib.sha256(_canonical(catalogue).encode("utf-8")).hexdigest()
    return _replace_hash(catalogue, digest), []


def _replace_hash(catalogue: Catalogue, digest: str) -> Catalogue:
    from dataclasses import replace

    return replace(catalogue, hash=digest)


def _meta(r: _Reader, data: dict[str, Any]) -> Meta:
    f = "meta.toml"
    if f not in r.loaded:  # missing or unreadable: already reported
        return Meta("", "", "", 0, "", "fi", "", "Miten aloitan?", (), "Mitä me teemme tässä asiassa?")
    gs = data.get("getting_started", {}) if isinstance(data.get("getting_started"), dict) else {}
    steps = gs.get("steps", [])
    if not isinstance(steps, list) or not all(isinstance(s, str) and s.strip() for s in steps):
        r.problem(f, "getting_started.steps", say("must be a list of non-empty texts."))
        steps = []
    year = data.get("year")
    if not isinstance(year, int):
        r.problem(f, "year", say("missing or not a whole number; set the publication year."))
        year = 0
    return Meta(
        title=r.text(f, "meta", data, "title"),
        subtitle=r.text(f, "meta", data, "subtitle", required=False),
        publisher=r.text(f, "meta", data, "publisher"),
        year=year,
        source=r.text(f, "meta", data, "source", required=False),
        language=r.text(f, "meta", data, "language", required=False) or "fi",
        version=r.text(f, "meta", data, "version"),
        getting_started_title=r.text(f, "getting_started", gs, "title", required=False) or "Miten aloitan?",
        getting_started=tuple(s.strip() for s in steps),
        question=r.text(f, "getting_started", gs, "question", required=False) or "Mitä me teemme tässä asiassa?",
    )


def _structure(r: _Reader, data: dict[str, Any]) -> tuple[tuple[Element, ...], tuple[Area, ...]]:
    f = "structure.toml"
    elements: list[Element] = []
    for i, t in enumerate(r.tables(f, data, "element")):
        key = f"element[{i}]"
        eid = r.text(f, key, t, "id")
        name = r.text(f, key, t, "name")
        descriptors = t.get("descriptors", "practice")
        if descriptors not in DESCRIPTOR_KINDS:
            r.problem(f, f"{key}.descriptors", say("{value} is not one of {allowed}.", value=repr(descriptors),
                                                   allowed=", ".join(DESCRIPTOR_KINDS)))
        if any(e.id == eid for e in elements):
            r.problem(f, f"{key}.id", say("duplicate element id {id}; give each element its own id.", id=repr(eid)),
                      "duplicate")
        heading = r.text(f, key, t, "heading", required=False) or name
        elements.append(Element(eid, name, heading, str(descriptors)))
    element_ids = {e.id for e in elements}
    areas: list[Area] = []
    for i, t in enumerate(r.tables(f, data, "area")):
        key = f"area[{i}]"
        aid = r.text(f, key, t, "id")
        element = r.text(f, key, t, "element")
        if element and element not in element_ids:
            r.problem(f, f"{key}.element", say("unknown element {element}; use one of {allowed}.",
                                               element=repr(element), allowed=", ".join(sorted(element_ids))))
        if any(a.id == aid for a in areas):
            r.problem(f, f"{key}.id", say("duplicate area id {id}; give each area its own id.", id=repr(aid)),
                      "duplicate")
        areas.append(Area(aid, element, r.text(f, key, t, "name")))
    return tuple(elements), tuple(areas)


def _concepts(r: _Reader, data: dict[str, Any]) -> tuple[tuple[Concept, ...], Note | None]:
    f = "concepts.toml"
    concepts: list[Concept] = []
    for i, t in enumerate(r.tables(f, data, "concept")):
        key = f"concept[{i}]"
        term = r.text(f, key, t, "term")
        kind = t.get("kind")
        if kind not in CONCEPT_KINDS:
            r.problem(f, f"{key}.kind", say("{value} is not one of {allowed}.", value=repr(kind),
                                            allowed=", ".join(CONCEPT_KINDS)))
        definition = r.text(f, key, t, "definition", required=kind in ("core", "key")) or None
        if kind == "other" and definition:
            r.problem(f, f"{key}.definition", say("an 'other' concept has no definition; make it core or key."))
        if any(c.term == term for c in concepts):
            r.problem(f, f"{key}.term", say("duplicate concept {term}.", term=repr(term)), "duplicate")
        concepts.append(Concept(term, str(kind), definition, r.text(f, key, t, "source", required=False) or None))
    note = None
    if isinstance(data.get("note"), dict):
        note = Note(r.text(f, "note", data["note"], "title"), r.text(f, "note", data["note"], "text"))
    return tuple(concepts), note


def _criteria(r: _Reader, data: dict[str, Any], areas: dict[str, Area], terms: set[str]) -> tuple[Criterion, ...]:
    f = "criteria.toml"
    criteria: list[Criterion] = []
    for i, t in enumerate(r.tables(f, data, "criterion")):
        number = t.get("number")
        key = f"criterion[{i}]" if not isinstance(number, int) else f"criterion {number}"
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            r.problem(f, f"criterion[{i}].number", say("{value} is not a positive whole number.", value=repr(number)))
            number = 0
        elif any(c.number == number for c in criteria):
            r.problem(f, f"{key}.number", say("duplicate number {number}; each criterion needs its own.",
                                              number=number), "duplicate")
        cid = r.text(f, key, t, "id")
        if cid and any(c.id == cid for c in criteria):
            r.problem(f, f"{key}.id", say("duplicate id {id}; ids must be unique and never reused.", id=repr(cid)),
                      "duplicate")
        area_id = r.text(f, key, t, "area")
        if area_id and area_id not in areas:
            r.problem(f, f"{key}.area", say("unknown area {area}; use an id from structure.toml ({allowed}).",
                                            area=repr(area_id), allowed=", ".join(areas)))
        applies_to = t.get("applies_to", "all")
        if applies_to not in APPLICABILITY:
            r.problem(f, f"{key}.applies_to", say("{value} is not one of {allowed}.", value=repr(applies_to),
                                                  allowed=", ".join(APPLICABILITY)))
        concepts = t.get("concepts", [])
        if not isinstance(concepts, list):
            r.problem(f, f"{key}.concepts", say("must be a list of concept terms."))
            concepts = []
        for term in concepts:
            if term not in terms:
                r.problem(f, f"{key}.concepts", say("unknown concept {term}; use a term from concepts.toml.",
                                                    term=repr(term)))
        items = []
        for j, item in enumerate(t.get("item", [])):
            ikey = f"{key}.item[{j}]"
            at = item.get("applies_to", "all")
            if at not in APPLICABILITY:
                r.problem(f, f"{ikey}.applies_to", say("{value} is not one of {allowed}.", value=repr(at),
                                                       allowed=", ".join(APPLICABILITY)))
            items.append(Item(r.text(f, ikey, item, "text"), str(at)))
        area = areas.get(area_id)
        criteria.append(
            Criterion(
                number=number,
                id=cid,
                area_id=area_id,
                element_id=area.element_id if area else "",
                text=r.text(f, key, t, "text"),
                items=tuple(items),
                applies_to=str(applies_to),
                condition=r.text(f, key, t, "condition", required=False) or None,
                concepts=tuple(str(c) for c in concepts),
                subheading=r.text(f, key, t, "subheading", required=False) or None,
            )
        )
    numbers = sorted(c.number for c in criteria if c.number)
    if numbers:
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing:
            r.problem(f, "criterion", say("numbers missing: {numbers}; number criteria 1 to N without gaps.",
                                          numbers=", ".join(map(str, missing))))
    # Documents follow the order of areas in structure.toml, then numbers.
    order = {aid: k for k, aid in enumerate(areas)}
    return tuple(sorted(criteria, key=lambda c: (order.get(c.area_id, len(order)), c.number)))


def _scale(r: _Reader, data: dict[str, Any]) -> Scale:
    f = "scale.toml"
    levels: list[Level] = []
    for i, t in enumerate(r.tables(f, data, "level")):
        key = f"level[{i}]"
        value = r.number(f, key, t, "value", int)
        if any(level.value == value for level in levels):
            r.problem(f, f"{key}.value", say("duplicate value {value}; each level needs its own value.", value=value),
                      "duplicate")
        levels.append(
            Level(value, r.text(f, key, t, "name"), r.text(f, key, t, "plain"),
                  r.text(f, key, t, "practice"), r.text(f, key, t, "results"))
        )
    if levels and len(levels) < 2:
        r.problem(f, "level", say("a scale needs at least two levels."))
    na: dict[str, Any] = data["not_applicable"] if isinstance(data.get("not_applicable"), dict) else {}
    if f in r.loaded and not na:
        r.problem(f, "not_applicable", say("missing [{table}] table.", table="not_applicable"), "key-missing")
    not_applicable = NotApplicable(
        label=r.text(f, "not_applicable", na, "label") if na else "Ei sovellu",
        plain=r.text(f, "not_applicable", na, "plain", required=False),
        code=r.text(f, "not_applicable", na, "code", required=False) or "ES",
        meaning=r.text(f, "not_applicable", na, "meaning", required=False),
        reason_required=bool(na.get("reason_required", True)),
    )
    return Scale(tuple(sorted(levels, key=lambda level: level.value)), not_applicable)


def _rule(r: _Reader, data: dict[str, Any], scale: Scale) -> Rule:
    f = "rules.toml"
    s = data.get("scoring", {}) if isinstance(data.get("scoring"), dict) else {}
    rec = data.get("recommendation", {}) if isinstance(data.get("recommendation"), dict) else {}
    out = rec.get("outcomes", {}) if isinstance(rec.get("outcomes"), dict) else {}
    if f in r.loaded and not s:
        r.problem(f, "scoring", say("missing [{table}] table.", table="scoring"), "key-missing")
    if f in r.loaded and not rec:
        r.problem(f, "recommendation", say("missing [{table}] table.", table="recommendation"), "key-missing")
    values = scale.values or (1,)
    lo, hi = min(values), max(values)

    def share(table: dict[str, Any], section: str, name: str) -> float:
        v = r.number(f, section, table, name)
        if not 0 <= v <= 1:
            r.problem(f, f"{section}.{name}", say("{value} is out of range; a share is between 0 and 1 (e.g. 0.3333).",
                                                  value=v))
        return v

    def rating(table: dict[str, Any], section: str, name: str, kind: type = int) -> Any:
        v = r.number(f, section, table, name, kind)
        if scale.values and not lo <= v <= hi:  # without levels the scale's own problem says enough
            r.problem(f, f"{section}.{name}", say("{value} is out of range; the scale runs from {low} to {high}.",
                                                  value=v, low=lo, high=hi))
        return v

    def count(table: dict[str, Any], section: str, name: str) -> int:
        v = r.number(f, section, table, name, int)
        if v < 0:
            r.problem(f, f"{section}.{name}", say("{value} is out of range; a count cannot be negative.", value=v))
        return v

    rule = Rule(
        max_not_applicable_share=share(s, "scoring", "max_not_applicable_share"),
        rejected_not_applicable_counts_as=rating(s, "scoring", "rejected_not_applicable_counts_as"),
        fail_rating=rating(rec, "recommendation", "fail_rating"),
        element_mean_min=rating(rec, "recommendation", "element_mean_min", float),
        high_rating=rating(rec, "recommendation", "high_rating"),
        min_share_high=share(rec, "recommendation", "min_share_high"),
        conditional_max_fail=count(rec, "recommendation", "conditional_max_fail"),
        conditional_element_mean_floor=rating(rec, "recommendation", "conditional_element_mean_floor", float),
        conditional_max_weak_elements=count(rec, "recommendation", "conditional_max_weak_elements"),
        recommended=r.text(f, "recommendation.outcomes", out, "recommended") if rec else "",
        conditional=r.text(f, "recommendation.outcomes", out, "conditional") if rec else "",
        not_recommended=r.text(f, "recommendation.outcomes", out, "not_recommended") if rec else "",
        conditional_note=r.text(f, "recommendation.outcomes", out, "conditional_note", required=False),
    )
    if rec and rule.conditional_element_mean_floor > rule.element_mean_min:
        r.problem(f, "recommendation.conditional_element_mean_floor", say(
            "{floor} is above element_mean_min {minimum}; set it lower.", floor=rule.conditional_element_mean_floor,
            minimum=rule.element_mean_min))
    return rule


# --- export ------------------------------------------------------------------------------------


def to_dict(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue as plain JSON-ready data (the `content export --format json` shape)."""
    m = catalogue.meta
    return {
        "title": m.title,
        "subtitle": m.subtitle,
        "publisher": m.publisher,
        "year": m.year,
        "source": m.source,
        "language": m.language,
        "version": m.version,
        "hash": catalogue.hash,
        "getting_started": {"title": m.getting_started_title, "steps": list(m.getting_started), "question": m.question},
        "elements": [{"id": e.id, "name": e.name, "heading": e.heading, "descriptors": e.descriptors} for e in catalogue.elements],
        "areas": [{"id": a.id, "element": a.element_id, "name": a.name} for a in catalogue.areas],
        "criteria": [
            {
                "number": c.number,
                "id": c.id,
                "element": c.element_id,
                "area": c.area_id,
                "subheading": c.subheading,
                "text": c.text,
                "items": [{"text": i.text, "applies_to": i.applies_to} for i in c.items],
                "applies_to": c.applies_to,
                "condition": c.condition,
                "concepts": list(c.concepts),
            }
            for c in catalogue.criteria
        ],
        "concepts": [
            {"term": c.term, "kind": c.kind, "definition": c.definition, "source": c.source} for c in catalogue.concepts
        ],
        "note": {"title": catalogue.note.title, "text": catalogue.note.text} if catalogue.note else None,
        "scale": {
            "levels": [
                {"value": lv.value, "name": lv.name, "plain": lv.plain, "practice": lv.practice, "results": lv.results}
                for lv in catalogue.scale.levels
            ],
            "not_applicable": {
                "label": catalogue.scale.not_applicable.label,
                "plain": catalogue.scale.not_applicable.plain,
                "code": catalogue.scale.not_applicable.code,
                "meaning": catalogue.scale.not_applicable.meaning,
                "reason_required": catalogue.scale.not_applicable.reason_required,
            },
        },
        "rule": {k: getattr(catalogue.rule, k) for k in Rule.__slots__},
    }


def _canonical(catalogue: Catalogue) -> str:
    data = to_dict(catalogue)
    data.pop("hash")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


CSV_COLUMNS = ("number", "id", "element", "area", "subheading", "applies_to", "condition", "concepts", "text", "items")


def criteria_rows(catalogue: Catalogue) -> list[dict[str, str]]:
    """One row per criterion for CSV export; concepts and items joined with " | "."""
    rows = []
    for c in catalogue.criteria:
        rows.append({
            "number": str(c.number),
            "id": c.id,
            "element": catalogue.element(c.element_id).name,
            "area": catalogue.area(c.area_id).name,
            "subheading": c.subheading or "",
            "applies_to": c.applies_to,
            "condition": c.condition or "",
            "concepts": " | ".join(c.concepts),
            "text": c.text,
            "items": " | ".join(i.text for i in c.items),
        })
    return rows
