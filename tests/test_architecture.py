"""The layers (docs/architecture.md), read from the imports of every module:

    departments   rights, human_rights, democratization, public_safety: import only field_offices and mission
    frameworks    the rest of mission/: dashboards, reports, api, audit, accounts, the shell
    geography     field_offices: imports only the base
    base          BASE below: imports neither a framework nor the geography

and nothing imports a department; departments do not import each other."""

import ast
from pathlib import Path

import pytest

from mission import departments

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS = sorted(config.name for config in departments.all())
FIRST_PARTY = {"mission", "field_offices", "tests", "bench", *DEPARTMENTS}

# The base of mission/: shared plumbing that any layer may use.
BASE = {
    "mission.accounts.permissions",
    "mission.accounts.roles",
    "mission.cache",
    "mission.choices",
    "mission.common",
    "mission.concurrency",
    "mission.connections",
    "mission.drafts",
    "mission.encryption",
    "mission.exports",
    "mission.formats",
    "mission.forms",
    "mission.history",
    # What a spreadsheet may import and who may (declarations and their registry, like the navigation's):
    # the geography declares its reference data's imports; the pages are the imports framework's.
    "mission.imports.flows",
    "mission.imports.spec",
    # Statements kept per request shape and prepared per connection: what the base's lists read with;
    # the fragments kept by the rows those statements read, and the Jinja2 environment they render in.
    "mission.kept_pages",
    "mission.kept_fragments",
    "mission.jinja",
    "mission.expressions",
    "mission.instances",
    "mission.middleware",
    "mission.navigation",
    "mission.pages",
    "mission.pagination",
    "mission.prepared",
    "mission.replicas",
    "mission.sensitivity",
    "mission.sessions",
    "mission.sql",
    "mission.validation",
}
# Known crossings, each with its reason. Add one only with a reason a reviewer accepts.
EXCEPTIONS = {
    # The one-time tokens of create forms are rows of accounts.FormSubmission (a user's), read in a function.
    ("mission/forms.py", "mission.accounts.models"),
    # The geography's reference endpoints are views of the API framework, which mounts them (mission/api/urls.py).
    ("field_offices/api/views.py", "mission.api.views"),
}


def _modules(package: str):
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        if "migrations" in path.parts or _is_test_code(package, path):
            continue
        yield str(path.relative_to(ROOT)), path


def _is_test_code(package: str, path: Path) -> bool:
    """A department that exists only in the tests (tests/incidents) keeps its test contract beside it:
    that is test code, which may import the test helpers; the department itself may not."""
    return package.startswith("tests.") and (path.name == "contract.py" or path.name.startswith("test_"))


def _imports(package: str) -> set[tuple[str, str]]:
    """(file, imported module or name) for every first-party import of `package`, functions' included."""
    found = set()
    for name, path in _modules(package):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                targets = {alias.name for alias in node.names}
            else:
                continue
            found |= {(name, target) for target in targets if target.split(".")[0] in FIRST_PARTY}
    return found


def _within(target: str, modules: set[str]) -> bool:
    """Whether `target` (a module, or a name imported from one) belongs to one of `modules`."""
    return any(target == module or target.startswith(module + ".") for module in modules)


def _allowed(crossings: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The crossings that no exception covers."""
    return {(f, m) for f, m in crossings if not any(f == ef and _within(m, {em}) for ef, em in EXCEPTIONS)}


def _is_base(file: str) -> bool:
    return _within(file.removesuffix(".py").removesuffix("/__init__").replace("/", "."), BASE)


def test_the_base_lists_only_modules_that_exist():
    missing = [m for m in BASE if not (ROOT / f"{m.replace('.', '/')}.py").exists()]
    assert [m for m in missing if not (ROOT / m.replace(".", "/")).is_dir()] == []


def test_the_base_imports_neither_a_framework_nor_the_geography():
    crossings = {(f, m) for f, m in _imports("mission") if _is_base(f) and not _within(m, BASE)}
    assert sorted(_allowed(crossings)) == []


def test_the_geography_imports_only_the_base():
    crossings = {(f, m) for f, m in _imports("field_offices") if not _within(m, BASE | {"field_offices"})}
    assert sorted(_allowed(crossings)) == []


@pytest.mark.parametrize("package", ["mission", "field_offices"])
def test_the_core_never_imports_a_department(package):
    assert [(f, m) for f, m in _imports(package) if _within(m, set(DEPARTMENTS))] == []


def test_the_known_departments_are_found_through_their_configs():
    assert {"rights", "democratization", "public_safety", "tests.incidents"} <= set(DEPARTMENTS)


@pytest.mark.parametrize("department", DEPARTMENTS)
def test_every_department_has_modules_to_check(department):
    assert list(_modules(department)), department


@pytest.mark.parametrize("department", DEPARTMENTS)
def test_departments_import_only_field_offices_and_mission(department):
    allowed = {"field_offices", "mission", department}
    assert sorted((f, m) for f, m in _imports(department) if not _within(m, allowed)) == []


@pytest.mark.parametrize("department", DEPARTMENTS)
def test_departments_never_import_each_other(department):
    others = set(DEPARTMENTS) - {department}
    assert sorted((f, m) for f, m in _imports(department) if _within(m, others)) == []


def test_every_exception_is_still_needed():
    used = _imports("mission") | _imports("field_offices")
    unused = [(ef, em) for ef, em in EXCEPTIONS if not any(f == ef and _within(m, {em}) for f, m in used)]
    assert sorted(unused) == []


def test_the_project_never_reads_the_shared_folder():
    needle = "/".join(["..", "shared"])  # spelled so that this file does not match itself
    offenders = []
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        if needle in path.read_text(encoding="utf-8"):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# A department's own tests: tests/<label>/ (its test contract, fixtures and tests, tests/departments.py).
DEPARTMENT_TESTS = sorted(f"tests.{c.label}" for c in departments.all() if (ROOT / "tests" / c.label).is_dir())


def test_the_department_test_packages_are_found_through_their_configs():
    assert {"rights", "incidents"} <= {package.removeprefix("tests.") for package in DEPARTMENT_TESTS}


@pytest.mark.parametrize("package", DEPARTMENT_TESTS)
def test_no_other_test_imports_a_departments_tests(package):
    """The framework tests (and any other department's) find a department through its contract, by
    convention (tests.departments.contracts()), never by importing its tests: only its own may."""
    own = package.replace(".", "/") + "/"
    offenders = [(f, m) for f, m in _imports("tests") if _within(m, {package}) and not f.startswith(own)]
    assert sorted(offenders) == []
