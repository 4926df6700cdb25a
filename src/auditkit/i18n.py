"""Wording in the reader's language: gettext catalogues per language, dates and numbers their way.

Code says what it means in English and marks it for translation; each language has its catalogues
under locale/<language>/LC_MESSAGES/<domain>.po, which translators edit and nothing else. Finnish is
the default; Swedish for workshops that work in Swedish; English (the source text itself) for the
command line and for support people.

Three domains, so that work on one kind of text never touches another's files:
  messages   the terminal, problem messages, CSV headers and values, the labels of codes
  documents  every Word document, letter and prose template (templates/*.j2)
  workbooks  every Excel workbook
A text is marked with `_("…")` on a Wording (or `N_("…")` where it is only listed, to be translated
later); placeholders are str.format fields, `{count}`. Jinja templates use `{% trans %}` blocks.

The command line's help is the messages domain's too: each command's docstring and each option's
help= in cli.py stay English in the code and are msgids paragraph by paragraph (`say_help`; a \b
example block keeps its commands and translates only its heading), found by `extract` in cli.py's
syntax tree; click's own texts (Usage:, Error: No such option) are listed in cli.CLICK_TEXTS.

Catalogues are read as .po with Babel and compiled in memory on first use (a few milliseconds), so
no compiled file goes into the repository. `python -m auditkit.i18n` brings every catalogue up to
date with the code (new texts added empty, gone ones marked obsolete) for translators.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import gettext
import io
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).parent / "locale"
LANG_ENV = "AUDITKIT_LANG"
DOMAINS = ("messages", "documents", "workbooks")
SOURCE_LANGUAGE = "en"  # the language of the texts in the code: no catalogue of its own


@dataclass(frozen=True, slots=True)
class Language:
    """A language auditkit speaks: its code, the tag documents carry (w:lang, xml:lang) and its name."""

    code: str
    tag: str
    name: str
    babel: str  # Babel's locale for dates and numbers


LANGUAGES: Mapping[str, Language] = {
    "fi": Language("fi", "fi-FI", "suomi", "fi_FI"),
    "sv": Language("sv", "sv-FI", "svenska", "sv_FI"),
    "en": Language("en", "en-GB", "English", "en_GB"),
}
DEFAULT_LANGUAGE = "fi"
# The languages documents and workbooks are made in, and read back in (English is the terminal's, for
# support people): a language added to LANGUAGES is one of them.
DOCUMENT_LANGUAGES: tuple[str, ...] = tuple(code for code in LANGUAGES if code != SOURCE_LANGUAGE)

_CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("auditkit_language", default=None)


def N_(msgid: str) -> str:  # noqa: N802 (gettext's own name for "mark, translate later")
    """Mark a text for the catalogues where it is only listed (a table of labels); translate it later."""
    return msgid


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a pair of singular and plural forms for the catalogues where it is only listed; say it later
    with `Wording.ngettext(singular, plural, count)`."""
    return singular, plural


def C_(context: str, msgid: str) -> str:  # noqa: N802
    """Mark a text with its context for the catalogues where it is only listed; say it later with
    `Wording.pgettext(context, msgid)`."""
    return msgid


_AT_TIME = N_("{date} at {clock} (Finnish time)")


def language(code: str | None) -> Language:
    """The language of a code ("fi", "sv", "en"; "fi-FI" and "sv_FI" too; case ignored).

    Raises ValueError naming the languages there are (the caller words it for its place)."""
    key = (code or DEFAULT_LANGUAGE).strip().replace("_", "-").split("-")[0].casefold()
    if key not in LANGUAGES:
        raise ValueError(f"'{code}' is not a language auditkit speaks; choose {', '.join(LANGUAGES)}.")
    return LANGUAGES[key]


def current() -> str:
    """The language of the running command: set by `using` (the CLI's --lang), else AUDITKIT_LANG, else fi."""
    chosen = _CURRENT.get()
    if chosen:
        return chosen
    from_env = os.environ.get(LANG_ENV, "")
    try:
        return language(from_env).code if from_env else DEFAULT_LANGUAGE
    except ValueError:
        return DEFAULT_LANGUAGE


@contextlib.contextmanager
def using(code: str) -> Iterator[Language]:
    """Make a language the current one within the block (the CLI does this once per command)."""
    lang = language(code)
    token = _CURRENT.set(lang.code)
    try:
        yield lang
    finally:
        _CURRENT.reset(token)


def catalogue_path(lang: str, domain: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


@functools.lru_cache(maxsize=None)
def translations(lang: str, domain: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language and domain (the source language, or no catalogue: as written)."""
    if domain not in DOMAINS:
        raise ValueError(f"unknown domain {domain!r}; the domains are {', '.join(DOMAINS)}")
    path = catalogue_path(lang, domain)
    if lang == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=LANGUAGES[lang].babel, domain=domain)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True, slots=True)
class Wording:
    """Texts, dates and numbers in one language, from one domain's catalogue.

    w = wording("documents", "sv"); w("Deadline: {date}", date=w.date(day));
    w.ngettext("{count} criterion", "{count} criteria", 3); w.pgettext("rating column", "Rating").
    """

    lang: str
    domain: str = "messages"

    @property
    def language(self) -> Language:
        return LANGUAGES[self.lang]

    @property
    def tag(self) -> str:
        return LANGUAGES[self.lang].tag

    def _catalogue(self) -> gettext.NullTranslations:
        return translations(self.lang, self.domain)

    def __call__(self, msgid: str, /, **params: Any) -> str:
        text = self._catalogue().gettext(msgid)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, count: int, /, **params: Any) -> str:
        """The form for count (Finnish and Swedish, like English, have one and other)."""
        return self._catalogue().ngettext(singular, plural, count).format(count=count, **params)

    def pgettext(self, context: str, msgid: str, /, **params: Any) -> str:
        """A text whose translation depends on where it stands (the same English word, two meanings)."""
        text = self._catalogue().pgettext(context, msgid)
        return text.format(**params) if params else text

    def date(self, value: dt.date | str | None) -> str:
        """1.12.2026 in Finnish and Swedish, 1 Dec 2026 in English; "" for none; an ISO text is read."""
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                return value
        else:
            day = value.date() if isinstance(value, dt.datetime) else value
        if self.lang in ("fi", "sv"):
            return f"{day.day}.{day.month}.{day.year}"
        from babel.dates import format_date

        return format_date(day, "d MMM yyyy", locale=self.language.babel)

    def time(self, value: dt.datetime) -> str:
        """A moment in Finnish time, with the zone said: "1.12.2026 klo 16.19 (Suomen aikaa)"."""
        local = value.astimezone(_helsinki()) if value.tzinfo else value
        clock = f"{local.hour}.{local.minute:02d}" if self.lang in ("fi", "sv") else f"{local.hour}:{local.minute:02d}"
        return translations(self.lang, "messages").gettext(_AT_TIME).format(
            date=self.date(local.date()), clock=clock)

    def moment(self, text: str) -> str:
        """A time a file records (ISO 8601, as in its properties) said as `time` says it; a text that is
        not such a time comes back as it is, and a time without a zone is taken as UTC, as files mean it."""
        try:
            stamp = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            return text
        return self.time(stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc))

    def number(self, value: float, decimals: int = 2) -> str:
        """2,50 in Finnish and Swedish, 2.50 in English."""
        text = f"{value:.{decimals}f}"
        return text.replace(".", ",") if self.lang in ("fi", "sv") else text


def wording(domain: str = "messages", lang: str | None = None) -> Wording:
    """The wording of a domain in a language (default: the current language, see `current`)."""
    return Wording(language(lang).code if lang else current(), domain)


@functools.lru_cache(maxsize=1)
def _helsinki() -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Helsinki")  # Windows has no zone database of its own: the tzdata package


def install_jinja(env: Any, words: Wording) -> None:
    """Give a jinja environment (with the jinja2.ext.i18n extension) this wording's gettext."""
    catalogue = words._catalogue()
    env.install_gettext_callables(catalogue.gettext, catalogue.ngettext, newstyle=True,
                                  pgettext=catalogue.pgettext)


# --- the command line's help -----------------------------------------------------------------------

def _help_parts(text: str) -> list[tuple[str, str]]:
    """A click help text (a command's docstring, an option's help) as click shows it, paragraph by
    paragraph: (words, "") for a paragraph click rewraps, its words on one line whatever the source's
    line breaks; ("\b" + heading, lines) for a \b block kept as written (an example), whose first line
    (Example:) is the only text in it to translate."""
    import inspect

    parts = []
    for block in inspect.cleandoc(text).partition("\f")[0].split("\n\n"):
        if block.startswith("\b"):
            _, _, rest = block.partition("\n")
            heading, _, lines = rest.partition("\n")
            parts.append(("\b" + heading.strip(), lines))
        else:
            parts.append((" ".join(block.split()), ""))
    return parts


def help_msgids(text: str) -> list[str]:
    """The msgids of a click help text: each paragraph's words, each \b block's heading."""
    return [words.removeprefix("\b") for words, _ in _help_parts(text) if words.removeprefix("\b")]


def say_help(text: str, words: Wording) -> str:
    """A click help text in a wording's language, paragraph by paragraph (see `help_msgids`)."""
    said = []
    for part, lines in _help_parts(text):
        if part.startswith("\b"):
            heading = part.removeprefix("\b")
            said.append("\n".join(("\b", words(heading) if heading else "", lines)))
        else:
            said.append(words(part) if part else part)
    return "\n\n".join(said)


def _help_of_commands(path: Path) -> Iterator[tuple[int, str]]:
    """The help texts a module gives its click commands, as `say_help` looks them up: the docstring of
    each function decorated as a command or group (`@x.command(...)`, `@click.group(...)`), each
    `help="..."` and `metavar="..."` argument (options' help, and their value's name in the usage), and
    the name of each `click.argument(...)` as the usage line shows it (ROUND_FILE)."""
    import ast

    def commanding(decorator: ast.expr) -> bool:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return name in ("command", "group")

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.FunctionDef) and any(commanding(d) for d in node.decorator_list):
            doc = ast.get_docstring(node, clean=False)
            for msgid in help_msgids(doc or ""):
                yield node.lineno, msgid
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "argument" and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value.upper()  # an argument's name in the usage line
            for keyword in node.keywords:
                if keyword.arg in ("help", "metavar") and isinstance(keyword.value, ast.Constant) \
                        and isinstance(keyword.value.value, str):
                    for msgid in help_msgids(keyword.value.value):
                        yield node.lineno, msgid


# --- for translators: catalogues kept up to date with the code ----------------------------------

# What each domain's texts are extracted from (relative to the package, and to the templates folder).
SOURCES: Mapping[str, tuple[str, ...]] = {
    "messages": ("*.py",),
    "documents": ("word/*.py",),
    "workbooks": ("excel/*.py",),
}
# Problem messages (errors.say) are the messages domain's wherever they are written: the readers in
# word/ and excel/ say theirs too.
_SAY_SOURCES = ("word/*.py", "excel/*.py")
TEMPLATE_SOURCES: Mapping[str, tuple[str, ...]] = {
    "messages": ("round/*",),
    "documents": ("*.j2", "letters/*.j2"),
    "workbooks": ("workbook*.j2",),
}
# A template matched by another domain's more particular pattern is that domain's (the workbook guide).
_TEMPLATE_EXCLUDE: Mapping[str, tuple[str, ...]] = {"documents": ("workbook*.j2",)}
# The command line's help (docstrings of commands, help= of options) is the messages domain's.
_HELP_SOURCES = ("cli.py",)


def extract(domain: str) -> Any:
    """A Babel catalogue of every text the code (and, for documents, the templates) marks for a domain."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    from .resources import templates_dir

    catalog = Catalog(domain=domain, project="auditkit", charset="utf-8")
    package = Path(__file__).parent
    every = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "C_": ((1, "c"), 2),
             "N_plural": (1, 2)}
    sources = [(pattern, {**every, "say": None} if domain == "messages" else every) for pattern in SOURCES[domain]]
    if domain == "messages":
        sources += [(pattern, {"say": None}) for pattern in _SAY_SOURCES]
    for pattern, keywords in sources:
        for path in sorted(package.glob(pattern)):
            for lineno, message, comments, context in extract_from_file(
                    "python", str(path), keywords=keywords, comment_tags=("Translators:",)):
                catalog.add(message, locations=[(path.relative_to(package).as_posix(), lineno)],
                            auto_comments=comments, context=context)
    if domain == "messages":
        for pattern in _HELP_SOURCES:
            for path in sorted(package.glob(pattern)):
                for lineno, msgid in _help_of_commands(path):
                    catalog.add(msgid, locations=[(path.relative_to(package).as_posix(), lineno)],
                                auto_comments=["help of the command line"])
    for pattern in TEMPLATE_SOURCES.get(domain, ()):
        base = templates_dir()
        for path in sorted(base.glob(pattern)):
            if any(path.match(other) for other in _TEMPLATE_EXCLUDE.get(domain, ())) or not path.is_file():
                continue
            for lineno, message, comments, context in extract_from_file(
                    "jinja2", str(path), options={"extensions": "jinja2.ext.i18n", "trimmed": "true"},
                    comment_tags=("Translators:",)):
                catalog.add(message, locations=[(f"templates/{path.relative_to(base).as_posix()}", lineno)],
                            auto_comments=comments, context=context)
    return catalog


def update_catalogues(domains: tuple[str, ...] = DOMAINS, languages: tuple[str, ...] = ("fi", "sv")) -> list[Path]:
    """Bring each language's catalogues of these domains up to date with the code; returns the files
    written. A catalogue keeps its creation date, so an update changes only the entries that changed."""
    from babel.messages.pofile import read_po, write_po

    written = []
    for domain in domains:
        template = extract(domain)
        for lang in languages:
            path = catalogue_path(lang, domain)
            if path.is_file():
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=LANGUAGES[lang].babel, domain=domain)
                created = catalog.creation_date
                catalog.update(template, no_fuzzy_matching=True)
                catalog.creation_date = created
            else:
                from babel.messages.catalog import Catalog

                catalog = Catalog(locale=LANGUAGES[lang].babel, domain=domain, project="auditkit")
                catalog.update(template, no_fuzzy_matching=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog, width=100, sort_by_file=True, include_previous=False,
                         include_lineno=False)  # file names only: a moved line changes no catalogue
            written.append(path)
    return written


def untranslated(lang: str, domain: str) -> list[str]:
    """The texts of a domain the code marks that the language's catalogue does not translate (no entry,
    an empty or fuzzy msgstr, or a plural form missing). A translation may equal its English source
    ("TEXT", "Material"): what counts is that a translator gave it."""
    if lang == SOURCE_LANGUAGE:
        return []
    from babel.messages.pofile import read_po

    path = catalogue_path(lang, domain)
    catalog = None
    if path.is_file():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=LANGUAGES[lang].babel, domain=domain)
    out = []
    for message in extract(domain):
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        entry = catalog.get(message.id, context=message.context) if catalog is not None else None
        strings = () if entry is None else entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry is None or entry.fuzzy or not strings or not all(strings):
            out.append(msgid)
    return out


if __name__ == "__main__":  # pragma: no cover - the translators' command: [domain ...]
    import sys

    for written_path in update_catalogues(tuple(sys.argv[1:]) or DOMAINS):
        print(written_path)
