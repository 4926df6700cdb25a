"""Rewriting an .xlsx package member by member: fill, the table writer and the workbook builder do it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def pack(parts: Mapping[str, bytes], *, compresslevel: int | None = None) -> bytes:
    """A package of these members, in this order, with fixed times: the same parts give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            target.writestr(info, data, zipfile.ZIP_DEFLATED, compresslevel)
    return out.getvalue()


def rewrite(source: zipfile.ZipFile, change: Callable[[str, bytes], bytes], *, fixed_time: bool = False,
            compresslevel: int | None = None) -> bytes:
    """The package with each member's bytes passed through change(name, data), in the same order.

    Members keep their zip entries (name, time, attributes), or with fixed_time get 1980-01-01 and
    plain file attributes, so the same parts give the same bytes. compresslevel: zlib's 0–9 (default 6).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if fixed_time:
                info = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
                info.external_attr = 0o644 << 16
            target.writestr(info, data, zipfile.ZIP_DEFLATED, compresslevel)
    return out.getvalue()
