"""The dependency rule: departments depend on field_offices and mission, never the reverse, never on
each other."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS = ["rights", "democratization", "public_safety"]


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add((str(path.relative_to(ROOT)), node.module.split(".")[0]))
            elif isinstance(node, ast.Import):
                found |= {(str(path.relative_to(ROOT)), alias.name.split(".")[0]) for alias in node.names}
    return found


@pytest.mark.parametrize("package", ["mission", "field_offices"])
def test_the_core_never_imports_a_department(package):
    assert [(f, m) for f, m in _imports(package) if m in DEPARTMENTS] == []


@pytest.mark.parametrize("department", DEPARTMENTS)
def test_departments_never_import_each_other(department):
    others = set(DEPARTMENTS) - {department}
    assert [(f, m) for f, m in _imports(department) if m in others] == []


def test_the_project_never_reads_the_shared_folder():
    needle = "/".join(["..", "shared"])  # spelled so that this file does not match itself
    offenders = []
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        if needle in path.read_text(encoding="utf-8"):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
