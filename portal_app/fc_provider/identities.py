"""The demo identities a tester picks from on the provider's authorize page.

Claims as FranceConnect v2 sends them (`sub` here is the identity's key: each client gets its
own subject for it, pairwise_sub): `birthplace` is a 5-character INSEE code (empty when
born abroad), `birthcountry` 5 digits (99100 is France), `preferred_username` the usage name.
`eidas` is the highest level the identity's provider can vouch for.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    sub: str
    given_name: str
    family_name: str
    birthdate: str
    gender: str
    birthplace: str
    birthcountry: str
    email: str
    preferred_username: str = ""
    eidas: str = "eidas1"
    label: str = ""

    def claims(self) -> dict[str, str]:
        return {
            "sub": self.sub,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "birthdate": self.birthdate,
            "gender": self.gender,
            "birthplace": self.birthplace,
            "birthcountry": self.birthcountry,
            "email": self.email,
            "preferred_username": self.preferred_username,
        }


IDENTITIES = (
    Identity(
        sub="fc-demo-angela-dubois",
        given_name="Angela Claire Louise",
        family_name="DUBOIS",
        birthdate="1962-08-24",
        gender="female",
        birthplace="75107",
        birthcountry="99100",
        email="angela.dubois@fc.localhost",
        label="Angela Dubois, née à Paris",
    ),
    Identity(
        sub="fc-demo-pierre-mercier",
        given_name="Pierre",
        family_name="MERCIER",
        birthdate="1990-01-15",
        gender="male",
        birthplace="",
        birthcountry="99134",
        email="pierre.mercier@fc.localhost",
        label="Pierre Mercier, né en Espagne",
    ),
    Identity(
        sub="fc-demo-sophie-bernard",
        given_name="Sophie",
        family_name="BERNARD",
        birthdate="1985-03-02",
        gender="female",
        birthplace="69123",
        birthcountry="99100",
        email="sophie.bernard@fc.localhost",
        preferred_username="LEROY",
        label="Sophie Bernard, nom d'usage Leroy",
    ),
    Identity(
        sub="fc-demo-karim-haddad",
        given_name="Karim",
        family_name="HADDAD",
        birthdate="1978-11-30",
        gender="male",
        birthplace="13055",
        birthcountry="99100",
        email="karim.haddad@fc.localhost",
        eidas="eidas2",
        label="Karim Haddad, identité numérique eIDAS 2 (substantiel)",
    ),
)

BY_SUB = {identity.sub: identity for identity in IDENTITIES}


def pairwise_sub(sub: str, client_id: str) -> str:
    """The subject one client gets for this identity: FranceConnect gives each client (and
    FranceConnect+ is another client) its own, a hash of the person and the client."""
    return hashlib.sha256(f"{client_id}:{sub}".encode()).hexdigest() + "v1"
