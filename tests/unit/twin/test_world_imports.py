"""The world drives the platform only through its client: nothing the world imports,
directly or through another module, reaches the platform's services, its runtime, or a
unit of work or repository; only the in-process client does."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

#: Where the platform's insides begin: the world must not reach any of these.
INSIDE = (
    "hubport.services",
    "hubport.runtime",
    "hubport.cranes",
    "hubport.bootstrap",
    "hubport.adapters.repository",
    "hubport.adapters.database",
    "hubport.entrypoints",
    "hubport.futures.services",
    "hubport.futures.adapters",
    "hubport.futures.bootstrap",
    "hubport.billing.services",
    "hubport.billing.adapters",
    "hubport.billing.bootstrap",
)


def _imports(module: str) -> set[str]:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None, module
    tree = ast.parse(Path(spec.origin).read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # ``from hubport.services import commands`` imports a module too
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("hubport") and _is_module(name)}


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _closure(*roots: str) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(_imports(module) - seen)
    return seen


def test_the_world_reaches_the_platform_only_through_its_client() -> None:
    reached = _closure(
        "hubport.twin.world",
        "hubport.twin.world_river",
        "hubport.twin.world_futures",
        "hubport.twin.world_payments",
        "hubport.twin.client",
    )
    inside = sorted(name for name in reached if name.startswith(INSIDE))
    assert inside == []


#: What of the platform's adapters the twin may use: the wire formats its actors speak
#: (EDIFACT, the equipment protocol on MQTT, a controller's kinematics), never a store.
WIRE = ("hubport.adapters.edi", "hubport.adapters.equipment")


def test_the_twin_reaches_the_platform_only_through_its_client_and_the_wire() -> None:
    import pkgutil

    import hubport.twin

    modules = [
        f"hubport.twin.{found.name}"
        for found in pkgutil.iter_modules(hubport.twin.__path__)
        if found.name != "inprocess_client"
    ]
    assert "hubport.twin.scenario" in modules and "hubport.twin.world" in modules
    reached = _closure(*modules)
    inside = sorted(name for name in reached if name.startswith(INSIDE))
    assert inside == []
    adapters = {name for name in reached if name.startswith("hubport.adapters.")}
    assert all(name.startswith(WIRE) for name in adapters), sorted(adapters)


def test_the_in_process_client_is_what_reaches_the_services() -> None:
    assert any(
        name.startswith("hubport.services") for name in _imports("hubport.twin.inprocess_client")
    )


def test_the_world_s_token_stands_for_every_role_its_http_client_acts_in() -> None:
    import inspect
    import re

    from hubport.domain.access import ROLES
    from hubport.entrypoints.world import WORLD_ROLES
    from hubport.twin import client

    source = inspect.getsource(client.HttpHubClient)
    used = set(re.findall(r'"(\w+)"', source)) & set(ROLES)
    assert used and used <= set(WORLD_ROLES)
