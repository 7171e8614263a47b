"""The layers stay as the README draws them: read from the imports of every module.

Every import counts, those inside functions and under TYPE_CHECKING included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "service"
FRAMEWORKS = ("flask", "flask_smorest", "sqlalchemy", "marshmallow", "psycopg", "werkzeug")
PURE = ("service.domain", "service.projections")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (``from . import x`` gives ``pkg.x``)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {
    name: {i for i in _imports(path) if i in MODULES and i != name}
    for name, path in MODULES.items()
}


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(GRAPH[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


class TestImportGraph:
    def test_the_walker_sees_the_whole_package(self):
        assert {"service.app", "service.wiring", "service.store.append"} <= set(MODULES)
        assert "service.store.engine" in GRAPH["service.store.append"]
        assert "service.readmodel.update" in GRAPH["service.wiring"]

    def test_there_is_no_import_cycle(self):
        assert _cycles() == []

    @pytest.mark.parametrize("layer", PURE)
    def test_the_pure_core_imports_no_framework(self, layer):
        offenders = {
            module: sorted(i for i in _imports(MODULES[module]) if i.split(".")[0] in FRAMEWORKS)
            for module in MODULES
            if _in(module, layer)
        }
        assert {m: found for m, found in offenders.items() if found} == {}

    @pytest.mark.parametrize("layer", PURE)
    def test_the_pure_core_imports_only_the_pure_core(self, layer):
        outside = {
            module: sorted(i for i in GRAPH[module] if not any(_in(i, p) for p in PURE))
            for module in MODULES
            if _in(module, layer)
        }
        assert {m: found for m, found in outside.items() if found} == {}

    def test_the_log_never_imports_the_read_model_or_the_http_layer(self):
        leaks = {
            module: sorted(
                i for i in GRAPH[module] if _in(i, "service.readmodel") or _in(i, "service.api")
            )
            for module in MODULES
            if _in(module, "service.store")
        }
        assert {m: found for m, found in leaks.items() if found} == {}


class TestModuleSize:
    def test_no_module_is_over_300_lines(self):
        lengths = {name: len(path.read_text().splitlines()) for name, path in MODULES.items()}
        assert {name: n for name, n in lengths.items() if n > 300} == {}


class TestCycleDetection:
    def test_a_cycle_would_be_reported(self, monkeypatch):
        monkeypatch.setitem(GRAPH, "service.domain.clock", {"service.domain.rules"})
        monkeypatch.setitem(GRAPH, "service.domain.rules", {"service.domain.clock"})
        assert ["service.domain.clock", "service.domain.rules"] in _cycles()
