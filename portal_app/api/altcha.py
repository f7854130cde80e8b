"""The anti-robot widget fetches its proof-of-work challenge here."""

from starlette.requests import Request
from starlette.responses import JSONResponse

from portal_app.domain.core.antirobot import new_challenge


async def challenge(request: Request) -> JSONResponse:
    # Each challenge is single-use: never cached, by the browser or a proxy.
    return JSONResponse(new_challenge(), headers={"Cache-Control": "no-store"})
