"""The scale-out path: PostgreSQL as the database, Redis as Reflex's state manager (which makes
Reflex run several backend workers).

Domain level (no browser): the migrations on a fresh PostgreSQL database, the account cycle,
the lockout timestamps read back from PostgreSQL, and what must hold when requests run at the
same time in several workers.

Browser level: the production build served with PORTAL_DATABASE_URL=postgresql+psycopg://…
and PORTAL_REDIS_URL=redis://…: login, the session row in PostgreSQL, Reflex's state in Redis,
logout, and a websocket left open after a logout elsewhere.
"""

from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import inspect, text

from tests.support.browser import (
    DEFAULT_PASSWORD,
    SESSION_COOKIE,
    create_active_user,
    goto,
    login,
    login_sessions,
    logout_from_menu,
    open_account_menu,
    path_of,
    session_cookie,
    unique_email,
    unique_nir,
)
from tests.support.drafts import expect_saved, start_demarche
from tests.support.jobs import run_periodic
from tests.support.process import processes_of
from tests.support.server import ROOT, app_env, migrate

SCHEMA_DRIFT = "Detected database schema changes"


def _run_together(count: int, work):
    """Run work(index) in `count` threads released at the same instant; return the results."""
    barrier = threading.Barrier(count)

    def start(index: int):
        barrier.wait(timeout=30)
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))


# ================================================================ domain level


@pytest.fixture(scope="module")
def domain_database(postgres, tmp_path_factory):
    """A fresh PostgreSQL database brought to head by `reflex db migrate`, as in production."""
    name = "portal_domain"
    postgres.create_database(name)
    url = postgres.url(name)
    data_dir = tmp_path_factory.mktemp("scaleout-domain")
    output = migrate(ROOT, app_env(data_dir, PORTAL_DATABASE_URL=url))
    return {"url": url, "data_dir": data_dir, "migrate_output": output}


@pytest.fixture
def domain(domain_database, monkeypatch):
    """The domain functions of this process pointed at the PostgreSQL database; mails recorded."""
    from portal_app import settings as settings_module
    from portal_app.domain.accounts import passwords
    from portal_app.domain.core import db as db_module
    from portal_app.domain.core import mail

    monkeypatch.setenv("PORTAL_DATABASE_URL", domain_database["url"])
    monkeypatch.setenv("PORTAL_DATA_DIR", str(domain_database["data_dir"]))
    monkeypatch.delenv("PORTAL_SMTP_HOST", raising=False)
    monkeypatch.delenv("PORTAL_REDIS_URL", raising=False)
    settings_module.get_settings.cache_clear()
    db_module.engine_for.cache_clear()
    monkeypatch.setattr(passwords, "BCRYPT_ROUNDS", 4)

    sent: list[tuple[str, str, dict]] = []
    lock = threading.Lock()

    def record(to, template, settings=None, *, key=None, attachments=(), outbox_only=False, accepted=None, **context):
        with lock:
            sent.append((to, template, context))
        return True

    monkeypatch.setattr(mail, "send_mail", record)
    engine = db_module.get_engine()
    assert engine.dialect.name == "postgresql", engine.url
    yield sent
    engine.dispose()
    settings_module.get_settings.cache_clear()
    db_module.engine_for.cache_clear()


def _registration(email: str) -> dict:
    return {
        "civility": "Madame",
        "birth_name": "Lefèvre",
        "usage_name": "",
        "first_names": "Inès Marie",
        "birth_date": "1992-04-17",
        "nir": unique_nir(sex="2", year=92, month=4),
        "email": email,
        "phone": "",
        "password": DEFAULT_PASSWORD,
        "password_confirm": DEFAULT_PASSWORD,
        "accept_terms": True,
        "accept_privacy": True,
    }


def _token_of(sent, to: str, template: str) -> str:
    for address, name, context in reversed(sent):
        if address == to and name == template:
            query = parse_qs(urlsplit(str(context["link"])).query)
            return unquote(query["jeton"][0])
    raise AssertionError(f"no {template!r} mail to {to}: {[(a, n) for a, n, _ in sent]}")


def _failures(email: str):
    """The login failure counter of an address (None when it has none)."""
    from sqlmodel import select

    from portal_app.domain.core import throttle
    from portal_app.domain.core.db import session_scope
    from portal_app.models import ThrottleCounter

    key = throttle.subject_key(throttle.Kind.LOGIN_FAILURES, "login", email)
    with session_scope() as db:
        return db.exec(select(ThrottleCounter).where(ThrottleCounter.key == key)).first()


def _user(email: str):
    from sqlmodel import select

    from portal_app.domain.core.db import session_scope
    from portal_app.models import User

    with session_scope() as db:
        return db.exec(select(User).where(User.email == email)).one()


def _active_user(domain_sent) -> str:
    from portal_app.domain import accounts

    email = unique_email("pg")
    assert accounts.register(_registration(email), client_ip="198.51.100.7").ok
    assert accounts.activate(_token_of(domain_sent, email, "activation")).state.value == "valid"
    return email


def test_migrations_bring_a_fresh_postgresql_database_to_head(domain_database, domain):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from portal_app.domain.core.db import get_engine

    assert SCHEMA_DRIFT not in domain_database["migrate_output"], domain_database["migrate_output"][-3000:]
    engine = get_engine()
    heads = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_heads()
    with engine.connect() as conn:
        assert [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))] == heads
        kinds = dict(
            conn.execute(
                text(
                    "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND column_name IN ('created_at', 'expires_at', 'revoked_at')"
                )
            ).all()
        )
    tables = set(inspect(engine).get_table_names())
    assert {"users", "login_sessions", "one_time_tokens", "alembic_version"} <= tables, tables
    # Aware datetimes need timestamptz: a naive column would shift them by the server's zone.
    assert kinds and set(kinds.values()) == {"timestamp with time zone"}, kinds


def test_register_activate_authenticate_logout_on_postgresql(domain):
    from portal_app.domain import accounts
    from portal_app.domain.accounts import LoginStatus

    email = unique_email("pg-cycle")
    assert accounts.register(_registration(email), client_ip="198.51.100.7").ok
    user = _user(email)
    assert not user.is_active and user.created_at.tzinfo is not None

    assert accounts.authenticate(email, DEFAULT_PASSWORD, client_ip="198.51.100.7").status is LoginStatus.NOT_ACTIVATED
    assert accounts.activate(_token_of(domain, email, "activation")).state.value == "valid"
    user = _user(email)
    assert user.is_active and user.activated_at.tzinfo is not None and user.activated_at >= user.created_at

    wrong = accounts.authenticate(email, "Pas-le-bon-2024!", client_ip="198.51.100.7")
    assert wrong.status is LoginStatus.INVALID
    assert _failures(email).count == 1 and _failures(email).last_at.tzinfo is not None

    result = accounts.authenticate(email.upper(), DEFAULT_PASSWORD, client_ip="198.51.100.7")
    assert result.status is LoginStatus.OK and result.ticket
    assert _failures(email) is None
    opened = accounts.open_session_from_ticket(result.ticket, result.browser_key, "pytest")
    assert opened is not None
    token, home = opened
    assert home == "/demarches"
    assert accounts.current_user(token).email == email
    assert accounts.open_session_from_ticket(result.ticket, result.browser_key, "pytest") is None, (
        "a ticket is single-use"
    )
    assert [row.user_agent for row in accounts.active_sessions(user.id)] == ["pytest"]

    accounts.logout(token)
    assert accounts.current_user(token) is None
    assert accounts.active_sessions(user.id) == []


def test_lockout_delay_uses_the_failure_time_read_back_from_postgresql(domain):
    from portal_app.domain import accounts
    from portal_app.domain.accounts import LoginStatus

    email = _active_user(domain)
    for _ in range(5):
        last = accounts.authenticate(email, "Pas-le-bon-2024!", client_ip="198.51.100.7")
    assert last.status is LoginStatus.DELAYED
    failures = _failures(email)
    assert failures.count == 5
    assert last.retry_at == failures.last_at + timedelta(minutes=1)
    # The right password during the wait: refused, computed from the stored (aware) timestamp.
    during = accounts.authenticate(email, DEFAULT_PASSWORD, client_ip="198.51.100.7")
    assert during.status is LoginStatus.DELAYED and during.retry_at == last.retry_at
    assert _failures(email).count == 5


def test_one_address_signed_up_twice_at_the_same_instant_gives_one_account(domain):
    from sqlmodel import func, select

    from portal_app.domain import accounts
    from portal_app.domain.core.db import session_scope
    from portal_app.models import User

    email = unique_email("pg-twice")
    data = _registration(email)
    results = _run_together(4, lambda _: accounts.register(dict(data), client_ip="198.51.100.7"))
    assert all(result.ok for result in results)
    with session_scope() as db:
        assert db.exec(select(func.count()).select_from(User).where(User.email == email)).one() == 1
    templates = sorted(name for to, name, _ in domain if to == email)
    assert templates == ["account_exists"] * 3 + ["activation"], templates


def test_dossier_numbers_stay_unique_when_filed_at_the_same_instant(domain):
    from portal_app.domain.core.db import session_scope
    from portal_app.domain.dossiers.demarche import format_number
    from portal_app.domain.dossiers.filing import next_number

    prefix = "T" + uuid.uuid4().hex[:5].upper()
    threads, per_thread = 6, 8

    def file_some(_index: int) -> list[str]:
        numbers = []
        for _ in range(per_thread):
            with session_scope() as db:
                numbers.append(next_number(db, prefix, 2026))
        return numbers

    numbers = [number for batch in _run_together(threads, file_some) for number in batch]
    assert len(numbers) == threads * per_thread
    assert len(set(numbers)) == len(numbers), sorted(numbers)
    assert set(numbers) == {format_number(prefix, 2026, n) for n in range(1, threads * per_thread + 1)}


def test_draft_answers_saved_at_once_on_postgresql_all_stay_and_the_certified_identity_is_held(domain):
    """The save reads and writes with prebuilt statements (drafts.save_answers, held.EDITING,
    and the one UPDATE of a tab saving on the version it knows, drafts.Known): as on SQLite,
    each key saved by tabs at the same instant on the same known version is kept (one writes
    at once, the others find the row moved and merge), and a FranceConnect certified name
    cannot be changed by a crafted save."""
    from portal_app.domain.core.db import session_scope
    from portal_app.domain.dossiers import drafts
    from portal_app.models import User

    email = _active_user(domain)
    with session_scope() as db:
        user = db.get(User, _user(email).id)
        user.fc_sub, user.birth_name, user.first_names = f"fc-{uuid.uuid4().hex}", "Martin", "Camille"
        db.add(user)
        user_id = user.id
    dossier = drafts.create_draft(user_id, "projet-transition-professionnelle")
    keys = ["metier_vise", "motivations", "enquete_metier", "enquete_description"]
    known = drafts.Known(dossier.version, dossier.demarche_code, dict(dossier.answers))

    def save_one(index: int) -> None:
        drafts.save_answer(user_id, dossier.id, keys[index], f"Réponse {index}", known=known)

    _run_together(len(keys), save_one)
    latest = drafts.get_owned(user_id, dossier.id)
    current = drafts.Known(latest.version, latest.demarche_code, dict(latest.answers))
    result = drafts.save_answer(user_id, dossier.id, "nom_naissance", "Dupont", known=current)
    assert {key: result.answers[key] for key in keys} == {key: f"Réponse {i}" for i, key in enumerate(keys)}
    assert result.answers["nom_naissance"] == "Martin"
    latest = drafts.get_owned(user_id, dossier.id)
    assert latest.version == 1 + len(keys)
    # Nobody wrote since: one UPDATE, no read first.
    from sqlalchemy import event

    from portal_app.domain.core.db import get_engine

    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement.split()[0].upper())

    event.listen(get_engine(), "before_cursor_execute", seen)
    try:
        known = drafts.Known(latest.version, latest.demarche_code, dict(latest.answers))
        saved = drafts.save_answer(user_id, dossier.id, "metier_vise", "Infirmière", known=known)
    finally:
        event.remove(get_engine(), "before_cursor_execute", seen)
    assert statements == ["UPDATE"] and saved.version == latest.version + 1
    assert drafts.get_owned(user_id, dossier.id).answers["metier_vise"] == "Infirmière"


# Known app bugs (found by these tests, 2026-11-25): remove each marker once fixed.


def test_wrong_passwords_sent_at_the_same_instant_are_all_counted(domain):
    """Several workers checking guesses for one account at once must count every failure,
    or the CNIL temporisation can be bypassed by sending guesses in parallel."""
    from portal_app.domain import accounts

    email = _active_user(domain)
    _run_together(5, lambda _: accounts.authenticate(email, "Pas-le-bon-2024!", client_ip="198.51.100.7"))
    assert _failures(email).count == 5


def test_reset_requests_sent_at_the_same_instant_are_throttled_on_postgresql(domain):
    """Mail throttles count in the database: workers asking at once for one address take turns
    on its counter row, and no more mails leave than one worker alone would send."""
    from portal_app.domain import accounts

    email = _active_user(domain)
    _run_together(8, lambda _: accounts.request_password_reset(email, client_ip="198.51.100.8"))
    assert [name for to, name, _ in domain if to == email].count("password_reset") == 3


def test_a_login_ticket_opens_one_session_even_when_redeemed_twice_at_once(domain):
    """The ticket route may run in two workers at once (double click, retried request)."""
    from portal_app.domain import accounts

    email = _active_user(domain)
    user_id = _user(email).id
    doubles = 0
    for _ in range(5):
        login = accounts.authenticate(email, DEFAULT_PASSWORD, client_ip="198.51.100.7")
        opened = _run_together(
            3, lambda _, login=login: accounts.open_session_from_ticket(login.ticket, login.browser_key, "race")
        )
        doubles += sum(1 for result in opened if result is not None) > 1
    sessions = accounts.active_sessions(user_id)
    assert doubles == 0 and len(sessions) == 5, f"{doubles} of 5 tickets opened more than one session"


# ================================================================ browser level


@pytest.fixture
def user(portal):
    return create_active_user(portal, unique_email("scaleout"), DEFAULT_PASSWORD)


def _state_keys(page, redis_client) -> list[bytes]:
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token, "Reflex gave this tab no client token"
    return redis_client.keys(f"{token}_*")


def test_server_runs_on_postgresql_and_redis_with_several_workers(portal, postgres, redis_server):
    engine = portal.db_engine()
    assert engine.dialect.name == "postgresql", engine.url
    assert not portal.db_path.exists(), "the app created a SQLite file: PORTAL_DATABASE_URL was not used"
    with open(portal.log_path, encoding="utf-8", errors="replace") as handle:
        migrate_log = handle.read().split("$ reflex run", 1)[0]
    assert "$ reflex db migrate" in migrate_log
    assert SCHEMA_DRIFT not in migrate_log, migrate_log[-3000:]
    with postgres.connect("portal") as conn:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
    # With a Redis URL Reflex forks several backend workers (one only without Redis).
    leader = portal.process.pid
    workers = [pid for pid in processes_of(leader) if pid != leader and _parent(pid) == leader]
    assert len(workers) >= 2, f"{len(workers)} backend worker(s) under reflex run:\n{portal.log_tail(30)}"


def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return int(handle.read().rsplit(")", 1)[-1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def test_login_lands_on_demarches_with_the_session_in_postgresql_and_the_state_in_redis(
    portal, page, user, postgres, redis_client
):
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)

    assert path_of(page.url) == "/demarches"
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")
    expect(page.locator("header :is(summary, .nav-inline__user):visible")).to_have_text("Camille Martin")
    cookie = session_cookie(page.context)
    assert cookie is not None and cookie["httpOnly"], page.context.cookies()

    # The session row, through the app's models and straight from PostgreSQL.
    live = [row for row in login_sessions(portal, user.id) if row.revoked_at is None]
    assert len(live) == 1
    assert live[0].created_at.tzinfo is not None and live[0].last_used_at >= live[0].created_at
    with postgres.connect("portal") as conn:
        count = conn.execute(
            "SELECT count(*) FROM login_sessions WHERE user_id = %s AND revoked_at IS NULL", (user.id,)
        ).fetchone()[0]
    assert count == 1

    # Reflex's state of this tab lives in Redis, one key per state class, with an expiry.
    keys = _state_keys(page, redis_client)
    assert keys, f"no Reflex state in Redis for this tab; keys: {redis_client.keys('*')[:20]}"
    assert any(b"session_state" in key for key in keys), keys
    assert all(redis_client.ttl(key) > 0 for key in keys)

    # A full page load: a new websocket, maybe another worker, the same state in Redis.
    page.reload()
    page.wait_for_url(lambda url: path_of(url) == "/demarches")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")
    expect(page.locator("header :is(summary, .nav-inline__user):visible")).to_have_text("Camille Martin")


def test_a_draft_typed_on_redis_is_answered_then_stored_in_postgresql(portal, page, user, postgres):
    """The draft's save is answered before its commit (states/saves_behind.py): with the tab's
    state in Redis and several workers, the page says "Enregistré" once PostgreSQL holds the
    answer, and a reload (a new websocket, maybe another worker) draws it."""
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)
    dossier_id = start_demarche(page, portal.base_url, "Projet de transition professionnelle")
    page.get_by_role("radio", name="Temps partiel").check()
    expect(page.get_by_label("Quotité de temps partiel", exact=True)).to_be_visible()
    page.get_by_label("Poste occupé", exact=True).fill("Vendeuse")
    expect_saved(page)
    page.wait_for_function(f"localStorage.getItem('portail-brouillon-{dossier_id}') === null")
    with postgres.connect("portal") as conn:
        answers = conn.execute("SELECT answers FROM dossiers WHERE id = %s", (dossier_id,)).fetchone()[0]
    answers = answers if isinstance(answers, dict) else json.loads(answers)
    assert answers["temps_travail"] == "partiel" and answers["poste"] == "Vendeuse"

    page.reload()
    expect(page.locator("#titre-etape")).to_be_visible()
    expect(page.get_by_label("Poste occupé", exact=True)).to_have_value("Vendeuse")
    expect(page.get_by_label("Quotité de temps partiel", exact=True)).to_be_visible()


def test_logout_revokes_the_session_in_postgresql(portal, page, user):
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")
    logout_from_menu(page)

    assert parse_qs(urlsplit(page.url).query).get("motif") == ["deconnexion"]
    expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()
    assert session_cookie(page.context) is None
    rows = login_sessions(portal, user.id)
    assert len(rows) == 1 and rows[0].revoked_at is not None
    assert rows[0].revoked_at.tzinfo is not None and rows[0].revoked_at >= rows[0].created_at

    page.goto("/demarches")
    page.wait_for_url(lambda url: path_of(url) == "/connexion")


def test_open_page_cannot_act_after_logout_in_another_worker(portal, page, new_context, user):
    """A's websocket and B's logout may be served by two different workers: the revoked
    session must still be refused on A's next event (the check is in PostgreSQL)."""
    login(page, portal.base_url, user.email, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes démarches")

    other = new_context()
    other.add_cookies([session_cookie(page.context)])
    page_b = other.new_page()
    goto(page_b, "/demarches")
    expect(page_b.get_by_role("heading", level=1)).to_have_text("Mes démarches")
    open_account_menu(page_b, "Camille Martin")
    page_b.get_by_role("button", name="Se déconnecter").click()
    page_b.wait_for_url(lambda url: path_of(url) == "/connexion")
    assert all(row.revoked_at is not None for row in login_sessions(portal, user.id))

    page.evaluate(
        "() => { window.__same_document = true; history.pushState({}, '', '/demarches?onglet=2'); "
        "window.dispatchEvent(new PopStateEvent('popstate', {state: {}})); }"
    )
    page.wait_for_url(lambda url: path_of(url) == "/connexion", timeout=15_000)
    assert parse_qs(urlsplit(page.url).query).get("motif") == ["expiree"]
    assert page.evaluate("() => window.__same_document === true")
    assert SESSION_COOKIE not in page.evaluate("document.cookie")


def test_a_closed_tabs_token_brings_none_of_its_state_from_redis(portal, page, new_context, user):
    """Reflex loads from Redis only the substates an event needs: a tab token presented under
    another session (none here) must still find the whole tree reset, on whichever worker."""
    try:
        login(page, portal.base_url, user.email, DEFAULT_PASSWORD)
        goto(page, "/mon-compte")
        expect(page.locator("main")).to_contain_text(user.email)
    except Exception as error:  # Playwright's timeouts are not AssertionErrors
        locks = [line for line in portal.log_tail(3000).splitlines() if "lock" in line.lower()]
        raise AssertionError(f"{error}\nRedis lock log (last 80):\n" + "\n".join(locks[-80:])) from error
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    page.close()

    context = new_context()
    for _attempt in range(20):
        stranger = context.new_page()
        frames: list[str] = []
        stranger.on("websocket", lambda ws, frames=frames: ws.on("framereceived", lambda p: frames.append(str(p))))
        stranger.add_init_script(f"window.sessionStorage.setItem('token', {token!r})")
        goto(stranger, "/mon-compte")
        stranger.wait_for_url(lambda url: path_of(url) == "/connexion")
        # While the closed tab's socket is not yet forgotten, Reflex hands out a new token.
        if stranger.evaluate("() => window.sessionStorage.getItem('token')") == token:
            break
        stranger.close()
    else:
        raise AssertionError("the closed tab's token was never accepted")
    assert frames and user.email not in "\n".join(frames)


def test_the_worker_runs_on_redis_beside_the_app_workers(portal, smtp_sink, postgres):
    """The job queue's worker, started beside the served app, takes its tasks from Redis: a mail
    queued by another process reaches the SMTP server and is marked sent in PostgreSQL."""
    assert "portal worker ready (queue: Redis)" in portal.worker.log_tail(200)
    address = unique_email("queue-redis")
    since = len(smtp_sink.messages)
    portal.python(
        "from portal_app.domain.core import mail\n"
        "from portal_app.domain.core.db import session_scope\n"
        "with session_scope() as db:\n"
        f"    mail.queue(db, {address!r}, 'duplicate_notice', first_name='Inès')\n"
    )
    smtp_sink.wait_for(address, since=since, timeout=30)
    assert not (portal.data_dir / "queue.db").exists(), "the worker used SQLite, not Redis"
    with postgres.connect("portal") as conn:
        row = conn.execute("SELECT sent_at, attempts FROM outgoing_mails WHERE recipient = %s", (address,)).fetchone()
    assert row[0] is not None and row[1] == 1


def test_a_mail_asked_for_in_an_app_worker_and_a_periodic_task_go_through_redis(portal, page, user, smtp_sink):
    """A page event, handled by one of the Reflex workers, queues its mail on Redis; the worker
    sends it. A periodic task put on Redis as the scheduler does is run by the worker too."""
    since = len(smtp_sink.messages)
    goto(page, f"{portal.base_url}/mot-de-passe-oublie")
    page.get_by_label("Adresse e-mail ou identifiant").fill(user.email)
    page.get_by_role("button", name="Recevoir un lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    smtp_sink.wait_for(user.email, "Choisissez un nouveau mot de passe", since=since, timeout=30)
    run_periodic(portal, "requeue_mails")
    assert not (portal.data_dir / "queue.db").exists(), "a queue went to SQLite, not Redis"
