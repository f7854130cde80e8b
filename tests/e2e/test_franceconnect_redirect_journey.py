"""FranceConnect's return addresses come from the settings (PORTAL_BASE_URL, or
PORTAL_BACKEND_URL under `make run`), never from the request: a forged Host header, or a proxy's
forwarded one, cannot send the provider's code elsewhere."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest


@pytest.mark.parametrize(
    "headers",
    [{"Host": "attaquant.example"}, {"Host": "attaquant.example:8443", "X-Forwarded-Host": "attaquant.example"}],
)
def test_a_forged_host_does_not_change_the_redirect_uri(portal, fc_provider, headers):
    answer = httpx.get(f"{portal.base_url}/_portal/franceconnect/connexion", headers=headers, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:300]
    location = answer.headers["location"]
    assert location.startswith(f"{fc_provider.issuer}/api/v2/authorize?"), location
    query = parse_qs(urlsplit(location).query)
    assert query["redirect_uri"] == [f"{portal.base_url}/_portal/franceconnect/callback"]
