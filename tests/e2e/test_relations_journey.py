"""Mes relations end to end: a child added from Mon compte, a company added on the way to a
démarche, the PTP filed for oneself and the attestation for the child, "pour …" wherever the
dossier is named (dashboard, dossier pages, mail, back office, /suivi)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import (
    axe_check,
    create_applicant,
    expect_page,
    goto,
    shot,
    sign_in,
    solve_altcha,
    wait_for_path,
)
from tests.support.demarche_data import ptp_answers, unique_siret
from tests.support.dossiers import create_agent
from tests.support.drafts import dossier, open_draft, put_answers, start_demarche

PTP_TITLE = "Projet de transition professionnelle"
ATT_TITLE = "Demande d'attestation"


def field(page, label: str):
    return page.get_by_label(label, exact=True)


def file_from_recap(page, base_url: str, dossier_id: int) -> str:
    goto(page, f"{base_url}/demarches/dossier/{dossier_id}/recapitulatif")
    page.get_by_label(re.compile("Je certifie sur l'honneur")).check()
    page.get_by_role("button", name="Déposer mon dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre dossier a été déposé")
    return page.locator("#numero-dossier").inner_text()


def add_child(page) -> None:
    page.get_by_role("button", name="Ajouter une personne").click()
    expect(page.get_by_role("heading", name="Ajouter une personne")).to_be_focused()
    page.get_by_role("button", name="Enregistrer la relation").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Indiquez votre lien avec cette personne.")
    page.get_by_role("radio", name="Enfant").check()
    field(page, "Nom de naissance").fill("Martin")
    field(page, "Prénom(s)").fill("Léa")
    field(page, "Date de naissance").fill("2012-06-01")
    field(page, "Lieu de naissance").fill("Lyon")
    page.get_by_role("button", name="Enregistrer la relation").click()
    expect(page.locator("#relation-enregistree")).to_be_focused()
    expect(page.locator(".relation-list")).to_contain_text("Léa Martin")


def test_child_and_company_then_ptp_for_me_and_attestation_for_the_child(portal, page, user, smtp_sink, new_context):
    base = portal.base_url
    sign_in(page, portal, user.email)

    # Mes relations, from Mon compte: a child.
    goto(page, f"{base}/mon-compte")
    page.get_by_role("link", name="Mes relations").click()
    expect_page(page, "Mes relations — Portail", "Mes relations")
    add_child(page)
    axe_check(page)
    shot(page, "relations")

    # The PTP is for oneself only: "Commencer" goes straight to the form, for the holder.
    ptp_id = start_demarche(page, base, PTP_TITLE)
    expect(page.locator(".for-whom")).to_have_count(0)
    put_answers(portal.db_engine(), ptp_id, ptp_answers())
    portal.python(f"from tests.support.pieces import attach_required; attach_required({user.id}, {ptp_id})")
    ptp_number = file_from_recap(page, base, ptp_id)

    # The attestation asks for whom; a company is added on the way and the démarche starts for it.
    goto(page, f"{base}/demarches/nouvelle")
    page.get_by_role("button", name=f"Commencer : {ATT_TITLE}").click()
    question = page.locator("#pour-qui")
    expect(question).to_be_focused()
    expect(question.get_by_role("group", name="Pour qui faites-vous cette démarche ?")).to_be_visible()
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Indiquez pour qui vous faites cette démarche.")
    axe_check(page)
    shot(page, "relations-pour-qui")
    page.get_by_role("link", name="ajouter une entreprise").click()
    wait_for_path(page, "/mon-compte/relations")
    expect(page.get_by_role("heading", name="Ajouter une entreprise ou une association")).to_be_visible()
    field(page, "Numéro SIRET").fill("12345678901234")
    field(page, "Raison sociale").fill("Atelier Dupont")
    field(page, "Numéro et voie").fill("3 rue des Lilas")
    field(page, "Code postal").fill("69003")
    field(page, "Commune").fill("Lyon")
    field(page, "Votre rôle dans cette structure").fill("Gérante")
    page.get_by_role("button", name="Enregistrer la relation").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Le numéro SIRET n'est pas valide")
    axe_check(page)
    field(page, "Numéro SIRET").fill(unique_siret())
    page.get_by_role("button", name="Enregistrer la relation").click()
    expect(page.locator("#titre-etape")).to_be_visible()
    expect(page.locator(".for-whom")).to_have_text("pour Atelier Dupont")

    # Now for the child: the draft is prefilled for her and says so on every page.
    goto(page, f"{base}/demarches/nouvelle")
    page.get_by_role("button", name=f"Commencer : {ATT_TITLE}").click()
    page.get_by_role("radio", name="Léa Martin (enfant)").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#titre-etape")).to_have_text("Votre demande")
    expect(page.locator(".for-whom")).to_have_text("pour Léa Martin")
    att_id = int(page.evaluate("location.pathname").rstrip("/").rsplit("/", 1)[1])
    assert dossier(portal.db_engine(), att_id).for_whom["name"] == "Léa Martin"

    # While that draft exists, the child cannot be deleted, and the page says why.
    goto(page, f"{base}/mon-compte/relations")
    page.get_by_role("button", name="Supprimer : Léa Martin").click()
    expect(page.locator("#confirmer-suppression-relation")).to_be_focused()
    page.get_by_role("button", name="Supprimer la relation").click()
    expect(page.locator("#relation-refusee")).to_contain_text("un brouillon de démarche est fait pour elle")
    expect(page.locator(".relation-list")).to_contain_text("Léa Martin")

    open_draft(page, base, att_id)
    page.get_by_role("radio", name="Attestation de fin de formation").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#titre-etape")).to_have_text("Réception de l'attestation")
    page.get_by_role("radio", name="Par e-mail").check()
    expect(field(page, "Adresse e-mail")).to_have_value(user.email)  # mails go to the holder
    since = len(smtp_sink.messages)
    att_number = file_from_recap(page, base, att_id)
    expect(page.locator("main")).to_contain_text(f"« {ATT_TITLE} » pour Léa Martin a été enregistrée")
    mail = smtp_sink.wait_for(user.email, att_number, since=since)
    assert f"« {ATT_TITLE} » pour Léa Martin a bien été déposée" in smtp_sink.text_of(mail)

    # Mes démarches: "pour …" on the child's dossier only.
    goto(page, f"{base}/demarches")
    expect(page.locator("tr", has_text=att_number)).to_contain_text("pour Léa Martin")
    expect(page.locator("tr", has_text=ptp_number)).not_to_contain_text("pour")
    shot(page, "relations-mes-demarches")
    goto(page, f"{base}/demarches/dossier/{att_id}/suivi")
    expect(page.locator("main")).to_contain_text(f"{ATT_TITLE} pour Léa Martin")
    axe_check(page)

    # Back office: the list and the dossier say for whom, with the copy frozen at filing.
    agent_email, agent_password, _ = create_agent(portal)
    agent_context = new_context()
    agent_page = agent_context.new_page()
    sign_in(agent_page, portal, agent_email)
    expect(agent_page.locator("tr", has_text=att_number)).to_contain_text("pour Léa Martin")
    agent_page.get_by_role("link", name=att_number).click()
    expect(agent_page.locator("#dossier-pour")).to_have_text("pour Léa Martin")
    expect(agent_page.locator("main")).to_contain_text("Lieu de naissance : Lyon")
    shot(agent_page, "relations-agent")

    # /suivi, without an account: the child's first name and initial only.
    visitor = new_context().new_page()
    goto(visitor, f"{base}/suivi")
    visitor.get_by_label("Adresse e-mail").fill(user.email)
    visitor.get_by_label("Numéro du dossier").fill(att_number)
    solve_altcha(visitor)
    visitor.get_by_role("button", name="Voir le suivi").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Suivi de votre demande")
    expect(visitor.locator("main")).to_contain_text(f"{ATT_TITLE} pour Léa M.")
    expect(visitor.get_by_text("Martin")).to_have_count(0)

    # Filed, the child's dossier keeps her even once she is deleted from the relations.
    goto(page, f"{base}/mon-compte/relations")
    page.get_by_role("button", name="Supprimer : Léa Martin").click()
    page.get_by_role("button", name="Supprimer la relation").click()
    expect(page.locator("#relation-enregistree")).to_contain_text("Léa Martin ne figure plus dans vos relations.")
    goto(page, f"{base}/demarches")
    expect(page.locator("tr", has_text=att_number)).to_contain_text("pour Léa Martin")


def rewrite_relation_ids(page, swap: dict[int, int]) -> dict[str, int]:
    """Route the page's Reflex websocket through the test: every event naming a relation id of
    `swap` names the other one instead (a crafted event). Counts what was rewritten and the
    server's replies."""
    seen = {"rewritten": 0, "replies": 0}

    def handler(ws):
        server = ws.connect_to_server()

        def outgoing(message):
            if isinstance(message, str):
                for mine, theirs in swap.items():
                    message, count = re.subn(rf'("relation_id"\s*:\s*"?){mine}\b', rf"\g<1>{theirs}", message)
                    seen["rewritten"] += count
            server.send(message)

        def incoming(message):
            if isinstance(message, str) and message.startswith("42"):
                seen["replies"] += 1
            ws.send(message)

        ws.on_message(outgoing)
        server.on_message(incoming)

    page.route_web_socket(re.compile(r".*/_event.*"), handler)
    return seen


def click_and_wait_reply(page, seen: dict[str, int], locator) -> None:
    before = seen["replies"], seen["rewritten"]
    locator.click()
    deadline = 15_000
    while seen["replies"] <= before[0] and deadline > 0:
        page.wait_for_timeout(25)
        deadline -= 25
    assert seen["rewritten"] > before[1], "the event did not name the relation: nothing was tampered with"
    assert seen["replies"] > before[0], "no reply from the server"


def test_a_crafted_event_cannot_reach_another_accounts_relation(portal, page, user):
    """IDOR: Bob's tab sends "Modifier" and "Supprimer" with the id of Alice's child."""
    alice_child = int(
        portal.python(
            "from portal_app.domain.relations import forms, relations\n"
            f"r = relations.save({user.id}, forms.PERSON, {{'link': 'enfant', 'birth_name': 'Martin', "
            "'first_names': 'Léa', 'birth_date': '2012-06-01', 'birthplace': 'Lyon'}).relation\n"
            "print('@@', r.id)"
        ).stdout.rsplit("@@", 1)[1]
    )
    bob = create_applicant(portal, "relations-idor")
    bob_child = int(
        portal.python(
            "from portal_app.domain.relations import forms, relations\n"
            f"r = relations.save({bob.id}, forms.PERSON, {{'link': 'enfant', 'birth_name': 'Durand', "
            "'first_names': 'Tom', 'birth_date': '2015-03-02', 'birthplace': 'Nantes'}).relation\n"
            "print('@@', r.id)"
        ).stdout.rsplit("@@", 1)[1]
    )
    seen = rewrite_relation_ids(page, {bob_child: alice_child})
    sign_in(page, portal, bob.email)
    goto(page, f"{portal.base_url}/mon-compte/relations")
    expect(page.locator(".relation-list")).to_contain_text("Tom Durand")

    click_and_wait_reply(page, seen, page.get_by_role("button", name="Modifier : Tom Durand"))
    expect(page.get_by_role("heading", name="Modifier une relation")).to_have_count(0)
    click_and_wait_reply(page, seen, page.get_by_role("button", name="Supprimer : Tom Durand"))
    expect(page.locator("#confirmer-suppression-relation")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Léa")
    kept = portal.python(
        "from portal_app.domain.relations import relations\n"
        f"print('@@', relations.get_owned({user.id}, {alice_child}).first_names)"
    ).stdout
    assert kept.rsplit("@@", 1)[1].strip() == "Léa"
