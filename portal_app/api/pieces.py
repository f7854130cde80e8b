"""Downloads of the files of a dossier's discussion: the dossier's owner or an agent, by the
session cookie. Anything else answers like a missing file (404), with the same private
headers as the porte-documents downloads (attachment, nosniff, sandbox CSP, no-store)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from portal_app.api.documents import for_owner, private_file
from portal_app.domain.dossiers import discussion
from portal_app.domain.uploads.checks import CONTENT_TYPES


# A plain function: Starlette runs it in its thread pool, so the lookups and reading a file of
# up to 5 MiB never hold the event loop.
def download_piece(request: Request) -> Response:
    def find(user_id: int) -> Response | None:
        found = discussion.attachment_for(user_id, request.path_params["attachment_id"])
        if found is None:
            return None
        attachment, data = found
        return private_file(attachment.name, CONTENT_TYPES[attachment.kind], data)

    return for_owner(request, find)
