"""The development FranceConnect provider (portal_app/fc_provider), started for the e2e tests
with its test hooks: `arm(fault)` makes the next sign-in misbehave, `add_identity(...)` adds a
demo identity (a fresh one per test, so that tests do not share accounts).

    provider = FcProvider(port)          # before the portal: its settings name this issuer
    env = provider.portal_env()          # PORTAL_FC_* and PORTAL_FCPLUS_* for the PortalServer
    provider.start(portal.base_url)      # once the portal's address is known
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from pathlib import Path

from playwright.sync_api import expect

from portal_app.fc_provider.run import portal_env
from tests.support.browser import goto
from tests.support.process import ServerProcess, free_port
from tests.support.server import ROOT, app_bin, url_answers


class FcProvider:
    def __init__(self, log_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.log_path = Path(log_dir) / "fc-provider.log"
        self.process: ServerProcess | None = None

    @property
    def issuer(self) -> str:
        return f"http://localhost:{self.port}"

    def portal_env(self) -> dict[str, str]:
        return portal_env(self.issuer)

    def start(self, portal_url: str) -> FcProvider:
        argv = [app_bin("python"), "-m", "portal_app.cli", "fc-provider", "--port", str(self.port)]
        argv += ["--portal-url", portal_url, "--test-hooks"]
        self.process = ServerProcess("fc-provider", argv, cwd=ROOT, env=None, log_path=self.log_path).start()
        self.process.wait_ready(lambda: url_answers(f"{self.issuer}/.well-known/openid-configuration"), 60)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None

    def _post(self, path: str, data: dict) -> dict:
        request = urllib.request.Request(
            self.issuer + path, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def arm(self, fault: str) -> None:
        """The next sign-in misbehaves this way (portal_app/fc_provider/faults.FAULTS)."""
        self._post("/_test/faults", {"fault": fault})

    def disarm(self) -> None:
        self._post("/_test/faults/reset", {})

    def add_identity(self, **overrides: str) -> dict:
        """A new identity the tester can pick; answers its claims (sub, email, names…)."""
        key = uuid.uuid4().hex[:10]
        identity = {
            "sub": f"fc-test-{key}",
            "given_name": "Inès Marie",
            "family_name": "FONTAINE",
            "birthdate": "1988-06-12",
            "gender": "female",
            "birthplace": "33063",
            "birthcountry": "99100",
            "email": f"ines-{key}@fc.localhost",
            "label": f"Test {key}",
            **overrides,
        }
        self._post("/_test/identities", identity)
        return identity


FC_BUTTON = "S'identifier avec FranceConnect"


def leave_for_franceconnect(page, base_url: str, start: str = "/connexion") -> None:
    """Click the portal's FranceConnect button: the development provider's identity page opens."""
    goto(page, base_url + start)
    page.get_by_role("link", name=FC_BUTTON).click()
    expect(page.get_by_role("heading", name="FranceConnect de développement")).to_be_visible()


def pick(page, identity: dict, action: str = "Continuer") -> None:
    """On the provider's page: choose this identity and continue (or cancel)."""
    page.get_by_label(re.compile(re.escape(identity["label"]))).check()
    page.get_by_role("button", name=action).click()


def subject(identity: dict, level: str = "fc") -> str:
    """The subject the portal receives for this identity: each client (FranceConnect,
    FranceConnect+) gets its own."""
    from portal_app.fc_provider.identities import pairwise_sub
    from portal_app.fc_provider.run import CLIENTS

    return pairwise_sub(identity["sub"], CLIENTS["PORTAL_FCPLUS" if level == "fcplus" else "PORTAL_FC"][0])
