"""Account deletion: the password typed again, then every row that names the account goes, as
accounts/user_data.py declares table by table, in one unit of work."""

from __future__ import annotations

from portal_app.domain.accounts.login import check_password, current_password_problem
from portal_app.domain.accounts.users import FormResult, first_name
from portal_app.domain.core import mail
from portal_app.domain.core.db import session_scope
from portal_app.models import User


def delete_account(user_id: int, password: str) -> FormResult:
    # Imported here: the registry reaches every feature, and those build on this package.
    from portal_app.domain.accounts import user_data

    with session_scope() as db:
        user = db.get(User, user_id)
        problem = current_password_problem(check_password(db, user, password))
    # The failed guess above is counted (and committed) even though nothing is deleted.
    if problem:
        return FormResult({"delete_password": problem})
    with session_scope() as db:
        user = db.get(User, user_id)
        mail.queue(db, user.email, "account_deleted", first_name=first_name(user))
        user_data.purge(db, user_id)
        db.delete(user)
    return FormResult()
