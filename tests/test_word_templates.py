"""Templates: the check lists every problem; broken templates and a base without our styles fail clearly;
a user's folder overrides wording and branding."""

from __future__ import annotations

import base64
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from auditkit.catalogue import Catalogue
from auditkit.cli import main
from auditkit.errors import TemplateError
from auditkit.resources import templates_dir
from auditkit.template_check import check_templates
from auditkit.templating import TEMPLATES
from auditkit.word import build_audit_report, build_form, build_glossary
from auditkit.word.styles import STYLE_NAMES, make_base_document
from word_support import all_text, context, parts

# These tests pin the exact wording of problems in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")

# A 1×1 PNG, for a logo.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/"
                         "eL9QWQAAAABJRU5ErkJggg==")


def test_bundled_templates_are_clean() -> None:
    assert check_templates() == []
    assert sorted(p.name for p in templates_dir().glob("*.j2")) == sorted(TEMPLATES)


def test_bundled_base_is_what_the_generator_makes() -> None:
    bundled = Document(str(templates_dir() / "base.docx"))
    fresh = Document(io.BytesIO(make_base_document()))
    assert {s.name for s in bundled.styles} == {s.name for s in fresh.styles} >= set(STYLE_NAMES)
    section = bundled.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    # Word 2010's stylesWithEffects would contradict the restyled styles (a "repair" in Word); no stale preview.
    names = parts((templates_dir() / "base.docx").read_bytes())
    assert not [n for n in names if "stylesWithEffects" in n or "thumbnail" in n]


def test_check_lists_every_problem_in_one_run(tmp_path: Path) -> None:
    (tmp_path / "form_instructions.j2").write_text("Hei {{ workshop }\n", encoding="utf-8")
    (tmp_path / "report_intro.j2").write_text("{{ paja }} ja {{ kierros }}", encoding="utf-8")
    (tmp_path / "scale_intro.j2").write_text("{{ workshop.nimi }}", encoding="utf-8")
    (tmp_path / "glossary_intro.j2").write_bytes("Käsitteet".encode("cp1252"))
    (tmp_path / "form_instuctions.j2").write_text("typo in the name", encoding="utf-8")
    Document().save(str(tmp_path / "base.docx"))  # python-docx's own template: none of our custom styles
    problems = check_templates(tmp_path)
    shown = [str(p) for p in problems]
    assert f"{tmp_path / 'form_instructions.j2'}, line 1: unexpected '}}'; fix the template syntax." in shown
    assert any(s.startswith(f"{tmp_path / 'report_intro.j2'}: unknown variable(s) kierros, paja; use only: ")
               for s in shown)
    assert any(s.startswith(f"{tmp_path / 'scale_intro.j2'}: does not render (") for s in shown)
    assert any(s.startswith(f"{tmp_path / 'glossary_intro.j2'}: cannot be read as UTF-8 text") for s in shown)
    assert f"{tmp_path / 'base.docx'}, style 'Table Label': missing (paragraph style); add it (Word: Styles > " \
           "New Style, same name) or start from the bundled base.docx." in shown
    assert f"{tmp_path / 'base.docx'}, style 'Placeholder Text': missing (character style); add it (Word: Styles " \
           "> New Style, same name) or start from the bundled base.docx." in shown
    warning = next(p for p in problems if p.severity == "warning")
    assert warning.file == str(tmp_path / "form_instuctions.j2") and "not a template auditkit uses" in warning.message
    assert len([p for p in problems if p.severity == "error"]) == 4 + 9  # four templates, nine custom styles


def test_cli_check_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["templates", "check"])
    assert ok.exit_code == 0 and "Templates are fine: 13 text templates" in ok.output
    (tmp_path / "report_method.j2").write_text("{% if %}", encoding="utf-8")
    (tmp_path / "base.docx").write_text("not a docx", encoding="utf-8")
    bad = runner.invoke(main, ["templates", "check", "--templates", str(tmp_path)])
    assert bad.exit_code == 1
    assert "2 problems in the templates:" in bad.output
    assert f"{tmp_path / 'report_method.j2'}, line 1:" in bad.output
    assert f"{tmp_path / 'base.docx'}: not a Word document (.docx)" in bad.output
    assert "Traceback" not in bad.output
    missing = runner.invoke(main, ["templates", "check", "--templates", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "templates folder not found" in missing.output


def test_building_with_a_base_that_lacks_styles_says_which(catalogue: Catalogue, tmp_path: Path) -> None:
    Document().save(str(tmp_path / "base.docx"))
    for build in (build_form, build_audit_report):
        with pytest.raises(TemplateError) as caught:
            build(catalogue, context(), templates=tmp_path)
        message = str(caught.value)
        assert message.startswith(f"{tmp_path / 'base.docx'}: the base document cannot be used")
        for style in ("Table Text", "Criterion Number", "Note", "Placeholder Text"):
            assert f"style '{style}': missing" in message
    result = CliRunner().invoke(main, ["glossary", "--templates", str(tmp_path), "-o", str(tmp_path / "k.docx")])
    assert result.exit_code == 1 and "style 'Table Label': missing" in result.output
    assert not (tmp_path / "k.docx").exists()


def test_building_with_a_broken_template_names_it(catalogue: Catalogue, tmp_path: Path) -> None:
    (tmp_path / "getting_started.j2").write_text("{% for s in steps %}{{ s }", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"getting_started.j2, line 1: .*; fix the template."):
        build_form(catalogue, context(), templates=tmp_path)
    (tmp_path / "getting_started.j2").write_text("{{ steps.nothing.here }}", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"getting_started.j2: .*use only the variables the tool supplies"):
        build_form(catalogue, context(), templates=tmp_path)


def test_user_wording_and_logo_override_the_bundled_ones(catalogue: Catalogue, tmp_path: Path) -> None:
    (tmp_path / "form_instructions.j2").write_text(
        "Oma ohje työpajalle {{ workshop }}.\n\n- **Tärkeää:** palauta ajoissa.", encoding="utf-8")
    shutil.copy(templates_dir() / "base.docx", tmp_path / "base.docx")
    logo = tmp_path / "logo.png"
    logo.write_bytes(PIXEL)
    base = Document(str(tmp_path / "base.docx"))
    base.sections[0].header.paragraphs[0].add_run().add_picture(str(logo))
    base.add_paragraph("Sample text in the base, which documents do not carry.")
    base.save(str(tmp_path / "base.docx"))
    assert check_templates(tmp_path) == []
    data = build_form(catalogue, context(), templates=tmp_path)
    text = all_text(data)
    assert 'Oma ohje työpajalle Nuorten työpaja Ääri/Reuna "Pilotti".' in text
    assert "Sample text in the base" not in text and "Näin täytätte lomakkeen" not in text
    header = next(v.decode() for k, v in parts(data).items() if k.startswith("word/header") and b"Kev" in v)
    assert "<w:drawing>" in header and header.index("<w:drawing>") < header.index("Itsearviointilomake")
    assert any(k.startswith("word/media/") for k in parts(data))
    assert build_glossary(catalogue, templates=tmp_path)


def test_a_mistyped_templates_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["glossary", "--templates", str(tmp_path / "nope"), "-o", str(tmp_path / "k.docx")])
    assert result.exit_code == 2 and "nope" in result.output and "does not exist" in result.output
    assert not (tmp_path / "k.docx").exists()


def test_the_workbook_guide_is_a_template_people_can_change(tmp_path: Path, catalogue) -> None:
    import io

    import openpyxl

    from auditkit.excel import build_workbook

    source = (Path(__file__).resolve().parents[1] / "templates" / "workbook_guide.j2").read_text(encoding="utf-8")
    # The bundled guide says its headings through the workbooks catalogue; a person's own heading is plain text.
    (tmp_path / "workbook_guide.j2").write_text(
        source.replace('## {{ _("Protection") }}', "## Tietosuoja ja suojaus"), encoding="utf-8")
    assert check_templates(tmp_path) == []
    guide = openpyxl.load_workbook(io.BytesIO(build_workbook(catalogue, context(), templates=tmp_path)))["Ohje"]
    texts = [c.value for row in guide.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Tietosuoja ja suojaus" in texts and "Suojaus" not in texts
    assert "Näin täytätte työkirjan" in texts and "Arviointiasteikko" in texts
