"""HTTP routes Reflex does not give us, mounted in front of the app by api_transformer."""

from starlette.applications import Starlette
from starlette.routing import Route

from portal_app import routes
from portal_app.api import altcha, employer_files, franceconnect, ids  # noqa: F401  (ids registers the {name:id} parameter)
from portal_app.api.agent_files import download_attachment, download_filed_piece
from portal_app.api.data_export import download_export
from portal_app.api.documents import document_thumbnail, download_document
from portal_app.api.documents import download_piece as download_dossier_piece
from portal_app.api.guests import open_guest
from portal_app.api.pieces import download_piece
from portal_app.api.quotes import download_programme
from portal_app.api.receipts import download_receipt
from portal_app.api.session import end_session, start_session


def build_api() -> Starlette:
    return Starlette(
        routes=[
            Route("/_portal/session/start", start_session, methods=["GET"]),
            Route("/_portal/session/end", end_session, methods=["GET"]),
            Route(routes.GUEST_OPEN, open_guest, methods=["GET"]),
            Route(routes.FC_LEAVE, franceconnect.leave, methods=["GET"]),
            Route(routes.FC_CALLBACK, franceconnect.callback, methods=["GET"]),
            Route(routes.FC_FINISH, franceconnect.finish_signup, methods=["GET"]),
            Route(routes.FC_LOGOUT, franceconnect.logged_out, methods=["GET"]),
            Route("/_portal/altcha/challenge", altcha.challenge, methods=["GET"]),
            Route("/_portal/documents/{document_id:id}", download_document, methods=["GET"]),
            Route("/_portal/documents/{document_id:id}/apercu", document_thumbnail, methods=["GET"]),
            Route("/_portal/employeur/reglements.xlsx", employer_files.export_reglements, methods=["GET"]),
            Route("/_portal/employeur/documents/{document_id:id}", employer_files.download_document, methods=["GET"]),
            Route("/_portal/agent/pieces-jointes/{attachment_id:id}", download_attachment, methods=["GET"]),
            Route(
                "/_portal/agent/dossiers/{dossier_id:id}/pieces/{filed_piece_id:id}",
                download_filed_piece,
                methods=["GET"],
            ),
            # Files of the discussion, and the supporting pieces frozen with a filed dossier.
            Route("/_portal/pieces/{attachment_id:id}", download_piece, methods=["GET"]),
            Route("/_portal/dossiers/{dossier_id:id}/pieces/{piece_code}", download_dossier_piece, methods=["GET"]),
            Route("/_portal/dossiers/{dossier_id:id}/attestations/{version:id}", download_receipt, methods=["GET"]),
            Route("/_portal/mes-donnees/{export_id:id}", download_export, methods=["GET"]),
            Route(routes.QUOTE_PROGRAMME, download_programme, methods=["GET"]),
        ]
    )
