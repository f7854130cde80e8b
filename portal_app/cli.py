"""Administration of the portal: python -m portal_app.cli --help"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlmodel import select

from portal_app import employer_cli
from portal_app.domain.accounts.passwords import generate_provisional_password, hash_password, password_error
from portal_app.domain.core.db import session_scope
from portal_app.domain.core.formats import email_error, normalize_email
from portal_app.models import Role, User
from portal_app.models.base import utcnow
from portal_app.settings import get_settings

DEMO_EMAIL = "demo@portail.localhost"
DEMO_PASSWORD = "Transition-Pro-2026"
DEMO_AGENT_EMAIL = "agent@portail.localhost"
DEMO_AGENT_PASSWORD = "Agence-Demo-2026!"


def _upsert_user(email: str, password: str, role: Role, **identity) -> tuple[User, bool]:
    with session_scope() as db:
        user = db.exec(select(User).where(User.email == email)).first()
        created = user is None
        if created:
            user = User(email=email, role=role.value, password_hash=hash_password(password), **identity)
        user.is_active = True
        user.activated_at = user.activated_at or utcnow()
        db.add(user)
        db.flush()
        return user, created


def create_agent(args: argparse.Namespace) -> int:
    email = normalize_email(args.email)
    problem = email_error(args.email)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    password = args.password
    if password is None and sys.stdin.isatty():
        password = getpass.getpass("Mot de passe de l'agent (laisser vide pour en générer un) : ") or None
    generated = password is None
    password = password or generate_provisional_password()
    problem = password_error(password, email=email, names=(args.first_name, args.last_name))
    if problem:
        print(problem, file=sys.stderr)
        return 2
    _, created = _upsert_user(email, password, Role.AGENT, first_names=args.first_name, birth_name=args.last_name)
    if not created:
        print(f"Un compte existe déjà pour {email} : il n'a pas été modifié.", file=sys.stderr)
        return 1
    print(f"Agent créé : {email}")
    if generated:
        print(f"Mot de passe : {password}")
    return 0


def seed_demo(_args: argparse.Namespace) -> int:
    """Demo accounts with known credentials, and the beneficiary's dossiers, for `make run`.
    Idempotent: `make run` runs it on every start."""
    from datetime import date

    from portal_app.domain.demo import demo_dossiers

    beneficiary, _ = _upsert_user(
        DEMO_EMAIL,
        DEMO_PASSWORD,
        Role.BENEFICIARY,
        civility="Madame",
        birth_name="Martin",
        first_names="Camille",
        birth_date=date(1990, 4, 12),
        nir="290049912611148",
        phone="06 12 34 56 78",
        address_line="8 rue des Tanneurs",
        postal_code="69001",
        city="Lyon",
    )
    agent, _ = _upsert_user(DEMO_AGENT_EMAIL, DEMO_AGENT_PASSWORD, Role.AGENT, first_names="Alex", birth_name="Conseil")
    made = demo_dossiers.seed_dossiers(beneficiary.id, agent.id)
    print("Données de démonstration prêtes :")
    print(f"  bénéficiaire : {DEMO_EMAIL} / {DEMO_PASSWORD}")
    print(f"  agent        : {DEMO_AGENT_EMAIL} / {DEMO_AGENT_PASSWORD}")
    if made:
        outbox = get_settings().outbox_dir
        print(f"  dossiers     : {made} dossiers de démonstration créés ; leurs e-mails sont dans {outbox}")
    employer_cli.seed_demo_employer()
    return 0


def reopen_dossier(args: argparse.Namespace) -> int:
    """Until the back office exists: hand a filed dossier back to its owner."""
    from portal_app.domain.dossiers import drafts, filing

    dossier = filing.find_by_number(args.number)
    if dossier is None:
        print(f"Aucun dossier ne porte le numéro {args.number}.", file=sys.stderr)
        return 1
    try:
        filing.reopen(None, dossier.id, args.motivation or "")
    except drafts.Refused:
        print(
            f"Le dossier {dossier.number} ne peut pas être réouvert dans son état actuel ({dossier.status}).",
            file=sys.stderr,
        )
        return 1
    print(f"Dossier {dossier.number} réouvert : son titulaire a été prévenu par e-mail.")
    return 0


def finalise_quotes(args: argparse.Namespace) -> int:
    """Make final now the quote acceptances whose withdrawal period is over (both sides are
    mailed); the worker does it every five minutes (jobs/periodic.finalise_quotes), --at moves
    the clock for a test or a catch-up."""
    from datetime import UTC, datetime

    from portal_app.domain.quotes.period import finalise_due_acceptances

    try:
        at = datetime.fromisoformat(args.at).astimezone(UTC) if args.at else utcnow()
    except ValueError:
        print("--at attend une date et heure ISO 8601, par exemple 2026-12-31T12:00:00+01:00.", file=sys.stderr)
        return 2
    with session_scope() as db:
        count = finalise_due_acceptances(db, at)
    print(f"Acceptations de devis rendues définitives : {count}")
    return 0


def check_demarches(args: argparse.Namespace) -> int:
    """Every problem of every démarche module at once (`make lint` runs it)."""
    from portal_app.domain.dossiers.catalogue_checks import catalogue_problems

    found, problems = catalogue_problems(args.package)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problème(s) dans les démarches.", file=sys.stderr)
        return 1
    print(f"{len(found)} démarches vérifiées : aucun problème.")
    return 0


def new_demarche(args: argparse.Namespace) -> int:
    """Write a démarche module ready to edit into the catalogue's folder."""
    import importlib
    from pathlib import Path

    from portal_app.domain.dossiers.catalogue_checks import catalogue_problems
    from portal_app.domain.dossiers.scaffold import ScaffoldRefused, write_demarche

    found, _ = catalogue_problems(args.package)
    folder = Path(importlib.import_module(args.package).__path__[0])
    try:
        path, prefix = write_demarche(
            folder, args.code, args.title, args.prefixe, {item.code: item.number_prefix for item in found}
        )
    except ScaffoldRefused as refusal:
        print(refusal, file=sys.stderr)
        return 2
    print(f"Démarche créée : {path} (numéros {prefix}-AAAA-000001)")
    print(f"Aperçu sous make run : http://localhost:3000/_apercu/{args.code} (vérification : check-demarches)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m portal_app.cli", description="Administration du Portail.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    agent = commands.add_parser(
        "create-agent", help="Créer un compte agent (back office).", description="Créer un compte agent."
    )
    agent.add_argument("--email", required=True, help="adresse e-mail de connexion de l'agent")
    agent.add_argument("--first-name", required=True, help="prénom")
    agent.add_argument("--last-name", required=True, help="nom")
    agent.add_argument("--password", help="mot de passe (sinon demandé, ou généré et affiché)")
    agent.set_defaults(handler=create_agent)

    seed = commands.add_parser(
        "seed-demo",
        help="Charger les données de démonstration.",
        description="Charger les comptes de démonstration (idempotent).",
    )
    seed.set_defaults(handler=seed_demo)
    employer_cli.register(commands)

    reopen = commands.add_parser(
        "reopen-dossier",
        help="Réouvrir un dossier déposé pour que son titulaire le modifie.",
        description="Réouvrir un dossier déposé : son titulaire est prévenu par e-mail, le modifie et le dépose de nouveau.",
    )
    reopen.add_argument("--number", required=True, help="numéro du dossier, par exemple PTP-2026-000042")
    reopen.add_argument("--motivation", help="motif communiqué au titulaire")
    reopen.set_defaults(handler=reopen_dossier)

    quotes = commands.add_parser(
        "finalise-quotes",
        help="Rendre définitives les acceptations de devis dont le délai de rétractation est terminé.",
        description="Rendre définitives les acceptations de devis dont le délai de rétractation est terminé.",
    )
    quotes.add_argument("--at", help="juger à ce moment (ISO 8601) plutôt que maintenant")
    quotes.set_defaults(handler=finalise_quotes)

    check = commands.add_parser(
        "check-demarches",
        help="Vérifier les démarches du catalogue.",
        description="Lister tous les problèmes des modules de portal_app/demarches/ (code de sortie 1 s'il y en a).",
    )
    check.add_argument("--package", default="portal_app.demarches", help="paquet Python des démarches")
    check.set_defaults(handler=check_demarches)

    scaffold = commands.add_parser(
        "new-demarche",
        help="Créer le module d'une nouvelle démarche, prêt à modifier.",
        description="Écrire portal_app/demarches/<code>.py : deux étapes, une pièce et les statuts habituels.",
    )
    scaffold.add_argument("code", help="code de la démarche (dans les adresses), par exemple aide-mobilite")
    scaffold.add_argument("title", metavar="titre", help="titre de la démarche, par exemple « Aide à la mobilité »")
    scaffold.add_argument(
        "--prefixe", help="préfixe des numéros de dossier, 2 à 6 majuscules (par défaut les initiales)"
    )
    scaffold.add_argument("--package", default="portal_app.demarches", help="paquet Python des démarches")
    scaffold.set_defaults(handler=new_demarche)

    provider = commands.add_parser(
        "fc-provider",
        help="Démarrer le fournisseur FranceConnect de développement (jamais en production).",
        description="Fournisseur OpenID Connect local qui se comporte comme FranceConnect : affiche les réglages PORTAL_FC_* et PORTAL_FCPLUS_* à donner au portail.",
    )
    provider.add_argument("--port", type=int, default=8400, help="port d'écoute (127.0.0.1)")
    provider.add_argument(
        "--portal-url",
        action="append",
        help="adresse du backend du portail, où revenir (plusieurs possibles ; défaut : PORTAL_BASE_URL)",
    )
    provider.add_argument("--test-hooks", action="store_true", help=argparse.SUPPRESS)
    provider.set_defaults(handler=fc_provider)
    return parser


def fc_provider(args: argparse.Namespace) -> int:
    # Imported here: the portal never loads the provider, only this command does.
    from portal_app.fc_provider.run import serve

    serve(args.port, args.portal_url or [get_settings().base_url], test_hooks=args.test_hooks)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
