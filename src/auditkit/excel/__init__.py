"""Every .xlsx auditkit writes, and reading returned workbooks."""

from .readback import check_prefill, read_workbook
from .workbook import build_workbook

__all__ = ["build_workbook", "check_prefill", "read_workbook"]
