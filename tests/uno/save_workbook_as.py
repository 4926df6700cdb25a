"""Save a workbook in other formats as a person would with File > Save As (and "Save with password").

Usage (run by tests/libreoffice.run_uno under /usr/bin/python3):
    save_workbook_as.py PIPE SOURCE.xlsx JOBS.json

JOBS.json: [{"target": PATH, "filter": "MS Excel 97" | "calc8" | "Calc MS Excel 2007 XML",
"password": optional}]. With a password LibreOffice writes an encrypted OOXML package as Excel 2007
does (ECMA-376 Standard encryption): an OLE compound file holding EncryptionInfo and EncryptedPackage.
Prints one line per file written: "<size> <target>".
"""

import json
import os
import sys
import time

import uno
from _connect import run, connect, open_doc, props
from com.sun.star.beans import NamedValue, PropertyValue


def _named(name, value):
    item = NamedValue()
    item.Name, item.Value = name, value
    return item


def _encryption(password):
    # The OOXML export ignores a plain Password: it wants EncryptionData with the password and the
    # kind of encryption (LibreOffice 7.4 writes "Standard"; "Agile" fails to store).
    encryption = PropertyValue()
    encryption.Name = "EncryptionData"
    encryption.Value = uno.Any("[]com.sun.star.beans.NamedValue",
                               (_named("OOXPassword", password), _named("CryptoType", "Standard")))
    return encryption


def main():
    pipe, source, jobs_path = sys.argv[1:4]
    with open(jobs_path, encoding="utf-8") as handle:
        jobs = json.load(handle)
    desktop = connect(pipe)
    doc = None
    for _ in range(20):  # the office may still be starting
        doc = open_doc(desktop, source)
        if doc is not None:
            break
        time.sleep(0.5)
    if doc is None:
        raise SystemExit(f"LibreOffice could not open {source}")
    for job in jobs:
        descriptor = props(FilterName=job["filter"], Overwrite=True)
        if job.get("password"):
            descriptor += (_encryption(job["password"]),)
        url = uno.systemPathToFileUrl(os.path.abspath(job["target"]))
        uno.invoke(doc, "storeToURL", (url, descriptor))
        print(os.path.getsize(job["target"]), job["target"])
    doc.close(True)


if __name__ == "__main__":
    run(main)
