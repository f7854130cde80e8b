"""Static information pages linked from the footer and the sign-up consents.

The texts are plain data: an editor changes a paragraph here, nothing else.
"""

import reflex as rx

from portal_app import routes
from portal_app.components.layout import page
from portal_app.components.portal_page import portal_page
from portal_app.settings import get_settings


def _retention_years() -> str:
    years = get_settings().retention_years
    return f"{years:g} ans" if years != 1 else "1 an"


PAGES = {
    routes.LEGAL_NOTICE: (
        "Mentions légales",
        [
            (
                "Éditeur",
                "Le Portail est édité par l'organisme public chargé du financement des transitions professionnelles.",
            ),
            ("Directeur de la publication", "Le directeur général de l'organisme."),
            ("Hébergement", "Le service est hébergé en France, sur des serveurs de l'organisme."),
        ],
    ),
    routes.PRIVACY: (
        "Données personnelles et politique de confidentialité",
        [
            (
                "Pourquoi nous traitons vos données",
                "Pour créer votre compte, instruire vos démarches de transition professionnelle, verser les financements et vous informer de l'avancement de vos dossiers.",
            ),
            (
                "Quelles données",
                "Votre identité, votre numéro de sécurité sociale, vos coordonnées, les réponses à vos démarches et les documents que vous déposez.",
            ),
            (
                "Qui y a accès",
                "Les seuls agents chargés d'instruire vos dossiers. Votre porte-documents est privé : les agents ne voient que les pièces que vous joignez à un dossier.",
            ),
            (
                "Combien de temps",
                "Votre compte, vos informations et votre porte-documents : tant que votre compte existe ; vous "
                "pouvez le supprimer à tout moment depuis « Mon compte », tout est alors effacé. Un brouillon : "
                "90 jours après sa dernière modification (selon la démarche), un e-mail vous prévient 14 jours "
                "avant avec un lien pour le conserver ; un brouillon que vous n'avez jamais rempli : 14 jours. "
                f"Un dossier terminé (accepté, refusé ou classé sans suite) : {_retention_years()} après la "
                "décision, puis il est supprimé avec ses pièces. Le fichier « Télécharger mes données » : "
                "24 heures. La trace des e-mails envoyés : 30 jours. Le journal des actions des agents est "
                "conservé, mais ne dit plus de qui il s'agissait une fois votre compte supprimé.",
            ),
            (
                "Vos droits",
                "Vous disposez d'un droit d'accès, de rectification, d'effacement et d'opposition. Vous pouvez aussi saisir la CNIL.",
            ),
        ],
    ),
    routes.TERMS: (
        "Conditions générales d'utilisation",
        [
            (
                "Objet",
                "Le Portail vous permet de créer un espace personnel, de préparer et déposer vos démarches, et d'échanger avec l'organisme.",
            ),
            (
                "Votre compte",
                "Vous êtes responsable de la confidentialité de votre mot de passe. Les informations que vous déclarez doivent être exactes.",
            ),
            ("Disponibilité", "Le service est accessible en continu, sauf interruption pour maintenance."),
        ],
    ),
    routes.ACCESSIBILITY: (
        "Accessibilité : partiellement conforme",
        [
            (
                "État de conformité",
                "Le Portail est partiellement conforme au référentiel général d'amélioration de l'accessibilité (RGAA) : l'audit complet n'a pas encore été réalisé.",
            ),
            (
                "Signaler un défaut",
                "Si vous ne pouvez pas accéder à un contenu ou à un service, contactez-nous pour être orienté vers une alternative accessible.",
            ),
        ],
    ),
    routes.COOKIES: (
        "Gestion des cookies",
        [
            (
                "Cookies utilisés",
                "Le Portail n'utilise qu'un cookie technique, indispensable pour vous garder connecté de façon sécurisée. Il est supprimé à la déconnexion et au plus tard après 12 heures.",
            ),
            (
                "Pas de mesure d'audience ni de publicité",
                "Aucun cookie de mesure d'audience, de publicité ou de réseau social n'est déposé : aucun consentement n'est donc demandé.",
            ),
        ],
    ),
}


def _make(route: str, title: str, sections: list[tuple[str, str]]):
    def legal_page() -> rx.Component:
        return page(
            rx.el.h1(title),
            *[rx.fragment(rx.el.h2(heading), rx.el.p(text)) for heading, text in sections],
        )

    legal_page.__name__ = "legal_" + route.strip("/").replace("-", "_")
    return portal_page(route, f"{title} — Portail")(legal_page)


for _route, (_title, _sections) in PAGES.items():
    _make(_route, _title, _sections)
