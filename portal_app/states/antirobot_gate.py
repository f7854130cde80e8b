"""The anti-robot gate of the public forms (signup, tracking): one way to pass it."""

from __future__ import annotations

import asyncio

from portal_app.components.altcha import reset_altcha
from portal_app.components.forms import FormErrors
from portal_app.domain.core import antirobot


async def robot_gate(state: FormErrors, errors: dict[str, str], form: dict, order: tuple[str, ...]):
    """None when the form may go on; else the events that show what stops it.

    The proof of work is spent only once everything else is right, so a typo elsewhere does
    not make the visitor solve it again. The check records the spent challenge in the
    database: in a thread, never on the event loop."""
    payload = str(form.get(antirobot.FIELD_NAME, ""))
    if errors:
        if not payload:
            errors[antirobot.FIELD_NAME] = antirobot.MSG_MISSING
        return state._set_errors(errors, order)
    robot = await asyncio.to_thread(antirobot.verify, payload)
    if robot:
        return [state._set_errors({antirobot.FIELD_NAME: robot}, order), reset_altcha()]
    state._clear_errors()
    return None
