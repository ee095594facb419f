"""The rules a visit and its items obey, written once for forms, imports, commands and the engine."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l


def end_after_start_problem(start: datetime, end: datetime):
    """None if `end` is after `start`, else the message to show beside the end field."""
    if end <= start:
        return _l("The end must be after the start.")
    return None


def departure_problem(arrival: datetime, departure: datetime):
    if departure <= arrival:
        return _l("The departure must be after the arrival.")
    return None


def outside_stay_problem(start: datetime, end: datetime, arrival: datetime, departure: datetime):
    """An item must lie within the stay: from arrival to departure."""
    if start < arrival or end > departure:
        return _l("The item lies outside the stay (arrival to departure). Change its time or the dates of the visit.")
    return None
