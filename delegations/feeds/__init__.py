"""Calendar feeds (RFC 5545): pure building of calendars, a registry of exporters, secret links and their views.

calendar.py   programme items and visits -> icalendar objects (no database, no HTTP)
exporters.py  the registry: one small exporter per kind of feed or download (what it selects, its name)
tokens.py     issuing, finding, revoking feed links; recording their use (no HTTP)
links.py      https:// and webcal:// addresses of a feed and its QR code
views.py      the subscribe panel, the token-guarded feed (ETag, 304) and the .ics downloads
commands.py   `flask --app delegations feeds issue|list|revoke`
"""
