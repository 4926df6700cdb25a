"""The kit's Word documents in Swedish: the form, the glossary and the audit report with a Swedish content
folder (tests/fixtures/content-sv, a test translation) say every interface text in Swedish, carry sv-FI, and
a Swedish form filled in comes back exactly."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from auditkit.catalogue import Catalogue, load_catalogue
from auditkit.model import ForwardedSelfAssessment
from auditkit.word import build_audit_report, build_form, build_glossary, fill_form, read_form
from auditkit.word.contract import TEXT_KEYS
from word_support import W, body, context, criterion_tables, paragraphs, parts, tables, text

CONTENT_SV = Path(__file__).parent / "fixtures" / "content-sv"
DC = "{http://purl.org/dc/elements/1.1/}"

# Finnish interface words that must not reach a Swedish reader (case ignored). The workshop's name,
# organisation and round are the register's values and stay as given: they are taken out first.
FINNISH = ("työpaja", "kriteeri", "arvio", "perustelu", "vahvuudet", "ei sovellu", "kehittämis", "itsearvio",
           "auditointi", "auditoija", "liite", "käsitte", "sivu ", "viimeistään", "ohjeet", "kyllä", "näyttö",
           "toimenpiteet", "tunniste", "huomio", "keskiarvo", "ehdotus", "allekirjoitus", "esteellisyy",
           "yhteenveto", "täydentäkää", "valitkaa", "sisältö")
DATA = ('Nuorten työpaja Ääri/Reuna "Pilotti"', "Örkkivaaran kaupunki", "Kevät 2025", "2025-kevat-P07-self",
        "2025-kevat")


@pytest.fixture(scope="module")
def sv() -> Catalogue:
    return load_catalogue(CONTENT_SV)


def _ctx(**changes):
    return replace(context(**changes), language="sv")


def _everything(data: bytes) -> str:
    """Every text a person can see or meet in the document: body, headers and footers, the controls'
    names and choices, the core properties; the register's values taken out."""
    shown = []
    for name, xml in parts(data).items():
        if not name.endswith(".xml") or not (name.startswith("word/") or name == "docProps/core.xml"):
            continue
        if name in ("word/styles.xml", "word/numbering.xml", "word/settings.xml", "word/fontTable.xml",
                    "word/webSettings.xml") or "theme" in name:
            continue
        root = etree.fromstring(xml)
        shown += ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]
        shown += [a.get(W + "val", "") for a in root.iter(W + "alias")]
        shown += [i.get(W + "displayText", "") for i in root.iter(W + "listItem")]
        if name == "docProps/core.xml":
            shown += [el.text or "" for el in root]
    text = "\n".join(shown)
    for value in DATA:
        text = text.replace(value, "")
    return text


def _finnish_in(text: str) -> list[str]:
    folded = text.casefold()
    return [word for word in FINNISH if word in folded]


def _tags(data: bytes) -> tuple[str, str]:
    """The language the document says it is in: the default run properties' w:lang and dc:language."""
    styles = etree.fromstring(parts(data)["word/styles.xml"])
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    core = etree.fromstring(parts(data)["docProps/core.xml"])
    return lang.get(W + "val"), core.find(DC + "language").text


@pytest.fixture(scope="module")
def form(sv: Catalogue) -> bytes:
    return build_form(sv, _ctx(audience="adult", learning_environments=False))


def test_the_form_speaks_swedish_and_says_so(form: bytes, sv: Catalogue) -> None:
    everything = _everything(form)
    assert _finnish_in(everything) == []
    for phrase in ("Självvärderingsblankett", "Grunduppgifter", "Kontaktperson", "Namn, e-post, telefon.",
                   "vuxna; lärmiljöer: nej", "Kollegial auditering", "senast 1.6.2025, laatu@example.fi",
                   "Anvisningar", "Så här fyller ni i blanketten", "Bedömningsskala", "Blankettens struktur",
                   "Bilaga: Begrepp", "Kärnbegrepp", "sida", "Självvärderingsblankett · "):
        assert phrase in everything, phrase
    assert _tags(form) == ("sv-FI", "sv-FI")
    tables_by_number = criterion_tables(form)
    assert sorted(tables_by_number) == [c.number for c in sv.criteria]
    labels = [paragraphs(cells[i])[0] for cells in tables_by_number[1][1:] for i in range(1, len(cells), 2)]
    assert labels == ["Vad gör vi i den här frågan?", "Belägg", "Styrkor", "Utvecklingsområden", "Åtgärder",
                      "Ansvarsperson", "Tidtabell", "Frågor till auditörerna"]
    assert labels[0] == sv.meta.question  # the content's own question, as in Finnish
    four = text(tables_by_number[4][0][1])  # for young people; this workshop works with adults
    assert "Gäller inte er verkstad: Gäller verkstadsverksamhet för unga." in four
    assert f"I självvärderingstabellen är kriteriet redan {sv.scale.not_applicable.label}" in four
    assert "Se begreppen: Verkstadsverksamhet för unga (bilaga Begrepp)." in four


def test_the_forms_controls_are_tagged_as_in_finnish(form: bytes, sv: Catalogue) -> None:
    """The reader and Word users' macros rely on the tags: the same in every language."""
    finnish = build_form(load_catalogue(CONTENT_SV), replace(_ctx(audience="adult", learning_environments=False),
                                                               language="fi"))

    def tags(data: bytes) -> list[str]:
        return [t.get(W + "val") for t in body(data).iter(W + "tag")]

    assert tags(form) == tags(finnish) and "auditkit:1:practice" in tags(form)
    assert "auditkit:sheet:contact" in tags(form)


def test_the_glossary_speaks_swedish(sv: Catalogue) -> None:
    for data in (build_glossary(sv, _ctx()), build_glossary(sv, lang="sv")):
        everything = _everything(data)
        assert _finnish_in(everything) == []
        for phrase in ("Begrepp inom verkstadsverksamhet", "Kärn- och nyckelbegrepp inom verkstadsverksamhet",
                       "Begreppen och deras definitioner är ordagrant ur publikationen", "Källor"):
            assert phrase in everything, phrase
        assert _tags(data) == ("sv-FI", "sv-FI")
    assert _tags(build_glossary(sv)) == ("fi-FI", "fi-FI")  # without a context or a language: Finnish


def _without_the_rule(data: bytes) -> str:
    """The report's text without the recommendation rule's lines, which word/results.py writes (and checks)
    for every report."""
    text_ = _everything(data)
    return re.sub(r"Regeln för förslaget\n.*?\nAlternativ: ", "Regeln för förslaget\nAlternativ: ", text_, flags=re.S)


def test_the_audit_report_speaks_swedish(sv: Catalogue) -> None:
    peer = build_audit_report(sv, _ctx(audience="adult", learning_environments=False, role="peer",
                                       deadline="2027-02-01", comments_deadline="2027-02-15"))
    everything = _without_the_rule(peer)
    assert _finnish_in(everything) == []
    for phrase in ("Rapport från kollegial auditering", "Grunduppgifter", "Auditeringen ska lämnas in senast",
                   "1.2.2027", "Verkstadens kommentarer senast", "Rapportens status",
                   "Utkast för verkstadens kommentarer", "Auditörer", "Hemverkstad", "ledande auditör", "Jäv",
                   "Ingen jäv", "Eventuell jäv (redogörelse bredvid)", "Hur auditeringen genomfördes",
                   "Bedömning per delområde", "Iakttagelser: ", "Helhetsbedömning", "Centrala styrkor",
                   "Rekommendation om kvalitetsmärket: förslag till Into", "Välj förslag.", "Underskrifter",
                   "Bilaga 5", "Regeln för förslaget", "Alternativ: rekommenderas, ", "Gäller inte verkstaden"):
        assert phrase in everything, phrase
    assert _tags(peer) == ("sv-FI", "sv-FI")
    auditors = [[text(c) for c in cells] for cells in tables(peer)[1]]
    assert auditors[:2] == [["Namn", "Roll", "Hemverkstad", "E-post"],
                            ["Maija Meikäläinen", "ledande auditör", "P03", "maija@example.fi"]]
    external = build_audit_report(sv, _ctx(role="peer", audit_type="external", auditors=()))
    everything = _without_the_rule(external)
    assert _finnish_in(everything) == []
    for phrase in ("Rapport från extern auditering", "Extern auditering", "Auditör", "Den externa auditören",
                   "Auditörens bedömningar"):
        assert phrase in everything, phrase


def test_the_audit_report_shows_the_workshops_swedish_ratings(sv: Catalogue) -> None:
    ratings = {c.number: sv.scale.level(1 + c.number % 4).label for c in sv.criteria if c.number != 2}
    means = {a.id: (2.5, True) for a in sv.areas} | {e.id: (2.75, True) for e in sv.elements}
    means[sv.areas[1].id] = (3.0, False)
    forwarded = ForwardedSelfAssessment(ratings, {1: "Strategin är nedskriven."}, means,
                                        "P07 – självvärdering.xlsx", ("Verkstaden gav ingen bedömning för kriterium 2.",))
    data = build_audit_report(sv, _ctx(role="peer"), self_assessment=forwarded)
    everything = _without_the_rule(data)
    assert _finnish_in(everything) == []
    rows = {int(text(cells[0])): paragraphs(cells[2]) for table in tables(data) for cells in table
            if len(cells) == 3 and text(cells[0]).isdigit()}
    assert rows[1] == [sv.scale.level(2).label, "Strategin är nedskriven."] and rows[2] == ["Ingen bedömning"]
    means_shown = [[text(c) for c in cells] for table in tables(data) for cells in table
                   if text(cells[0]).startswith("Verkstadens medelvärde: ")]
    assert means_shown[0] == [f"Verkstadens medelvärde: {sv.areas[0].name}", "2,50"]
    assert means_shown[1] == [f"Verkstadens medelvärde: {sv.areas[1].name}", "kan inte bedömas (3,00)"]
    assert "Observera: Verkstaden gav ingen bedömning för kriterium 2." in everything


def _answers(catalogue: Catalogue) -> dict[int, dict[str, str]]:
    return {c.number: {key: f"{key} {c.number}: åäö – \"citat\"" for key in TEXT_KEYS} for c in catalogue.criteria}


def _read(tmp_path: Path, data: bytes, catalogue: Catalogue, name: str = "blankett.docx"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_form(path, catalogue)


def test_a_filled_swedish_form_reads_back_exactly(form: bytes, sv: Catalogue, tmp_path: Path) -> None:
    answers = _answers(sv)
    answers[3]["practice"] = "Första raden.\nAndra raden:\tefter tabben."
    returned = _read(tmp_path, fill_form(form, sv, answers), sv)
    assert returned.problems == ()
    assert [r.number for r in returned.responses] == [c.number for c in sv.criteria]
    for r in returned.responses:  # each criterion's own answers, never another's
        assert dict(r.texts) == {key: answers[r.number][key] for key in TEXT_KEYS}, r.number
        assert (r.rating, r.not_applicable) == (None, False)
    assert returned.identity.kit_id == "2025-kevat-P07-self" and returned.identity.role == "self"
    assert returned.texts["workshop"] == 'Nuorten työpaja Ääri/Reuna "Pilotti"'
    assert returned.texts["contact"] == ""  # the Swedish prompt is no answer


def test_rows_a_person_adds_to_a_swedish_form_are_read(form: bytes, sv: Catalogue, tmp_path: Path) -> None:
    na = sv.scale.not_applicable.label
    data = fill_form(form, sv, {4: {"rating": na, "reasoning": "Vi arbetar bara med vuxna."},
                                5: {"rating": sv.scale.level(3).label}})
    assert "Egen bedömning" in text(criterion_tables(data)[4][-2][-2])  # the added rows say it in Swedish
    returned = _read(tmp_path, data, sv)
    assert returned.problems == ()
    four = returned.response(4)
    assert four.not_applicable and four.texts["reasoning"] == "Vi arbetar bara med vuxna."
    assert returned.response(5).rating == 3


def test_a_swedish_form_without_its_properties_is_known_by_what_it_shows(form: bytes, sv: Catalogue,
                                                                         tmp_path: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(fill_form(form, sv, {1: {"evidence": "Bilaga 1."}})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename not in ("docProps/custom.xml", "docProps/core.xml"):
                target.writestr(info, source.read(info.filename))
    returned = _read(tmp_path, out.getvalue(), sv)
    identity = returned.identity
    assert (identity.workshop_name, identity.kit_id, identity.round_id, identity.role) == \
        ('Nuorten työpaja Ääri/Reuna "Pilotti"', "2025-kevat-P07-self", "2025-kevat", "self")
    assert [p.code for p in returned.problems] == ["properties-missing"]
    assert returned.response(1).texts["evidence"] == "Bilaga 1."


def test_a_swedish_form_missing_a_row_names_it_in_swedish(form: bytes, sv: Catalogue, tmp_path: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(form))
    root = etree.fromstring(source.read("word/document.xml"))
    for tag in root.iter(W + "tag"):
        if tag.get(W + "val") == "auditkit:6:owner":
            row = next(tag.iterancestors(W + "tr"))
            row.getparent().remove(row)
            break
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = etree.tostring(root) if info.filename == "word/document.xml" else source.read(info.filename)
            target.writestr(info, data)
    returned = _read(tmp_path, out.getvalue(), sv)
    assert [(p.place, p.code) for p in returned.problems] == [("kriteeri 6", "rows-missing")]
    assert "Ansvarsperson, Tidtabell" in returned.problems[0].message


def test_the_finnish_form_is_unchanged_by_the_language(catalogue: Catalogue, tmp_path: Path) -> None:
    """A Finnish form (the default language) carries fi-FI and reads back as it always has."""
    data = build_form(catalogue, context())
    assert _tags(data) == ("fi-FI", "fi-FI")
    returned = _read(tmp_path, fill_form(data, catalogue, {12: {"rating": "Ei sovellu", "reasoning": "Ei koske."}}),
                     catalogue)
    assert "Oma arvio" in text(criterion_tables(fill_form(data, catalogue, {12: {"rating": "Ei sovellu"}}))[12][-1][-2])
    assert returned.response(12).not_applicable and returned.response(12).places["rating"] == "kriteeri 12, Oma arvio"


# --- through LibreOffice ---------------------------------------------------------------------------


@pytest.mark.office
def test_swedish_documents_print_whole_in_swedish(form: bytes, sv: Catalogue, tmp_path: Path) -> None:
    from libreoffice import convert, pdf_text

    sources = []
    for name, data in (("blankett", form), ("rapport", build_audit_report(sv, _ctx(role="peer")))):
        (tmp_path / f"{name}.docx").write_bytes(data)
        sources.append(tmp_path / f"{name}.docx")
    pdfs = {p.stem: p for p in convert(sources, "pdf", tmp_path / "pdf")}
    for name, pdf in pdfs.items():
        pages = pdf_text(pdf).split("\f")
        pages = pages[:-1] if not pages[-1].strip() else pages
        for number, page in enumerate(pages, start=1):
            assert page.strip(), f"{name}: page {number} is empty"
            if number > 1:  # the cover has no header or footer
                assert f"sida {number} / {len(pages)}" in page, f"{name}: page {number}"
    shown = re.sub(r"\s+", " ", pdf_text(pdfs["blankett"]))
    for value in DATA:
        shown = shown.replace(value, "")
    assert _finnish_in(shown) == [] and "Vad gör vi i den här frågan?" in shown and "Ansvarsperson" in shown


@pytest.mark.office
def test_a_swedish_form_filled_in_libreoffice_reads_back(form: bytes, sv: Catalogue, tmp_path: Path) -> None:
    import json

    from libreoffice import run_uno, uno_office

    source = tmp_path / "blankett.docx"
    source.write_bytes(form)
    entered = {
        "1": {"Vad gör vi i den här frågan?": ["field", "Grunduppdraget är nedskrivet.\nDet gås igenom vid "
                                                        "introduktionen."],
              "Belägg": ["field", "Strategi 2024–2026 (bilaga 1)"]},
        "6": {"Åtgärder": ["field", "Kompetensintyg tas i bruk."], "Ansvarsperson": ["field", "Åsa Öberg"],
              "Tidtabell": ["field", "31.12.2025"]},
        "12": {"Frågor till auditörerna": ["field", "Räcker enkäten som belägg?"],
               "Styrkor": ["type", "Samarbetet med kommunen."]},
    }
    spec = {"criteria": entered, "sheet": {"Kontaktperson": ["field", "Åsa Öberg, asa@example.fi"]}}
    (tmp_path / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    filled = tmp_path / "inlamnad.docx"
    with uno_office() as pipe:
        run_uno(pipe, "fill_form.py", str(source), str(filled), str(tmp_path / "spec.json"))
    returned = read_form(filled, sv)
    assert returned.problems == ()
    assert returned.identity.kit_id == "2025-kevat-P07-self" and returned.texts["contact"] == "Åsa Öberg, asa@example.fi"
    keys = {"Vad gör vi i den här frågan?": "practice", "Belägg": "evidence", "Styrkor": "strengths",
            "Åtgärder": "actions", "Ansvarsperson": "owner", "Tidtabell": "due",
            "Frågor till auditörerna": "questions"}
    for number, values in entered.items():
        response = returned.response(int(number))
        assert {k: v for k, v in response.texts.items() if v} == \
            {keys[label]: value for label, (_, value) in values.items()}, number
    others = [r for r in returned.responses if str(r.number) not in entered]
    assert len(others) == 9 and all(not any(r.texts.values()) for r in others)
