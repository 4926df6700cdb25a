"""The names of a round's folders and files: readable and safe on every system, unique, short enough for Windows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from .round import Round

WORKSHOPS_DIR, AUDITS_DIR, AUDITORS_DIR, PACKETS_DIR = "tyopajat", "auditoinnit", "auditoijat", "lahetys"
# Windows (and Word and Excel on it) opens no path longer than 259 characters. Names are shortened,
# never ids: a kit's deepest file (auditoinnit/<folder>/<file>, written as .<folder>.part first) then
# stays within about 125 characters below the round's output folder, leaving the rest for where the
# round folder is (a OneDrive folder is often 80-110 characters). kit_for_round warns past the limit.
FOLDER_LIMIT, FILE_PREFIX_LIMIT = 48, 28
WINDOWS_MAX_PATH = 259
# In an audit pack: the workshop's returned files, as they came. Under lahetys/: the auditors' zips.
RETURNED_DIR, AUDITOR_PACKETS_DIR = "itsearviointi", "auditoijat"
# Beside the rounds' folders (<output>/.pohjat/<round id>/): the kit's distinct documents as built, found
# again by the next kit of the same content and templates.
BUILT_DIR = ".pohjat"
LETTER, NOTICE = "Saate.txt", "Ilmoitus.txt"  # phase one's (workshops) and phase two's (auditors); the notice


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{port}{i}" for port in ("COM", "LPT") for i in (*"0123456789", "¹", "²", "³"))}


def safe_name(text: str, limit: int = 60) -> str:
    """A file or folder name readable on every system: Finnish letters kept (NFC), characters that
    Windows, macOS or Linux refuse replaced, no trailing dots or spaces, at most `limit` characters."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("-", text.replace('"', ""))
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"-{2,}", "-", text).strip(" .-")
    if len(text) > limit:
        cut = text[:limit]
        text = (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut).rstrip(" .-–—,;")
    if text.split(".")[0].strip().upper() in _RESERVED:  # Windows ignores spaces before the extension
        text = f"_{text}"
    return text or "nimetön"


def _unique_names(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """key -> a name unique on case-insensitive file systems (a number added where needed)."""
    seen: set[str] = set()
    out = {}
    for key, name in items:
        candidate, n = name, 2
        while candidate.casefold() in seen:
            candidate = f"{name} ({n})"
            n += 1
        seen.add(candidate.casefold())
        out[key] = candidate
    return out


def workshop_dirs(round_: Round) -> dict[str, str]:
    """Workshop id -> the name of its folders (tyopajat/, auditoinnit/) and zip: "P07 Savon Taitopaja"."""
    return _unique_names((w.id, safe_name(f"{w.id} {w.name}", FOLDER_LIMIT)) for w in round_.workshops)


def auditor_dirs(people: Mapping[tuple[str, str], object]) -> dict[tuple[str, str], str]:
    """(name, email) -> the auditor's folder name, unique on every file system."""
    names = _unique_names((f"{name}\n{email}", safe_name(name)) for name, email in people)
    return {(name, email): names[f"{name}\n{email}"] for name, email in people}


def file_names(dir_name: str) -> dict[str, str]:
    """Kind -> the file name kits give it, for a workshop's folder name (shortened: the folder has the longer name)."""
    prefix = safe_name(dir_name, FILE_PREFIX_LIMIT)
    return {
        "form": f"{prefix} – itsearviointilomake.docx",
        "workbook-self": f"{prefix} – itsearviointi.xlsx",
        "glossary": "Käsitteet.docx",
        "report": f"{prefix} – auditointiraportti.docx",
        "workbook-peer": f"{prefix} – auditointi.xlsx",
        "letter": LETTER,
    }


_ROLE_OF = {"form": "self", "workbook-self": "self", "report": "peer", "workbook-peer": "peer"}


def kind_of(dir_name: str, file_name: str) -> tuple[str, str]:
    """(role, kind) of a kit file, from the names file_names gives (a document's PDF copy: its kind with
    "-pdf"); a returned file copied into an audit pack; anything else is a letter."""
    if file_name.startswith(f"{RETURNED_DIR}/"):
        return "", "returned"
    if file_name.lower().endswith(".pdf"):
        role, kind = kind_of(dir_name, f"{file_name[:-4]}.docx")
        return (role, f"{kind}-pdf") if kind != "letter" else ("", "letter")
    kind = {name: kind for kind, name in file_names(dir_name).items()}.get(file_name, "letter")
    return _ROLE_OF.get(kind, ""), kind
