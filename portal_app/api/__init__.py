"""HTTP routes Reflex does not give us, mounted in front of the app by api_transformer."""

from starlette.applications import Starlette
from starlette.routing import Route

from portal_app.api import altcha
from portal_app.api.documents import document_thumbnail, download_document, download_piece
from portal_app.api.session import end_session, start_session


def build_api() -> Starlette:
    return Starlette(
        routes=[
            Route("/_portal/session/start", start_session, methods=["GET"]),
            Route("/_portal/session/end", end_session, methods=["GET"]),
            Route("/_portal/altcha/challenge", altcha.challenge, methods=["GET"]),
            Route("/_portal/documents/{document_id:int}", download_document, methods=["GET"]),
            Route("/_portal/documents/{document_id:int}/apercu", document_thumbnail, methods=["GET"]),
            Route("/_portal/dossiers/{dossier_id:int}/pieces/{piece_code}", download_piece, methods=["GET"]),
        ]
    )
