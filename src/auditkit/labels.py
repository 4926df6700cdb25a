"""The Finnish labels of auditkit's codes (roles, documents, statuses, profiles), one table each.

Every table that turns a code into words a person reads lives here, so that a label is said the same
way in every document and a later move of the wording into catalogues finds them in one place.
"""

from __future__ import annotations

AUDIT_TYPE_FI = {"peer": "Vertaisauditointi", "external": "Ulkoinen auditointi"}
AUDIENCE_FI = {"youth": "nuoret", "adult": "aikuiset", "both": "nuoret ja aikuiset"}
ROLE_FI = {"self": "itsearviointi", "peer": "auditointi", "form": "itsearviointilomake"}

APPLIES_TO_FI = {
    "youth": "Koskee nuorten työpajatoimintaa.",
    "adult": "Koskee aikuisten työpajatoimintaa.",
    "learning-environments": "Koskee työpajoja, joilla on oppimisympäristöjä (opinnollistaminen).",
}

ROLE_LABEL = {"self": "itsearviointitaulukko", "peer": "auditointitaulukko", "form": "itsearviointilomake"}
ROLE_FROM_FI = {"self": "itsearviointitaulukosta", "form": "itsearviointilomakkeesta", "peer": "auditointitaulukosta"}
# What a document that comes back with the returns but holds no answers is, by its role (compile's note).
RECEIVED_FI = {"glossary": "käsitteet", "peer": "auditointiraportti", "feedback": "palauteraportti",
               "consolidated": "koontiraportti", "plan": "kehittämissuunnitelma", "letter": "kirje",
               "manifest": "luettelo", "choices": "valinnat", "form-copy": "lomakkeen PDF-kopio"}

DOCUMENT_FI = {
    "form": "itsearviointilomake", "workbook-self": "itsearviointi", "glossary": "käsitteet",
    "report": "auditointiraportti", "workbook-peer": "auditointi", "letter": "saate", "zip": "paketti",
    "notice": "ilmoitus", "returned": "palautettu itsearviointi",
}
DOCUMENT_FI.update({f"{kind}-pdf": f"{DOCUMENT_FI[kind]} (PDF)" for kind in ("form", "glossary", "report")})

SEVERITY_FI = {"error": "virhe", "warning": "varoitus"}
STATUS_FI = {"used": "käytetty", "duplicate": "kaksoiskappale, ei käytetty", "refused": "hylätty",
             "unreadable": "ei luettavissa", "ignored": "ohitettu", "read": "luettu",
             "conflict": "eri versiot, valinta puuttuu", "received": "vastaanotettu (ei vastauksia)"}
KIND_FI = {"workbook": "taulukko", "form": "lomake", "other": "muu"}

CONCEPT_KIND_FI = {"core": "Ydinkäsite", "key": "Avainkäsite", "other": "Muu käsite"}
KIND_HEADINGS = {"core": "Ydinkäsitteet", "key": "Avainkäsitteet", "other": "Muut käsitteet"}
