from __future__ import annotations

import asyncio
import json
from urllib.parse import quote

import reflex as rx

from portal_app.components.forms import FormErrors
from portal_app.domain import accounts
from portal_app.domain.accounts import LoginStatus
from portal_app.domain.accounts.sessions import TICKET_COOKIE, TICKET_COOKIE_PATH
from portal_app.domain.core.dates import paris_time
from portal_app.domain.core.navigation import safe_next
from portal_app.domain.core.steady import steadily
from portal_app.domain.core.tokens import TTL, Purpose
from portal_app.domain.core.wording import duration
from portal_app.domain.employer.onboarding import PROVISIONAL_VALIDITY
from portal_app.settings import get_settings
from portal_app.states.session import full_load

REASONS = {
    "expiree": "Votre session a expiré ou vous n'êtes pas connecté. Connectez-vous pour continuer : vous reviendrez à la page où vous étiez.",
    "deconnexion": "Vous êtes déconnecté. À bientôt !",
    "mot-de-passe": "Votre mot de passe a été modifié. Connectez-vous avec votre nouveau mot de passe.",
    "lien": "Ce lien de connexion n'est plus valable. Connectez-vous à nouveau.",
    "autre-site": (
        "Pour votre sécurité, un lien venant d'un autre site ne peut pas vous connecter. "
        "Connectez-vous ici, directement sur le portail."
    ),
    "compte-supprime": "Votre compte a été supprimé. Un dernier message de confirmation vous a été envoyé.",
    "email": "Votre adresse e-mail a été modifiée. Connectez-vous avec votre nouvelle adresse.",
    "fc-annule": "Vous avez annulé la connexion avec FranceConnect. Vous pouvez réessayer, ou vous connecter avec votre adresse e-mail.",
    "fc-echec": (
        "La connexion avec FranceConnect n'a pas abouti et rien n'a été enregistré. "
        "Recommencez avec le bouton FranceConnect, ou connectez-vous avec votre adresse e-mail."
    ),
    "fc-niveau": (
        "FranceConnect n'a pas confirmé votre identité avec le niveau de sécurité demandé. "
        "Choisissez un compte qui le permet (par exemple L'Identité Numérique La Poste), ou connectez-vous avec votre adresse e-mail."
    ),
    "fc-role": (
        "Les comptes employeurs et agents ne peuvent pas utiliser FranceConnect. "
        "Connectez-vous avec votre identifiant et votre mot de passe."
    ),
    "fc-inactif": "Votre compte n'est pas encore activé : cliquez sur le lien reçu par e-mail, puis connectez-vous de nouveau avec FranceConnect.",
    "fc-autre": (
        "L'identité utilisée avec FranceConnect+ n'est pas celle de votre compte : rien n'a été enregistré. "
        "Recommencez avec votre propre identité."
    ),
    "fc-indisponible": "FranceConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous avec votre adresse e-mail.",
}


def ticket_cookie(browser_key: str):
    """Bind the login ticket to this browser (see api/session.py): only page script can set a
    cookie from an event handler; SameSite=Strict, for the ticket route, as long as the ticket."""
    cookie = (
        f"{TICKET_COOKIE}={browser_key}; Path={TICKET_COOKIE_PATH}; "
        f"Max-Age={int(TTL[Purpose.LOGIN_TICKET].total_seconds())}; SameSite=Strict"
    )
    if get_settings().secure_cookies:
        cookie += "; Secure"
    return rx.call_script(f"document.cookie = {json.dumps(cookie)}")


class LoginState(FormErrors, rx.State):
    message: str = ""
    info: str = ""
    offer_resend: bool = False
    resend_done: bool = False
    _identifier: str = ""
    loading: bool = False
    # A form sent before this page's on_load ran (a quick user, a busy server) is answered first:
    # the on_load that follows must not wipe that answer.
    _answered_before_load: bool = False

    @rx.event
    def load(self):
        reason = self.router.url.query_parameters.get("motif", "")
        self.info = REASONS.get(reason, "")
        if self._answered_before_load:
            self._answered_before_load = False
            return
        self.message = ""
        self.offer_resend = False
        self.resend_done = False
        self._clear_errors()

    @rx.event
    async def submit(self, form: dict):
        self._answered_before_load = not self.is_hydrated
        identifier = str(form.get("identifier", "")).strip()
        password = str(form.get("password", ""))
        self.message = ""
        self.offer_resend = False
        self.resend_done = False
        errors = {}
        if not identifier:
            errors["identifier"] = "Indiquez votre adresse e-mail ou votre identifiant."
        if not password:
            errors["password"] = "Indiquez votre mot de passe."
        if errors:
            return self._set_errors(errors, ("identifier", "password"))
        self._clear_errors()
        # bcrypt takes a quarter of a second of CPU: in a thread, so the event loop serves others.
        result = await asyncio.to_thread(
            accounts.authenticate,
            identifier,
            password,
            client_ip=self.router.session.client_ip or "",
            tab=self.router.session.client_token,
        )
        if result.status is LoginStatus.OK:
            target = safe_next(self.router.url.query_parameters.get("suite"), default="")
            path = f"/_portal/session/start?ticket={quote(result.ticket)}"
            if target:
                path += f"&suite={quote(target, safe='')}"
            return [ticket_cookie(result.browser_key), full_load(path)]
        if result.status is LoginStatus.NOT_ACTIVATED:
            self._identifier = identifier
            self.offer_resend = True
            self.message = "Votre compte n'est pas encore activé. Cliquez sur le lien reçu par e-mail, ou demandez un nouveau lien."
        elif result.status is LoginStatus.PASSWORD_EXPIRED:
            self.message = (
                f"Votre mot de passe provisoire a expiré : il était valable {duration(PROVISIONAL_VALIDITY)} seulement. "
                "Choisissez un nouveau mot de passe avec « Mot de passe oublié », à partir de votre identifiant provisoire."
            )
        elif result.status is LoginStatus.DELAYED and result.retry_at is not None:
            # Said alike for every address, with or without an account (nothing to enumerate).
            self.message = (
                "Adresse e-mail ou mot de passe incorrect. Après plusieurs erreurs, pour protéger votre compte, "
                f"vous pourrez réessayer à partir de {paris_time(result.retry_at)}. "
                "Pour vous connecter sans attendre, choisissez un nouveau mot de passe avec le lien envoyé par e-mail "
                "à l'adresse du compte, ou avec « Mot de passe oublié »."
            )
        else:
            self.message = "Adresse e-mail ou mot de passe incorrect."
        return None

    @rx.event
    async def resend_activation(self):
        if self._identifier:
            await steadily(accounts.resend_activation, self._identifier, client_ip=self.router.session.client_ip or "")
        self.offer_resend = False
        self.resend_done = True
        self.message = ""
