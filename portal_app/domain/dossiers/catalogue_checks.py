"""Every problem of every démarche module, listed at once (`python -m portal_app.cli check-demarches`).

The registry stops at the first inconsistent module (a DeclarationError at import); this imports
each module of the catalogue on its own, so a designer sees every mistake in one run.
"""

from __future__ import annotations

import importlib
import pkgutil

from portal_app.domain.dossiers.demarche import DeclarationError, Demarche

CATALOGUE = "portal_app.demarches"


def catalogue_problems(package: str = CATALOGUE) -> tuple[list[Demarche], list[str]]:
    """The démarches of `package` that load, and one line per problem ("attestation.py: ...")."""
    found: list[Demarche] = []
    problems: list[str] = []
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        if module.name.startswith("_"):  # helpers, as for the registry
            continue
        where = f"{module.name}.py"
        try:
            declared = getattr(importlib.import_module(f"{package}.{module.name}"), "DEMARCHE", None)
        except DeclarationError as error:
            problems += [f"{where}: démarche {error.code!r}: {problem}" for problem in error.problems]
            continue
        except Exception as error:
            problems.append(f"{where}: {type(error).__name__}: {error}")
            continue
        if not isinstance(declared, Demarche):
            problems.append(f"{where}: no DEMARCHE = Demarche(...) (a helper module's name starts with '_')")
            continue
        for known in found:
            if known.code == declared.code or known.number_prefix == declared.number_prefix:
                problems.append(
                    f"{where}: démarche {declared.code!r} reuses the code or number prefix of {known.code!r}"
                )
        found.append(declared)
    return found, problems
