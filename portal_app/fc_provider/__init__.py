"""A local OpenID Connect provider that behaves like FranceConnect v2, for development and tests.

Never imported by the portal itself: `python -m portal_app.cli fc-provider` (and `make run`, and
the e2e fixture) start it as its own process. Built on authlib's server components (the
authorization code grant, PKCE, OpenID Connect's id_token) and joserfc (keys, signed userinfo).
"""
