"""FranceConnect and FranceConnect+ sign-in (OpenID Connect, FranceConnect v2's rules)."""
