"""Shared by the UNO scripts (run under /usr/bin/python3): connect to the test's office, open, save."""

import sys
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


def run(main, *args):
    """Run a script's main and leave at once with its exit code.

    Leaving with os._exit skips the interpreter's teardown, where python3-uno can crash (a signal, no
    message) while the bridge to the office is shut down, after the work is done and saved.
    """
    import os
    import traceback

    code = 0
    try:
        main(*args)
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
            code = 1
        else:
            code = stop.code or 0
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
