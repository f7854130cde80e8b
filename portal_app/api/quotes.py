"""The programme a provider joined to a quote version: the person who asked for the quote reads
it before answering, by the session cookie. Anyone else, or a version that does not exist,
answers the same 404, with the porte-documents' private headers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from portal_app.api.documents import for_owner, private_file
from portal_app.domain.quotes import views


# A plain function: Starlette runs it in its thread pool (database and file reads).
def download_programme(request: Request) -> Response:
    def find(user_id: int) -> Response | None:
        found = views.programme_for(user_id, request.path_params["version_id"])
        return private_file(found[0], "application/pdf", found[1]) if found is not None else None

    return for_owner(request, find)
