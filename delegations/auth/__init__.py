"""Logging in, roles and the accounts of the unit."""
