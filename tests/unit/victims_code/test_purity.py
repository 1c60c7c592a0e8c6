"""app.victims_code is pure: it imports only the standard library, `holidays` and
itself, and computes bank holidays with no network."""

import ast
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.victims_code import WorkingCalendar, working_days_after
from app.victims_code.workdays import public_holidays

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = "app.victims_code"
PACKAGE_DIR = ROOT / "app" / "victims_code"
ALLOWED_THIRD_PARTY = {"holidays"}
FORBIDDEN_AT_RUNTIME = ("flask", "flask_babel", "sqlalchemy", "tenants", "config", "app.models")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[str]:
    """Every module the source imports, relative imports made absolute."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(absolute(node, module, is_package))
    return found


def absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    # A package's "." is itself; a module's "." is the package around it.
    keep = len(base) - node.level + (1 if is_package else 0)
    return ".".join(base[: max(keep, 0)] + ([node.module] if node.module else []))


def dynamic_imports(source: str) -> list[str]:
    """Calls that could import behind the checker's back."""
    calls = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("__import__", "import_module"):
                calls.append(name)
    return calls


def allowed(name: str) -> bool:
    top = name.split(".")[0]
    return (
        top in sys.stdlib_module_names
        or top in ALLOWED_THIRD_PARTY
        or name == PACKAGE
        or name.startswith(PACKAGE + ".")
    )


def impurities(source: str, module: str, is_package: bool = False) -> list[str]:
    bad = [name for name in imported_modules(source, module, is_package) if not allowed(name)]
    return bad + dynamic_imports(source)


MODULES = sorted(PACKAGE_DIR.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: module_name(path))
def test_module_imports_only_stdlib_holidays_and_itself(path):
    module = module_name(path)
    assert impurities(path.read_text(), module, path.name == "__init__.py") == []


def test_every_module_was_checked():
    assert len(MODULES) >= 7
    assert {path.name for path in MODULES} >= {"__init__.py", "engine.py", "workdays.py"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import flask", ["flask"]),
        ("from sqlalchemy.orm import Session", ["sqlalchemy.orm"]),
        ("from app.models import Case", ["app.models"]),
        ("from tenants import forces", ["tenants"]),
        ("import config.settings", ["config.settings"]),
        ("from .. import models", ["app"]),
        ("from ..models import Case", ["app.models"]),
        ("import importlib\nimportlib.import_module('flask')", ["import_module"]),
        ("__import__('flask')", ["__import__"]),
        ("def f():\n    import flask_babel", ["flask_babel"]),
        ("from . import engine\nfrom .rules import Rule\nimport datetime, holidays", []),
    ],
    ids=[
        "flask",
        "sqlalchemy",
        "app-models",
        "tenants",
        "config",
        "relative-up-to-app",
        "relative-up-to-app-models",
        "import_module",
        "dunder-import",
        "import-inside-a-function",
        "allowed",
    ],
)
def test_the_checker_catches_impure_imports(source, expected):
    assert impurities(source, "app.victims_code.engine") == expected


def test_importing_the_package_loads_no_framework_module():
    """At run time too, transitively: app/__init__.py (which imports Flask) is bypassed
    with an empty `app` package, so only what app.victims_code pulls in is loaded."""
    script = (
        "import sys, types\n"
        f"app = types.ModuleType('app'); app.__path__ = [{str(ROOT / 'app')!r}]\n"
        "sys.modules['app'] = app\n"
        "import app.victims_code\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = result.stdout.split()
    assert "app.victims_code.engine" in loaded
    leaked = [
        m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN_AT_RUNTIME)
    ]
    assert leaked == []


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the Victims' Code engine tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.usefixtures("no_network")
def test_holidays_are_computed_offline():
    public_holidays.cache_clear()
    england = WorkingCalendar("GB", "ENG")
    assert date(2041, 12, 25) in england.holidays_in(2041)
    # 2041-12-24 is a Tuesday; Christmas and Boxing Day follow.
    assert working_days_after(date(2041, 12, 24), 1, england) == date(2041, 12, 27)
