"""The `auditkit` command line: parses options, calls the library, turns its errors into exit codes."""

from __future__ import annotations

import contextlib
import copy
import gettext
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .catalogue import (
    CSV_COLUMNS,
    Catalogue,
    check_content,
    criteria_rows,
    load_catalogue,
    to_dict,
)
from .errors import DEBUG_ENV, AuditkitError, Problem, debugging
from .i18n import LANG_ENV, N_, N_plural, current, language, say_help, translations, using, wording
from .labels import APPLIES_TO, label
from .outputs import write_text
from .resources import CONTENT_ENV

if TYPE_CHECKING:
    from .contents import Contents
    from .choices import Unresolved
    from .demo import DemoResult
    from .forward import ForwardResult
    from .model import DocumentContext
    from .report import Outputs
    from .results import RoundResult
    from .status import RoundStatus


def _(msgid: str, /, **params: Any) -> str:
    """A text of the terminal in the current language (--lang, AUDITKIT_LANG, the round's, else Finnish)."""
    return wording("messages")(msgid, **params)


def ngettext(singular: str, plural: str, count: int, /, **params: Any) -> str:
    """The singular or plural form of a terminal text for count, in the current language."""
    return wording("messages").ngettext(singular, plural, count, **params)


def pgettext(context: str, msgid: str, /, **params: Any) -> str:
    """A terminal text whose translation depends on where it stands, in the current language."""
    return wording("messages").pgettext(context, msgid, **params)


class Refusal(click.ClickException):
    """An error the command line reports (exit 1), its "Error:" said in the current language too."""

    def show(self, file: Any = None) -> None:
        click.echo(_("Error: {message}", message=self.format_message()), file=file, err=True)


# --- said in the terminal's language: help, usage and click's own texts ----------------------------

# The texts of click itself that a user of auditkit can meet (headings of --help, usage errors), so that
# the catalogues carry them; click says them through `_` and `ngettext` (see _click_speaks_ours). A click
# text not listed here stays English.
CLICK_TEXTS = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"), N_("[OPTIONS]"), N_("COMMAND [ARGS]..."),
    N_("Show this message and exit."), N_("Show the version and exit."), N_("%(prog)s, version %(version)s"),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."), N_("Aborted!"),
    N_("No such option {name!r}."), N_("No such command {name!r}."), N_("Missing command."),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"), N_("Missing parameter: {param_name}"),
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("Option {name!r} does not take a value."), N_("Could not open file {filename!r}: {message}"),
    N_("unknown error"), N_("default: {default}"), N_("env var: {var}"), N_("required"),
    N_("{value} is not in the range {range}."), N_("{value!r} is not a valid {number_type}."),
    N_("file"), N_("directory"), N_("path"), N_("integer"), N_("TEXT"), N_("INTEGER"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
)
CLICK_PLURALS = (
    N_plural("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_plural("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    N_plural("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    N_plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
)
_SHOW_HELP = "Show this message and exit."


def _click_gettext(message: str) -> str:
    return translations(current(), "messages").gettext(message)


def _click_ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current(), "messages").ngettext(singular, plural, count)


def _click_speaks_ours() -> None:
    """Let click say its own texts ("Usage:", "Error: No such option …") in the terminal's language.

    Each click module does `from gettext import gettext as _` (and `ngettext`), which looks texts up in
    gettext's process-wide default domain. Binding a catalogue there (gettext.bindtextdomain/textdomain)
    needs compiled .mo files on disk and picks the language from the locale variables (LANGUAGE,
    LC_ALL, LANG), while auditkit compiles its .po catalogues in memory and chooses the language by
    --lang or AUDITKIT_LANG per command; gettext.install only sets builtins._, which click never reads.
    So the two names click's modules imported are pointed at the messages catalogue of the current
    language, the same gettext/ngettext contract they were written against; a text the catalogue lacks
    comes back as click wrote it. Done once, and only to names that are still gettext's own."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if getattr(module, "_", None) is gettext.gettext:
            setattr(module, "_", _click_gettext)
        if getattr(module, "ngettext", None) is gettext.ngettext:
            setattr(module, "ngettext", _click_ngettext)


def _said(text: str | None) -> str | None:
    """A help text (a docstring, an option's help; English as written) in the terminal's language."""
    return say_help(text, wording("messages")) if text else text


_PATH_KINDS = {(True, False): N_("file"), (False, True): N_("directory")}


class _Said(click.Command):
    """A command whose help is said in the terminal's language when it is shown, from the messages
    catalogue (the English help as written is the msgid, paragraph by paragraph: i18n.say_help). Saying
    it at render time, not at import, lets --lang (read before anything is parsed: _Boundary.main) and
    AUDITKIT_LANG choose it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # click's Path type names its kind (file, directory, path) once, when it is made, for its
        # errors ("Directory 'x' does not exist.") and its metavar: name it in this run's language.
        # Likewise a whole number's, and an argument's name, which the usage line and its errors show.
        words = wording("messages")
        for param in self.params:
            if isinstance(param.type, click.Path):
                param.type.name = words(_PATH_KINDS.get((param.type.file_okay, param.type.dir_okay), "path"))
            elif isinstance(param.type, click.types.IntParamType):  # "'x' is not a valid integer."
                param.type.name = words("integer")
            if isinstance(param, click.Argument) and param.name:
                named = words(param.name.upper())
                named = named if param.required else f"[{named}]"
                param.metavar = named + ("..." if param.nargs != 1 else "")
        return super().parse_args(ctx, args)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # made once and kept: its help the msgid, said when shown
            option.help = _SHOW_HELP
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        twin = copy.copy(self)
        twin.help, twin.short_help = _said(self.help), _said(self.short_help)
        return click.Command.get_short_help_str(twin, limit)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        twin = copy.copy(self)
        twin.help = _said(self.help)
        click.Command.format_help_text(twin, ctx, formatter)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        said = (self.options_metavar, getattr(self, "subcommand_metavar", None))
        return [wording("messages")(piece) if piece in said else piece for piece in pieces]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        words = wording("messages")
        rows = []
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument):
                continue
            twin = copy.copy(param)
            twin.help = _said(param.help)
            if isinstance(param, click.Option) and not param.is_flag and not isinstance(param.type, click.Choice):
                named = param.metavar or ("TEXT" if param.type is click.STRING else
                                          "INTEGER" if isinstance(param.type, click.types.IntParamType) else None)
                twin.metavar = words(named) if named else None
            row = twin.get_help_record(ctx)
            if row is not None:
                rows.append(row)
        if rows:
            with formatter.section(words("Options")):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


class _SaidGroup(_Said, click.Group):
    """A group of commands said in the terminal's language, its commands and subgroups too."""

    command_class = _Said
    group_class: type[click.Group] | type[type] | None = type  # a subgroup is of the group's own class


class _Boundary(_SaidGroup):
    """The command line's one error boundary: whatever a command raises becomes a message and exit 1.

    AuditkitError is said as it is; an OSError (a file that cannot be read or written) with its path
    and a fix; anything else with what to do, never as a traceback. With AUDITKIT_DEBUG=1 the
    traceback is printed too, for whoever looks into it. Click's own errors and exits pass through.
    """

    group_class = _SaidGroup

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        # The language is needed before click parses anything and until it has said the last word:
        # `auditkit --lang sv --help` says the help while parsing, and a usage error is said after the
        # command's context has closed (so not a resource of it).
        _click_speaks_ours()
        asked = _lang_asked(list(args) if args is not None else sys.argv[1:])
        with using(asked) if asked else contextlib.nullcontext():
            return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:  # noqa: BLE001 - the boundary: nothing gets past it as a traceback
            if debugging():
                click.echo("".join(traceback.format_exception(err)).rstrip(), err=True)
            raise Refusal(_message(err, ctx)) from err


def _message(err: Exception, ctx: click.Context) -> str:
    """What a person reads for an error that reached the boundary: place, problem, fix."""
    if isinstance(err, AuditkitError):
        return str(err)
    if isinstance(err, OSError):
        return _os_error(err)
    command = f"auditkit {ctx.invoked_subcommand}" if ctx.invoked_subcommand else "auditkit"
    if isinstance(err, UnicodeDecodeError):
        return _("{command}: a file given to it is not UTF-8 text ({reason} at byte {start}); save it as UTF-8 "
                 "(Excel: CSV UTF-8; a text editor: encoding UTF-8) and run again. {debug}=1 shows which file.",
                 command=command, reason=err.reason, start=err.start, debug=DEBUG_ENV)
    error = f"{type(err).__name__}: {err}"
    return _("{command} stopped on an unexpected error ({error}); run it again with {debug}=1 to see where, and "
             "report that with the command you ran.", command=command, error=error, debug=DEBUG_ENV)


def _os_error(err: OSError) -> str:
    from .outputs import cannot_write

    if err.filename is None:
        return _("{reason}; check the files and folders given, and try again.", reason=str(err.strerror or err))
    path = Path(os.fsdecode(err.filename))
    if isinstance(err, FileNotFoundError):
        return _("{path}: not found; check the path.", path=str(path))
    return cannot_write(path, err, reading=True).said()


content_option = click.option(
    "--content",
    "content_path",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=CONTENT_ENV,
    help="Content folder with the criteria, concepts, scale and rules (default: $AUDITKIT_CONTENT, else the bundled "
         "content).",
)


templates_dir_option = click.option(
    "--templates", "templates_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of your own templates (wording, base.docx for fonts and logo, letters); "
         "missing ones come from the bundled set.")
silent_option = click.option("--silent", is_flag=True, help="No progress bar.")


def _catalogue(content_path: Path | None) -> Catalogue:
    return load_catalogue(content_path)


# A round's commands take its content once per language its workshops work in (a mixed round).
contents_option = click.option(
    "--content",
    "content_paths",
    type=click.Path(file_okay=False, path_type=Path),
    multiple=True,
    envvar=CONTENT_ENV,
    help="Content folder with the criteria, concepts, scale and rules (default: $AUDITKIT_CONTENT, else the bundled "
         "content). Repeat it once per language of a round whose workshops work in Finnish and Swedish (the same "
         "criteria in each; the one in the round's language scores the round).")


def _contents(paths: tuple[Path, ...], round_file: Path | None = None) -> "Contents":
    from .contents import load_contents
    from .round import round_language

    lang = (round_language(round_file) if round_file is not None else None) or "fi"
    return load_contents(list(paths), lang)


# The language a single document is made in. Not --lang: that is the terminal's (the group's option).
kieli_option = click.option(
    "--kieli", "--language", "document_language", type=click.Choice(["fi", "sv"], case_sensitive=False),
    default=None,
    help="The language the document is made in: fi (suomi) or sv (svenska); default: the content's language. "
         "A Swedish document needs --content a content folder in Swedish.")


def _document_language(catalogue: Catalogue, chosen: str | None, option: str = "--kieli") -> str:
    """The language a document is made in: the one chosen, else the content's. Refuses a language the content
    is not in: the criteria and concepts come from the content, in its language."""
    from .i18n import LANGUAGES
    from .contents import content_language

    content = content_language(catalogue)
    content = content if content in ("fi", "sv") else "fi"
    lang = (chosen or content).lower()
    if lang != content:
        raise click.BadParameter(_(
            "the content folder {folder} is in {content}, but the documents are to be in {language}; give --content a "
            "content folder in {language}.", folder=catalogue.path, content=LANGUAGES[content].name,
            language=LANGUAGES[lang].name), param_hint=option)
    return lang


@click.group(cls=_Boundary, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="auditkit")
@click.option("--lang", "lang", type=click.Choice(["fi", "sv", "en"], case_sensitive=False), default=None,
              help="The language the terminal speaks: fi (default), sv or en (also $AUDITKIT_LANG; else the round's "
                   "language in round.toml). The reports follow the round's language.")
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    """Make audit kits and consolidated reports for workshops' quality criteria (Into, 2022).

    \b
    Example:
      auditkit content show --criterion 29
      auditkit --lang en status kierros/round.toml palautetut/
    """
    # --lang took effect before parsing (_Boundary.main); here it only marks the language as chosen.
    if lang or os.environ.get(LANG_ENV, "").strip():
        ctx.meta[_CHOSEN] = True


_CHOSEN = "auditkit.lang_chosen"


def _lang_asked(args: Sequence[str]) -> str | None:
    """The language --lang gives among the group's own options (before the command's name), if any
    and if it is one auditkit speaks (else click reports the value as it reports any bad choice)."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = args[index + 1] if arg == "--lang" and index + 1 < len(args) else \
            arg.partition("=")[2] if arg.startswith("--lang=") else None
        if value is not None:
            try:
                return language(value).code
            except ValueError:
                return None
        if not arg.startswith("-"):
            break  # the command's name: what follows is the command's
    return None


def _speak_round(round_file: Path) -> None:
    """Speak the round's language (round.toml [round] language) when neither --lang nor AUDITKIT_LANG chose one."""
    from .round import round_language

    ctx = click.get_current_context().find_root()
    if ctx.meta.get(_CHOSEN):
        return
    lang = round_language(round_file)
    if lang:
        ctx.meta[_CHOSEN] = True
        ctx.with_resource(using(lang))


# --- content -----------------------------------------------------------------------------------


@main.group()
def content() -> None:
    """Check, show and export the criteria and concepts.

    \b
    Example:
      auditkit content check --content my-content/
    """


@content.command("check")
@content_option
def content_check(content_path: Path | None) -> None:
    """Check a content folder and list every problem (exit 1 when there are any).

    \b
    Example:
      auditkit content check --content content/
    """
    problems = check_content(content_path)
    if problems:
        raise Refusal(ngettext("{count} problem in the content:", "{count} problems in the content:", len(problems))
                      + "\n" + "\n".join(f"  - {p}" for p in problems))
    catalogue = _catalogue(content_path)
    click.echo(_("Content {version} ({hash}) is valid: {criteria} criteria in {areas} areas and {elements} elements, "
                 "{concepts} concepts.", version=catalogue.version, hash=catalogue.short_hash,
                 criteria=len(catalogue.criteria), areas=len(catalogue.areas), elements=len(catalogue.elements),
                 concepts=len(catalogue.concepts)))


@content.command("show")
@content_option
@click.option("--criterion", "number", type=int, help="Show only the criterion with this number.")
def content_show(content_path: Path | None, number: int | None) -> None:
    """Print the criteria grouped by element and area.

    \b
    Example:
      auditkit content show --criterion 51
    """
    catalogue = _catalogue(content_path)
    if number is not None:
        try:
            catalogue.criterion(number)
        except KeyError:
            raise click.BadParameter(
                _("there is no criterion {number}; choose 1–{last}.", number=number, last=len(catalogue.criteria)),
                param_hint="--criterion"
            ) from None
    click.echo(_render_catalogue(catalogue, number))


def _render_catalogue(catalogue: Catalogue, only: int | None) -> str:
    width = 96
    out: list[str] = []
    if only is None:
        out += [f"{catalogue.meta.title} ({catalogue.meta.publisher}, {catalogue.meta.year})",
                _("Content version {version}, id {hash}", version=catalogue.version, hash=catalogue.short_hash), ""]
    for element in catalogue.elements:
        for area in catalogue.areas_of(element.id):
            criteria = [c for c in catalogue.criteria_of(area.id) if only is None or c.number == only]
            if not criteria:
                continue
            out.append(click.style(f"{element.heading}: {area.name}", bold=True))
            sub = None
            for c in criteria:
                if c.subheading and c.subheading != sub:
                    out.append(click.style(f"  {area.name}: {c.subheading}", italic=True))
                sub = c.subheading
                out.append(_wrap(f"{c.number:>2}. ", c.text, width))
                for item in c.items:
                    scope = {"youth": _(" (youth workshops only)"), "adult": _(" (adult workshops only)"),
                             "learning-environments": _(" (learning environments only)")}.get(item.applies_to, "")
                    out.append(_wrap("      • ", item.text + scope, width))
                notes = [label(APPLIES_TO, c.applies_to)] if c.applies_to in APPLIES_TO.texts else []
                if c.condition:
                    notes.append(c.condition)
                if c.concepts:
                    notes.append(_("Concepts: {names}", names=", ".join(c.concepts)))
                for note in notes:
                    out.append(_wrap("      ", note, width))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _wrap(prefix: str, text: str, width: int) -> str:
    import textwrap

    return textwrap.fill(text, width, initial_indent=prefix, subsequent_indent=" " * len(prefix))


@content.command("export")
@content_option
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True,
              help="json: the whole catalogue; csv: one row per criterion.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def content_export(content_path: Path | None, fmt: str, out: Path | None, force: bool) -> None:
    """Export the catalogue as JSON or CSV.

    \b
    Example:
      auditkit content export --format csv -o kriteerit.csv
    """
    catalogue = _catalogue(content_path)
    if fmt == "json":
        text = json.dumps(to_dict(catalogue), ensure_ascii=False, indent=2) + "\n"
    else:
        from .csvfile import csv_text  # the formula guard too: criterion texts go to a spreadsheet

        text = csv_text(CSV_COLUMNS, ([row[c] for c in CSV_COLUMNS] for row in criteria_rows(catalogue)),
                        delimiter=",")
    if out is None:
        sys.stdout.write(text)
    else:
        write_text(out, text, force=force)
        click.echo(_("Wrote {path}", path=str(out)), err=True)


# --- word documents: form, audit-report, glossary, templates check ---


def _word_options(default_out: str, *, workshop: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Options every Word document command shares (a decorator)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=default_out,
                         show_default=True, help="The .docx file to write."),
            click.option("--force", is_flag=True, help="Overwrite --out if it exists."),
            templates_dir_option,
            content_option,
            kieli_option,
        ]
        if workshop:
            options += [
                click.option("--workshop", default="", help="The workshop's name (empty: a line to fill in)."),
                click.option("--organisation", default="", help="The organisation running the workshop."),
                click.option("--round", "round_name", default="", help="The audit round, e.g. 'Kevät 2025'."),
                click.option("--profile", type=click.Choice(["youth", "adult", "both"]), default="both",
                             show_default=True, help="Whom the workshop serves: youth, adults or both."),
                click.option("--learning-environments/--no-learning-environments", default=True, show_default=True,
                             help="Whether the workshop runs learning environments (criteria 33–37)."),
                click.option("--deadline", default="", help="Return date shown to the workshop, e.g. 2025-06-01."),
            ]
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def _word_context(workshop: str, organisation: str, round_name: str, profile: str, learning_environments: bool,
                  deadline: str, **extra: Any) -> DocumentContext:
    from .catalogue import Profile
    from .model import DocumentContext, Workshop

    shop = Workshop(id="", name=workshop, organisation=organisation,
                    profile=Profile(audience=profile, learning_environments=learning_environments))
    return DocumentContext(round_id=round_name, round_name=round_name, workshop=shop, deadline=deadline, **extra)


def _write_document(out: Path, data: bytes, force: bool) -> None:
    from .outputs import write_bytes

    write_bytes(out, data, force=force)
    click.echo(_("Wrote {path}", path=str(out)))


@main.command("form")
@_word_options("itsearviointilomake.docx")
@click.option("--audit-type", type=click.Choice(["peer", "external"]), default="peer", show_default=True,
              help="The audit the workshop chose: peer (vertaisauditointi) or external (ulkoinen auditointi).")
def form_command(out: Path, force: bool, templates_dir: Path | None, content_path: Path | None, audit_type: str,
                 document_language: str | None, **options: Any) -> None:
    """Write the self-assessment form (itsearviointilomake) for one workshop.

    \b
    Example:
      auditkit form --workshop "Nuorten työpaja Reuna" --round "Kevät 2025" --profile youth -o lomake.docx
    """
    from .word import build_form

    catalogue = _catalogue(content_path)
    ctx = _word_context(**options, audit_type=audit_type, role="self",
                        language=_document_language(catalogue, document_language))
    _write_document(out, build_form(catalogue, ctx, templates=templates_dir), force)


@main.command("audit-report")
@_word_options("auditointiraportti.docx")
@click.option("--audit-type", type=click.Choice(["peer", "external"]), default="peer", show_default=True,
              help="peer: vertaisauditointiraportti; external: ulkoisen auditoinnin raportti.")
@click.option("--auditor", "auditors", multiple=True, metavar="NAME",
              help="An auditor's name (repeat for each; the first leads). Empty: lines to fill in.")
def audit_report_command(out: Path, force: bool, templates_dir: Path | None, content_path: Path | None,
                         audit_type: str, auditors: tuple[str, ...], document_language: str | None,
                         **options: Any) -> None:
    """Write the audit report template (vertaisauditointiraportti or ulkoisen auditoinnin raportti).

    \b
    Example:
      auditkit audit-report --workshop "Paja Reuna" --auditor "Aino Laine" --auditor "Olli Virta" -o raportti.docx
    """
    from .model import Auditor
    from .word import build_audit_report

    team = tuple(Auditor(name=name, role="pääauditoija" if i == 0 else "auditoija") for i, name in enumerate(auditors))
    catalogue = _catalogue(content_path)
    ctx = _word_context(**options, audit_type=audit_type, role="peer", auditors=team,
                        language=_document_language(catalogue, document_language))
    _write_document(out, build_audit_report(catalogue, ctx, templates=templates_dir), force)


@main.command("glossary")
@_word_options("kasitteet.docx", workshop=False)
def glossary_command(out: Path, force: bool, templates_dir: Path | None, content_path: Path | None,
                     document_language: str | None) -> None:
    """Write the glossary (käsitteet): core, key and other concepts with their definitions.

    \b
    Example:
      auditkit glossary -o kasitteet.docx
    """
    from .word import build_glossary

    catalogue = _catalogue(content_path)
    lang = _document_language(catalogue, document_language)
    # A Finnish glossary as ever (no context: no workshop in its header); another language says itself in one.
    ctx = None if lang == "fi" else _word_context("", "", "", "both", True, "", language=lang)
    _write_document(out, build_glossary(catalogue, ctx, templates=templates_dir), force)


@main.group("templates")
def templates_group() -> None:
    """Check the templates (wording and base.docx) that documents are made from.

    \b
    Example:
      auditkit templates check --templates omat-pohjat/
    """


@templates_group.command("check")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Your templates folder (default: only the bundled templates).")
def templates_check(templates_dir: Path | None) -> None:
    """Check every template and base.docx; list every problem (exit 1 when there are errors).

    \b
    Example:
      auditkit templates check --templates omat-pohjat/
    """
    from .template_check import check_templates
    from .templating import TEMPLATES

    problems = check_templates(templates_dir)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        if problem.severity == "warning":
            click.echo(_("warning: {problem}", problem=str(problem)), err=True)
    if errors:
        raise Refusal(ngettext("{count} problem in the templates:", "{count} problems in the templates:", len(errors))
                      + "\n" + "\n".join(f"  - {p}" for p in errors))
    where = (_("{folder} (then the bundled ones)", folder=str(templates_dir)) if templates_dir
             else _("the bundled templates"))
    click.echo(_("Templates are fine: {count} text templates and base.docx from {where}.", count=len(TEMPLATES),
                 where=where))


# --- workbooks: workbook ---


@main.command("workbook")
@content_option
@click.option("--role", type=click.Choice(["self", "peer"]), required=True,
              help="self: the workshop's self-assessment; peer: the auditors' workbook.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .xlsx file to write.")
@click.option("--workshop", "workshop_name", default="", help="The workshop's name, as it should appear.")
@click.option("--workshop-id", default="", help="The workshop's id in the round's register (default: none).")
@click.option("--organisation", default="", help="The organisation that runs the workshop.")
@click.option("--round", "round_name", default="", help="The audit round, e.g. \"Syksy 2025\".")
@click.option("--profile", "audience", type=click.Choice(["youth", "adult", "both"]), default="both",
              show_default=True, help="Whom the workshop serves: criteria for other audiences are marked.")
@click.option("--learning-environments/--no-learning-environments", default=True, show_default=True,
              help="Whether the workshop runs learning environments (criteria 33–37).")
@click.option("--deadline", default="", help="Return deadline shown on the Ohje sheet, e.g. 2025-12-01.")
@click.option("--prefill", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="With --role peer: the workshop's returned self-assessment; its ratings and reasoning are shown "
                   "read-only beside the auditors' columns.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@kieli_option
def workbook_command(content_path: Path | None, role: str, out: Path, workshop_name: str, workshop_id: str,
                     organisation: str, round_name: str, audience: str, learning_environments: bool,
                     deadline: str, prefill: Path | None, force: bool, document_language: str | None) -> None:
    """Write a scoring workbook (.xlsx) for one workshop.

    Exit status 1 when the --prefill file has problems (they are listed; the workbook is still
    written from what could be read).

    \b
    Examples:
      auditkit workbook --role self --workshop "Paja Oy" --round "Syksy 2025" -o itsearviointi.xlsx
      auditkit workbook --role peer --prefill palautetut/itsearviointi.xlsx -o auditointi.xlsx
    """
    import uuid

    from .catalogue import Profile
    from .checks import file_problems
    from .errors import InputFileError, say
    from .excel import build_workbook, check_prefill, read_workbook
    from .model import DocumentContext, Workshop
    from .outputs import write_bytes

    if prefill is not None and role != "peer":
        raise click.BadParameter(_("a prefill is shown in the auditors' workbook; add --role peer."),
                                 param_hint="--prefill")
    catalogue = _catalogue(content_path)
    lang = _document_language(catalogue, document_language)
    returned = read_workbook(prefill, catalogue) if prefill is not None else None
    problems = [*returned.problems, *file_problems(returned, catalogue)] if returned else []
    if returned is not None:
        who = returned.identity
        workshop_name = workshop_name or who.workshop_name
        workshop_id = workshop_id or who.workshop_id
        round_name = round_name or who.round_id
        problems += check_prefill(returned, workshop_id, round_name)
        if not returned.responses or any(p.severity == "error" and not p.place for p in problems):
            raise InputFileError(say("{file}: cannot be used as the prefill; nothing was written.", file=str(prefill)),
                                 problems)
    if not workshop_name:
        raise click.BadParameter(_("give the workshop's name (or a --prefill that names it)."), param_hint="--workshop")
    workshop = Workshop(workshop_id, workshop_name, organisation, profile=Profile(audience, learning_environments))
    ctx = DocumentContext(round_name, round_name, workshop, role=role, kit_id=uuid.uuid4().hex[:12], deadline=deadline,
                          language=lang)
    write_bytes(out, build_workbook(catalogue, ctx, prefill=returned), force=force)
    if returned is None:
        what = (_("Wrote {path}: the self-assessment workbook for {workshop}.", path=str(out), workshop=workshop_name)
                if role == "self" else
                _("Wrote {path}: the auditors' workbook for {workshop}.", path=str(out), workshop=workshop_name))
    else:
        what = _("Wrote {path}: the auditors' workbook for {workshop}; prefilled with {count} answers from {file}.",
                 path=str(out), workshop=workshop_name, count=len(returned.responses), file=str(prefill))
    click.echo(what, err=True)
    if problems:
        click.echo("\n".join(f"  - {p}" for p in problems), err=True)
        if any(p.severity == "error" for p in problems):
            raise click.exceptions.Exit(1)


# --- rounds: init, kit ---


def _distinct(built: int, reused: int) -> str:
    if not reused:
        return _("{built} distinct documents built", built=built)
    return _("{total} distinct documents: {reused} as the last kit built them, {built} built now",
             total=built + reused, reused=reused, built=built)


def _echo_warnings(problems: Sequence[Problem]) -> None:
    for problem in problems:
        click.echo(_("warning: {problem}", problem=str(problem)), err=True)


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite round.toml and the example registers if they exist.")
@click.option("--kieli", "--language", "round_language", type=click.Choice(["fi", "sv"], case_sensitive=False),
              default="fi", show_default=True,
              help="The round's language (round.toml [round] language): sv writes a Swedish-speaking example round, "
                   "whose kits need --content a content folder in Swedish.")
def init_command(directory: Path, force: bool, round_language: str) -> None:
    """Start a round folder: a commented round.toml, an example register of 12 workshops and one of auditors.

    The auditor register (auditoijat.csv) names people: their home workshop, organisation and declared
    conflicts of interest. round.toml names both registers and the deadlines of the round's phases.

    \b
    Example:
      auditkit init kierros
      auditkit assign kierros/round.toml
    """
    from .round import init_round

    written = init_round(directory, force=force, language=round_language.lower())
    round_file, register, auditors = written
    click.echo(_("Wrote {paths}.", paths=", ".join(str(path) for path in written)))
    returned = _("RETURNED")
    click.echo("\n".join([
        _("Next:"),
        "  1. " + _("Edit {file}: the round's name, the deadlines of its phases and the coordinator.",
                    file=str(round_file)),
        "  2. " + _("Put your workshops in {register} and your auditors in {auditors} (from Excel: save as CSV UTF-8, "
                    "or give an .xlsx in round.toml).", register=str(register), auditors=str(auditors)),
        f"  3. auditkit assign {round_file}   " + _("(writes the auditor assignment for you to review)"),
        f"  4. auditkit kit {round_file}      " + _("(phase one: every workshop's kit, a notice to each auditor)"),
        f"  5. auditkit forward {round_file} {returned}/   "
        + _("(phase two: the returned self-assessments to the auditors; auditkit status tells what is back)"),
    ]))


@main.command("assign")
@click.argument("round_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the assignment file if it exists (edits in it are lost).")
def assign_command(round_file: Path, force: bool) -> None:
    """Assign auditors to every workshop of a round and write the assignment for review.

    The file (jaot.csv unless round.toml says otherwise) goes beside round.toml: one row per workshop
    and auditor, the lead (pääauditoija) first. Edit it in Excel if needed; `auditkit kit` uses it as
    it is.

    \b
    Example:
      auditkit assign kierros/round.toml
    """
    from .assignment import assign, write_assignment
    from .round import load_round

    _speak_round(round_file)
    loaded = load_round(round_file)
    _echo_warnings(loaded.problems)
    config = loaded.config
    result = assign(loaded.workshops, loaded.auditors, config.team_size, config.assignment_method)
    path = write_assignment(result, config.assignment_path, force=force, lang=config.language)
    summary = result.summary()
    click.echo(_("Wrote {path}: {workshops} workshops, teams of {size}, {auditors} auditors.", path=str(path),
                 workshops=summary.workshops, size=config.team_size, auditors=summary.auditors))
    click.echo(_("Audits per auditor: min {low}, max {high}. Reciprocal pairs: {pairs}. Auditors from the workshop's "
                 "own municipality: {same}.", low=summary.load_min, high=summary.load_max,
                 pairs=summary.reciprocal_pairs, same=summary.same_municipality))
    click.echo(_("Review the file and edit it if needed; `auditkit kit` uses it as it is."))





@main.command("kit")
@click.argument("round_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--only", "only", multiple=True, metavar="ID", help="Make the kit of this workshop only (repeatable).")
@click.option("--force", is_flag=True, help="Make existing kits again (they are replaced).")
@click.option("--pdf", is_flag=True, help="Also a PDF of every Word document made, beside it (needs LibreOffice).")
@templates_dir_option
@contents_option
@silent_option
def kit_command(round_file: Path, only: tuple[str, ...], force: bool, pdf: bool, templates_dir: Path | None,
                content_paths: tuple[Path, ...], silent: bool) -> None:
    """Make phase one of a round: every workshop's kit, a notice to each auditor, zips and a manifest.

    Under <output>/<round id>/: tyopajat/ (each workshop's form, workbook, glossary, letter),
    auditoijat/ (each auditor's notice: their audits, the team, the deadlines, conflicts of
    interest), lahetys/ (a zip per workshop), postituslista.csv (for a mail merge), manifest.csv and
    manifest.xlsx. Auditors get their files to fill in phase two (auditkit forward). Existing kits are
    kept: run again after adding workshops to make only the new ones. With --pdf, every Word
    document made also as PDF (for printing) through LibreOffice; exit 1 when a PDF could not be made
    (the kits are made).

    \b
    Example:
      auditkit kit kierros/round.toml
      auditkit kit kierros/round.toml --only P07 --force --pdf
    """
    from .kit import kit_for_round

    _speak_round(round_file)
    contents = _contents(content_paths, round_file)
    catalogue = contents.main
    bar = None

    def start(total: int) -> None:
        nonlocal bar
        if not silent:
            bar = click.progressbar(length=total, label=_("Kits"), file=sys.stderr)
            bar.__enter__()

    try:
        run = kit_for_round(round_file, catalogue, force=force, only=only, templates=templates_dir,
                            progress=(lambda _id: bar.update(1) if bar is not None else None) if not silent else None,
                            on_start=start, pdf=pdf, contents=contents)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    _echo_warnings(run.warnings)
    r = run.result
    if run.assignment_written:
        click.echo(_("Wrote the auditor assignment {path} (edit it and use --force to remake kits).",
                     path=str(run.assignment_written)))
    if run.assignment_extended:
        click.echo(_("Gave teams to the new workshops {ids} in {path}; the teams already there are unchanged (the file "
                     "as it was: {backup}).", ids=", ".join(run.assignment_extended), path=str(run.assignment_path),
                     backup=str(run.assignment_backup)))
    click.echo(_("Kits made: {made}, existing kept: {kept}, in {folder} ({documents}, {rows} manifest rows).",
                 made=len(r.made), kept=len(r.skipped), folder=str(r.out_dir),
                 documents=_distinct(r.documents_built, r.documents_reused), rows=len(r.files)))
    if r.skipped and not force:
        click.echo(_("Existing kits were not touched; add --force to make them again."))
    click.echo(_("Manifest: {path}", path=str(r.out_dir / "manifest.xlsx")))
    if r.pdfs:
        click.echo(_("PDF: {count} beside the Word documents (in the zips and the manifest too).", count=len(r.pdfs)))
    _echo_pdf_problems(r.pdf_problems)
    if r.pdf_problems:
        sys.exit(1)


@main.command("forward")
@click.argument("round_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("returned", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--only", "only", multiple=True, metavar="ID", help="Consider this workshop only (repeatable).")
@click.option("--force", is_flag=True, help="Make existing audit packs again (the auditors' answers in them are lost).")
@templates_dir_option
@contents_option
@silent_option
def forward_command(round_file: Path, returned: tuple[Path, ...], only: tuple[str, ...], force: bool,
                    templates_dir: Path | None, content_paths: tuple[Path, ...], silent: bool) -> None:
    """Send each returned self-assessment on to its auditors: phase two of the round.

    For every workshop whose self-assessment is back (its workbook, its form or both) it makes
    auditoinnit/<workshop>/ under the round's output folder: the auditors' workbook with the
    workshop's ratings and reasons filled in and locked, the audit report with the workshop's ratings
    and means, and the workshop's returned files as they came; then a letter and a zip per auditor
    (lahetys/auditoijat/), a mailing list of the new packs and the manifest. Run it again as more
    come back: only new packs are made. A self-assessment that came back in copies that differ gets
    no pack until you mark the copy that counts in valinnat.csv beside round.toml. Exit 1 when a
    returned self-assessment had a problem (the packs are still made from what was good, and say what
    is missing).

    \b
    Example:
      auditkit forward kierros/round.toml palautetut/
      auditkit forward kierros/round.toml palautetut/ --only P09 --force
    """
    from .forward import forward_round

    _speak_round(round_file)
    contents = _contents(content_paths, round_file)
    catalogue = contents.main
    bars = [click.progressbar(length=len(_files_in(returned)), label=_("Returned files"), file=sys.stderr,
                              hidden=silent)]
    bars[0].__enter__()

    def start(total: int) -> None:  # the files are read: their bar ends, the packs' begins
        bars[-1].__exit__(None, None, None)
        bars.append(click.progressbar(length=total, label=_("Audit packs"), file=sys.stderr, hidden=silent or not total))
        bars[-1].__enter__()

    try:
        result = forward_round(round_file, catalogue, list(returned), force=force, only=only, templates=templates_dir,
                               progress=lambda _p: bars[-1].update(1), on_packs=start,
                               pack_done=lambda _id: bars[-1].update(1), contents=contents)
    finally:
        bars[-1].__exit__(None, None, None)
    _echo_warnings(result.warnings)
    for line in forward_summary(result):
        click.echo(line)
    if result.unresolved and result.choices_file is not None:
        click.echo(_("No audit pack for these until you choose (the auditors must start from the final one):"), err=True)
        for line in unresolved_lines(result.unresolved, result.choices_file, result.choices_added):
            click.echo(line, err=True)
    if result.problems:
        click.echo(ngettext("{count} problem in the returned self-assessments (sent on as they are):",
                            "{count} problems in the returned self-assessments (sent on as they are):",
                            len(result.problems)), err=True)
        for p in result.problems[:25]:
            click.echo(f"  - {_severity(p.severity)}: {p}", err=True)
        if len(result.problems) > 25:
            click.echo("  " + _("… and {count} more: run auditkit compile for problems.csv",
                                count=len(result.problems) - 25), err=True)
    if not result.clean:
        sys.exit(1)


def _files_in(folders: tuple[Path, ...]) -> list[Path]:
    from .compile import find_files

    return find_files(list(folders))


def forward_summary(result: "ForwardResult") -> list[str]:
    """What forward did, as the coordinator reads it: one sentence per line."""
    lines = []
    made = ", ".join(p.workshop.id for p in result.made)
    ids = " (" + made + ")" if made else ""
    lines.append(_("Audit packs made: {made}{ids}, existing kept: {kept}, in {folder}.", made=len(result.made),
                   ids=ids, kept=len(result.kept), folder=str(result.out_dir / "auditoinnit")))
    for p in result.made:
        wid = p.workshop.id
        if not p.workbook_back:
            lines.append(f"  {wid}: " + _("the self-assessment workbook is not back, so the pack shows no ratings "
                                          "(marked Ei arviota); the form is in it. When the workbook comes, run "
                                          "forward again with --only {id} --force.", id=wid))
        elif p.missing:
            lines.append(f"  {wid}: " + _("the workshop gave no rating for {count} criteria; the pack marks them Ei "
                                          "arviota.", count=len(p.missing)))
        if not p.form_back:
            lines.append(f"  {wid}: " + _("the self-assessment form is not back; the pack has the workbook only."))
    for wid in result.newer:
        lines.append(f"  {wid}: " + _("more of its self-assessment has come back since its pack was made; run forward "
                                      "with --only {id} --force to remake it (answers already typed into the old pack "
                                      "are not carried over).", id=wid))
    if result.not_back:
        lines.append(_("No pack for the workshops whose self-assessment is not back ({count}): {names}.",
                       count=len(result.not_back), names=", ".join(f"{w.id} {w.name}" for w in result.not_back)))
    for w in result.no_team:
        lines.append(_("No pack for {id} {name}: it has no auditors in the assignment; run auditkit kit (it gives "
                       "teams to workshops added to the register), then forward again.", id=w.id, name=w.name))
    if result.mails:
        lines.append(_("Letters and zips for the auditors with a new pack ({count}): {folder}; mailing list: {list}.",
                       count=len(result.mails), folder=str(result.out_dir / "lahetys" / "auditoijat"),
                       list=str(result.mailing_list)))
    else:
        lines.append(_("No new pack, so no letter to send."))
    lines.append(_("Manifest: {path} ({count} rows).", path=str(result.out_dir / "manifest.xlsx"),
                   count=len(result.files)))
    return lines


def _severity(severity: str) -> str:
    """error or warning, said in the current language."""
    return _("error") if severity == "error" else _("warning")


@main.command("status")
@click.argument("round_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("returned", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--today", "today", metavar="YYYY-MM-DD", help="The date to judge lateness by (default: today).")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the reminder letters (default: muistutukset/<date>/ in the round's output folder).")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@templates_dir_option
@contents_option
@silent_option
def status_command(round_file: Path, returned: tuple[Path, ...], today: str | None, out: Path | None, as_json: bool,
                   templates_dir: Path | None, content_paths: tuple[Path, ...], silent: bool) -> None:
    """Show per workshop and phase what is back, missing, late or in conflict; write reminder letters.

    Reads the returned files as compile does. For the self-assessment (workbook and form) and the
    audit (the auditors' workbook and report) each workshop is back, partly back, missing or in
    conflict (two returned files disagree); "late" when something is not back after the phase's
    deadline; the audit is "waiting" until forward has sent the self-assessment. A reminder letter is
    written for each workshop and lead auditor with something outstanding, with a mailing list
    (postituslista.csv). A file that came back in copies that differ is in conflict until you mark the
    copy that counts in valinnat.csv beside round.toml (its rows are added there). Exit 1 when a
    returned file has a problem or a conflict.

    \b
    Example:
      auditkit status kierros/round.toml palautetut/
      auditkit status kierros/round.toml palautetut/ --today 2026-12-04 --json
    """
    import datetime as dt

    from .status import round_status

    day = None
    if today:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError:
            raise click.BadParameter(_("'{value}' is not a date as YYYY-MM-DD, e.g. 2026-12-04.", value=today),
                                     param_hint="--today") from None
    _speak_round(round_file)
    contents = _contents(content_paths, round_file)
    with click.progressbar(length=len(_files_in(returned)), label=_("Returned files"), file=sys.stderr,
                           hidden=silent or as_json) as bar:
        status = round_status(round_file, contents.main, list(returned), today=day, out=out, templates=templates_dir,
                              progress=lambda _p: bar.update(1), contents=contents)
    if as_json:
        click.echo(json.dumps(status.summary(), ensure_ascii=False, indent=2))
    else:
        for line in status_lines(status):
            click.echo(line)
    if not status.clean:
        sys.exit(1)


def status_lines(status: "RoundStatus") -> list[str]:
    """The status as the coordinator reads it in the terminal: a line per workshop, then the totals."""
    words = wording("messages")

    def deadline(phase: str) -> str:
        day = status.deadlines[phase]
        if phase == "self":
            if not day:
                return _("no self-assessment deadline")
            text = _("self-assessment deadline {date}", date=words.date(day))
        else:
            if not day:
                return _("no audit deadline")
            text = _("audit deadline {date}", date=words.date(day))
        return text + (_(", passed") if status.today.isoformat() > day else "")

    lines = [_("Round {round} on {date} ({self_deadline}; {audit_deadline}):", round=status.round_id,
               date=words.date(status.today), self_deadline=deadline("self"), audit_deadline=deadline("audit"))]
    heads = (pgettext("status column", "workshop"), pgettext("status column", "self-assessment"),
             pgettext("status column", "audit"))
    width = max((len(f"{w.workshop.id} {w.workshop.name}") for w in status.workshops), default=10)
    width = max(width, len(heads[0]))
    middle = max((len(w.self_assessment.describe()) for w in status.workshops), default=15)
    middle = max(middle, len(heads[1]))
    lines.append(f"  {heads[0]:<{width}}  {heads[1]:<{middle}}  {heads[2]}")
    for w in status.workshops:
        lines.append(f"  {w.workshop.id + ' ' + w.workshop.name:<{width}}  {w.self_assessment.describe():<{middle}}  "
                     f"{w.audit.describe()}")
    if status.unresolved and status.choices_file is not None:
        lines += unresolved_lines(status.unresolved, status.choices_file, status.choices_added)
    for phase in ("self", "audit"):
        c = status.counts(phase)
        if phase == "self":
            lines.append(_("Self-assessments: back {back}, partly back {partial}, missing {missing}, in conflict "
                           "{conflict}; late {late}.", **c))
        else:
            lines.append(_("Audits: back {back}, partly back {partial}, missing {missing}, in conflict {conflict}, "
                           "waiting for the self-assessment {waiting}; late {late}.", **c))
    for w in status.workshops:
        for s in (w.self_assessment, w.audit):
            for conflict in s.conflicts:
                lines.append(_("Conflict: {conflict}", conflict=conflict))
    replaced = _(" (replacing those written earlier for this date)") if status.replaced else ""
    if status.mails:
        lines.append(_("Reminders: {count} letters in {folder}{replaced}; mailing list {list}.",
                       count=len(status.mails), folder=str(status.folder), replaced=replaced,
                       list=str(status.folder / "postituslista.csv")))
    else:
        lines.append(_("No reminders: nothing is outstanding within two weeks of its deadline."))
    return lines


# --- compile, demo ---


def _print_compiled(result: RoundResult, outputs: Outputs, as_json: bool, limit: int = 25) -> None:
    """The terminal summary of a compiled round (or its JSON)."""
    summary = result.summary()
    if as_json:
        summary["outputs"] = {"report": str(outputs.report), "workbook": str(outputs.workbook),
                              "results": str(outputs.results), "problems": str(outputs.problems),
                              "feedback": [str(p) for p in outputs.feedback], "plans": [str(p) for p in outputs.plans],
                              "pdf": [str(p) for p in outputs.pdfs]}
        if outputs.pdf_problems:
            summary["pdf_problems"] = [str(p) for p in outputs.pdf_problems]
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    s = summary
    conflict = _("in copies that differ {count}, ", count=s["in_conflict"]) if s["in_conflict"] else ""
    click.echo(_("Files: read {files}, used {used}, duplicates {duplicates}, {conflict}refused {refused}, unreadable "
                 "{unreadable}, ignored {ignored}, received without answers (letters, glossaries, reports) "
                 "{received}.", files=s["files"], used=s["used"], duplicates=s["duplicates"], conflict=conflict,
                 refused=s["refused"], unreadable=s["unreadable"], ignored=s["ignored"], received=s["received"]))
    click.echo(_("Workshops: {workshops}; self-assessments returned {self_returned}, auditor workbooks returned "
                 "{auditor_returned}, missing returns {missing}.", workshops=s["workshops"],
                 self_returned=s["self_returned"], auditor_returned=s["auditor_returned"], missing=len(s["missing"])))
    for line in proposal_lines(result):
        click.echo(line)
    for note in result.unchecked:
        click.echo(_("Not checked: {note}", note=wording("messages")(note)))
    problems = result.file_problems
    if problems:
        click.echo(ngettext("{count} problem in the returned files:", "{count} problems in the returned files:",
                            len(problems)), err=True)
        for p in problems[:limit]:
            click.echo(f"  - {_severity(p.severity)}: {p}", err=True)
        if len(problems) > limit:
            click.echo("  " + _("… and {count} more: see {path}", count=len(problems) - limit,
                                path=str(outputs.problems)), err=True)
    click.echo(_("Consolidated report: {path}", path=str(outputs.report)))
    click.echo(_("Workbook: {workbook}; tables: {results}, {problems}; feedback to the workshops ({count}) in "
                 "{folder}, with a development plan each (.docx and .xlsx)", workbook=str(outputs.workbook),
                 results=str(outputs.results), problems=str(outputs.problems), count=len(outputs.feedback),
                 folder=str(outputs.report.parent / "palaute")))
    if outputs.pdfs:
        click.echo(_("PDF: {count} beside the Word reports.", count=len(outputs.pdfs)))
    _echo_pdf_problems(outputs.pdf_problems)


def proposal_lines(result: "RoundResult") -> list[str]:
    """Each workshop's proposal as the coordinator reads it, its caveats said in the terminal's language
    (the outcome's label is the content's own word)."""
    lines = []
    for w in result.workshops:
        if w.recommendation is not None:
            caveats = "".join(_(" (caveat: {text})", text=c.said(current())) for c in w.recommendation.caveats)
            lines.append(f"  {w.workshop.id} {w.workshop.name}: "
                         + _("proposal {label}", label=w.recommendation.label) + caveats)
    return lines


def unresolved_lines(unresolved: Sequence[Unresolved], choices_file: Path | None, added: int) -> list[str]:
    """What the coordinator reads about files that came back in copies that differ, and how to choose."""
    if not unresolved:
        return []
    from .checks import criteria_differ

    lines = [ngettext("{count} file came back in copies whose answers differ; you decide which copy counts (the "
                      "files' save times are not trusted):",
                      "{count} files came back in copies whose answers differ; you decide which copy counts (the "
                      "files' save times are not trusted):", len(unresolved))]
    for u in unresolved:
        lines.append(f"  {u.workshop_id} {u.document_in(current())}: {', '.join(c.file for c in u.copies)} "
                     f"({criteria_differ(u.criteria)})")
    listed = (_("Rows added to {file}: {count}.", file=str(choices_file), count=added) if added
              else _("The copies are listed in {file}.", file=str(choices_file)))
    lines.append(_("Until then their results are marked unresolved in the reports.") + " " + listed + " "
                 + _("Write x in the column Käytä of the copy that counts and compile again (or give --use FILE)."))
    return lines


def _echo_pdf_problems(problems: Sequence[Problem]) -> None:
    """What went wrong with --pdf: place, problem, fix (the Word files are written either way)."""
    for p in problems[:10]:
        click.echo(_("PDF not made: {problem}", problem=str(p)), err=True)
    if len(problems) > 10:
        click.echo("  " + _("… and {count} more documents without a PDF.", count=len(problems) - 10), err=True)


# --csv-erotin's delimiters by name, for a shell that takes ; or , for itself (PowerShell, cmd).
_DELIMITER_WORDS = {"pilkku": ",", "puolipiste": ";", "comma": ",", "semicolon": ";"}


@main.command("compile")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the reports (default: koonti beside round.toml, else ./koonti).")
@click.option("--force", is_flag=True, help="Replace reports already in the output folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--pdf", is_flag=True, help="Also a PDF of every Word report, beside it (needs LibreOffice).")
@click.option("--use", "use", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="Of a file that came back in copies that differ, use this copy (repeat for several); "
                   "or mark the copy in valinnat.csv.")
@click.option("--csv-erotin", "--csv-delimiter", "csv_delimiter",
              type=click.Choice([";", ",", *_DELIMITER_WORDS], case_sensitive=False), default=";", show_default=True,
              help="Delimiter of results.csv and problems.csv: ; (puolipiste) for Excel in Finnish, "
                   "pilkku (or \",\" in quotes: PowerShell takes a bare comma for itself) for Excel in English.")
@templates_dir_option
@contents_option
@silent_option
def compile_command(inputs: tuple[Path, ...], out: Path | None, force: bool, as_json: bool, pdf: bool,
                    use: tuple[Path, ...], csv_delimiter: str, templates_dir: Path | None,
                    content_paths: tuple[Path, ...], silent: bool) -> None:
    """Read the returned workbooks and forms and write the consolidated report.

    Give the round file first to check every file against the round (register, kit ids, round id,
    content version) and to list missing returns; without it, the files are compiled as they are.
    Returned files are never modified. Exit 1 when a returned file had a problem (the reports are
    still written from everything that was good), or when --pdf could not make every PDF (the Word
    reports are written).

    \b
    Example:
      auditkit compile kierros/round.toml palautetut/ -o koonti
      auditkit compile palautetut/ -o koonti --pdf
      auditkit compile kierros/round.toml palautetut/ --use "palautetut/P07 – auditointi.xlsx"

    When a file comes back in copies whose answers differ, nothing decides by the files' save times:
    compile lists the copies in valinnat.csv (beside round.toml, else in the report folder) and marks
    the workshop unresolved; write x in the column Käytä of the copy that counts and compile again.
    """
    from .choices import CHOICES_FILE, load_choices, update_choices_file
    from .compile import compile_round, find_files
    from .excel import read_workbook
    from .manifest import round_manifest
    from .report import write_outputs
    from .round import load_round
    from .contents import readers
    from .word import read_form

    folders = list(inputs)
    is_round = folders[0].is_file() and folders[0].suffix == ".toml"
    contents = _contents(content_paths, folders[0] if is_round else None)
    catalogue = contents.main
    round_ = None
    if folders[0].is_file() and folders[0].suffix == ".toml":
        _speak_round(folders[0])
        round_ = load_round(folders.pop(0))
        _echo_warnings(round_.problems)
    if not folders:
        raise click.BadParameter(_("give at least one folder (or file) of returned files after the round file."),
                                 param_hint="INPUTS")
    kit_ids, forwarded = round_manifest(round_) if round_ is not None else (None, None)
    forwarded = forwarded if kit_ids else None
    out = out or ((round_.config.base_dir / "koonti") if round_ else Path("koonti"))
    choices_file = (round_.config.base_dir if round_ is not None else out) / CHOICES_FILE
    choices = load_choices(choices_file, use)
    files = find_files(folders)
    with click.progressbar(length=len(files), label=_("Returned files"), file=sys.stderr,
                           hidden=silent or as_json) as bar:
        workbooks, forms = readers(read_workbook, read_form, contents)
        result = compile_round(catalogue, folders, round_=round_, kit_ids=kit_ids, forwarded=forwarded,
                               read_workbook=workbooks, read_form=forms,  # type: ignore[arg-type]
                               progress=lambda _p: bar.update(1), choices=choices)
    outputs = write_outputs(catalogue, result, out, force=force, templates=templates_dir, pdf=pdf,
                            csv_delimiter=_DELIMITER_WORDS.get(csv_delimiter.casefold(), csv_delimiter),
                            others=contents.others)
    added, trouble = update_choices_file(choices_file, result.unresolved, result.language)
    _print_compiled(result, outputs, as_json)
    if not as_json:
        for line in unresolved_lines(result.unresolved, choices_file, added):
            click.echo(line, err=True)
    _echo_warnings(trouble)
    if not result.clean or outputs.pdf_problems:
        sys.exit(1)


@main.command("demo")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("output/demo"),
              show_default=True, help="Folder for the demo round, its returns and its report.")
@click.option("--force", is_flag=True, help="Replace an earlier demo in the folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the compile summary as JSON (with the phases).")
@content_option
@click.option("--kieli", "--language", "round_language", type=click.Choice(["fi", "sv"], case_sensitive=False),
              default=None, help="The round's language: fi or sv (default: the content's language). A Swedish round "
                                 "needs --content a content folder in Swedish.")
def demo_command(out: Path, force: bool, as_json: bool, content_path: Path | None, round_language: str | None) -> None:
    """Run a whole audit round on the bundled example, both phases: kits, returns, forward, status, compile.

    Twelve fictitious workshops get their kits and thirteen auditors a notice; the self-assessments
    come back as people fill them (one only as a form, one late, a rating typed as a word, an Ei
    sovellu without a reason, an old .xls); forward sends each to its auditors, twice as the late one
    arrives; the audits come back (one missing, one sent twice, one Ei sovellu left unanswered);
    status is checked after each phase (on simulated dates), and everything is compiled.

    \b
    Example:
      auditkit demo -o output/demo
      auditkit demo --kieli sv --content tests/fixtures/content-sv -o output/demo-sv
    """
    from .demo import run_demo

    catalogue = _catalogue(content_path)
    lang = _document_language(catalogue, round_language)
    root = click.get_current_context().find_root()
    if not root.meta.get(_CHOSEN):  # speak the demo round's language, as with any round
        root.meta[_CHOSEN] = True
        root.with_resource(using(lang))
    if not as_json:
        click.echo(_("Making the example round in {folder} …", folder=str(out)))
    demo = run_demo(out, catalogue, force=force, language=lang)
    if as_json:
        summary = demo.result.summary()
        summary["phases"] = {
            "status": [s.summary()["counts"] | {"today": s.today.isoformat()} for s in demo.statuses],
            "forward": [{"made": [p.workshop.id for p in f.made], "kept": list(f.kept),
                         "not_back": [w.id for w in f.not_back]} for f in demo.forwards],
        }
        summary["outputs"] = {"report": str(demo.outputs.report), "results": str(demo.outputs.results),
                              "problems": str(demo.outputs.problems)}
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    for line in demo_lines(demo):
        click.echo(line)
    _print_compiled(demo.result, demo.outputs, as_json)
    click.echo("\n" + _("Open the consolidated report: {path}", path=str(demo.outputs.report)))


def demo_lines(demo: "DemoResult") -> list[str]:
    """The story of the demo round, phase by phase, before compile's summary."""
    words = wording("messages")
    first, second = demo.forwards
    late = ", ".join(p.workshop.id for p in second.made)

    def status(s: RoundStatus, phase: str) -> str:
        c = s.counts(phase)
        said = (_("self-assessments: back {back}, partly back {partial}, missing {missing}, in conflict {conflict}; "
                  "late {late}", **c) if phase == "self" else
                _("audits: back {back}, partly back {partial}, missing {missing}, in conflict {conflict}; late {late}",
                  **c))
        return _("Status on {date} (simulated): {counts}; reminder letters in {folder}: {letters}.",
                 date=words.date(s.today), counts=said, folder=str(s.folder), letters=len(s.mails))

    return [
        _("Round: {file}", file=str(demo.round_file)),
        _("Phase one: kits in {folder} (workshops: form, workbook, glossary, letter; auditors: a notice only).",
          folder=str(demo.kit_dir)),
        _("Self-assessments returned (simulated) in {folder}: one only as its form, one late.",
          folder=str(demo.returned_dir)),
        status(demo.statuses[0], "self"),
        _("Phase two, forward: audit packs {count}; not back yet: {ids}.", count=len(first.made),
          ids=", ".join(w.id for w in first.not_back) or _("none")),
        _("The late self-assessment came; forward again: new packs {count} ({ids}), kept as they were {kept}.",
          count=len(second.made), ids=late, kept=len(second.kept)),
        _("Audits returned (simulated): one team has not returned, one sent a draft too."),
        status(demo.statuses[1], "audit"),
        *_demo_choice(demo),
        "",
    ]


def _demo_choice(demo: "DemoResult") -> list[str]:
    """How the demo's coordinator settled the copies that differ (P07's draft e-mailed beside the final)."""
    pending = demo.statuses[1].unresolved
    if not pending or demo.choices_file is None:
        return []
    which = ", ".join(f"{u.workshop_id} {u.document_in(current())}" for u in pending)
    return [_("Copies that differ: {which} came back twice with different answers (an earlier draft by e-mail, whose "
              "computer recorded a later save). status listed both copies in {file}; the coordinator asked the "
              "auditors and wrote x beside the final copy (rows marked: {count}, simulated). compile uses the copy "
              "marked there.", which=which, file=str(demo.choices_file), count=demo.chosen)]


if __name__ == "__main__":  # pragma: no cover
    main()
