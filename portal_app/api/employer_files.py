"""Downloads of the employer space: the Excel export and the documents.

Identity comes from the HttpOnly session cookie, checked like every handler does; a document or
a search that is not the caller's answers 404, the same as one that does not exist.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from portal_app.domain import accounts
from portal_app.domain.accounts.sessions import COOKIE_NAME
from portal_app.domain.employer import employer_documents, onboarding, reglements
from portal_app.models import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


def _employer_id(request: Request) -> int | None:
    user = accounts.current_user(request.cookies.get(COOKIE_NAME))
    if user is None or user.role != Role.EMPLOYER or not onboarding.ready(user.id):
        return None
    return user.id


def _attachment(data: bytes, name: str, content_type: str) -> Response:
    return Response(
        data,
        media_type=content_type,
        headers={
            # RFC 6266: an ASCII fallback and the exact UTF-8 name.
            "Content-Disposition": f"attachment; filename=\"{name.encode('ascii', 'replace').decode()}\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store",
        },
    )


def _refused(status: int = 404) -> Response:
    return Response(
        "Document introuvable." if status == 404 else "Connectez-vous pour télécharger ce fichier.",
        status_code=status,
        media_type="text/plain; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )


# Plain functions: Starlette runs them in its thread pool, so building the workbook and reading
# a file never hold the event loop.
def export_reglements(request: Request) -> Response:
    employer_id = _employer_id(request)
    if employer_id is None:
        return _refused(401)
    params = request.query_params
    filters, errors = reglements.parse_filters(
        {
            "start": params.get("du", ""),
            "end": params.get("au", ""),
            "dossier": params.get("dossier", ""),
            "number": params.get("reglement", ""),
            "unpointed": params.get("non_pointes") == "1",
        }
    )
    if errors:
        return Response(" ".join(errors.values()), status_code=400, media_type="text/plain; charset=utf-8")
    # Imported here: openpyxl would stay in the memory of every worker for a rare export.
    from portal_app.domain.employer.reglements_xlsx import build_workbook, file_name

    lines = reglements.search(employer_id, filters)
    view = onboarding.view(employer_id)
    data = build_workbook(lines, view.company_name if view else "")
    return _attachment(data, file_name(lines, filters.start, filters.end), XLSX)


def download_document(request: Request) -> Response:
    employer_id = _employer_id(request)
    if employer_id is None:
        return _refused(401)
    try:
        document_id = int(request.path_params["document_id"])
    except (KeyError, ValueError):
        return _refused()
    row = employer_documents.get_document(employer_id, document_id)
    if row is None:
        return _refused()
    try:
        data = employer_documents.read_file(row)
    except FileNotFoundError:
        return _refused()
    return _attachment(data, row.file_name, CONTENT_TYPES.get(row.kind, "application/octet-stream"))
