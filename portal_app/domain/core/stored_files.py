"""Every column that names a file of the store (core/filestore.py), and the sweep of the files
that no row names.

A file is written before the row that names it is committed, and a provider's programme waits
in its page until the quote is sent (domain/quotes/provider.py): a crash, a rolled-back action
or an upload never sent leaves a file no row names. The daily sweep (jobs/periodic.py) deletes
such files once they are older than SAFE_AGE, so an upload in progress is never swept; a file
any row names is kept whatever its age. tests/unit/test_stored_files.py fails when a model
column that holds a stored name is missing from FILE_COLUMNS.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import select

from portal_app.domain.core import filestore
from portal_app.domain.core.db import session_scope
from portal_app.models import (
    DataExport,
    Document,
    DossierPiece,
    EmployerDocument,
    FiledPiece,
    FilingReceipt,
    MessageAttachment,
    QuoteVersion,
)

log = logging.getLogger("portal.files")

FILE_COLUMNS = (
    Document.stored_name,
    Document.thumbnail_name,
    DossierPiece.stored_name,
    FiledPiece.stored_name,
    FilingReceipt.stored_name,
    MessageAttachment.stored_name,
    DataExport.stored_name,
    EmployerDocument.storage_key,
    QuoteVersion.programme_stored_name,
)
# Longer than any upload, any unit of work, and than a provider's page is likely to stay open
# before its quote is sent (send_quote refuses a programme swept meanwhile, in French).
SAFE_AGE = timedelta(hours=24)


def sweep_orphans(now: datetime) -> int:
    """Delete the stored files older than SAFE_AGE at `now` that no row names; how many went.

    One pass over the store, then one streamed query per column: memory follows the number of
    old files, and no column needs an index for it."""
    older_than = (now - SAFE_AGE).timestamp()
    candidates = filestore.old_files(older_than)
    if not candidates:
        return 0
    with session_scope() as db:
        for column in FILE_COLUMNS:
            names = db.exec(select(column).where(column.is_not(None)).execution_options(yield_per=2000))  # type: ignore[attr-defined]  # SQLModel types a class column as its value, not as SQL
            for name in names:
                candidates.pop(name, None)
    # Looked at again before deleting: a file copied or sent meanwhile was made young (filestore.touch).
    removed = sum(filestore.remove_if_old(path, older_than) for path in candidates.values())
    if removed:
        log.info("%d stored file(s) no row names deleted", removed)
    return removed
