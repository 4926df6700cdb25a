"""Shared by the UNO scripts (run under /usr/bin/python3): connect to the test's office, open, save."""

import time

import uno
from com.sun.star.beans import PropertyValue


def connect(pipe, timeout=60):
    """The desktop of the soffice listening on `pipe` (waits for it to start)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def props(**kwargs):
    out = []
    for key, value in kwargs.items():
        p = PropertyValue()
        p.Name, p.Value = key, value
        out.append(p)
    return tuple(out)


def open_doc(desktop, path):
    return desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(path)), "_blank", 0, props(Hidden=True))


def save_as(doc, path, filter_name):
    """Save as a person would with File > Save As (e.g. "Calc MS Excel 2007 XML", "MS Word 2007 XML")."""
    doc.storeToURL(uno.systemPathToFileUrl(str(path)), props(FilterName=filter_name, Overwrite=True))
    doc.close(True)
