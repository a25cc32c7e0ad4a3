"""The package as a whole: every public name exists, every command has working help."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import prospect
from prospect import cli

MODULES = sorted(m.name for m in pkgutil.walk_packages(prospect.__path__, "prospect.")
                 if m.name != "prospect.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_every_name_in_all_exists_and_has_a_docstring(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no module docstring"
    for public in getattr(module, "__all__", ()):
        assert hasattr(module, public), f"{name}.__all__ names {public}, which does not exist"
        value = getattr(module, public)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert inspect.getdoc(value), f"{name}.{public} has no docstring"


def test_every_command_has_help_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    from test_cli import run

    commands = sorted(cli._command().commands)
    assert set(commands) == set(cli.EXAMPLES)  # a new command brings its examples
    grouped = {c for names in cli.COMMAND_GROUPS.values() for c in names}
    assert set(commands) == grouped  # and its place in the main help
    for command in commands:
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and "Examples:" in out, command


def test_no_sql_outside_storage() -> None:
    # The book's SQL lives in prospect.storage; the web view is a Datasette plugin, whose
    # pages are SQL by design. Anything else asks the book.
    import re
    from pathlib import Path

    root = Path(prospect.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        part = path.relative_to(root).parts[0]
        if part in ("storage", "web"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.(db|conn)\.(execute|query|atomic|executemany)\b|\bbook\.db\b", line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_storage_only_stores() -> None:
    # The book keeps its index of blocking keys (prospect.keys); how records are judged
    # (prospect.dedupe) and how an import runs (prospect.ingest) are not its business.
    import ast
    from pathlib import Path

    root = Path(prospect.__file__).parent
    imported = []
    for path in sorted((root / "storage").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            imported += [f"{path.name}: {name}" for name in names
                         if name.startswith(("prospect.dedupe", "prospect.ingest", "prospect.cli",
                                             "prospect.sources"))]
    assert not imported, imported
