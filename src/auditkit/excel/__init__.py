"""Every .xlsx auditkit writes, and reading returned workbooks.

build_workbook and build_consolidated_workbook return a workbook's bytes; read_workbook reads a
returned one (check_prefill checks it as a prefill); fill_workbook fills one as a person would (the
demo's returns). contract.py is what writer and reader agree on. Each name is loaded from its module
when first used, so that importing one module of the package (round.py reads registers with
register.py, compile.py the contract) does not load every writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import attributes

if TYPE_CHECKING:
    from .fill import fill_workbook
    from .koonti import build_consolidated_workbook
    from .readback import check_prefill, read_workbook
    from .workbook import build_workbook

_HOMES = {"build_consolidated_workbook": "koonti", "build_workbook": "workbook", "check_prefill": "readback",
          "fill_workbook": "fill", "read_workbook": "readback"}
__all__ = ["build_consolidated_workbook", "build_workbook", "check_prefill", "fill_workbook", "read_workbook"]
__getattr__ = attributes(__name__, _HOMES, globals())
