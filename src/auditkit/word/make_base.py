"""Write the bundled base document: `python -m auditkit.word.make_base templates/base.docx`."""

from __future__ import annotations

import sys
from pathlib import Path

from .styles import make_base_document


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m auditkit.word.make_base PATH/base.docx", file=sys.stderr)
        return 2
    Path(args[0]).write_bytes(make_base_document())
    print(f"wrote {args[0]}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
