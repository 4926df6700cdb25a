"""Every .xlsx auditkit writes, and reading returned workbooks."""
