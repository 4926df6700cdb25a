"""Every .docx auditkit writes, and reading answers back from returned forms."""
