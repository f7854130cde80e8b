from __future__ import annotations

import logging
import socket
from dataclasses import replace
from email import policy
from email.parser import BytesParser

import pytest
from sqlmodel import select

from portal_app import settings as settings_module
from portal_app.domain.core import mail, mail_delivery
from portal_app.domain.core.db import session_scope
from portal_app.models.base import as_utc
from portal_app.models.outgoing_mail import OutgoingMail
from portal_app.settings import get_settings
from tests.support.smtp import SmtpSink

LINK = "https://portail.example.fr/activer?jeton=abc&x=1"
RESET = "https://portail.example.fr/mot-de-passe?jeton=def"
FOOTER = "Ce message vous est envoyé automatiquement, merci de ne pas y répondre."

# Every template with a full context; the values named here must appear in the mail.
CASES = {
    "activation": {"first_name": "Élodie", "link": LINK},
    "account_exists": {"login_link": "https://portail.example.fr/connexion", "reset_link": RESET},
    "franceconnect_link": {"first_name": "Élodie", "identity": "Élodie Anne MARTIN", "link": LINK},
    "franceconnect_refused": {},
    "password_reset": {"first_name": "Élodie", "link": LINK},
    "password_changed": {"first_name": "Élodie", "reset_link": RESET},
    "account_unlock": {"first_name": "Élodie", "reset_link": RESET},
    "email_change_confirm": {"first_name": "Élodie", "link": LINK},
    "email_change_notice": {"first_name": "Élodie", "new_email_masked": "e***@exemple.fr"},
    "account_deleted": {"first_name": "Élodie"},
    "duplicate_notice": {"first_name": "Élodie"},
    "employer_welcome": {
        "company_name": "Boulangerie Dupont",
        "identifier": "prov-abcd2345",
        "password": "Xy7#abcdEFGH4567",
        "valid_for": "7 jours",
        "login_link": "https://portail.example.fr/connexion",
    },
    "employer_personalised": {
        "company_name": "Boulangerie Dupont",
        "old_identifier": "prov-abcd2345",
        "new_identifier": "dupont-sarl",
        "link": LINK,
    },
    "dossier_submitted": {
        "first_name": "Élodie",
        "demarche_title": "Projet de transition professionnelle",
        "for_whom": "",
        "number": "PTP-2026-000042",
        "submitted_on": "25/11/2026 à 14:32",
        "dossier_link": "https://portail.example.fr/demarches/dossier/42",
        "recap": "LA FORMATION\n- Intitulé de la formation : Infirmier",
    },
    "dossier_reopened": {
        "first_name": "Élodie",
        "number": "PTP-2026-000042",
        "demarche_title": "Projet de transition professionnelle",
        "for_whom": " pour Léa Martin",
        "motivation_text": "Motif : le devis est illisible",
        "dossier_link": "https://portail.example.fr/demarches/dossier/42",
    },
    "accounts_merged_kept": {
        "first_name": "Élodie",
        "closed_email": "e***@exemple.fr",
        "login_link": "https://portail.example.fr/connexion",
    },
    "accounts_merged_closed": {
        "first_name": "Élodie",
        "kept_email": "e***@exemple.fr",
        "login_link": "https://portail.example.fr/connexion",
        "reset_link": RESET,
    },
    "agent_invitation": {"first_name": "Élodie", "link": LINK, "reset_link": RESET},
    "status_changed": {
        "first_name": "Élodie",
        "number": "PTP-2026-000042",
        "demarche_title": "Projet de transition professionnelle",
        "for_whom": "",
        "status_label": "Refusé",
        "motivation_text": "Motif : formation non éligible",
        "dossier_link": "https://portail.example.fr/demarches/dossier/42/suivi",
    },
    "data_export_ready": {"first_name": "Élodie", "link": "https://portail.example.fr/_portal/mes-donnees/7"},
    "draft_expiry_warning": {
        "first_name": "Élodie",
        "demarche_title": "Projet de transition professionnelle",
        "deletion_on": "12 mars 2027",
        "keep_link": "https://portail.example.fr/demarches?conserver=42",
        "dossier_link": "https://portail.example.fr/demarches/dossier/42",
    },
    "new_message": {
        "first_name": "Élodie",
        "number": "PTP-2026-000042",
        "demarche_title": "Projet de transition professionnelle",
        "dossier_link": "https://portail.example.fr/demarches/dossier/42/suivi#discussion",
    },
    "quote_request": {
        "person": "Élodie Martin",
        "provider": "École du Web",
        "wished": "Développeur web",
        "quote_link": "https://portail.example.fr/devis?jeton=abc",
        "valid_for": "30 jours",
    },
    "quote_notice": {
        "subject": "Vous avez reçu un devis de formation",
        "first_name": "Élodie",
        "body": "École du Web vous a envoyé la version 1 de son devis.",
        "dossier_link": "https://portail.example.fr/demarches/dossier/42/suivi",
    },
    "quote_provider_notice": {
        "subject": "Votre devis est accepté",
        "provider": "École du Web",
        "body": "La personne a accepté la version 1 de votre devis.",
    },
    "guest_code": {"code": "042917", "valid_for": "15 minutes"},
    "guest_resume": {
        "demarche_title": "Demande de prise en charge",
        "link": "https://portail.example.fr/_portal/sans-compte/ouvrir?jeton=abc&demarche=demande-attestation",
        "valid_for": "30 jours",
    },
}


def test_every_template_file_is_covered():
    names = {p.stem for p in mail.TEMPLATES_DIR.glob("[a-z]*.txt")}
    assert names == set(CASES)
    assert names == {p.stem for p in mail.TEMPLATES_DIR.glob("[a-z]*.html")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_render_every_template(name):
    context = CASES[name]
    rendered = mail.render(name, **context)

    assert rendered.subject and "Subject" not in rendered.subject and "\n" not in rendered.subject
    assert rendered.text.startswith("Bonjour")
    assert "vous" in rendered.text  # French, vouvoiement
    assert FOOTER in rendered.text and FOOTER in rendered.html
    assert '<html lang="fr">' in rendered.html and ">Portail<" in rendered.html
    assert "$" not in rendered.text + rendered.html  # no placeholder left
    for key, value in context.items():
        assert value in rendered.text
        if key.endswith("link"):
            escaped = value.replace("&", "&amp;")
            assert f'href="{escaped}"' in rendered.html
            assert f">{escaped}</a>" in rendered.html  # written in full in HTML too
        else:
            assert value in rendered.html


def test_defaults_are_shown():
    assert "Ce lien est valable 48 heures." in mail.render("activation", first_name="A", link=LINK).text
    # One hour is said "1 heure" everywhere, as on the page that sends the link.
    assert "Ce lien est valable 1 heure." in mail.render("password_reset", first_name="A", link=LINK).text
    assert "valable 1 heure :" in mail.render("agent_invitation", first_name="A", link=LINK, reset_link=RESET).text
    assert (
        "valable 7 jours"
        in mail.render(
            "employer_personalised", company_name="A", old_identifier="a", new_identifier="b", link=LINK
        ).text
    )
    assert "3 heures" in mail.render("activation", first_name="A", link=LINK, valid_for="3 heures").text


def test_html_values_are_escaped():
    hostile = '<script>alert("x")</script>'
    link = 'https://portail.example.fr/a?b=1&c="><script>'
    rendered = mail.render("activation", first_name=hostile, link=link)

    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in rendered.html
    assert 'href="https://portail.example.fr/a?b=1&amp;c=&quot;&gt;&lt;script&gt;"' in rendered.html
    # The text part is plain text: shown as typed.
    assert hostile in rendered.text


def test_render_refuses_bad_input():
    with pytest.raises(ValueError):
        mail.render("activation", first_name="A", link="javascript:alert(1)")
    with pytest.raises(ValueError):
        mail.render("../settings", first_name="A")
    with pytest.raises(KeyError):
        mail.render("activation", first_name="A")  # link missing
    with pytest.raises(FileNotFoundError):
        mail.render("no_such_template")


def test_mask_email():
    assert mail.mask_email("jean.dupont@example.fr") == "j***@example.fr"
    assert mail.mask_email("nonsense") == "***"


def test_send_through_smtp(smtp_sink: SmtpSink, tmp_path):
    settings = replace(get_settings(), smtp_host="127.0.0.1", smtp_port=smtp_sink.port, data_dir=tmp_path)
    since = len(smtp_sink.messages)

    assert mail.send_mail("elodie@example.fr", "activation", settings, first_name="Élodie", link=LINK)

    msg = smtp_sink.wait_for("elodie@example.fr", "Activez", since=since)
    assert msg["Subject"] == "Activez votre compte Portail"
    assert msg["From"] == settings.mail_from
    assert msg["Date"] and msg["Message-ID"]
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in msg.iter_parts())
    text = smtp_sink.text_of(msg)
    assert "Bonjour Élodie," in text and "envoyé automatiquement" in text
    assert smtp_sink.links_in(msg) == [LINK]
    assert "Élodie" in msg.get_body(preferencelist=("html",)).get_content()
    assert not (tmp_path / "outbox").exists()


def test_outbox_fallback_writes_parseable_eml(tmp_path):
    settings = replace(get_settings(), smtp_host=None, data_dir=tmp_path)

    assert mail.send_mail("elodie@example.fr", "password_reset", settings, first_name="Élodie", link=LINK)

    files = list((tmp_path / "outbox").iterdir())
    assert len(files) == 1 and files[0].suffix == ".eml"
    msg = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert msg["To"] == "elodie@example.fr"
    assert msg["Subject"] == "Choisissez un nouveau mot de passe"
    assert "Bonjour Élodie," in msg.get_body(preferencelist=("plain",)).get_content()


def test_refused_connection_is_recorded_for_a_retry_and_logged_masked(temp_db, monkeypatch, tmp_path, caplog):
    # Bound but not listening: connecting is refused, and no other test can take the port.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        monkeypatch.setenv("PORTAL_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PORTAL_SMTP_PORT", str(closed.getsockname()[1]))
        settings_module.get_settings.cache_clear()
        # Alembic's logging set-up (test_migrations) disables the loggers it does not name.
        monkeypatch.setattr(logging.getLogger("portal.mail"), "disabled", False)
        with caplog.at_level(logging.WARNING, logger="portal.mail"), session_scope() as db:
            mail.queue(db, "elodie@example.fr", "account_deleted", first_name="Élodie")

    with session_scope() as db:
        row = db.exec(select(OutgoingMail)).one()
    assert row.sent_at is None and row.attempts == 1 and row.claimed_until is None
    assert row.last_error.startswith("ConnectionRefusedError")
    assert as_utc(row.next_attempt_at) > as_utc(row.created_at)  # the retry is planned, not lost
    record = next(r for r in caplog.records if r.name == "portal.mail")
    assert isinstance(record.exc_info[1], ConnectionRefusedError)
    assert "elodie@example.fr" not in record.getMessage() and "e***@example.fr" in record.getMessage()
    assert not (tmp_path / "outbox").exists()


def test_a_queued_mail_is_sent_once_whatever_the_copies_of_its_task(temp_db):
    with session_scope() as db:
        mail.queue(db, "a@example.fr", "duplicate_notice", first_name="A")
    with session_scope() as db:
        row = db.exec(select(OutgoingMail)).one()
    assert row.sent_at is not None and row.attempts == 1
    # A second copy of the task (the periodic requeue, a retry) finds it sent and does nothing.
    assert mail_delivery.deliver(row.id, retry_in=5) is False
    files = list(get_settings().outbox_dir.glob("*.eml"))
    assert [path.stem for path in files] == [row.key]
    message = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert message["Message-ID"] == f"<{row.key}@portail.localhost>"


def test_render_error_is_raised(caplog):
    with pytest.raises(KeyError):
        mail.send_mail("a@example.fr", "activation", first_name="A")


def test_a_social_security_number_never_leaves_in_clear():
    """Whatever template and value: spaced or not, a valid NIR is masked like on Mon compte."""
    rendered = mail.render(
        "dossier_submitted",
        **{
            **CASES["dossier_submitted"],
            "recap": "- NIR : 2 95 10 99 126 111 93\n- Autre : 295109912611193\n- SIRET : 73282932000074",
        },
    )
    for body in (rendered.text, rendered.html):
        assert "99 126 111" not in body and "295109912611193" not in body
        assert body.count("• •• •• •• ••• 111 93") == 2
        assert "73282932000074" in body  # not a NIR: left alone


class _RefusedGoodbye(SmtpSink):
    async def handle_QUIT(self, server, session, envelope) -> str:
        return "554 Goodbye refused"


def test_a_mail_the_relay_accepted_stays_sent_when_its_goodbye_fails(temp_db, monkeypatch):
    """The relay's 250 to the data is what counts: a refused QUIT neither fails nor resends it."""
    with _RefusedGoodbye() as sink:
        monkeypatch.setenv("PORTAL_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("PORTAL_SMTP_PORT", str(sink.port))
        settings_module.get_settings.cache_clear()
        with session_scope() as db:
            mail.queue(db, "a@example.fr", "duplicate_notice", first_name="A")
        sink.wait_for("a@example.fr")
    with session_scope() as db:
        row = db.exec(select(OutgoingMail)).one()
    assert row.sent_at is not None and row.attempts == 1 and row.last_error is None
    assert len(sink.messages) == 1
