"""Time of the public account actions for an address with an account and one without.

    .venv/bin/python -m bench.enumeration [--runs 10]

Runs the domain functions the pages call (sign-up, login with a wrong password, reset request)
at the real bcrypt cost, against a fresh SQLite database in a temporary folder, mails to its
outbox. Prints the median and p90 of each, known against unknown: they should match within a
few milliseconds (the known address's mail being written is the one extra step). The unit tests
prove the same by counting bcrypt calls (tests/unit/test_enumeration.py); this gives figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable

IP = "198.51.100.7"


def _timed(action: Callable[[], object], runs: int, before: Callable[[], object] = lambda: None) -> list[float]:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    print(f"  {label:<28} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args(argv).runs

    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["PORTAL_DATA_DIR"] = data_dir
        os.environ.pop("PORTAL_DATABASE_URL", None)
        os.environ.pop("PORTAL_SMTP_HOST", None)
        from sqlmodel import SQLModel

        import portal_app.models  # noqa: F401  (registers the tables)
        from portal_app.domain import accounts
        from portal_app.domain.core import throttle
        from portal_app.domain.core.db import get_engine
        from tests.support.demarche_data import VALID_NIR
        from tests.support.users import add_user

        SQLModel.metadata.create_all(get_engine())
        # The mail throttles would stop the known address's mails after three: lift them here,
        # so that every known run does its full work.
        for kind in list(throttle.LIMITS):
            throttle.LIMITS[kind] = throttle.Limit(per_address=10**6, per_ip=10**6)
        known = "connue@exemple.fr"
        add_user(get_engine(), known)

        def signup(email: Callable[[], str]) -> Callable[[], object]:
            password = "Une-Inscription-2026"
            return lambda: accounts.register(
                {
                    "civility": "Madame",
                    "birth_name": "Durand",
                    "first_names": "Dominique",
                    "birth_date": "1988-02-03",
                    "nir": VALID_NIR,
                    "email": email(),
                    "password": password,
                    "password_confirm": password,
                    "accept_terms": "on",
                    "accept_privacy": "on",
                },
                client_ip=IP,
            )

        def fresh() -> str:
            return f"nouveau-{uuid.uuid4().hex[:10]}@exemple.fr"

        print(f"{runs} runs each, bcrypt cost 12")
        print("Sign-up")
        _report("known address", _timed(signup(lambda: known), runs))
        _report("new address", _timed(signup(fresh), runs))
        print("Login, wrong password (first failures, before any wait)")
        # Both stay under the 5 failures that start the wait: the known address's count is
        # cleared before each run (untimed), the unknown one is new each time.
        _report(
            "known address", _timed(lambda: accounts.authenticate(known, "Faux-2026!", client_ip=IP), runs, _forget)
        )
        _report("unknown address", _timed(lambda: accounts.authenticate(fresh(), "Faux-2026!", client_ip=IP), runs))
        print("Reset request")
        _report("known address", _timed(lambda: accounts.request_password_reset(known, client_ip=IP), runs))
        _report("unknown address", _timed(lambda: accounts.request_password_reset(fresh(), client_ip=IP), runs))
        print("Reset request as the page answers it (core/steady: in a thread, a floor of 0.4 s)")
        _report("known address", _timed(lambda: _steadily_reset(known), runs, _forget))
        _report("unknown address", _timed(lambda: _steadily_reset(fresh()), runs, _forget))


def _steadily_reset(address: str) -> None:
    import asyncio

    from portal_app.domain import accounts
    from portal_app.domain.core.steady import steadily

    asyncio.run(steadily(accounts.request_password_reset, address, client_ip=IP))


def _forget() -> None:
    from sqlalchemy import delete

    from portal_app.domain.core.db import session_scope
    from portal_app.models import ThrottleCounter

    with session_scope() as db:
        db.execute(delete(ThrottleCounter))


if __name__ == "__main__":
    main()
