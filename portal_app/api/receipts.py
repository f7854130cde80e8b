"""The filing receipts (attestations de dépôt) of a dossier: its owner only, by the session
cookie; anyone else, a draft or a version that does not exist answers the same 404."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from portal_app.api.documents import for_owner, private_file
from portal_app.domain.dossiers import receipt


# A plain function: Starlette runs it in its thread pool (database and file reads).
def download_receipt(request: Request) -> Response:
    def find(user_id: int) -> Response | None:
        params = request.path_params
        found = receipt.receipt_for(user_id, params["dossier_id"], params["version"])
        return private_file(found[0], "application/pdf", found[1]) if found is not None else None

    return for_owner(request, find)


def receipt_url(dossier_id: int, version: int) -> str:
    return f"/_portal/dossiers/{dossier_id}/attestations/{version}"
