"""PDF copies of Word documents, made by LibreOffice when it is installed (`--pdf`).

One batched LibreOffice run converts every document (starting LibreOffice costs seconds; a document
then costs a fraction of one), with a profile of its own (so an open LibreOffice window or a broken
user profile does not get in the way) and a time limit. The documents are given to LibreOffice under
numbered names in a temporary folder, so that documents of the same name in different folders
(every kit's Käsitteet.docx) cannot overwrite each other's PDF; each PDF is then written beside its
document, atomically. Without LibreOffice, or when it fails, the Word documents stay as they are and
each problem says what to do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, Text, say
from .outputs import write_bytes

SOFFICE_ENV = "AUDITKIT_SOFFICE"
_PLACES = {
    "win32": [Path(os.environ.get(v, d)) / "LibreOffice" / "program" / "soffice.exe"
              for v, d in (("PROGRAMFILES", r"C:\Program Files"), ("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))],
    "darwin": [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")],
}
INSTALL = ("install LibreOffice (https://www.libreoffice.org/download/, free) and run the command again with "
           "--pdf, or save the Word files as PDF in Word (File > Save As > PDF); if LibreOffice is installed "
           f"somewhere else, set {SOFFICE_ENV} to its soffice program")
_INSTALL = say("install LibreOffice (https://www.libreoffice.org/download/, free) and run the command again with --pdf, "
               "or save the Word files as PDF in Word (File > Save As > PDF); if LibreOffice is installed somewhere "
               "else, set {env} to its soffice program", env=SOFFICE_ENV)


def find_soffice() -> Path | None:
    """LibreOffice's soffice program: ${AUDITKIT_SOFFICE}, else on PATH, else its usual install folder."""
    explicit = os.environ.get(SOFFICE_ENV)
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((p for p in _PLACES.get(sys.platform, []) if p.is_file()), None)


@dataclass(frozen=True, slots=True)
class PdfResult:
    """The PDFs written (beside their documents) and what went wrong."""

    made: tuple[Path, ...]
    problems: tuple[Problem, ...]


def pdf_copies(documents: Sequence[Path], *, force: bool = True, timeout: float | None = None) -> PdfResult:
    """Write <document>.pdf beside each document, converted by LibreOffice in one run.

    timeout: seconds for the whole run (default: a minute, and three seconds a document more).
    Never raises for LibreOffice missing or failing: the problems say so, with the fix.
    """
    documents = list(documents)
    if not documents:
        return PdfResult((), ())
    soffice = find_soffice()
    if soffice is None:
        where = os.environ.get(SOFFICE_ENV) or "soffice"
        return PdfResult((), (Problem("--pdf", "LibreOffice", say(
            "LibreOffice ({where}) was not found, so no PDF was made; the Word files are written. To get the PDFs, "
            "{install}.", where=where, install=_INSTALL), code="libreoffice-missing"),))
    limit = timeout if timeout is not None else 60 + 3 * len(documents)
    with tempfile.TemporaryDirectory(prefix="auditkit-pdf-") as tmp:
        folder, profile = Path(tmp) / "in", Path(tmp) / "profile"
        folder.mkdir()
        sources = []
        for i, document in enumerate(documents, start=1):
            source = folder / f"{i:05d}{document.suffix}"
            shutil.copyfile(document, source)
            sources.append(source)
        command = [str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nologo", "--convert-to", "pdf", "--outdir", str(folder), *map(str, sources)]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=limit)
            failure: Text | None = (None if run.returncode == 0 else
                                    say("LibreOffice stopped with status {status}", status=run.returncode))
        except subprocess.TimeoutExpired:
            failure = say("LibreOffice did not finish in {seconds} seconds", seconds=round(limit))
        except OSError as err:
            failure = say("LibreOffice could not be started ({reason})", reason=str(err.strerror or err))
        made, problems = [], []
        for document, source in zip(documents, sources):
            pdf = source.with_suffix(".pdf")
            if pdf.is_file() and pdf.stat().st_size > 0:
                made.append(write_bytes(document.with_suffix(".pdf"), pdf.read_bytes(), force=force))
            else:
                problems.append(Problem(str(document), "PDF", say(
                    "{failure}; the Word file is as it was. Open it in Word or LibreOffice and save it as PDF, or run "
                    "the command again with --pdf.", failure=failure or say("LibreOffice made no PDF of it")),
                    code="pdf-failed"))
        return PdfResult(tuple(made), tuple(problems))
