"""auditkit: audit kits and consolidated reports for Finnish workshops' quality criteria."""

__version__ = "0.1.0"
