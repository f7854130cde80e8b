"""Every page path of the portal, in one place: pages, redirects, links and navigation use these.

The paths are French, as the visitor reads them; the names are English, as the code does.
"""

HOME = "/"
NOT_FOUND = "404"

# Guests
LOGIN = "/connexion"
SIGNUP = "/inscription"
ACTIVATION = "/activation"
PASSWORD_RESET = "/mot-de-passe-oublie"
TRACKING = "/suivi"
# Filing without an account: the code page of a démarche declared guest=True (domain/guests),
# and the backend route that turns a ticket or a mailed resume link into a guest session.
GUEST_START = "/demarches/sans-compte/[demarche_code]"
GUEST_OPEN = "/_portal/sans-compte/ouvrir"

# FranceConnect: the page that confirms a new identity's email and terms, and the backend routes
FC_CONFIRM = "/connexion/franceconnect"
FC_LINK = "/connexion/franceconnect/lier"  # the link mailed to an existing account (?jeton=…)
FC_LEAVE = "/_portal/franceconnect/connexion"
FC_CALLBACK = "/_portal/franceconnect/callback"
FC_FINISH = "/_portal/franceconnect/terminer"
FC_LOGOUT = "/_portal/franceconnect/logout"
FC_ABOUT = "https://franceconnect.gouv.fr/"

# Legal pages
LEGAL_NOTICE = "/mentions-legales"
PRIVACY = "/donnees-personnelles"
COOKIES = "/cookies"
TERMS = "/conditions-generales"
ACCESSIBILITY = "/accessibilite"

# Any signed-in user
ACCOUNT = "/mon-compte"
EMAIL_CONFIRMATION = "/mon-compte/email"

# Beneficiaries (Mon compte)
RELATIONS = "/mon-compte/relations"

# Beneficiaries
MY_DOSSIERS = "/demarches"
CATALOGUE = "/demarches/nouvelle"
DRAFT = "/demarches/dossier/[dossier_id]"
RECAP = "/demarches/dossier/[dossier_id]/recapitulatif"
DOSSIER_FILED = "/demarches/dossier/[dossier_id]/confirmation"
DOSSIER_PAGE = "/demarches/dossier/[dossier_id]/suivi"
DOCUMENTS = "/porte-documents"
NOTIFICATIONS = "/notifications"

# Employers
EMPLOYER = "/employeur"
EMPLOYER_PERSONALISE = "/employeur/personnalisation"
EMPLOYER_CONFIRMATION = "/employeur/confirmation"
EMPLOYER_DOCUMENTS = "/employeur/documents"

# Agents
AGENT = "/agent"
AGENT_DOSSIER = "/agent/dossiers/[id]"
AGENT_ACCOUNTS = "/agent/comptes"

# A training provider answering a quote request, without an account (its token in ?jeton=).
QUOTE_PROVIDER = "/devis"
# A quote version's programme, for the person who asked for the quote (api/quotes.py).
QUOTE_PROGRAMME = "/_portal/devis/versions/{version_id:id}/programme"
# Designers, development only: pages/designer.py adds them under `reflex run`, never to a
# production build.
GALLERY = "/_galerie"
PREVIEW_PREFIX = "/_apercu/"


def draft(dossier_id: int | str) -> str:
    return f"/demarches/dossier/{dossier_id}"


def recap(dossier_id: int | str) -> str:
    return f"{draft(dossier_id)}/recapitulatif"


def dossier_filed(dossier_id: int | str) -> str:
    return f"{draft(dossier_id)}/confirmation"


def dossier_page(dossier_id: int | str) -> str:
    return f"{draft(dossier_id)}/suivi"


def guest_start(demarche_code: str) -> str:
    return f"/demarches/sans-compte/{demarche_code}"


def agent_dossier(dossier_id: int | str) -> str:
    return f"/agent/dossiers/{dossier_id}"


def preview(code: str) -> str:
    return f"{PREVIEW_PREFIX}{code}"


def quote_programme(version_id: int | str) -> str:
    return QUOTE_PROGRAMME.replace("{version_id:id}", str(version_id))
