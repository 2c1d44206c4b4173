"""The shape of the code: core is the ground floor, and no module grows past 400 lines.

Core (with audit beside it) is what every app builds on, so it imports no domain app, not even
lazily inside a function; where core needs an app's work it declares a hook the app fills in
its ``AppConfig.ready`` (core.metrics, core.export). Core's own tests are left out: they
exercise the shared code through real domain models.
"""

import ast
from pathlib import Path

import guangong

ROOT = Path(guangong.__file__).parent
CORE = ROOT / "core"
#: The guangong packages core may import.
GROUND = {"core", "audit"}
MAX_LINES = 400

#: Modules over MAX_LINES today, with their length as a ceiling: one on this list may not grow,
#: and the list may only shrink (a module split within the limit leaves it).
OVER_THE_LIMIT: dict[str, int] = {}


def is_test(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "tests" in parts or path.name == "conftest.py" or path.name.startswith("test_")


def modules(under: Path):
    for path in sorted(under.rglob("*.py")):
        if not is_test(path) and "migrations" not in path.relative_to(ROOT).parts:
            yield path


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, relative ones resolved."""
    package = ".".join(("guangong", *path.relative_to(ROOT).parent.parts))
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return found


def guangong_apps(names: set[str]) -> set[str]:
    return {name.split(".")[1] for name in names if name.startswith("guangong.") and "." in name}


def test_core_imports_no_domain_app():
    wrong = {}
    for path in modules(CORE):
        apps = guangong_apps(imported_modules(path)) - GROUND
        if apps:
            wrong[str(path.relative_to(ROOT))] = sorted(apps)
    assert wrong == {}


def test_the_import_reader_sees_lazy_and_relative_imports(tmp_path, monkeypatch):
    monkeypatch.setattr("guangong.core.tests.test_layering.ROOT", tmp_path)
    (tmp_path / "core").mkdir()
    module = tmp_path / "core" / "sample.py"
    module.write_text(
        "from . import views\n"
        "def later():\n"
        "    from guangong.people.models import Elder\n"
        "    import guangong.jobs.exports\n",
        encoding="utf-8",
    )
    assert guangong_apps(imported_modules(module)) == {"core", "people", "jobs"}


def line_counts() -> dict[str, int]:
    return {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules(ROOT)
    }


def test_no_module_grows_past_the_limit():
    counts = line_counts()
    too_long = {name: n for name, n in counts.items() if n > OVER_THE_LIMIT.get(name, MAX_LINES)}
    assert too_long == {}, "split these modules (or, if listed, bring them back to their ceiling)"


def test_the_list_of_long_modules_only_shrinks():
    counts = line_counts()
    # A listed module split within the limit (or gone) leaves the list.
    stale = {name: counts.get(name) for name in OVER_THE_LIMIT if counts.get(name, 0) <= MAX_LINES}
    assert stale == {}, "remove these from OVER_THE_LIMIT in guangong/core/tests/test_layering.py"
