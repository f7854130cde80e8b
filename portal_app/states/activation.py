import reflex as rx

from portal_app.domain import accounts
from portal_app.domain.core.steady import steadily
from portal_app.domain.core.tokens import TokenState
from portal_app.states.guard import public


class ActivationState(rx.State):
    # valid | used | expired | superseded | unknown ; "" while checking.
    outcome: str = ""
    duplicate: bool = False
    resent: bool = False

    @rx.event
    @public
    def load(self):
        self.resent = False
        result = accounts.activate(self.router.url.query_parameters.get("jeton", ""))
        self.outcome = result.state.value
        self.duplicate = result.duplicate

    @rx.event
    async def resend(self, form: dict):
        await steadily(
            accounts.resend_activation, str(form.get("email", "")), client_ip=self.router.session.client_ip or ""
        )
        self.resent = True


__all__ = ["ActivationState", "TokenState"]
