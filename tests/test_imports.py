"""Imports run one way down: no cycle between auditkit's modules, and no format package importing an orchestrator.

Read from the source with ast, so that an import inside a function (which a test run may never reach)
counts as much as one at the top of a module. Importing a.b.c runs the packages a and a.b first, so
such an import also depends on their __init__ modules (not on the importer's own packages, which are
running already).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "auditkit"
# The format packages own a file format each; they serve the orchestrators and never call them.
FORMATS = ("auditkit.word", "auditkit.excel")
ORCHESTRATORS = frozenset(f"auditkit.{name}" for name in ("kit", "forward", "compile", "status", "report", "demo",
                                                          "cli"))


def _modules(root: Path = SRC) -> dict[str, Path]:
    out = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_graph(root: Path = SRC) -> dict[str, dict[str, int]]:
    """module -> {module it imports: the line of the first such import}, for auditkit's own modules."""
    modules = _modules(root)
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        package = _package_of(name, path)
        edges: dict[str, int] = {}

        def add(target: str, line: int) -> None:
            for module in (*_ancestors(target), target):
                if module in modules and module != name and module not in _ancestors(name):
                    edges.setdefault(module, line)

        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    add(alias.name, node.lineno)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                add(target, node.lineno)
                for alias in node.names:  # `from . import containers` imports a module
                    if f"{target}.{alias.name}" in modules:
                        add(f"{target}.{alias.name}", node.lineno)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str]:
    """One cycle of the graph as [a, b, …, a], or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, {})):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def _describe(graph: dict[str, dict[str, int]], cycle: list[str]) -> str:
    return " -> ".join(f"{a} (line {graph[a][b]})" for a, b in zip(cycle, cycle[1:])) + f" -> {cycle[-1]}"


def test_no_import_cycle() -> None:
    graph = import_graph()
    cycle = find_cycle(graph)
    assert not cycle, f"import cycle: {_describe(graph, cycle)}; move what both need into a lower module"


def test_format_packages_import_no_orchestrator() -> None:
    graph = import_graph()
    wrong = [f"{module} imports {target} (line {line})" for module, edges in sorted(graph.items())
             if module.startswith(FORMATS) for target, line in sorted(edges.items()) if target in ORCHESTRATORS]
    assert not wrong, "a format package imports an orchestrator: " + "; ".join(wrong)


@pytest.mark.parametrize("source, cycle", [
    ({"a.py": "from .b import x\n", "b.py": "def f():\n    from . import a\n"}, True),
    ({"a.py": "from .b import x\n", "b.py": "x = 1\n"}, False),
    ({"sub/__init__.py": "from .one import y\n", "sub/one.py": "from ..top import z\n", "top.py": "import auditkit.sub.two\n",
      "sub/two.py": ""}, True),
])
def test_the_check_sees_cycles_through_functions_and_packages(tmp_path: Path, source: dict[str, str],
                                                              cycle: bool) -> None:
    for name, text in {"__init__.py": "", **source}.items():
        path = tmp_path / PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert bool(find_cycle(import_graph(tmp_path))) is cycle


def _modules_after(code: str, tmp_path: Path) -> set[str]:
    """The top-level packages in sys.modules after running code in a fresh interpreter (in tmp_path)."""
    import json
    import subprocess
    import sys

    report = "import json, sys; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} | set(sys.modules))))"
    done = subprocess.run([sys.executable, "-c", f"{code}\n{report}"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


HEAVY = ("openpyxl", "docx", "numpy", "matplotlib")


def test_the_command_line_starts_without_the_document_libraries(tmp_path: Path) -> None:
    """`auditkit --help` answers at once: the libraries that write documents and draw are imported where used."""
    loaded = _modules_after("import auditkit.cli", tmp_path)
    assert not loaded & set(HEAVY), f"import auditkit.cli loads {sorted(loaded & set(HEAVY))}"
    code = ("from auditkit.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit as end:\n"
            "    assert not end.code, end.code")
    loaded = _modules_after(code, tmp_path)
    assert not loaded & set(HEAVY), f"auditkit --help loads {sorted(loaded & set(HEAVY))}"


def test_kit_draws_nothing_so_imports_no_matplotlib(tmp_path: Path) -> None:
    code = ("import os\nos.environ['AUDITKIT_WORKERS'] = '1'\n"
            "from pathlib import Path\nfrom auditkit.catalogue import load_catalogue\n"
            "from auditkit.kit import kit_for_round\nfrom auditkit.round import init_round\n"
            "init_round(Path('kierros'))\n"
            "made = kit_for_round(Path('kierros/round.toml'), load_catalogue(), only=['P01']).result.made\n"
            "assert made, made")
    loaded = _modules_after(code, tmp_path)
    assert "docx" in loaded and "openpyxl" in loaded  # the kit was made
    assert "matplotlib" not in loaded and "matplotlib.pyplot" not in loaded
