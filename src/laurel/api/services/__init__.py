"""Writes of the API app: a user's own token."""
