"""Drafts, submission and reopening against a real (temporary) SQLite database."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, select

from portal_app.domain.dossiers import drafts, filing
from portal_app.models import Dossier
from tests.support.demarche_data import PTP
from tests.support.filing import filled_draft
from tests.support.outbox import outbox_mails


def test_a_new_draft_is_prefilled_from_the_profile(make_user):
    user = make_user(first_names="Camille Anne")
    draft = drafts.create_draft(user.id, PTP)
    assert draft.status == "brouillon" and draft.number is None and draft.current_step == "situation"
    assert draft.answers["nom_naissance"] == "Martin"
    assert draft.answers["prenoms"] == "Camille Anne"
    assert draft.answers["date_naissance"] == "1990-04-12"
    assert draft.answers["email"] == "camille@exemple.fr"
    assert draft.answers["adresse.postal_code"] == "75011"
    assert "nom_usage" not in draft.answers  # empty in the profile
    assert [row.kind for row in drafts.history(user.id, draft.id)] == ["created"]


def test_only_the_audience_may_start_a_demarche(make_user):
    agent = make_user("agent@exemple.fr", role="agent")
    with pytest.raises(drafts.Refused):
        drafts.create_draft(agent.id, PTP)
    with pytest.raises(drafts.Refused):
        drafts.create_draft(agent.id, "inconnue")


def test_save_merges_field_by_field_and_counts_versions(make_user):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    first = drafts.save_answer(user.id, draft.id, "poste", "Vendeuse", known_version=1)
    assert first.version == 2 and not first.changed_elsewhere
    # Another tab, still at version 1, writes another field: both answers are kept.
    second = drafts.save_answer(user.id, draft.id, "metier_vise", "Infirmière", known_version=1)
    assert second.version == 3 and second.changed_elsewhere
    stored = drafts.get_owned(user.id, draft.id).answers
    assert stored["poste"] == "Vendeuse" and stored["metier_vise"] == "Infirmière"
    # The same key: the last write wins.
    drafts.save_answer(user.id, draft.id, "poste", "Caissière", known_version=3)
    assert drafts.get_owned(user.id, draft.id).answers["poste"] == "Caissière"


def test_saving_the_same_value_again_is_not_a_change(make_user):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    saved = drafts.save_answer(user.id, draft.id, "poste", "Vendeuse", known_version=1)
    again = drafts.save_answer(user.id, draft.id, "poste", "Vendeuse", known_version=saved.version)
    assert again.version == saved.version and not again.changed_elsewhere


def test_invalid_input_is_kept_in_the_draft(make_user):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    drafts.save_answer(user.id, draft.id, "employeur_siret", "123")
    assert drafts.get_owned(user.id, draft.id).answers["employeur_siret"] == "123"


def test_unknown_keys_and_wrong_types_are_refused(make_user):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    for key, value in (("owner_id", "2"), ("poste", ["a"]), ("cofinancements", "cpf"), ("adresse.country", "FR")):
        with pytest.raises(drafts.Refused):
            drafts.save_answer(user.id, draft.id, key, value)


def test_another_user_can_neither_read_nor_write_nor_delete(make_user):
    owner, intruder = make_user(), make_user("intrus@exemple.fr")
    draft = drafts.create_draft(owner.id, PTP)
    for call in (
        lambda: drafts.get_owned(intruder.id, draft.id),
        lambda: drafts.save_answer(intruder.id, draft.id, "poste", "pirate"),
        lambda: drafts.set_step(intruder.id, draft.id, "projet"),
        lambda: filing.submit(intruder.id, draft.id, sworn=True),
        lambda: drafts.delete_draft(intruder.id, draft.id),
        lambda: drafts.history(intruder.id, draft.id),
    ):
        with pytest.raises(drafts.NotFound):
            call()
    # Exactly the same answer as for a dossier that does not exist.
    with pytest.raises(drafts.NotFound):
        drafts.get_owned(intruder.id, 999_999)
    assert "poste" not in drafts.get_owned(owner.id, draft.id).answers


def test_step_position_and_checked_steps_are_remembered(make_user):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    drafts.set_step(user.id, draft.id, "formation", checked="situation")
    drafts.set_step(user.id, draft.id, "projet", checked="situation")
    reloaded = drafts.get_owned(user.id, draft.id)
    assert reloaded.current_step == "projet" and reloaded.checked_steps == ["situation"]
    with pytest.raises(drafts.Refused):
        drafts.set_step(user.id, draft.id, "inconnue")


def test_submission_needs_every_step_and_the_sworn_statement(make_user):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    result = filing.submit(user.id, draft.id, sworn=False)
    assert not result.ok
    assert set(result.errors) == {"situation", "projet", "formation", "financement", "pieces", ""}
    assert result.errors[""]["sworn"] == filing.SWORN_MISSING
    assert drafts.get_owned(user.id, draft.id).number is None


def test_submission_numbers_locks_drops_hidden_answers_and_mails(make_user):
    user = make_user()
    draft = filled_draft(user.id)
    drafts.save_answer(user.id, draft.id, "quotite", "80")  # hidden: full time
    result = filing.submit(user.id, draft.id, sworn=True)
    assert result.ok
    filed = result.dossier
    assert filed.status == "depose"
    assert filed.number.startswith("PTP-") and filed.number.endswith("-000001")
    assert filed.submitted_at is not None
    assert "quotite" not in filed.answers
    assert filed.answers["cout_pedagogique"] == "8450.00"
    with pytest.raises(drafts.Locked):
        drafts.save_answer(user.id, draft.id, "poste", "Caissière")
    with pytest.raises(drafts.Locked):
        drafts.delete_draft(user.id, draft.id)
    with pytest.raises(drafts.Locked):
        filing.submit(user.id, draft.id, sworn=True)
    [mail] = outbox_mails()
    assert filed.number in mail["Subject"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Numéro de dossier : " + filed.number in text
    assert "- Poste occupé : Vendeuse" in text
    assert f"/demarches/dossier/{draft.id}" in text


def test_numbers_are_unique_under_concurrent_submissions(make_user):
    users = [make_user(f"user{i}@exemple.fr") for i in range(12)]
    drafts = [filled_draft(user.id) for user in users]
    numbers: list[str] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(len(drafts))

    def file(user, draft):
        try:
            barrier.wait()
            numbers.append(filing.submit(user.id, draft.id, sworn=True).dossier.number)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=file, args=pair) for pair in zip(users, drafts, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 13))


def test_concurrent_saves_of_different_fields_lose_nothing(make_user):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    keys = ["poste", "metier_vise", "formation_intitule", "organisme_nom", "employeur_nom", "nom_usage"]
    barrier = threading.Barrier(len(keys))
    failures: list[BaseException] = []

    def write(key):
        try:
            barrier.wait()
            for round_ in range(5):
                drafts.save_answer(user.id, draft.id, key, f"{key}-{round_}")
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    stored = drafts.get_owned(user.id, draft.id)
    assert all(stored.answers[key] == f"{key}-4" for key in keys)
    assert stored.version == 1 + 5 * len(keys)


def test_reopen_then_resubmit_keeps_the_number_and_each_submission(make_user):
    user = make_user()
    agent = make_user("agent@exemple.fr", role="agent")
    draft = filled_draft(user.id)
    number = filing.submit(user.id, draft.id, sworn=True).dossier.number
    with pytest.raises(drafts.Refused):
        filing.reopen(user.id, draft.id)  # the owner cannot reopen it alone
    reopened = filing.reopen(agent.id, draft.id, "Le devis ne correspond pas à la formation.")
    assert reopened.status == "reouvert"
    drafts.save_answer(user.id, draft.id, "cout_pedagogique", "9000")
    again = filing.submit(user.id, draft.id, sworn=True).dossier
    assert again.number == number and again.status == "depose"
    kinds = [row.kind for row in drafts.history(user.id, draft.id)]
    assert kinds == ["created", "submitted", "reopened", "submitted"]
    subjects = [mail["Subject"] for mail in outbox_mails()]
    assert any("vous pouvez le modifier" in subject for subject in subjects)
    reopened_mail = next(m for m in outbox_mails() if "modifier" in m["Subject"])
    assert "Le devis ne correspond pas" in reopened_mail.get_body(preferencelist=("plain",)).get_content()


def test_reopen_only_from_a_filed_status(make_user):
    user = make_user()
    draft = drafts.create_draft(user.id, PTP)
    with pytest.raises(drafts.Refused):
        filing.reopen(None, draft.id)


def test_delete_a_draft_and_list_drafts(make_user, temp_db):
    user = make_user()
    first = drafts.create_draft(user.id, PTP)
    second = drafts.create_draft(user.id, "demande-attestation")
    assert [d.id for d in drafts.drafts_of(user.id, PTP)] == [first.id]
    assert {d.id for d in drafts.list_for_owner(user.id)} == {first.id, second.id}
    drafts.delete_draft(user.id, first.id)
    assert drafts.drafts_of(user.id, PTP) == []
    with Session(temp_db) as db:
        assert db.exec(select(Dossier).where(Dossier.id == first.id)).first() is None


def test_find_by_number(make_user):
    user = make_user()
    draft = filled_draft(user.id)
    number = filing.submit(user.id, draft.id, sworn=True).dossier.number
    assert filing.find_by_number(number.lower()).id == draft.id
    assert filing.find_by_number("PTP-1999-000001") is None


def test_cli_reopens_by_number(make_user, capsys):
    from portal_app import cli

    user = make_user()
    draft = filled_draft(user.id)
    number = filing.submit(user.id, draft.id, sworn=True).dossier.number
    assert cli.main(["reopen-dossier", "--number", number, "--motivation", "Pièce manquante"]) == 0
    assert "réouvert" in capsys.readouterr().out
    assert drafts.get_owned(user.id, draft.id).status == "reouvert"
    # Already reopened: refused with a plain message.
    assert cli.main(["reopen-dossier", "--number", number]) == 1
    assert cli.main(["reopen-dossier", "--number", "PTP-1999-000001"]) == 1
