"""Mes relations: the people and companies an account holder files démarches for."""
