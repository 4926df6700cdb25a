"""Ohje, the first sheet: the facts of the round and the workshop, how to fill the workbook, the scale and
the rules."""

from __future__ import annotations

from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue import applies, criteria_fi
from ..catalogue import number_ranges as _ranges
from ..dates import date_fi
from ..labels import AUDIT_TYPE_FI
from . import contract as k
from .book import MISSING_RATING, SheetWriter, basename, profile_fi
from .layout import fitted_height as row_height
from .style import (BODY, BOLD, BOX, FILL_HEADER, HEADER_ALIGN, HEADING, PLAIN, SMALL, TITLE, TOP, WHITE_BOLD,
                    WRAP_TOP, protect, as_text)


class GuideSheet(SheetWriter):
    """The Ohje sheet."""

    def write(self, ws: Worksheet) -> None:
        ctx, cat = self.ctx, self.cat
        widths = {"A": 26, "B": 16, "C": 22, "D": 44, "E": 44}
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        total = sum(widths.values())
        peer = self.role == "peer"
        title = f"{cat.meta.title}: {k.ROLE_TITLE[self.role].lower()}"
        ws.cell(1, 1, title).font = TITLE
        ws.cell(2, 1, f"{cat.meta.subtitle} ({cat.meta.publisher}, {cat.meta.year}). "
                      f"Kriteeristön versio {cat.version}.").font = SMALL
        row = 4
        row = self._heading(ws, row, "Tiedot")
        w = ctx.workshop
        facts: list[tuple[str, str]] = [
            ("Kierros", ctx.round_name), ("Kierroksen tunnus", ctx.round_id),
            ("Työpaja", w.name), ("Työpajan tunnus", w.id), ("Organisaatio", w.organisation),
            ("Kunta", w.municipality), ("Sähköposti", w.email),
        ]
        for label, value in facts:
            row = self._fact(ws, row, label, value)
        row = self._fact(ws, row, "Profiili", profile_fi(self.profile), derived=True)
        row = self._fact(ws, row, "Auditointityyppi", AUDIT_TYPE_FI.get(ctx.audit_type, ctx.audit_type), derived=True)
        for i, auditor in enumerate(ctx.auditors):
            row = self._fact(ws, row, "Auditoijat" if i == 0 else "", auditor.name, extra=auditor.role)
        for label, value in (("Koordinaattori", ctx.coordinator), ("Palautus", ctx.return_to),
                             ("Palautettava viimeistään", date_fi(ctx.deadline)), ("Työkirjan tunniste", ctx.kit_id)):
            row = self._fact(ws, row, label, value)
        if peer and self.prefill is not None:
            saved = f", tallennettu {date_fi(self.prefill.saved_at[:10])}" if self.prefill.saved_at else ""
            row = self._fact(ws, row, "Työpajan itsearviointi", f"{basename(self.prefill.file)}{saved}")
            missing = self.missing_in_prefill()
            if self.prefill.kind == "form":
                text = ("Työpaja ei ole palauttanut itsearviointitaulukkoa, jossa sen arviot ovat; sarakkeessa Työpajan "
                        f"arvio lukee {MISSING_RATING}. Työpajan kuvaukset ovat sen palauttamassa itsearviointilomakkeessa.")
            elif missing:
                text = (f"Työpaja ei antanut arviota {criteria_fi(missing)} (sarakkeessa Työpajan arvio lukee "
                        f"{MISSING_RATING}).")
            else:
                text = ""
            if text:
                row = self._paragraph(ws, row, f"Huomio: {text}", total)
        if not peer:
            row += 1
            row = self._heading(ws, row, cat.meta.getting_started_title)
            for i, step in enumerate(cat.meta.getting_started, 1):
                row = self._paragraph(ws, row, f"{i}. {step}", total)
        row += 1
        row = self._heading(ws, row, "Näin täytät työkirjan")
        for i, step in enumerate(self._steps(), 1):
            row = self._paragraph(ws, row, f"{i}. {step}", total)
        row += 1
        ws.row_breaks.append(Break(id=row - 1))  # the scale starts a page, never orphaned from its table
        row = self._heading(ws, row, "Arviointiasteikko")
        row = self._scale_table(ws, row)
        row += 1
        row = self._heading(ws, row, "Laskenta")
        rule_lines = cat.rule.describe()
        row = self._paragraph(ws, row, f"Keskiarvoihin ei lasketa {cat.scale.not_applicable.label} -vastauksia. "
                                       + rule_lines[-1], total)
        if peer:
            row += 1
            row = self._heading(ws, row, "Suositus laatumerkistä (ehdotus Intolle)")
            for line in rule_lines[:-1]:
                row = self._paragraph(ws, row, line, total)
            row = self._paragraph(ws, row, "Auditoijat suosittelevat, Into päättää laatumerkin myöntämisestä.", total)
        row += 1
        row = self._heading(ws, row, "Soveltuvuus")
        outside = [c.number for c in cat.criteria if not applies(c, self.profile)]
        na = cat.scale.not_applicable.label
        if not outside:
            which = "Kaikki kriteerit koskevat tätä profiilia."
        elif peer:
            which = (f"Kriteerit {_ranges(outside)} eivät koske tätä profiilia: ne on merkitty Arviointi-välilehdellä "
                     f"harmaalla, ja ne ovat {na} ilman auditoijien hyväksyntää. Ne eivät vaikuta keskiarvoihin eivätkä "
                     f"{na} -osuuteen. Jos jokin niistä kuitenkin koskee työpajaa, antakaa arvio.")
        else:
            which = (f"Kriteerit {_ranges(outside)} eivät koske tätä profiilia: ne on merkitty Arviointi-välilehdellä "
                     f"harmaalla ja valmiiksi {na}, perusteluna profiili. Ne eivät vaikuta keskiarvoihin. Jos jokin "
                     "niistä kuitenkin koskee teitä, valitse sille arvio.")
        text = f"Työpajan profiili: {profile_fi(self.profile)}. {which}"
        row = self._paragraph(ws, row, text, total)
        row = self._paragraph(ws, row, "Sarake Huomioitavaa kertoo, jos kriteeri koskee vain tietynlaisia työpajoja "
                                       "tai sitä arvioidaan vain ehdolla, ja mitä käsitteitä kriteeri käyttää.", total)
        row += 1
        row = self._heading(ws, row, "Suojaus")
        row = self._paragraph(ws, row, (
            "Välilehdet on suojattu ilman salasanaa, jotta kriteerit ja laskukaavat pysyvät ehjinä. Suojaus ohjaa "
            "täyttämistä; se ei estä muutoksia eikä ole tietoturvaa. Täytettävät solut ovat keltaisia. Jos poistat "
            "suojauksen, älä muuta kriteerien numeroita tai tekstejä äläkä piilotettuja sarakkeita tai välilehtiä: "
            "niiden avulla palautettu tiedosto tunnistetaan ja vastaukset luetaan oikeille kriteereille."), total)
        ws.print_title_rows = None
        protect(ws)

    def _steps(self) -> list[str]:
        cat = self.cat
        na = cat.scale.not_applicable.label
        save = ("Tallenna tiedosto Excel-muodossa (.xlsx; LibreOfficessa Tallenna nimellä → Excel 2007–365) "
                "ja palauta se määräaikaan mennessä.")
        if self.role == "self":
            return [
                f"Lue kunkin kriteerin teksti välilehdeltä Arviointi ja kysy: {cat.meta.question}",
                f"Valitse Arvio-sarakkeen pudotusvalikosta taso {cat.scale.min}–{cat.scale.max} tai {na}. "
                "Tasot on kuvattu alla.",
                f"Kirjoita Perustelut-sarakkeeseen lyhyesti, miksi valitsitte tason. {na} vaatii aina perustelun.",
                "Arviot ja perustelut kirjoitetaan vain tähän työkirjaan. Nykyiset käytännöt, näyttö, vahvuudet, "
                "kehittämiskohteet, toimenpiteet ja kysymykset auditoijille kirjoitetaan itsearviointilomakkeeseen.",
                "Yhteenveto-välilehti laskee keskiarvot ja vastaamatta olevat kriteerit automaattisesti.",
                save,
            ]
        return [
            "Työpajan arvio ja perustelut näkyvät harmailla pohjilla työpajan palauttamasta itsearvioinnista; niitä "
            f"ei voi muuttaa. {MISSING_RATING}: työpaja ei antanut arviota. Jos sarakkeet ovat tyhjiä, itsearviointi "
            "ei ollut käytettävissä työkirjaa tehtäessä.",
            f"Valitse Auditoijan arvio -sarakkeen pudotusvalikosta taso {cat.scale.min}–{cat.scale.max} tai {na}.",
            f"Jos työpaja on valinnut {na}, valitse sarakkeesta Työpajan Ei sovellu {k.ACCEPT_YES} tai {k.ACCEPT_NO}. "
            f"Hylätty {na} lasketaan arvoksi {cat.rule.rejected_not_applicable_counts_as}.",
            f"Työpajan profiiliin kuulumattomat kriteerit ovat {na} ilman hyväksyntää; jos kriteeri kuitenkin koskee "
            "työpajaa, antakaa arvio.",
            "Kirjoita perustelut, havainnot (mitä näitte ja kuulitte), vahvuudet ja kehittämissuositukset. Arviot "
            "annetaan vain tähän työkirjaan; auditointiraporttiin kirjoitetaan sanallinen arvio.",
            "Ero-sarake näyttää auditoijan ja työpajan arvion erotuksen; kahden tason tai suurempi ero on korostettu.",
            "Yhteenveto-välilehti laskee keskiarvot ja vastaamatta olevat kriteerit automaattisesti.",
            "Arviointi-välilehti tulostuu vaakasuuntaiselle A3-arkille. A4-tulostimella valitse tulostusasetuksista "
            "sovitus paperin kokoon.",
            save,
        ]

    def _heading(self, ws: Worksheet, row: int, text: str) -> int:
        ws.cell(row, 1, text).font = HEADING
        ws.row_dimensions[row].height = 20
        return row + 1

    def _fact(self, ws: Worksheet, row: int, label: str, value: str, *, extra: str = "", derived: bool = False) -> int:
        head = ws.cell(row, 1, label)
        head.font, head.alignment = BOLD, TOP
        cell = ws.cell(row, 2)
        if derived:
            cell.value = value
        else:
            as_text(cell, value)
        cell.alignment = TOP
        if extra:
            as_text(ws.cell(row, 4), extra).alignment = TOP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3 if extra else 5)
        return row + 1

    def _paragraph(self, ws: Worksheet, row: int, text: str, width: float) -> int:
        cell = ws.cell(row, 1, text)
        cell.alignment = WRAP_TOP
        cell.font = PLAIN
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        ws.row_dimensions[row].height = row_height([(text, width, BODY)])
        return row + 1

    def _scale_table(self, ws: Worksheet, row: int) -> int:
        cat = self.cat
        practice = ", ".join(e.name for e in cat.elements if e.descriptors == "practice")
        results = ", ".join(e.heading for e in cat.elements if e.descriptors == "results")
        headers = ["Arvo", "Taso", "Tarkoittaa", f"Kuvaus: {practice}", f"Kuvaus: {results}"]
        for col, header in enumerate(headers, 1):
            cell = ws.cell(row, col, header)
            cell.font, cell.fill, cell.alignment, cell.border = WHITE_BOLD, FILL_HEADER, HEADER_ALIGN, BOX
        row += 1
        na = cat.scale.not_applicable
        lines = [(lv.label, lv.name, lv.plain, lv.practice, lv.results) for lv in cat.scale.levels]
        lines.append((na.label, na.label, na.plain, na.meaning, na.meaning))
        for values in lines:
            for col, value in enumerate(values, 1):
                cell = ws.cell(row, col, value)
                cell.alignment, cell.border = WRAP_TOP, BOX
                cell.font = BOLD if col <= 2 else PLAIN
            ws.row_dimensions[row].height = row_height([(values[3], 44, BODY), (values[4], 44, BODY)])
            row += 1
        return row
