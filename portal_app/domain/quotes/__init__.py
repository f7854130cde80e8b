"""Training quotes ("devis") inside a démarche that declares them (Demarche.quotes).

The person asks a provider for a quote (person.py); the provider, who has no account, answers
through a private link whose token reaches that one request (provider.py); the person accepts
after typing their password again, may withdraw during the withdrawal period, and the
acceptance becomes final when the period ends (period.py). Every step is a QuoteEvent.
"""
