"""Names of a package loaded from their modules when first used (PEP 562), so that importing one module of
the package does not load every other."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def attributes(package: str, homes: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module __getattr__ for package: a name in homes is imported from the module homes names (relative
    to the package) and kept in namespace (the package's globals()); any other is an AttributeError."""

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        namespace[name] = value
        return value

    return __getattr__
