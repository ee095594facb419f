"""A slot chosen on the slot page opens the item form prefilled: start, end, principal, venue, contact, title."""
from __future__ import annotations

from datetime import datetime
from typing import Mapping

ID_FIELDS = ("principal_id", "venue_id", "responsible_id")


def _wall_clock(text: str | None) -> datetime | None:
    try:
        value = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return value if value is not None and value.tzinfo is None else None


def prefill_from_slot(form, args: Mapping[str, str]) -> None:
    """Copy what the slot link carries (query arguments) into the item form; anything unusable is ignored.

    `start` and `end` are wall-clock times of the place ("2027-05-03T10:00"), as the form's fields expect.
    """
    start, end = _wall_clock(args.get("start")), _wall_clock(args.get("end"))
    if start and end and end > start:
        form.starts_at.data, form.ends_at.data = start, end
    for name in ID_FIELDS:
        value = args.get(name, "")
        if name in form and value.isdigit() and any(choice == value for choice, *_rest in form[name].choices):
            form[name].data = int(value)
    title = (args.get("title") or "").strip()
    if title and not form.title.data:
        form.title.data = title[:300]
