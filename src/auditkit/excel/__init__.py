"""Every .xlsx auditkit writes, and reading returned workbooks."""

from .fill import fill_workbook
from .koonti import build_consolidated_workbook
from .readback import check_prefill, read_workbook
from .workbook import build_workbook

__all__ = ["build_consolidated_workbook", "build_workbook", "check_prefill", "fill_workbook", "read_workbook"]
