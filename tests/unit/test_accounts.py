"""The account lifecycle through the domain functions, against a real SQLite database."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from portal_app.domain import accounts
from portal_app.domain.accounts import LoginStatus, lockout
from portal_app.domain.accounts.passwords import verify_password
from portal_app.domain.core import mail, throttle
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.throttle import Kind
from portal_app.domain.core.tokens import Purpose, TokenState
from portal_app.models import LoginSession, OneTimeToken, ThrottleCounter, User
from portal_app.models.base import as_utc, utcnow
from portal_app.settings import get_settings
from tests.support.outbox import outbox_mails

EMAIL = "elodie.martin@exemple.fr"
PASSWORD = "Transition-Pro-2026"
NEW_PASSWORD = "Nouveau#Depart-2027"
NIR = "295109912611193"
OTHER_NIR = "185057800608491"

pytestmark = pytest.mark.usefixtures("temp_db", "fast_hashing")


@pytest.fixture
def mails(monkeypatch):
    """Every mail the domain sends, as (to, template, context); still written to the outbox."""
    sent: list[tuple[str, str, dict]] = []
    real_send = mail.send_mail

    def recording_send(
        to, template, settings=None, *, key=None, attachments=(), outbox_only=False, accepted=None, **context
    ):
        sent.append((to, template, context))
        return real_send(
            to,
            template,
            settings,
            key=key,
            attachments=attachments,
            outbox_only=outbox_only,
            accepted=accepted,
            **context,
        )

    monkeypatch.setattr(mail, "send_mail", recording_send)
    return sent


def signup(**overrides) -> dict:
    data = {
        "civility": "Madame",
        "birth_name": "Martin",
        "usage_name": "",
        "first_names": "Élodie Anne",
        "birth_date": "1995-10-15",
        "nir": NIR,
        "email": EMAIL,
        "phone": "",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_terms": "on",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return data


def templates(sent, to: str | None = None) -> list[str]:
    return [template for address, template, _ in sent if to is None or address == to]


def last_link(sent, template: str, key: str = "link") -> str:
    found = [context[key] for _, name, context in sent if name == template]
    assert found, f"no {template} mail sent"
    return found[-1]


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["jeton"][0]


def get_user(email: str = EMAIL) -> User | None:
    with session_scope() as db:
        return db.exec(select(User).where(User.email == email)).first()


def count(model, **where) -> int:
    with session_scope() as db:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return len(db.exec(query).all())


def create_active_user(sent, **overrides) -> User:
    assert accounts.register(signup(**overrides), client_ip="198.51.100.7").ok
    email = overrides.get("email", EMAIL)
    assert accounts.activate(token_of(last_link(sent, "activation"))).state is TokenState.VALID
    user = get_user(email)
    assert user is not None and user.is_active
    return user


def log_in(email: str = EMAIL, password: str = PASSWORD, agent: str = "Firefox") -> str:
    result = accounts.authenticate(email, password, client_ip="198.51.100.7")
    assert result.status is LoginStatus.OK, result
    opened = accounts.open_session_from_ticket(result.ticket, result.browser_key, agent)
    assert opened is not None
    return opened[0]


def set_user(user_id: int, **values) -> None:
    with session_scope() as db:
        user = db.get(User, user_id)
        for key, value in values.items():
            setattr(user, key, value)
        db.add(user)


# ---------------------------------------------------------------- sign-up and activation


def test_register_activate_and_log_in(mails):
    result = accounts.register(signup(email="  Elodie.Martin@Exemple.FR "), client_ip="198.51.100.7")
    assert result.ok and result.errors == {}

    user = get_user()
    assert user is not None, "the address is stored lower-cased and trimmed"
    assert not user.is_active and user.activated_at is None
    assert user.password_hash != PASSWORD and verify_password(PASSWORD, user.password_hash)
    assert templates(mails) == ["activation"]

    # The mail really left through the outbox, with the link the test uses.
    link = last_link(mails, "activation")
    assert link.startswith(get_settings().base_url + "/activation?jeton=")
    [message] = outbox_mails()
    assert message["To"] == EMAIL
    assert link in message.get_body(("plain",)).get_content()

    # Before activation: a wrong password says nothing, a right one says "not activated".
    assert accounts.authenticate(EMAIL, "Mauvais-Mot-2026", client_ip="198.51.100.7").status is LoginStatus.INVALID
    assert accounts.authenticate(EMAIL, PASSWORD, client_ip="198.51.100.7").status is LoginStatus.NOT_ACTIVATED

    activation = accounts.activate(token_of(link))
    assert activation.state is TokenState.VALID and activation.duplicate is False
    assert accounts.activate(token_of(link)).state is TokenState.USED
    assert accounts.activate("n-importe-quoi").state is TokenState.UNKNOWN
    assert get_user().is_active and get_user().activated_at is not None

    login = accounts.authenticate(EMAIL.upper(), PASSWORD, client_ip="198.51.100.7")
    assert login.status is LoginStatus.OK and login.ticket
    opened = accounts.open_session_from_ticket(login.ticket, login.browser_key, "Mozilla/5.0 Firefox/128.0")
    assert opened is not None
    session_token, home = opened
    assert home == "/demarches"
    current = accounts.current_user(session_token)
    assert current is not None and current.id == user.id
    assert accounts.current_user("jeton-inconnu") is None
    assert accounts.current_user(None) is None

    accounts.logout(session_token)
    assert accounts.current_user(session_token) is None


def test_register_reports_every_error_and_creates_nothing(mails):
    result = accounts.register(
        signup(birth_name="", nir="295109912611194", password_confirm="autre", accept_terms=""),
        client_ip="198.51.100.7",
    )
    assert not result.ok
    assert set(result.errors) == {"birth_name", "nir", "password_confirm", "accept_terms"}
    assert count(User) == 0 and mails == []


def test_activation_link_expires_and_a_new_one_supersedes(mails):
    accounts.register(signup(), client_ip="198.51.100.7")
    first = token_of(last_link(mails, "activation"))
    accounts.resend_activation(EMAIL, client_ip="198.51.100.7")
    second = token_of(last_link(mails, "activation"))
    assert first != second
    assert accounts.activate(first).state is TokenState.SUPERSEDED

    with session_scope() as db:
        for token in db.exec(select(OneTimeToken)).all():
            token.expires_at = utcnow() - timedelta(seconds=1)
            db.add(token)
    assert accounts.activate(second).state is TokenState.EXPIRED
    assert not get_user().is_active


def test_register_with_existing_email_mails_the_owner_and_answers_the_same(mails):
    first = accounts.register(signup(), client_ip="198.51.100.7")
    user = get_user()
    mails.clear()

    second = accounts.register(
        signup(
            email=EMAIL.upper(),
            nir=OTHER_NIR,
            birth_name="Bernard",
            password="Autre-Chose-2026!",
            password_confirm="Autre-Chose-2026!",
        ),
        client_ip="198.51.100.7",
    )

    # Nothing tells the visitor the address is taken.
    assert second == first and second.ok
    assert count(User) == 1
    assert templates(mails) == ["account_exists"]
    assert mails[0][0] == EMAIL
    assert set(mails[0][2]) == {"login_link", "reset_link"}
    # The existing account is untouched.
    assert get_user().birth_name == "Martin" and get_user().password_hash == user.password_hash


def test_register_with_existing_nir_flags_a_duplicate(mails):
    first = create_active_user(mails)
    mails.clear()

    assert accounts.register(signup(email="autre.adresse@exemple.fr"), client_ip="198.51.100.7").ok
    twin = get_user("autre.adresse@exemple.fr")
    assert twin is not None and twin.duplicate_of_id == first.id
    assert templates(mails) == ["activation"]

    result = accounts.activate(token_of(last_link(mails, "activation")))
    assert result.state is TokenState.VALID and result.duplicate is True
    assert templates(mails) == ["activation", "duplicate_notice"]
    assert mails[-1][0] == "autre.adresse@exemple.fr"


# ---------------------------------------------------------------- password reset


def test_reset_request_for_unknown_address_sends_nothing(mails):
    create_active_user(mails)
    mails.clear()
    tokens_before = count(OneTimeToken)

    assert accounts.request_password_reset("personne@exemple.fr", client_ip="198.51.100.7") is None
    assert accounts.request_password_reset("", client_ip="198.51.100.7") is None
    assert mails == []
    assert count(OneTimeToken) == tokens_before


def test_reset_request_for_inactive_account_resends_activation(mails):
    accounts.register(signup(), client_ip="198.51.100.7")
    mails.clear()
    accounts.request_password_reset(EMAIL, client_ip="198.51.100.7")
    assert templates(mails) == ["activation"]


def test_reset_links_latest_only_and_single_use(mails):
    user = create_active_user(mails)
    accounts.request_password_reset(EMAIL, client_ip="198.51.100.7")
    first = token_of(last_link(mails, "password_reset"))
    accounts.request_password_reset(EMAIL, client_ip="198.51.100.7")
    second = token_of(last_link(mails, "password_reset"))

    assert accounts.reset_token_state(first) is TokenState.SUPERSEDED
    assert accounts.reset_token_state(second) is TokenState.VALID
    assert (
        accounts.reset_password(first, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).state
        is TokenState.SUPERSEDED
    )

    # A form error leaves the link usable.
    refused = accounts.reset_password(second, {"password": "court", "password_confirm": "court"})
    assert not refused.ok and "password" in refused.errors
    refused = accounts.reset_password(second, {"password": NEW_PASSWORD, "password_confirm": "autre"})
    assert refused.errors == {"password_confirm": "Les deux mots de passe ne sont pas identiques."}
    assert accounts.reset_token_state(second) is TokenState.VALID

    done = accounts.reset_password(second, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.ok
    assert accounts.reset_token_state(second) is TokenState.USED
    again = accounts.reset_password(
        second, {"password": "Encore-Un-Autre-2028", "password_confirm": "Encore-Un-Autre-2028"}
    )
    assert again.state is TokenState.USED and not again.ok

    assert accounts.authenticate(EMAIL, PASSWORD, client_ip="198.51.100.7").status is LoginStatus.INVALID
    assert accounts.authenticate(EMAIL, NEW_PASSWORD, client_ip="198.51.100.7").status is LoginStatus.OK
    assert templates(mails)[-1] == "password_changed"
    assert mails[-1][0] == EMAIL
    assert get_user().id == user.id


def test_reset_ends_every_session(mails):
    create_active_user(mails)
    laptop = log_in(agent="Firefox")
    phone = log_in(agent="Safari")
    accounts.request_password_reset(EMAIL, client_ip="198.51.100.7")
    raw = token_of(last_link(mails, "password_reset"))

    assert accounts.reset_password(raw, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).ok
    assert accounts.current_user(laptop) is None
    assert accounts.current_user(phone) is None


# ---------------------------------------------------------------- lockout

IP = "198.51.100.7"


def failure_count(identifier: str = EMAIL) -> int:
    key = throttle.subject_key(Kind.LOGIN_FAILURES, "login", identifier)
    with session_scope() as db:
        row = db.exec(select(ThrottleCounter).where(ThrottleCounter.key == key)).first()
        return row.count if row else 0


def _age_last_failure(by: timedelta) -> None:
    """As if the last failure of every address had happened `by` earlier."""
    with session_scope() as db:
        for row in db.exec(select(ThrottleCounter).where(ThrottleCounter.kind == Kind.LOGIN_FAILURES.value)).all():
            row.last_at = as_utc(row.last_at) - by
            db.add(row)


def _fail(times: int, *, wait_between: bool = False) -> accounts.LoginResult:
    result = None
    for _ in range(times):
        if wait_between:
            # Each temporisation is over before the next attempt.
            _age_last_failure(timedelta(hours=1))
        result = accounts.authenticate(EMAIL, "Mauvais-Mot-2026", client_ip=IP)
    return result


def test_five_failures_delay_then_login_again(mails):
    create_active_user(mails)
    for attempt in range(1, 5):
        result = accounts.authenticate(EMAIL, "Mauvais-Mot-2026", client_ip=IP)
        assert result.status is LoginStatus.INVALID and result.failures == attempt

    before = utcnow()
    fifth = accounts.authenticate(EMAIL, "Mauvais-Mot-2026", client_ip=IP)
    assert fifth.status is LoginStatus.DELAYED and fifth.failures == 5
    assert before + timedelta(seconds=59) <= fifth.retry_at <= utcnow() + timedelta(seconds=61)

    # Even the right password waits, and waiting does not count as a failure.
    refused = accounts.authenticate(EMAIL, PASSWORD, client_ip=IP)
    assert refused.status is LoginStatus.DELAYED and refused.ticket == ""
    assert refused.retry_at == fifth.retry_at
    assert failure_count() == 5

    _age_last_failure(timedelta(seconds=61))
    ok = accounts.authenticate(EMAIL, PASSWORD, client_ip=IP)
    assert ok.status is LoginStatus.OK and ok.ticket
    assert failure_count() == 0


def test_delay_doubles_after_the_sixth_failure(mails):
    create_active_user(mails)
    _fail(5)
    _age_last_failure(timedelta(seconds=61))
    sixth = accounts.authenticate(EMAIL, "Mauvais-Mot-2026", client_ip=IP)
    assert sixth.status is LoginStatus.DELAYED and sixth.failures == 6
    wait = sixth.retry_at - utcnow()
    assert timedelta(seconds=115) <= wait <= timedelta(seconds=120)


def test_failures_only_ever_delay_and_the_mailed_link_lets_the_owner_in(mails):
    """Before: the 10th failure blocked the account until a new password, whoever typed them."""
    user = create_active_user(mails)
    mails.clear()
    last = _fail(15, wait_between=True)
    assert last.status is LoginStatus.DELAYED and last.failures == 15
    assert last.retry_at - utcnow() <= lockout.MAX_DELAY
    # Under temporisation the owner is mailed a link that lets them in at once (once an hour).
    assert templates(mails) == ["account_unlock"]
    # The wait over, the right password opens the account: nothing anyone types blocks it.
    _age_last_failure(timedelta(hours=1))
    assert accounts.authenticate(EMAIL, PASSWORD, client_ip=IP).status is LoginStatus.OK

    _fail(5)
    raw = token_of(last_link(mails, "account_unlock", key="reset_link"))
    assert accounts.reset_token_state(raw) is TokenState.VALID
    assert accounts.reset_password(raw, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}, tab="onglet").ok
    assert accounts.authenticate(EMAIL, NEW_PASSWORD, client_ip=IP).status is LoginStatus.OK
    assert get_user(EMAIL).id == user.id


def test_the_tab_that_chose_a_new_password_gets_in_while_a_stranger_keeps_guessing(mails):
    create_active_user(mails)
    _fail(5)
    raw = token_of(last_link(mails, "account_unlock", key="reset_link"))
    assert accounts.reset_password(raw, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}, tab="onglet").ok
    # A stranger's script brings the wait back at once.
    assert _fail(5).status is LoginStatus.DELAYED
    assert accounts.authenticate(EMAIL, NEW_PASSWORD, client_ip=IP, tab="autre").status is LoginStatus.DELAYED
    assert accounts.authenticate(EMAIL, NEW_PASSWORD, client_ip=IP, tab="onglet").status is LoginStatus.OK


def test_temporised_account_can_ask_for_a_reset_link(mails):
    create_active_user(mails)
    _fail(10, wait_between=True)
    mails.clear()
    accounts.request_password_reset(EMAIL, client_ip=IP)
    assert templates(mails) == ["password_reset"]


# ---------------------------------------------------------------- login tickets and sessions


def test_login_ticket_is_single_use(mails):
    create_active_user(mails)
    login = accounts.authenticate(EMAIL, PASSWORD, client_ip="198.51.100.7")
    assert accounts.open_session_from_ticket(login.ticket, login.browser_key, "Firefox") is not None
    assert accounts.open_session_from_ticket(login.ticket, login.browser_key, "Firefox") is None
    assert accounts.open_session_from_ticket("", login.browser_key, "Firefox") is None


def test_login_ticket_opens_a_session_only_in_the_browser_that_asked_for_it(mails):
    """Login CSRF: the attacker's own ticket URL, opened by a victim's browser, which has no
    ticket cookie or another one (its own login's), signs nobody in and spends nothing."""
    create_active_user(mails)
    attacker = accounts.authenticate(EMAIL, PASSWORD, client_ip="198.51.100.7")
    assert attacker.browser_key and attacker.browser_key != attacker.ticket
    with session_scope() as db:
        row = db.exec(select(OneTimeToken).where(OneTimeToken.purpose == Purpose.LOGIN_TICKET.value)).one()
        # Only a hash of the browser's key is stored with the ticket.
        assert attacker.browser_key not in row.payload and len(row.payload) == 64
    for victim_cookie in (None, "", "cle-inventee", attacker.browser_key[:-1], attacker.browser_key + "x"):
        assert accounts.open_session_from_ticket(attacker.ticket, victim_cookie, "Chrome") is None
    assert count(LoginSession) == 0
    # Still usable by the browser that asked for it.
    assert accounts.open_session_from_ticket(attacker.ticket, attacker.browser_key, "Firefox") is not None
    assert count(LoginSession) == 1


def test_a_ticket_without_a_browser_key_opens_nothing(mails):
    """A ticket row from before the binding (no key hash) is refused, whatever the cookie."""
    user = create_active_user(mails)
    with session_scope() as db:
        from portal_app.domain.core import tokens

        ticket = tokens.issue(db, user.id, Purpose.LOGIN_TICKET)
    assert accounts.open_session_from_ticket(ticket, "", "Firefox") is None
    assert accounts.open_session_from_ticket(ticket, "quelque-chose", "Firefox") is None


def test_login_ticket_expires_after_a_minute(mails):
    create_active_user(mails)
    login = accounts.authenticate(EMAIL, PASSWORD, client_ip="198.51.100.7")
    ticket = login.ticket
    with session_scope() as db:
        row = db.exec(select(OneTimeToken).where(OneTimeToken.purpose == Purpose.LOGIN_TICKET.value)).one()
        lifetime = as_utc(row.expires_at) - as_utc(row.created_at)
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.add(row)
    assert lifetime == timedelta(seconds=60)
    assert accounts.open_session_from_ticket(ticket, login.browser_key, "Firefox") is None
    assert count(LoginSession) == 0


def test_a_ticket_is_not_an_activation_link(mails):
    accounts.register(signup(), client_ip="198.51.100.7")
    user = get_user()
    # A ticket issued for the inactive account (as an attacker might try) opens nothing.
    with session_scope() as db:
        from portal_app.domain.core import tokens

        ticket = tokens.issue(db, user.id, Purpose.LOGIN_TICKET)
    assert accounts.activate(ticket).state is TokenState.UNKNOWN
    assert accounts.open_session_from_ticket(ticket, "", "Firefox") is None


def test_active_sessions_and_logout_everywhere(mails):
    user = create_active_user(mails)
    laptop = log_in(agent="Firefox")
    phone = log_in(agent="Safari")
    ended = log_in(agent="Edge")
    accounts.logout(ended)

    listed = accounts.active_sessions(user.id)
    assert sorted(row.user_agent for row in listed) == ["Firefox", "Safari"]
    assert all(row.token_hash not in (laptop, phone) for row in listed), "only hashes are stored"

    assert accounts.logout_everywhere(user.id) == 2
    assert accounts.current_user(laptop) is None and accounts.current_user(phone) is None
    assert accounts.active_sessions(user.id) == []


# ---------------------------------------------------------------- my account


def test_change_password(mails):
    user = create_active_user(mails)
    session_token = log_in()
    mails.clear()

    wrong = accounts.change_password(
        user.id, {"current_password": "Pas-Le-Bon-2026", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    assert wrong.errors == {"current_password": "Le mot de passe est incorrect."}
    same = accounts.change_password(
        user.id, {"current_password": PASSWORD, "password": PASSWORD, "password_confirm": PASSWORD}
    )
    assert same.errors == {"password": "Choisissez un mot de passe différent de l'actuel."}
    weak = accounts.change_password(
        user.id,
        {"current_password": PASSWORD, "password": "Martin-Elodie-2026", "password_confirm": "Martin-Elodie-2026"},
    )
    assert set(weak.errors) == {"password"} and "nom" in weak.errors["password"]
    assert accounts.current_user(session_token) is not None, "a refused change keeps the session"
    assert mails == []
    assert verify_password(PASSWORD, get_user().password_hash)

    done = accounts.change_password(
        user.id, {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    assert done.ok
    assert accounts.current_user(session_token) is None
    assert templates(mails) == ["password_changed"]
    assert accounts.authenticate(EMAIL, PASSWORD, client_ip="198.51.100.7").status is LoginStatus.INVALID
    assert accounts.authenticate(EMAIL, NEW_PASSWORD, client_ip="198.51.100.7").status is LoginStatus.OK


def test_email_change_needs_confirmation_from_the_new_address(mails):
    user = create_active_user(mails)
    session_token = log_in()
    mails.clear()

    refused = accounts.request_email_change(
        user.id, {"new_email": "pas-une-adresse", "password": "faux"}, client_ip="198.51.100.7"
    )
    assert set(refused.errors) == {"new_email", "password"}
    same = accounts.request_email_change(
        user.id, {"new_email": EMAIL.upper(), "password": PASSWORD}, client_ip="198.51.100.7"
    )
    assert same.errors == {"new_email": "Cette adresse est déjà celle de votre compte."}
    assert mails == []

    assert accounts.request_email_change(
        user.id, {"new_email": "premiere@exemple.fr", "password": PASSWORD}, client_ip="198.51.100.7"
    ).ok
    first = token_of(last_link(mails, "email_change_confirm"))
    assert accounts.request_email_change(
        user.id, {"new_email": " Nouvelle@Exemple.fr ", "password": PASSWORD}, client_ip="198.51.100.7"
    ).ok
    second_link = last_link(mails, "email_change_confirm")
    assert second_link.startswith(get_settings().base_url + "/mon-compte/email?jeton=")
    second = token_of(second_link)

    confirm_to = [to for to, name, _ in mails if name == "email_change_confirm"]
    notices = [(to, ctx) for to, name, ctx in mails if name == "email_change_notice"]
    assert confirm_to == ["premiere@exemple.fr", "nouvelle@exemple.fr"]
    assert [to for to, _ in notices] == [EMAIL, EMAIL]
    assert notices[-1][1]["new_email_masked"] != "nouvelle@exemple.fr"
    assert get_user().email == EMAIL, "nothing changes before confirmation"

    assert accounts.confirm_email_change(first).state is TokenState.SUPERSEDED
    assert accounts.confirm_email_change(second).ok
    assert accounts.confirm_email_change(second).state is TokenState.USED
    assert get_user() is None
    assert get_user("nouvelle@exemple.fr").id == user.id
    assert accounts.current_user(session_token) is not None, "sessions are kept"
    assert accounts.authenticate(EMAIL, PASSWORD, client_ip="198.51.100.7").status is LoginStatus.INVALID
    assert accounts.authenticate("nouvelle@exemple.fr", PASSWORD, client_ip="198.51.100.7").status is LoginStatus.OK


def test_email_change_to_a_taken_address_reveals_nothing(mails):
    user = create_active_user(mails)
    create_active_user(mails, email="prise@exemple.fr", nir=OTHER_NIR)
    mails.clear()

    result = accounts.request_email_change(
        user.id, {"new_email": "prise@exemple.fr", "password": PASSWORD}, client_ip="198.51.100.7"
    )
    assert result.ok, "same answer as for a free address"
    assert sorted((to, name) for to, name, _ in mails) == [
        (EMAIL, "email_change_notice"),
        ("prise@exemple.fr", "account_exists"),
    ]
    assert count(OneTimeToken, purpose=Purpose.EMAIL_CHANGE.value) == 0


def test_email_change_refused_if_the_address_was_taken_meanwhile(mails):
    user = create_active_user(mails)
    accounts.request_email_change(
        user.id, {"new_email": "convoitee@exemple.fr", "password": PASSWORD}, client_ip="198.51.100.7"
    )
    raw = token_of(last_link(mails, "email_change_confirm"))
    create_active_user(mails, email="convoitee@exemple.fr", nir=OTHER_NIR)

    result = accounts.confirm_email_change(raw)
    assert not result.ok and "new_email" in result.errors
    assert get_user().id == user.id
    assert get_user("convoitee@exemple.fr").id != user.id


def test_update_profile_validates_and_saves(mails):
    user = create_active_user(mails)

    refused = accounts.update_profile(
        user.id,
        {
            "birth_name": " ",
            "first_names": "Élodie2",
            "phone": "12345",
            "address_line": "3 rue des Lilas",
            "postal_code": "",
            "city": "",
        },
    )
    assert refused.errors == {
        "birth_name": "Indiquez votre nom de naissance.",
        "first_names": "Votre prénom ne peut contenir que des lettres, des espaces, des tirets et des apostrophes.",
        "phone": "Indiquez un numéro de téléphone français valide, par exemple 06 12 34 56 78.",
        "postal_code": "Indiquez le code postal.",
        "city": "Indiquez la commune.",
    }
    assert get_user().birth_name == "Martin", "nothing saved when a field is wrong"

    assert accounts.update_profile(
        user.id, {"birth_name": "Martin", "first_names": "Élodie", "postal_code": "7500"}
    ).errors == {
        "postal_code": "Le code postal doit comporter 5 chiffres, par exemple 75001.",
        "address_line": "Indiquez le numéro et la voie.",
        "city": "Indiquez la commune.",
    }

    saved = accounts.update_profile(
        user.id,
        {
            "birth_name": "  Martin  ",
            "usage_name": "Durand-Martin",
            "first_names": "Élodie   Anne",
            "phone": "+33612345678",
            "address_line": " 3  rue des Lilas ",
            "postal_code": "75 001",
            "city": "Paris",
        },
    )
    assert saved.ok
    stored = get_user()
    assert (stored.birth_name, stored.usage_name, stored.first_names) == ("Martin", "Durand-Martin", "Élodie Anne")
    assert (stored.phone, stored.address_line, stored.postal_code, stored.city) == (
        "06 12 34 56 78",
        "3 rue des Lilas",
        "75001",
        "Paris",
    )
    assert stored.display_name == "Élodie Durand-Martin"
    # Identity fields are not editable here.
    assert (stored.email, stored.nir, stored.civility) == (EMAIL, NIR, "Madame")

    # Optional fields can be emptied again.
    assert accounts.update_profile(user.id, {"birth_name": "Martin", "first_names": "Élodie"}).ok
    stored = get_user()
    assert (stored.usage_name, stored.phone, stored.address_line, stored.postal_code, stored.city) == (
        "",
        "",
        "",
        "",
        "",
    )


def test_update_preferences(mails):
    user = create_active_user(mails)
    assert get_user().notify_status and get_user().notify_messages
    accounts.update_preferences(user.id, notify_status=False, notify_messages=True)
    assert (get_user().notify_status, get_user().notify_messages) == (False, True)


def test_delete_account(mails):
    user = create_active_user(mails)
    session_token = log_in()
    accounts.request_password_reset(EMAIL, client_ip="198.51.100.7")
    # A later sign-up with the same NIR points at this account.
    accounts.register(signup(email="jumeau@exemple.fr"), client_ip="198.51.100.7")
    assert get_user("jumeau@exemple.fr").duplicate_of_id == user.id
    mails.clear()

    wrong = accounts.delete_account(user.id, "Pas-Le-Bon-2026")
    assert wrong.errors == {"delete_password": "Le mot de passe est incorrect."}
    assert accounts.delete_account(user.id, "").errors == {"delete_password": "Le mot de passe est incorrect."}
    assert get_user() is not None and accounts.current_user(session_token) is not None
    assert mails == []

    assert accounts.delete_account(user.id, PASSWORD).ok
    assert get_user() is None
    assert count(LoginSession, user_id=user.id) == 0
    assert count(OneTimeToken, user_id=user.id) == 0
    assert get_user("jumeau@exemple.fr").duplicate_of_id is None
    assert mails == [(EMAIL, "account_deleted", {"first_name": "Élodie"})]
    assert accounts.current_user(session_token) is None
    assert accounts.authenticate(EMAIL, PASSWORD, client_ip="198.51.100.7").status is LoginStatus.INVALID

    # The address is free again.
    mails.clear()
    assert accounts.register(signup(nir=OTHER_NIR), client_ip="198.51.100.7").ok
    assert templates(mails) == ["activation"]


# ---------------------------------------------------------------- what /mon-compte shows


@pytest.mark.parametrize(
    "user_agent, shown",
    [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox sur Windows"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
            "Edge sur Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "Chrome sur Mac",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            "Safari sur iPhone",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
            "Chrome sur Android",
        ),
        ("curl/8.5.0", "Appareil non reconnu"),
        ("", "Appareil non reconnu"),
    ],
)
def test_devices_are_named_plainly(user_agent, shown):
    from portal_app.states.account import describe_user_agent

    assert describe_user_agent(user_agent) == shown


def test_nir_is_shown_masked():
    from portal_app.states.account import masked_nir

    assert masked_nir(NIR) == "• •• •• •• ••• 111 93"
    assert masked_nir("") == ""
    assert "1234" not in masked_nir("1234")


def test_wrong_current_password_on_account_pages_counts_as_a_failed_login(mails):
    user = create_active_user(mails)
    for _ in range(4):
        result = accounts.delete_account(user.id, "Pas-Le-Bon-2026")
        assert result.errors == {"delete_password": "Le mot de passe est incorrect."}
    fifth = accounts.request_email_change(
        user.id, {"new_email": "autre@exemple.fr", "password": "Pas-Le-Bon-2026"}, client_ip="198.51.100.7"
    )
    assert "vous pourrez réessayer à partir de" in fifth.errors["password"]
    # While the wait runs, even the right password is refused and nothing changes.
    blocked = accounts.change_password(
        user.id,
        {"current_password": PASSWORD, "password": "Nouveau-Secret-2026", "password_confirm": "Nouveau-Secret-2026"},
    )
    assert "vous pourrez réessayer" in blocked.errors["current_password"]
    assert verify_password(PASSWORD, get_user().password_hash)
    assert failure_count() == 5
    assert accounts.authenticate(EMAIL, PASSWORD, client_ip="198.51.100.7").status is LoginStatus.DELAYED
