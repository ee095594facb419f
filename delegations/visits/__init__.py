"""Delegations and tours: their members, programme items, the dashboard and the list."""
