"""No event handler asks the database on the event loop (issue 18; the guide's first rule).

Reflex runs every tab's events on one event loop per worker: a handler that waits for the
database there makes every other tab of that worker wait too. A handler is fine when it is
guarded (`requires`: a plain one runs in a thread) or declared `public` (the same, without a
session), or when its database work goes through asyncio.to_thread / steadily. This test reads
the states' source and lists the calls left on the loop that reach a module using the database,
following the handler into the methods of its own class.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pathlib
import textwrap

import pytest

STATES = pathlib.Path(__file__).resolve().parents[2] / "portal_app" / "states"
# Calls whose arguments run elsewhere: a thread, or a thread with a floor on the answer's time.
OFFLOADERS = {"to_thread", "steadily"}
# Handlers these wrap run in a thread when plain (async ones are read like any other).
THREADED = ("requires", "public")
# The guard's own checks: a session lookup, perhaps a guest's or an employer's stage.
GUARD_LOOKUPS = {"check", "allowed_user"}
# What opens a unit of work or a connection (domain/core/db.py).
DATABASE_MARKS = ("session_scope(", "get_engine(", "engine_for(", "UnitOfWork(")


def _imports(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """Local name -> (module, attribute) for what a states module imports from the domain."""
    names: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("portal_app.domain"):
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
        if isinstance(node, ast.ImportFrom) and node.module == "portal_app.states.guard":
            for alias in node.names:
                if alias.name in GUARD_LOOKUPS:
                    names[alias.asname or alias.name] = ("guard", alias.name)
        if isinstance(node, ast.ImportFrom) and node.module == "portal_app.states":
            for alias in node.names:
                if alias.name == "guard":
                    names[alias.asname or "guard"] = ("guard", "")
    return names


def _chain(node: ast.AST) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return []


def _uses_database(imported: tuple[str, str], rest: list[str]) -> bool:
    module_name, attribute = imported
    if module_name == "guard":
        return (attribute or (rest[0] if rest else "")) in GUARD_LOOKUPS
    target = importlib.import_module(module_name)
    for name in [attribute, *rest]:
        nested = f"{target.__name__}.{name}" if inspect.ismodule(target) else ""
        try:
            target = getattr(target, name)
        except AttributeError:
            target = importlib.import_module(nested)
    return inspect.isfunction(target) and _function_uses_database(target, set())


def _function_uses_database(function, seen: set) -> bool:
    """Whether `function` opens a unit of work, itself or through the domain functions it calls."""
    seen.add(function)
    source = textwrap.dedent(inspect.getsource(function))
    if any(mark in source for mark in DATABASE_MARKS):
        return True
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        chain = _chain(node.func)
        target = function.__globals__.get(chain[0]) if chain else None
        for name in chain[1:]:
            target = getattr(target, name, None)
        if inspect.ismethod(target):
            target = target.__func__
        if (
            inspect.isfunction(target)
            and target not in seen
            and target.__module__.startswith("portal_app.domain")
            and _function_uses_database(target, seen)
        ):
            return True
    return False


def _on_loop(handler: ast.AST, methods: dict[str, ast.AST], imports: dict) -> list[str]:
    found: list[str] = []
    followed = {getattr(handler, "name", "")}

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Call):
            chain = _chain(node.func)
            if chain and chain[-1] in OFFLOADERS:
                return
            if chain and chain[0] in imports and _uses_database(imports[chain[0]], chain[1:]):
                found.append(".".join(chain))
            if len(chain) == 2 and chain[0] == "self" and chain[1] in methods and chain[1] not in followed:
                followed.add(chain[1])
                visit(methods[chain[1]])
        nested = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and node is not handler
        if nested and node not in methods.values():
            return  # a nested function is run by whatever it is given to
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(handler)
    return found


def _handlers():
    for path in sorted(STATES.glob("*.py")):
        tree = ast.parse(path.read_text())
        imports = _imports(tree)
        for cls in [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]:
            methods = {f.name: f for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
            for function in methods.values():
                decorators = [ast.unparse(d) for d in function.decorator_list]
                if not any("rx.event" in d for d in decorators):
                    continue
                threaded = any(name in d for d in decorators for name in THREADED)
                if threaded and isinstance(function, ast.FunctionDef):
                    continue
                yield f"{path.name}:{cls.name}.{function.name}", function, methods, imports


def test_no_handler_asks_the_database_on_the_event_loop():
    left = {
        name: sorted(set(calls))
        for name, function, methods, imports in _handlers()
        if (calls := _on_loop(function, methods, imports))
    }
    assert left == {}


def test_the_reading_finds_a_lookup_left_on_the_loop():
    source = """
import reflex as rx
from portal_app.domain import accounts
from portal_app.domain.core.formats import normalize_email
class S(rx.State):
    @rx.event
    async def load(self):
        normalize_email("a@b.fr")
        self._fill()
    def _fill(self):
        accounts.active_sessions(1)
"""
    tree = ast.parse(source)
    cls = next(node for node in ast.walk(tree) if isinstance(node, ast.ClassDef))
    methods = {f.name: f for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    assert _on_loop(methods["load"], methods, _imports(tree)) == ["accounts.active_sessions"]


@pytest.mark.parametrize(
    "wrapped", ["asyncio.to_thread(accounts.active_sessions, 1)", "steadily(accounts.logout, 'x')"]
)
def test_the_reading_lets_offloaded_work_pass(wrapped):
    source = f"""
import asyncio
import reflex as rx
from portal_app.domain import accounts
class S(rx.State):
    @rx.event
    async def load(self):
        await {wrapped}
"""
    tree = ast.parse(source)
    cls = next(node for node in ast.walk(tree) if isinstance(node, ast.ClassDef))
    methods = {f.name: f for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    assert _on_loop(methods["load"], methods, _imports(tree)) == []


def test_the_upload_zones_hooks_are_plain_for_their_thread():
    """UploadState runs _upload_begins and _upload_done in a thread: an async one would hand
    Reflex an unawaited coroutine (a reply's upload failed so)."""
    from portal_app.states.upload import UploadState

    for module in sorted(STATES.glob("*.py")):
        importlib.import_module(f"portal_app.states.{module.stem}")
    zones = list(_subclasses(UploadState))
    assert len(zones) >= 6
    for zone in zones:
        for hook in ("_upload_begins", "_upload_done"):
            assert not inspect.iscoroutinefunction(getattr(zone, hook)), f"{zone.__name__}.{hook}"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
