"""The catalogue: every module of this package that defines DEMARCHE is a démarche.

Adding a démarche is adding one module here (modules starting with "_" are helpers).
"""

from __future__ import annotations

import importlib
import pkgutil
import threading

from portal_app.domain.dossiers.demarche import Demarche

_registry: dict[str, Demarche] = {}
_discovered = False
_lock = threading.Lock()


def _discover() -> None:
    global _discovered
    with _lock:
        if _discovered:
            return
        for module in pkgutil.iter_modules(__path__):
            if module.name.startswith("_"):
                continue
            declared = getattr(importlib.import_module(f"{__name__}.{module.name}"), "DEMARCHE", None)
            if isinstance(declared, Demarche):
                _add(declared)
        _discovered = True


def _add(demarche: Demarche) -> None:
    for known in _registry.values():
        if known.code == demarche.code or known.number_prefix == demarche.number_prefix:
            raise ValueError(f"démarche {demarche.code!r} reuses the code or number prefix of {known.code!r}")
    _registry[demarche.code] = demarche


def register(demarche: Demarche) -> Demarche:
    """Add a démarche declared elsewhere (tests)."""
    _discover()
    with _lock:
        _add(demarche)
    return demarche


def unregister(code: str) -> None:
    with _lock:
        _registry.pop(code, None)


def get(code: str) -> Demarche | None:
    _discover()
    return _registry.get(code)


def all_demarches() -> list[Demarche]:
    _discover()
    return list(_registry.values())


def for_role(role: str) -> list[Demarche]:
    return [demarche for demarche in all_demarches() if role in demarche.audience]
