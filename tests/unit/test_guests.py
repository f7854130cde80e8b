"""Filing without an account (domain/guests): the mailed code, the guest's draft and filing,
/suivi, the resume link, and attaching guest dossiers to an account later."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlmodel import select

from portal_app.domain.core.db import session_scope
from portal_app.domain.core.throttle import LIMITS, Kind
from portal_app.domain.dossiers import drafts, filing, tracking
from portal_app.domain.guests import access, codes
from portal_app.models import Dossier, Guest
from portal_app.models.base import utcnow
from tests.support.outbox import outbox_mails, text

IP = "198.51.100.7"
GUEST = "alex.guest@exemple.fr"
DEMARCHE = "demande-attestation"

pytestmark = pytest.mark.usefixtures("temp_db", "fast_hashing")


def mails_to(address: str):
    return [m for m in outbox_mails() if m["To"] == address]


def last_code(address: str = GUEST) -> str:
    subject = str(mails_to(address)[-1]["Subject"])
    return re.search(r"\b(\d{6})\b", subject).group(1)


def signed_in_guest(address: str = GUEST):
    """A guest who typed the right code and followed the ticket: (principal, dossier id)."""
    assert access.request_code(address, IP) is None
    confirmation = access.confirm_code(address, last_code(address), DEMARCHE)
    assert confirmation.ticket, confirmation.error
    opened = access.open_link(confirmation.ticket)
    assert opened is not None
    return access.current(opened.session), int(opened.path.rsplit("/", 1)[1])


def test_only_a_keyed_hash_of_the_code_is_stored():
    access.request_code(GUEST, IP)
    code = last_code()
    with session_scope() as db:
        guest = db.exec(select(Guest).where(Guest.email == GUEST)).one()
        assert guest.code_hash and code not in guest.code_hash
        assert guest.code_hash == codes.hash_code(GUEST, code)
        assert guest.confirmed_at is None


def test_a_right_code_works_once():
    access.request_code(GUEST, IP)
    code = last_code()
    assert access.confirm_code(GUEST, code, DEMARCHE).ticket
    assert access.confirm_code(GUEST, code, DEMARCHE).error == codes.EXPIRED


def test_the_code_expires_after_15_minutes():
    access.request_code(GUEST, IP)
    code = last_code()
    with session_scope() as db:
        later = utcnow() + codes.CODE_TTL + timedelta(seconds=1)
        assert codes.check_code(db, GUEST, code, now=later).error == codes.EXPIRED
    with session_scope() as db:
        almost = utcnow() + codes.CODE_TTL - timedelta(seconds=5)
        assert codes.check_code(db, GUEST, code, now=almost).ok


def test_five_wrong_codes_kill_the_code():
    access.request_code(GUEST, IP)
    code = last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    errors = [access.confirm_code(GUEST, wrong, DEMARCHE).error for _ in range(5)]
    assert errors[0] == codes.WRONG.format(left="4 essais")
    assert errors[3] == codes.WRONG.format(left="1 essai")
    assert errors[4] == codes.EXHAUSTED
    # Even the right code is refused now, with the same message: only a new code helps.
    assert access.confirm_code(GUEST, code, DEMARCHE).error == codes.EXHAUSTED
    access.request_code(GUEST, IP)
    assert access.confirm_code(GUEST, last_code(), DEMARCHE).ticket


def test_a_new_code_replaces_the_old_one():
    access.request_code(GUEST, IP)
    first = last_code()
    access.request_code(GUEST, IP)
    second = last_code()
    if first == second:  # one chance in a million
        return
    assert access.confirm_code(GUEST, first, DEMARCHE).error.startswith("Ce code n'est pas le bon")
    assert access.confirm_code(GUEST, second, DEMARCHE).ticket


def test_code_mails_are_throttled_per_address_and_per_ip():
    limit = LIMITS[Kind.GUEST_CODE_MAIL]
    for _ in range(limit.per_address + 2):
        assert access.request_code(GUEST, IP) is None  # the same answer every time
    assert len(mails_to(GUEST)) == limit.per_address
    for index in range(limit.per_ip + 2):
        access.request_code(f"guest{index}@exemple.fr", "203.0.113.9")
    sent = [m for m in outbox_mails() if str(m["To"]).startswith("guest") and str(m["To"]) != GUEST]
    assert len(sent) == limit.per_ip


def test_a_malformed_address_is_refused_before_anything():
    assert access.request_code("pas-une-adresse", IP)
    assert outbox_mails() == []


def test_a_guest_drafts_files_and_follows_with_the_number():
    guest, dossier_id = signed_in_guest()
    assert guest is not None and guest.id < 0 and guest.email == GUEST
    # The draft is prefilled with the confirmed address and saved like an account holder's.
    dossier = drafts.get_owned(guest.id, dossier_id)
    assert dossier.owner_id is None and dossier.guest_email == GUEST
    assert dossier.answers["email"] == GUEST
    drafts.save_answers(guest.id, dossier_id, {"type_attestation": "prise_en_charge", "mode_reception": "email"})
    result = filing.submit(guest.id, dossier_id, sworn=True)
    assert result.ok, result.errors
    number = result.dossier.number
    assert number.startswith("ATT-")
    acknowledgement = [m for m in mails_to(GUEST) if number in str(m["Subject"])]
    assert len(acknowledgement) == 1
    assert "/suivi" in text(acknowledgement[0])
    assert any(part.get_filename() for part in acknowledgement[0].iter_attachments())
    assert tracking.lookup(GUEST, number, IP).ok
    assert not tracking.lookup("someone.else@exemple.fr", number, IP).ok


def test_a_guest_sees_no_one_elses_dossier(make_user):
    guest, dossier_id = signed_in_guest()
    other, other_id = signed_in_guest("other.guest@exemple.fr")
    with pytest.raises(drafts.NotFound):
        drafts.get_owned(other.id, dossier_id)
    with pytest.raises(drafts.NotFound):
        drafts.save_answer(guest.id, other_id, "precisions", "x")
    holder = make_user(GUEST)  # an account with the same address owns nothing before attaching
    with pytest.raises(drafts.NotFound):
        drafts.get_owned(holder.id, dossier_id)


def test_the_code_resumes_the_same_draft_and_the_resume_link_reopens_it():
    guest, dossier_id = signed_in_guest()
    resume = [m for m in mails_to(GUEST) if "Reprendre" in str(m["Subject"])]
    assert len(resume) == 1
    link = re.search(r"https?://\S+", text(resume[0])).group(0)
    raw = parse_qs(urlparse(link).query)["jeton"][0]
    for _ in range(2):  # valid until it expires, from any browser
        opened = access.open_link(raw)
        assert opened is not None and opened.path.endswith(f"/{dossier_id}")
    assert access.open_link("made-up") is None
    _again, same_id = signed_in_guest()
    assert same_id == dossier_id
    assert len([m for m in mails_to(GUEST) if "Reprendre" in str(m["Subject"])]) == 1


def test_a_ticket_opens_one_session_only():
    access.request_code(GUEST, IP)
    ticket = access.confirm_code(GUEST, last_code(), DEMARCHE).ticket
    assert access.open_link(ticket) is not None
    assert access.open_link(ticket) is None


def test_a_demarche_without_guest_filing_refuses_the_code():
    access.request_code(GUEST, IP)
    assert access.confirm_code(GUEST, last_code(), "ptp").error
    with session_scope() as db:
        assert db.exec(select(Dossier)).all() == []


def test_an_account_with_the_confirmed_address_attaches_the_guest_dossiers(make_user):
    from portal_app.domain.guests import attach

    guest, dossier_id = signed_in_guest()
    drafts.save_answers(guest.id, dossier_id, {"type_attestation": "prise_en_charge", "mode_reception": "email"})
    number = filing.submit(guest.id, dossier_id, sworn=True).dossier.number
    not_activated = make_user("other.guest@exemple.fr", activated_at=None, is_active=False)
    signed_in_guest("other.guest@exemple.fr")
    assert attach.pending(not_activated.id) == []  # an address not confirmed is offered nothing
    assert attach.attach(not_activated.id) == 0

    holder = make_user(GUEST)
    assert [(found.id, found.number) for found in attach.pending(holder.id)] == [(dossier_id, number)]
    assert attach.attach(holder.id) == 1
    assert attach.pending(holder.id) == []
    assert drafts.get_owned(holder.id, dossier_id).number == number
    with pytest.raises(drafts.NotFound):
        drafts.get_owned(guest.id, dossier_id)  # the guest's session opens it no more
    with session_scope() as db:
        dossier = db.get(Dossier, dossier_id)
        assert dossier.owner_id == holder.id and dossier.guest_email is None
    assert tracking.lookup(GUEST, number, IP).ok  # /suivi now answers with the account's address


def test_an_address_without_dossier_or_code_is_forgotten_after_a_day():
    access.request_code("idle@exemple.fr", IP)
    guest, _dossier_id = signed_in_guest()
    with session_scope() as db:
        codes.send_code(db, "late@exemple.fr", "203.0.113.50", now=utcnow() + timedelta(days=2))
    with session_scope() as db:
        left = set(db.exec(select(Guest.email)).all())
    assert left == {GUEST, "late@exemple.fr"}  # the guest with a draft stays


def test_the_guest_keeps_a_session_per_browser():
    access.request_code(GUEST, IP)
    first = access.open_link(access.confirm_code(GUEST, last_code(), DEMARCHE).ticket)
    resume = [m for m in mails_to(GUEST) if "Reprendre" in str(m["Subject"])][-1]
    raw = parse_qs(urlparse(re.search(r"https?://\S+", text(resume)).group(0)).query)["jeton"][0]
    second = access.open_link(raw)
    assert access.current(first.session) is not None
    assert access.current(second.session) is not None


def test_status_mails_go_to_the_guest_address_with_the_tracking_link(make_user):
    from portal_app.domain.dossiers import workflow

    guest, dossier_id = signed_in_guest()
    drafts.save_answers(guest.id, dossier_id, {"type_attestation": "prise_en_charge", "mode_reception": "email"})
    number = filing.submit(guest.id, dossier_id, sworn=True).dossier.number
    agent = make_user("agent@exemple.fr", role="agent")
    workflow.change_status(agent.id, workflow.AGENT, dossier_id, "en_instruction")
    (changed,) = [m for m in mails_to(GUEST) if str(m["Subject"]).startswith(f"Dossier {number} :")]
    body = text(changed)
    assert "/suivi" in body and "Bonjour," in body


def test_a_guest_draft_left_alone_is_warned_with_a_resume_link_that_keeps_it():
    from portal_app.domain.dossiers import expiry

    guest, dossier_id = signed_in_guest()
    drafts.save_answer(guest.id, dossier_id, "type_attestation", "prise_en_charge")
    later = utcnow() + timedelta(days=80)
    assert expiry.expire_drafts(now=later) == (1, 0)
    (warning,) = [m for m in mails_to(GUEST) if "sera supprimé" in str(m["Subject"])]
    link = re.search(r"https?://\S+/_portal/sans-compte/ouvrir\S+", text(warning)).group(0)
    opened = access.open_link(parse_qs(urlparse(link).query)["jeton"][0])
    assert opened is not None
    with session_scope() as db:
        assert db.get(Dossier, dossier_id).expiry_warned_at is None  # the delay starts again


def test_a_reopened_guest_dossier_is_mailed_a_link_back_into_it_and_no_discussion(make_user):
    from portal_app.domain.dossiers import discussion

    guest, dossier_id = signed_in_guest()
    drafts.save_answers(guest.id, dossier_id, {"type_attestation": "prise_en_charge", "mode_reception": "email"})
    filing.submit(guest.id, dossier_id, sworn=True)
    agent = make_user("agent@exemple.fr", role="agent")
    with pytest.raises(discussion.DiscussionError):
        discussion.open_or_post_agent_message(agent.id, dossier_id, "Bonjour", [])
    filing.reopen(agent.id, dossier_id, "Précisez l'année.")
    (reopened,) = [m for m in mails_to(GUEST) if "Précisez" in text(m)]
    link = re.search(r"https?://\S+/_portal/sans-compte/ouvrir\S+", text(reopened)).group(0)
    opened = access.open_link(parse_qs(urlparse(link).query)["jeton"][0])
    assert opened.path.endswith(f"/{dossier_id}")
    drafts.save_answer(guest.id, dossier_id, "precisions", "Année 2025")
    assert filing.submit(guest.id, dossier_id, sworn=True).ok


def test_a_guest_whose_session_ended_is_sent_for_a_new_code_not_to_the_login(make_user):
    """The guard, for a guest page: an ended guest session goes back to the code page of its
    démarche (which says why); an account's dossier id tells nothing to such a cookie."""
    from types import SimpleNamespace

    from portal_app.models import Role
    from portal_app.states import guard

    _guest, dossier_id = signed_in_guest()
    owner = make_user()
    account_draft = drafts.create_draft(owner.id, "projet-transition-professionnelle")

    def state_on(dossier: int, cookie: str):
        url = SimpleNamespace(path=f"/demarches/dossier/{dossier}", query="")
        router = SimpleNamespace(headers=SimpleNamespace(cookie=cookie), url=url)
        return SimpleNamespace(router=router, dossier_id=str(dossier))

    user, refusal = guard.check(
        state_on(dossier_id, f"{access.COOKIE_NAME}=ended-or-forged"), (Role.BENEFICIARY,), guest_open=True
    )
    assert user is None and f"/demarches/sans-compte/{DEMARCHE}?motif=expiree" in str(refusal)
    _, refusal = guard.check(
        state_on(account_draft.id, f"{access.COOKIE_NAME}=ended-or-forged"), (Role.BENEFICIARY,), guest_open=True
    )
    assert "sans-compte" not in str(refusal) and "/connexion" in str(refusal)
    _, refusal = guard.check(state_on(dossier_id, ""), (Role.BENEFICIARY,), guest_open=True)
    assert "/connexion" in str(refusal)
