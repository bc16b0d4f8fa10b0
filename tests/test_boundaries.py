"""The import rules of the house, checked on the source folders (no import resolution needed).

- `tui/core/` (llmtui.core) and `providers/` (llmtui.providers) must work without Textual: they
  import neither `textual` nor any of llmtui's UI packages (app, screens, widgets, cli, present).
- `widgets/` never talk to the network or to providers: no `httpx`, no `llmtui.providers`.
- No import cycles between llmtui's modules (function-level imports count too).
- Every SQL statement lives in `llmtui.core.store`: no other module holds SQL text, opens an
  SQLite connection or runs a statement on one.

Like Harlequin's import-linter contracts, but a short AST walk: the setuptools package-dir mapping
(tui/ -> llmtui) blinds path-based tools, while the folders themselves are plain to read.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Folder -> the package it installs as (pyproject.toml [tool.setuptools] package-dir).
PACKAGE_DIRS = {
    "tui": "llmtui",
    "widgets": "llmtui.widgets",
    "providers": "llmtui.providers",
    "themes": "llmtui.themes",
}
UI_PACKAGES = ("llmtui.app", "llmtui.screens", "llmtui.widgets", "llmtui.cli", "llmtui.present")


def module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root)
    package = PACKAGE_DIRS[rel.parts[0]]
    parts = list(rel.with_suffix("").parts[1:])
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def source_files(folder: str, root: Path = ROOT) -> list[Path]:
    return sorted((root / folder).rglob("*.py"))


def imports_of(path: Path, root: Path = ROOT) -> Iterator[tuple[int, str]]:
    """Every module a file imports, at any depth (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path, root)
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = here.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            yield node.lineno, stem
            for alias in node.names:  # `from llmtui import spend` imports llmtui.spend
                yield node.lineno, f"{stem}.{alias.name}"


def is_under(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def violations(folders: tuple[str, ...], forbidden: tuple[str, ...], root: Path = ROOT) -> list[str]:
    """One line per offending import statement: `file:line imports module`."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in source_files(folder, root):
            for line, name in imports_of(path, root):
                where = f"{path.relative_to(root)}:{line}"
                if is_under(name, forbidden) and where not in found:
                    found[where] = f"{where} imports {name}"
    return sorted(found.values())


def test_the_folders_exist() -> None:
    """The walk must see the real tree, or every rule below would pass vacuously."""
    assert len(source_files("tui/core")) >= 10
    assert len(source_files("providers")) >= 10
    assert len(source_files("widgets")) >= 5


def test_core_and_providers_never_import_textual_or_the_ui() -> None:
    assert violations(("tui/core", "providers"), ("textual", *UI_PACKAGES)) == []


def test_providers_import_nothing_above_them() -> None:
    above = ("llmtui.core", "llmtui.app", "llmtui.screens", "llmtui.widgets", "llmtui.cli", "llmtui.present")
    assert violations(("providers",), above) == []


def test_widgets_never_talk_to_the_network() -> None:
    assert violations(("widgets",), ("httpx", "llmtui.providers", "llmtui.core", "llmtui.screens")) == []


def test_present_does_no_io() -> None:
    """present/ turns core objects into widget data; HTTP and SQL belong to providers and the store."""
    assert violations(("tui/present",), ("httpx", "sqlite3", "llmtui.screens", "llmtui.app")) == []


def _graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for folder in PACKAGE_DIRS for p in source_files(folder)}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for _, imported in imports_of(path):
            # An import of a package's member resolves to the member when it is a module.
            if imported in modules and imported != name:
                graph[name].add(imported)
    # A package's __init__ is imported with any of its modules: that edge is not a cycle.
    for name in graph:
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycles() -> None:
    graph = _graph()
    assert len(graph) >= 40
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("folder", ["tui/core", "providers"])
def test_the_rule_catches_a_textual_import(folder: str, tmp_path: Path) -> None:
    """A planted `import textual` inside a function is seen (import-linter sees those too)."""
    (tmp_path / folder).mkdir(parents=True)
    planted = tmp_path / folder / "planted.py"
    planted.write_text("def f():\n    from textual.app import App\n    return App\n", encoding="utf-8")
    assert violations((folder,), ("textual",), root=tmp_path) == [f"{folder}/planted.py:2 imports textual.app"]


# ------------------------------------------------------------------ SQL lives in the store

STORE_PACKAGE = "llmtui.core.store"
SQL_TEXT = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|PRAGMA|CREATE|ALTER|DROP|BEGIN|COMMIT|"
                      r"ROLLBACK|VACUUM|ATTACH)\s")
"""How SQL starts (upper case, as llmtui writes it; "Select a model" is not SQL)."""
RUNS_SQL = {"execute", "executemany", "executescript", "tx", "_tx", "rows", "_rows"}
"""A call of one of these methods, on anything, runs SQL (or hands out the store's connection)."""


def sql_outside_store(root: Path = ROOT) -> list[str]:
    """One line per place outside the store package that holds or runs SQL."""
    found: list[tuple[str, int, str]] = []
    for folder in PACKAGE_DIRS:
        for path in source_files(folder, root):
            if is_under(module_name(path, root), (STORE_PACKAGE,)):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                what = None
                if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                        and SQL_TEXT.match(node.value):
                    what = f"SQL text {node.value.strip()[:40]!r}"
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    attr, owner = node.func.attr, node.func.value
                    if attr in RUNS_SQL:
                        what = f"a call of .{attr}()"
                    elif attr == "connect" and isinstance(owner, ast.Name) and owner.id == "sqlite3":
                        what = "sqlite3.connect()"
                if what:
                    found.append((str(path.relative_to(root)), node.lineno, what))
    return [f"{where}:{line} {what}" for where, line, what in sorted(found)]


def test_sql_lives_only_in_the_store() -> None:
    """Issue 12: the store owns every query; nothing else touches its connection."""
    assert sql_outside_store() == []


def test_the_sql_rule_catches_sql_outside_the_store(tmp_path: Path) -> None:
    """Each kind of SQL is seen outside the store, and nothing inside it is."""
    (tmp_path / "tui" / "core" / "store").mkdir(parents=True)
    (tmp_path / "tui" / "core" / "store" / "ok.py").write_text(
        'def f(db):\n    return db.execute("SELECT 1")\n', encoding="utf-8")
    (tmp_path / "tui" / "core" / "planted.py").write_text(
        "import sqlite3\n"
        "def f(store, x):\n"
        '    q = f"UPDATE t SET a = {x}"\n'
        "    with store._tx() as db:\n"
        "        db.execute(q)\n"
        '    return store.rows("PRAGMA user_version"), sqlite3.connect("x"), "Select a model"\n',
        encoding="utf-8")
    assert sql_outside_store(tmp_path) == [
        "tui/core/planted.py:3 SQL text 'UPDATE t SET a ='",
        "tui/core/planted.py:4 a call of ._tx()",
        "tui/core/planted.py:5 a call of .execute()",
        "tui/core/planted.py:6 SQL text 'PRAGMA user_version'",
        "tui/core/planted.py:6 a call of .rows()",
        "tui/core/planted.py:6 sqlite3.connect()",
    ]
