"""/mon-compte and /mon-compte/email.

One state for the whole account page: every field name is unique on the page, and only the
form submitted last shows its errors, so a single error summary (with its fixed id) is ever
drawn. Identity always comes from the session cookie, checked in each handler.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from portal_app.components.forms import FormErrors, field_id
from portal_app.domain import accounts
from portal_app.domain.core.dates import paris_datetime
from portal_app.domain.core.formats import normalize_email
from portal_app.domain.core.nir import format_nir, masked_nir
from portal_app.domain.core.tokens import hash_token
from portal_app.models import Role, User
from portal_app.models.base import as_utc
from portal_app.states.focus import focus_soon
from portal_app.states.guard import requires, session_token
from portal_app.states.password import PasswordChecklist
from portal_app.states.session import SessionState, full_load

PROFILE_ORDER = ("birth_name", "usage_name", "first_names", "phone", "address_line", "postal_code", "city")
PASSWORD_ORDER = ("current_password", "password", "password_confirm")
EMAIL_ORDER = ("new_email", "email_password")

# The session route clears the cookie, then the login page says why the user is there.
AFTER_PASSWORD_CHANGE = "/_portal/session/end?suite=/connexion%3Fmotif%3Dmot-de-passe"
AFTER_DELETION = "/_portal/session/end?suite=/connexion%3Fmotif%3Dcompte-supprime"
AFTER_LOGOUT_EVERYWHERE = "/_portal/session/end"

# Checked in order: Edge and Opera also claim Chrome and Safari, Chrome claims Safari,
# iPhones claim Mac OS X and Android claims Linux.
_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("FxiOS", "Firefox"),
    ("Firefox/", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_user_agent(user_agent: str) -> str:
    """'Mozilla/5.0 (Windows NT 10.0…) … Firefox/128.0' -> 'Firefox sur Windows'."""
    ua = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in ua), "")
    system = next((name for marker, name in _SYSTEMS if marker in ua), "")
    if browser and system:
        return f"{browser} sur {system}"
    return browser or system or "Appareil non reconnu"


def _ticked(value) -> bool:
    # A named checkbox submits "on" when ticked and nothing otherwise.
    return value in ("on", True, "true")


class AccountState(FormErrors, PasswordChecklist, rx.State):
    # False until this visit's data is in: the forms are drawn only then, so their
    # default values are this visit's and never the previous one's.
    loaded: bool = False
    # Which form the current errors and the success notice belong to.
    form: str = ""
    saved: str = ""
    # Shown while the browser leaves for the session route, when the data is already gone.
    leaving: str = ""
    confirm_delete: bool = False

    email: str = ""
    civility: str = ""
    birth_date: str = ""
    nir_display: str = ""
    nir_spoken: str = ""
    birth_name: str = ""
    usage_name: str = ""
    first_names: str = ""
    phone: str = ""
    address_line: str = ""
    postal_code: str = ""
    city: str = ""
    notify_status: bool = True
    notify_messages: bool = True
    can_delete: bool = False
    email_sent_to: str = ""
    devices: list[dict[str, str]] = []

    # ------------------------------------------------------------ loading

    def _fill(self, user: User) -> None:
        self.email = user.email
        self.civility = user.civility
        self.birth_date = user.birth_date.strftime("%d/%m/%Y") if user.birth_date else ""
        self.nir_display = masked_nir(user.nir)
        groups = format_nir(user.nir).split(" ")
        self.nir_spoken = (
            f"Numéro masqué, commençant par {' '.join(groups[:3])} et se terminant par la clé {groups[-1]}"
            if len(groups) == 7
            else "Numéro masqué"
        )
        for key in accounts.PROFILE_FIELDS:
            setattr(self, key, getattr(user, key) or "")
        self.notify_status = user.notify_status
        self.notify_messages = user.notify_messages
        # Agents and employers have their accounts managed by the organisation.
        self.can_delete = user.role == Role.BENEFICIARY
        self._rule_email = user.email
        self._rule_names = {
            "birth_name": user.birth_name,
            "usage_name": user.usage_name,
            "first_names": user.first_names,
        }
        self._refresh()
        self._fill_devices(user)

    def _fill_devices(self, user: User) -> None:
        token = session_token(self)
        mine = hash_token(token) if token else ""
        self.devices = [
            {
                "agent": describe_user_agent(row.user_agent),
                "since": paris_datetime(as_utc(row.created_at)),
                "last_used": paris_datetime(as_utc(row.last_used_at)),
                "current": "1" if row.token_hash == mine else "",
            }
            for row in accounts.active_sessions(user.id)
        ]

    def _forget(self) -> None:
        """Drop the personal data from this tab's state: the next visitor of the tab must not get it."""
        self.loaded = False
        self.form = ""
        self.saved = ""
        self.confirm_delete = False
        self.email_sent_to = ""
        for key in ("email", "civility", "birth_date", "nir_display", "nir_spoken", *accounts.PROFILE_FIELDS):
            setattr(self, key, "")
        self.devices = []
        self._rule_email = ""
        self._rule_names = {}
        self._password = ""
        self._refresh()
        self._clear_errors()

    def _refused(self) -> None:
        # The session ended elsewhere (timeout, logout, password change): the data goes too.
        self._forget()

    def _start(self, form: str) -> None:
        self.form = form
        self.saved = ""
        self._clear_errors()

    @rx.event
    @requires()
    async def load(self, user: User):
        self.leaving = ""
        # Unmount the forms first, so they are drawn again with this visit's values.
        self.loaded = False
        yield
        self._forget()
        # The sessions list reads the database.
        await asyncio.to_thread(self._fill, user)
        self.loaded = True

    @rx.event
    # The live checklist reveals nothing, but a tab whose session has ended must stop here too.
    @requires()
    def password_typed(self, _user: User, value: str):
        self._password = value
        self._refresh()
        return None

    # ------------------------------------------------------------ my information

    @rx.event
    @requires()
    def save_profile(self, user: User, form_data: dict):
        self._start("profile")
        result = accounts.update_profile(user.id, form_data)
        if not result.ok:
            return self._set_errors(result.errors, PROFILE_ORDER)
        fresh = accounts.current_user(session_token(self))
        if fresh is not None:
            for key in accounts.PROFILE_FIELDS:
                setattr(self, key, getattr(fresh, key) or "")
            self._rule_names = {
                "birth_name": fresh.birth_name,
                "usage_name": fresh.usage_name,
                "first_names": fresh.first_names,
            }
            self._refresh()
        self.saved = "profile"
        # The header shows the name.
        return SessionState.load_visitor

    # ------------------------------------------------------------ password

    @rx.event
    @requires()
    def change_password(self, user: User, form_data: dict):
        self._start("password")
        result = accounts.change_password(user.id, form_data)
        if not result.ok:
            return self._set_errors(result.errors, PASSWORD_ORDER)
        # Every session has just ended, this one too: the cookie goes, then the login page.
        self._forget()
        self.leaving = "Votre mot de passe a été modifié. Vous allez être redirigé vers la page de connexion."
        return full_load(AFTER_PASSWORD_CHANGE)

    # ------------------------------------------------------------ email address

    @rx.event
    @requires()
    def request_email_change(self, user: User, form_data: dict):
        self._start("email")
        # The domain calls the password "password"; on this page that name belongs to the new password.
        data = {"new_email": form_data.get("new_email", ""), "password": form_data.get("email_password", "")}
        result = accounts.request_email_change(user.id, data, client_ip=self.router.session.client_ip or "")
        if not result.ok:
            errors = {
                ("email_password" if key == "password" else key): message for key, message in result.errors.items()
            }
            return self._set_errors(errors, EMAIL_ORDER)
        self.saved = "email"
        self.email_sent_to = normalize_email(str(form_data.get("new_email", "")))
        # Success: the typed password must not stay in the page.
        return rx.call_script("document.getElementById('formulaire-adresse-e-mail')?.reset()")

    # ------------------------------------------------------------ notifications

    @rx.event
    @requires()
    def save_preferences(self, user: User, form_data: dict):
        self._start("preferences")
        self.notify_status = _ticked(form_data.get("notify_status"))
        self.notify_messages = _ticked(form_data.get("notify_messages"))
        accounts.update_preferences(user.id, self.notify_status, self.notify_messages)
        self.saved = "preferences"
        return None

    # ------------------------------------------------------------ devices

    @rx.event
    @requires()
    def logout_everywhere(self, user: User):
        accounts.logout_everywhere(user.id)
        self._forget()
        self.leaving = "Vous avez été déconnecté de tous les appareils."
        return full_load(AFTER_LOGOUT_EVERYWHERE)

    # ------------------------------------------------------------ deletion

    @rx.event
    @requires()
    def ask_delete(self, user: User):
        self._start("delete")
        self.confirm_delete = True
        # The form appears below the button: bring the keyboard and the screen reader to it.
        return focus_soon(field_id("delete_password"))

    @rx.event
    @requires()
    def cancel_delete(self, user: User):
        self._start("")
        self.confirm_delete = False
        return focus_soon("bouton-supprimer-compte")

    @rx.event
    @requires()
    def delete_account(self, user: User, form_data: dict):
        self._start("delete")
        if user.role != Role.BENEFICIARY:
            return self._set_errors(
                {"delete_password": "Ce compte ne peut pas être supprimé en ligne."}, ("delete_password",)
            )
        password = str(form_data.get("delete_password", ""))
        if not password:
            return self._set_errors({"delete_password": "Indiquez votre mot de passe."}, ("delete_password",))
        result = accounts.delete_account(user.id, password)
        if not result.ok:
            return self._set_errors(result.errors, ("delete_password",))
        self._forget()
        self.leaving = "Votre compte a été supprimé. Vous allez être redirigé."
        return full_load(AFTER_DELETION)
