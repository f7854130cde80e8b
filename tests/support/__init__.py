"""Helpers shared by the tests (fixtures live in the conftest.py files, never in test modules).

users.py        add_user: the one user factory (unit: `make_user` fixture; e2e: create_active_user)
states.py       state_of / visit / upload_file: the app's real rx.State classes without a browser
filing.py       filled_draft / filed_dossier through the domain (unit tests)
outbox.py       mails written to the outbox folder
process.py      ServerProcess: the one harness for every process a test starts
server.py       PortalServer (the production build), app_env, migrate
devserver.py    DevPortalServer (`make run` in a copy of the checkout)
browser.py      Chromium, contexts, login, screenshots, axe; create_applicant
dossiers.py, drafts.py, pieces.py, corpus.py, demarche_data.py, smtp.py: data and mails
"""
