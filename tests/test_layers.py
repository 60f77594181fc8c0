"""The layers hold: ``core`` is the ground floor and imports no strand; ``accounts`` and ``orgs`` do not import
each other's models (they refer to each other through ``settings.AUTH_USER_MODEL``, lazy ``"app.Model"``
strings, ``get_user_model()`` and hooks).

Read from the source with ``ast`` (every ``import``/``from … import``, at the top or inside a function), so a
function-local import cannot hide a dependency.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "liantong"
APPS = sorted(p.name for p in PKG.iterdir() if (p / "apps.py").exists())
pytestmark = pytest.mark.engine_free  # the source text


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """``(line, module)`` for every import in the source, relative imports resolved against ``package``."""
    tree = ast.parse(source)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # ``from liantong import orgs`` imports the app too
            out += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            out.append((node.lineno, module))
    return out


def offending(files, forbidden) -> list[str]:
    bad = []
    for path in files:
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
        for line, module in imported_modules(path.read_text(encoding="utf-8"), package):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return sorted(set(bad))


def py_files(folder: Path, *, skip_tests: bool = False):
    for path in sorted(folder.rglob("*.py")):
        if skip_tests and "tests" in path.relative_to(folder).parts:
            continue
        yield path


def test_the_apps_are_found():
    assert {"core", "accounts", "orgs", "services"} <= set(APPS)


def test_core_imports_no_other_app_of_the_project():
    forbidden = [f"liantong.{app}" for app in APPS if app != "core"]
    # (``liantong.navigation``, the menu registry strands fill in ``ready``, is project-level, not a strand)
    assert offending(py_files(PKG / "core"), forbidden) == []


@pytest.mark.parametrize(("app", "other"), [("accounts", "orgs"), ("orgs", "accounts")])
def test_accounts_and_orgs_do_not_import_each_others_models(app, other):
    assert offending(py_files(PKG / app, skip_tests=True), [f"liantong.{other}.models"]) == []


def test_the_parser_sees_local_relative_and_package_imports():
    source = ("def f():\n    from liantong.orgs.models import PartyOrg\n"
              "from ..accounts import roles\nfrom liantong import matching\nimport liantong.services.models\n")
    found = {m for _, m in imported_modules(source, "liantong.core")}
    assert {"liantong.orgs.models", "liantong.accounts", "liantong.accounts.roles", "liantong.matching",
            "liantong.services.models"} <= found
