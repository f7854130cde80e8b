"""Names vulture cannot see used: read by a library or a framework, not called by our code.

`make lint` runs vulture (pyproject.toml, [tool.vulture]); decorators Reflex and SQLAlchemy call
for us (@rx.page, @event.listens_for) are ignored there. Each entry below says who uses the name.
"""

# ruff: noqa: B018, F821  (bare names on purpose: vulture only needs to see them used)

# Reflex component API (components/altcha.py): the tag rendered, the props passed as keywords to
# create(), and the hooks Reflex calls while compiling a page.
_.tag
_.error_id
_.configuration
_.add_imports
_.add_custom_code

# Database columns written for the record (read by people and audits, not by the pages).
_.privacy_accepted_at  # models/employer.py EmployerAccount
_.imported_at  # models/employer.py Reglement
_.attached_at  # models/piece.py DossierPiece

# Library attributes set to configure an object: fpdf2 (core_fonts_encoding) and openpyxl
# (cell styles, number formats, frozen panes, the autofilter's range, a text cell's type and quote
# prefix).
_.core_fonts_encoding
_.font
_.fill
_.alignment
_.number_format
_.freeze_panes
_.ref
_.data_type
_.quotePrefix

# demarches.register() is undone by unregister(): for démarches declared outside the package
# (tests/unit/test_generic_demarche.py declares one).
_.unregister

# Left to the issue 11 rewrites in progress: the upload pipeline replaces this copy (drop the
# line when domain/employer/employer_documents.py no longer has it).
_.Outcome

# Read by inspect.signature (the guard hides its `user` parameter from Reflex).
_.__signature__

# Starlette path convertor (api/ids.py): the router reads the class attribute `regex`.
_.regex

# Called by Reflex on every event (app.add_middleware): states/tab_session.SameSessionMiddleware.
_.preprocess

# Huey calls create_storage() from its constructor and on a change of `immediate` (jobs/queue.py).
_.create_storage
# Database column written for the operator (why a queued mail is not sent yet), read by no page.
_.last_error  # models/outgoing_mail.py OutgoingMail
# authlib calls these on the development FranceConnect provider's client, code and grant
# models and on its AuthorizationServer (portal_app/fc_provider/server.py).
_.get_client_id
_.get_default_redirect_uri
_.get_allowed_scope
_.check_redirect_uri
_.check_client_secret
_.check_endpoint_auth_method
_.check_response_type
_.check_grant_type
_.get_redirect_uri
_.get_scope
_.get_nonce
_.get_auth_time
_.get_acr
_.get_amr
_.TOKEN_ENDPOINT_AUTH_METHODS
_.query_authorization_code
_.authenticate_user
_.get_authorization_code_challenge
_.get_authorization_code_challenge_method
_.exists_nonce
_.get_client_algorithm
_.get_encode_header
_.generate_user_info
_.query_client
_.save_token
_.send_signal
_.create_oauth2_request
_.handle_response

# Starlette app state of the development FranceConnect provider, read by its unit tests.
_.oidc_server

# Reflex plugin hook, called by Reflex's compiler (portal_app/page_shells.py).
_.pre_compile
