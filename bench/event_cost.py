"""Cost of one event at scale: the portal against a blank Reflex app, measured in one run.

    .venv/bin/python -m bench.event_cost [--levels 1,50,200,500] [--reps 1] [--duration 30]
                                         [--state-manager memory|disk|redis] [--workers 2]

Builds and serves, side by side, the portal's production build (tests/support/server.py, as the
end-to-end tests do) and a blank Reflex app of the same version (a counter and a controlled
input, written to a cache folder, bench/blank_app.py), both with the same state manager. For
each level N, blank and portal in turn (the order alternates between repetitions, so the
machine's load falls on both alike), it connects N python-socketio clients that load the page
as a browser does (hydrate_and_load, the page's on_load chain; the portal's clients are signed
in, each on its own PTP draft) and then send one typed value every 5 s (blank: the controlled
input's set_text; portal: a draft answer, saved to the database), plus a probe sending the same
event every 200 ms. Latency is from the emit to the first update the server sends back.
With `--state-manager redis`, the scale-out shape: a Redis server of Debian's (as the scale-out
tests start it) holds both apps' tab states, each app is served by `--workers` backend workers
(GRANIAN_WORKERS), and the portal's data is in a PostgreSQL server of Debian's.

Printed per level: events per second answered (portal), probe p50/p95 for both and their
ratio, p95 of every event sent, the backend workers' CPU (% of one core over the window, and
per event) and RSS per extra session. Figures are only comparable within one run: the
machine's other load changes absolute numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import socketio

from bench.blank_app import BlankServer
from tests.support.server import PortalServer, app_bin

ROOT_STATE = "reflex___state____state"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
BLANK_STATE = f"{ROOT_STATE}.blank_app___blank_app____counter_state"
DRAFT_STATE = f"{ROOT_STATE}.portal_app___states___draft____draft_state"
FIELD = "metier_vise"
EVERY = 5.0  # seconds between two events of one connected session
PROBE_EVERY = 0.2

# Run in the portal's environment: N beneficiaries, each with a PTP draft and a session.
SEED = """
import json, sys
from sqlmodel import Session
from portal_app.domain.accounts import sessions
from portal_app.domain.accounts.passwords import hash_password
from portal_app.domain.core.db import session_scope
from portal_app.domain.dossiers import drafts
from portal_app.models import User
from portal_app.models.base import utcnow
digest = hash_password("Tournesol-2024!")
out = []
for i in range({count}):
    with session_scope() as db:
        user = User(email="bench-{run}-%d@exemple.fr" % i, password_hash=digest, role="beneficiary",
                    civility="Madame", first_names="Camille", birth_name="Martin", is_active=True,
                    activated_at=utcnow())
        db.add(user)
        db.flush()
        raw = sessions.open_session(db, user, "bench")
        user_id = user.id
    dossier = drafts.create_draft(user_id, "projet-transition-professionnelle")
    out.append([raw, dossier.id])
print(json.dumps(out))
"""


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Target:
    """One served app and how its clients load a page and send a typed value."""

    name: str
    server: object
    base_url: str
    credentials: list = field(default_factory=list)  # portal: [session token, dossier id] per client

    def router_data(self, index: int) -> dict:
        if self.name == "blank":
            return {"pathname": "/", "asPath": "/"}
        dossier_id = self.credentials[index][1]
        path = f"/demarches/dossier/{dossier_id}"
        return {
            "pathname": path,
            "asPath": f"{path}?etape=projet",
            "query": {"dossier_id": str(dossier_id), "etape": "projet"},
        }

    def headers(self, index: int) -> dict:
        headers = {"Origin": self.base_url}
        if self.name == "portal":
            headers["Cookie"] = f"portal_session={self.credentials[index][0]}"
        return headers

    def typed(self, value: str) -> tuple[str, dict]:
        if self.name == "blank":
            return f"{BLANK_STATE}.set_text", {"value": value}
        return f"{DRAFT_STATE}.save_field", {"key": FIELD, "value": value}

    def workers(self) -> list[psutil.Process]:
        """The serving processes: the leaves of the server's process tree (granian's workers)."""
        leader = psutil.Process(self.server.process.pid)
        tree = [leader, *leader.children(recursive=True)]
        return [p for p in tree if not p.children()]


def _confirms(update: dict) -> bool:
    """Is this update the draft's confirmation (draft_scripts.confirm_saved)?"""
    return any(
        e.get("name") == "_call_script" and "portailDraft.saved" in json.dumps(e) for e in update.get("events") or []
    )


class Client:
    def __init__(self, target: Target, index: int) -> None:
        self.target, self.index = target, index
        self.sio = socketio.AsyncClient(reconnection=False)
        self.updates: asyncio.Queue = asyncio.Queue()
        self.router = target.router_data(index)
        self.sio.on("event", self._on_event, namespace="/_event")

    async def _on_event(self, data) -> None:
        await self.updates.put((time.perf_counter(), data))

    async def _next(self, timeout: float = 30.0):
        return await asyncio.wait_for(self.updates.get(), timeout)

    async def open(self) -> None:
        token = str(uuid.uuid4())
        boot = {"name": HYDRATE, "payload": {}, "router_data": dict(self.router)}
        await self.sio.connect(
            f"{self.target.base_url}?token={token}",
            headers=self.target.headers(self.index),
            socketio_path="/_event",
            namespaces=["/_event"],
            transports=["websocket"],
            auth={"event": boot},
            wait_timeout=30,
        )
        await self._next()
        if self.target.name == "portal":
            # The draft's on_load reads the values waiting in the browser and sends them back
            # (DraftState.replay): do as the page does, with nothing waiting.
            while not any(e.get("name") == "_call_script" for e in (await self._next())[1].get("events") or []):
                pass
            await self.emit(f"{DRAFT_STATE}.replay", {"pending": {}})
            await self._next()
        await asyncio.sleep(0.2)
        while not self.updates.empty():
            self.updates.get_nowait()

    async def emit(self, name: str, payload: dict) -> None:
        await self.sio.emit(
            "event", {"name": name, "payload": payload, "router_data": dict(self.router)}, namespace="/_event"
        )

    async def timed(self, value: str) -> tuple[float, float | None]:
        """Send one typed value; milliseconds until the server's first answer, and for the
        portal until the answer is stored (the confirmation that lets the browser forget it,
        sent after the commit: states/saves_behind.py)."""
        while not self.updates.empty():
            self.updates.get_nowait()
        name, payload = self.target.typed(value)
        started = time.perf_counter()
        await self.emit(name, payload)
        answered, data = await self._next()
        first = (answered - started) * 1000
        if self.target.name != "portal":
            return first, None
        while not _confirms(data):
            answered, data = await self._next()
        return first, (answered - started) * 1000

    async def close(self) -> None:
        await self.sio.disconnect()


def rss_mib(target: Target) -> float:
    return sum(p.memory_info().rss for p in target.workers()) / 2**20


def cpu_seconds(target: Target) -> float:
    total = 0.0
    for p in target.workers():
        times = p.cpu_times()
        total += times.user + times.system
    return total


def start_profiler(target: Target, duration: float, out: Path) -> subprocess.Popen:
    """py-spy sampling the portal's workers over the measured window (folded stacks, for
    flame graphs or a grep of where the busy samples are)."""
    worker = target.workers()[0]
    # --gil: only the thread holding the interpreter is sampled, so the samples are CPU, not a
    # thread waiting for its turn (the save's threads wait for the event loop's and back).
    argv = [app_bin("py-spy"), "record", "--pid", str(worker.pid), "--duration", str(int(duration)), "--rate", "200"]
    argv += ["--gil"]
    argv += ["--format", "raw", "--output", str(out), "--nonblocking"]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def run_level(target: Target, count: int, duration: float, profile: Path | None = None) -> dict:
    idle_rss = rss_mib(target)
    clients = [Client(target, i) for i in range(count + 1)]
    gate = asyncio.Semaphore(16)

    async def open_one(client: Client) -> None:
        async with gate:
            await client.open()

    await asyncio.gather(*(open_one(c) for c in clients))
    probe, load = clients[0], clients[1:]
    all_times: list[float] = []
    probe_times: list[float] = []
    stored_times: list[float] = []
    stop = time.monotonic() + duration

    async def drive(client: Client) -> None:
        await asyncio.sleep(random.uniform(0, EVERY))
        n = 0
        while time.monotonic() < stop:
            n += 1
            all_times.append((await client.timed(f"Valeur {client.index} {n} {uuid.uuid4().hex[:6]}"))[0])
            await asyncio.sleep(EVERY)

    async def drive_probe() -> None:
        n = 0
        while time.monotonic() < stop:
            n += 1
            elapsed, stored = await probe.timed(f"Sonde {n} {uuid.uuid4().hex[:6]}")
            probe_times.append(elapsed)
            if stored is not None:
                stored_times.append(stored)
            await asyncio.sleep(max(0.0, PROBE_EVERY - (stored or elapsed) / 1000))

    profiler = start_profiler(target, duration, profile) if profile is not None else None
    cpu_before, wall_before = cpu_seconds(target), time.monotonic()
    await asyncio.gather(drive_probe(), *(drive(c) for c in load))
    if profiler is not None:
        await asyncio.to_thread(profiler.wait)
        print(f"  py-spy samples of the portal at {count} sessions: {profile}", flush=True)
    wall = time.monotonic() - wall_before
    busy = cpu_seconds(target) - cpu_before
    cpu = busy / wall * 100
    loaded_rss = rss_mib(target)
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
    all_times.extend(probe_times)
    return {
        "p50": statistics.median(probe_times),
        "p95": percentile(probe_times, 0.95),
        "all_p95": percentile(all_times, 0.95),
        "stored_p50": statistics.median(stored_times) if stored_times else None,
        "stored_p95": percentile(stored_times, 0.95) if stored_times else None,
        "events": len(all_times),
        "rate": len(all_times) / wall,
        "cpu_ms": busy * 1000 / max(1, len(all_times)),
        "cpu": cpu,
        "idle_rss": idle_rss,
        "rss": loaded_rss,
        "kib_per_session": (loaded_rss - idle_rss) * 1024 / (count + 1),
    }


def seed_portal(server: PortalServer, count: int) -> list:
    code = SEED.format(count=count, run=uuid.uuid4().hex[:8])
    return json.loads(server.python(code, timeout=900).stdout.strip().splitlines()[-1])


async def warm(target: Target) -> None:
    """A few events first: imports, caches and the first compile of anything lazy."""
    client = Client(target, 0)
    await client.open()
    for n in range(20):
        await client.timed(f"Chauffe {n}")
    await client.close()


def summary_table(results: dict) -> str:
    lines = [
        "| sessions | events/s | blank p50 / p95 | portal p50 / p95 | p95 ratio | portal stored p50 / p95 "
        "| all events p95 blank / portal "
        "| backend CPU blank / portal | CPU per event blank / portal | KiB per session blank / portal |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for count in sorted(results):
        blank = results[count]["blank"]
        portal = results[count]["portal"]
        med = {
            key: {name: statistics.median(r[key] for r in results[count][name]) for name in ("blank", "portal")}
            for key in ("p50", "p95", "all_p95", "cpu", "kib_per_session", "rate", "cpu_ms")
        }
        del blank, portal
        stored = {
            key: statistics.median(r[key] for r in results[count]["portal"]) for key in ("stored_p50", "stored_p95")
        }
        lines.append(
            f"| {count} | {med['rate']['portal']:.0f} | {med['p50']['blank']:.1f} / {med['p95']['blank']:.1f} ms "
            f"| {med['p50']['portal']:.1f} / {med['p95']['portal']:.1f} ms "
            f"| {med['p95']['portal'] / med['p95']['blank']:.1f}× "
            f"| {stored['stored_p50']:.1f} / {stored['stored_p95']:.1f} ms "
            f"| {med['all_p95']['blank']:.1f} / {med['all_p95']['portal']:.1f} ms "
            f"| {med['cpu']['blank']:.0f} % / {med['cpu']['portal']:.0f} % "
            f"| {med['cpu_ms']['blank']:.1f} / {med['cpu_ms']['portal']:.1f} ms "
            f"| {med['kib_per_session']['blank']:.0f} / {med['kib_per_session']['portal']:.0f} |"
        )
    return "\n".join(lines)


async def measure(targets: list[Target], levels: list[int], reps: int, duration: float, profile: Path | None) -> dict:
    results: dict = {count: {t.name: [] for t in targets} for count in levels}
    for target in targets:
        await warm(target)
    for rep in range(reps):
        for count in levels:
            order = targets if (rep + levels.index(count)) % 2 == 0 else list(reversed(targets))
            for target in order:
                sample = profile if profile and target.name == "portal" and count == max(levels) and rep == 0 else None
                result = await run_level(target, count, duration, sample)
                results[count][target.name].append(result)
                print(
                    f"  rep {rep + 1} {target.name:<6} {count:>4} sessions: probe p50 {result['p50']:6.1f} ms "
                    f"p95 {result['p95']:6.1f} ms{_stored(result)}, all p95 {result['all_p95']:6.1f} ms ({result['events']} events), "
                    f"CPU {result['cpu']:5.1f} %, RSS {result['idle_rss']:.0f} -> {result['rss']:.0f} MiB",
                    flush=True,
                )
    return results


def _stored(result: dict) -> str:
    if result.get("stored_p50") is None:
        return ""
    return f" (stored p50 {result['stored_p50']:.1f} / p95 {result['stored_p95']:.1f} ms)"


@contextlib.contextmanager
def scale_out_if(state_manager: str):
    """The scale-out shape's services (README Configuration): Redis for the tab states and
    PostgreSQL for the portal's data; several workers writing one SQLite file would measure
    SQLite's file lock instead. Both from Debian, as tests/scaleout starts them."""
    if state_manager != "redis":
        yield None, None
        return
    from tests.scaleout.services import PostgresServer, RedisServer

    with RedisServer() as redis, PostgresServer() as postgres:
        postgres.create_database("bench")
        yield redis, postgres


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,50,200,500", help="connected sessions per level, comma separated")
    parser.add_argument("--reps", type=int, default=1, help="repetitions (medians are printed)")
    parser.add_argument("--duration", type=float, default=30, help="seconds measured per level and app")
    parser.add_argument(
        "--state-manager", default="memory", choices=["memory", "disk", "redis"], help="both apps alike"
    )
    parser.add_argument("--workers", type=int, default=2, help="backend workers of each app (redis only)")
    parser.add_argument("--profile", type=Path, help="py-spy's folded stacks of the portal at the top level, here")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",") if n.strip()]
    env = {"REFLEX_STATE_MANAGER_MODE": args.state_manager}
    portal_env, blank_env = dict(env), dict(env)
    with (
        tempfile.TemporaryDirectory(prefix="portail-bench-") as data_dir,
        scale_out_if(args.state_manager) as (
            redis,
            postgres,
        ),
    ):
        if redis is not None:
            # One Redis database per app: neither reads the other's keys or lock notices.
            workers = {"GRANIAN_WORKERS": str(args.workers)}
            portal_env.update(
                workers,
                PORTAL_STATE_MANAGER="redis",
                PORTAL_REDIS_URL=redis.url,
                PORTAL_DATABASE_URL=postgres.url("bench"),
            )
            blank_env.update(workers, REFLEX_REDIS_URL=redis.url.rsplit("/", 1)[0] + "/1")
        portal = PortalServer(Path(data_dir) / "portal", smtp_port=None, extra_env=portal_env)
        blank = BlankServer(Path(data_dir) / "blank", extra_env=blank_env)
        try:
            portal.start()
            blank.start()
            credentials = seed_portal(portal, max(levels) + 1)
            targets = [
                Target("blank", blank, blank.base_url),
                Target("portal", portal, portal.base_url, credentials),
            ]
            idle = {t.name: rss_mib(t) for t in targets}
            print(
                f"Event cost, {args.state_manager} state manager"
                f"{f', {args.workers} workers per app' if args.state_manager == 'redis' else ''}, levels {levels}, {args.reps} repetition(s) of "
                f"{args.duration:.0f} s; load average {psutil.getloadavg()[0]:.1f} on {psutil.cpu_count()} CPUs"
            )
            print(f"Idle worker RSS: blank {idle['blank']:.0f} MiB, portal {idle['portal']:.0f} MiB")
            results = asyncio.run(measure(targets, levels, args.reps, args.duration, args.profile))
        finally:
            blank.stop()
            portal.stop()
    print()
    print(summary_table(results))
    print(f"Idle RSS ratio portal / blank: {idle['portal'] / idle['blank']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
