"""Every write of a record happens inside an audited action (``core.actions``).

The walk reads every module of the project (tests and migrations aside) and finds each function
that writes rows: ``save``, ``delete``, ``bulk_create``, ``bulk_update``, ``get_or_create``,
``update_or_create``, and ``create`` / ``update`` on a manager or queryset. Such a function must
be an action (``@action``), run its writes in ``batch()``, be a private helper (its public
callers are walked), be a model's own ``save``/``delete``, or be one of the
bulk paths listed below with the reason it is one.
"""

import ast
from pathlib import Path

import guangong

ROOT = Path(guangong.__file__).parent

WRITES = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERY_WRITES = {"create", "update"}
QUERY_HINTS = {"objects", "filter", "exclude", "all", "select_for_update", "_base_manager"}
#: Receivers whose save/delete are not rows (files, storage, sessions, the cache).
NOT_ROWS = {"storage", "default_storage", "cache", "session", "file", "upload", "resource"}

#: Modules that write outside actions by design: what each is.
BULK_MODULES = {
    "demo": "the demo region's loader: a fresh database filled in bulk, audited as one load",
    "core/canary.py": "the key check row written at migration time",
    "core/health.py": "the task worker's heartbeat (not a record)",
    "core/tasks.py": "the task worker's heartbeat (not a record)",
    "core/cache.py": "the database cache table behind Redis (not a record)",
    "core/restore.py": "restoring a backup replaces the database",
    "core/backup.py": "backups read the database",
    "core/management/commands/rotate_field_keys.py": "re-encrypts every encrypted column",
    "audit/services.py": "the audit writer itself, called inside actions",
    "accounts/authentication.py": "a token's last use, at most once a minute (not a record)",
    "audit/masking.py": "masks stored audit rows (a data migration and its command)",
    "care/access_log.py": "the case access log, written by readings as they happen",
    "activities/rollup.py": "statistics counters, moved inside the ledger's actions",
    "activities/proof.py": "statistics counters recomputed from the ledger (rollup.rebuild)",
    "activities/elder_sets.py": "engaged-elder sets, moved inside the ledger's actions (rollup)",
    "activities/daily.py": "the top levels' daily counters, moved inside the ledger's and the "
    "organisations' actions (rollup, bulk)",
    "orgs/rollup.py": "statistics counters, moved inside the organisation actions",
    "jobs/lease.py": "a job's heartbeat while it runs (not a record)",
    "jobs/lifecycle.py": "the sweep marks jobs whose worker died interrupted (not a record)",
    "jobs/runner.py": "the worker's own bookkeeping of a job: queued, claimed, finished, files",
    "jobs/progress.py": "a job's progress (not a record)",
    "notifications/sending.py": "messages and their delivery log, written by the task worker "
    "after the action that caused them committed",
    "notifications/inbox.py": "a user's read mark on their own message (not a record)",
}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel.endswith("conftest.py"):
            continue
        if any(rel == m or rel.startswith(m + "/") for m in BULK_MODULES):
            continue
        yield rel, ast.parse(path.read_text(), filename=rel)


def _chain(node) -> list[str]:
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names
        else:
            return names


def _is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    method = call.func.attr
    receiver = _chain(call.func.value)
    if receiver and receiver[0] in NOT_ROWS or (receiver and receiver[-1] in NOT_ROWS):
        return False
    if method == "save" and call.args:  # a workbook, document or file saved to a target
        return False
    if receiver and receiver[-1] in {"self", "cls"} and method in {"save", "delete"}:
        return False  # a view's or model's own method, checked where it is defined
    if method in WRITES:
        return True
    return method in QUERY_WRITES and bool(QUERY_HINTS & set(receiver))


def _decorators(fn) -> set[str]:
    names = set()
    for dec in fn.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        chain = _chain(target)
        if chain:
            names.add(chain[0])
    return names


def _allowed(rel: str, fn, in_class: str | None) -> bool:
    if "action" in _decorators(fn):
        return True
    if in_class and fn.name in {"save", "delete"} and rel.endswith(("models.py", "/models")):
        return True
    module = rel.rsplit("/", 1)[-1]
    if fn.name.startswith("_") and not module.startswith(("views", "api")):
        return True  # a private helper: its public callers are walked
    for node in ast.walk(fn):  # writes held in a batch
        if isinstance(node, ast.With):
            for item in node.items:
                expr = item.context_expr
                if isinstance(expr, ast.Call) and _chain(expr.func)[:1] == ["batch"]:
                    return True
    return False


def writers_outside_actions() -> set[str]:
    found = set()
    for rel, tree in _modules():
        for parent in ast.walk(tree):
            body = getattr(parent, "body", None)
            if not isinstance(body, list):
                continue
            in_class = parent.name if isinstance(parent, ast.ClassDef) else None
            for fn in body:
                if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                own = [
                    n
                    for n in ast.walk(fn)
                    if isinstance(n, ast.Call) and _is_write(n) and _enclosing(fn, n) is fn
                ]
                if own and not _allowed(rel, fn, in_class):
                    name = f"{in_class}.{fn.name}" if in_class else fn.name
                    found.add(f"{rel}:{name}")
    return found


def _enclosing(fn, target):
    """The innermost function of ``fn`` (itself included) that holds ``target``."""
    for node in ast.walk(fn):
        if node is fn or not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if any(n is target for n in ast.walk(node)):
            return node
    return fn


def test_every_write_is_in_an_action():
    found = sorted(writers_outside_actions())
    assert not found, (
        "These functions write records outside an audited action; make each an @action "
        "(core.actions), or run its writes in batch():\n  " + "\n  ".join(found)
    )
