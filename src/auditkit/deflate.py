"""Deflate: the compression of every zip part and PNG picture auditkit writes, in one place.

Intel's ISA-L (the `isal` package) where it is installed: about nine times as fast as zlib, at a ratio
between zlib's levels 1 and 3 (a report's picture 0.27 ms instead of 2.4, its document.xml 0.06 ms instead
of 0.8; the files about a sixth larger). Without it (a platform it has no wheel for), zlib at the level the
caller names. Either way the output is standard deflate, which every program that opens a zip or a PNG
reads; the same input gives the same bytes on the same installation.
"""

from __future__ import annotations

import zlib
from types import ModuleType

_isal: ModuleType | None
try:
    from isal import isal_zlib as _isal
except ImportError:  # pragma: no cover - the platforms auditkit installs on have a wheel
    _isal = None

ISAL_LEVEL = 2  # ISA-L's 0-3: 2 packs as well as 1 and 3 is five times slower


def backend() -> str:
    """"isal" or "zlib": which deflate this installation uses (the benchmark prints it)."""
    return "isal" if _isal is not None else "zlib"


def raw(data: bytes, level: int = 6) -> bytes:
    """data as a raw deflate stream (a zip member's bytes); level: zlib's, when ISA-L is missing."""
    c = _isal.compressobj(ISAL_LEVEL, _isal.DEFLATED, -15) if _isal is not None else zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def wrapped(data: bytes, level: int = 6) -> bytes:
    """data as a zlib stream (a PNG's image data); level: zlib's, when ISA-L is missing."""
    return _isal.compress(data, ISAL_LEVEL) if _isal is not None else zlib.compress(data, level)
