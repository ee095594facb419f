"""Forms: a member's arrival and departure, and a transfer."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from delegations.forms import LocalDateTimeField, MultiCheckboxField, VersionedForm, required
from delegations.models.travel import TransferKind, TravelMode
from delegations.visits.forms import optional_id


class MemberTravelForm(FlaskForm):
    """Arrival and departure side by side; a leg without a time is not recorded (or is removed)."""

    arrival_version = HiddenField()
    arrival_mode = SelectField(_l("Arrival by"), choices=TravelMode.choices)
    arrival_carrier_number = StringField(_l("Arrival: flight or train number"), validators=[Length(max=40)],
                                         render_kw={"autocomplete": "off"})
    arrival_at = LocalDateTimeField(_l("Arrival: scheduled time"), validators=[Optional()])
    arrival_timezone = SelectField(_l("Arrival: time zone of the airport or station"))
    arrival_venue_id = SelectField(_l("Arrival: airport or station (venue)"), coerce=optional_id,
                                   validators=[Optional()])
    arrival_place = StringField(_l("Arrival: airport or station (in words)"), validators=[Length(max=200)])
    arrival_terminal = StringField(_l("Arrival: terminal or platform"), validators=[Length(max=60)])
    arrival_other_end = StringField(_l("Arriving from"), validators=[Length(max=200)])
    arrival_needs_transfer = BooleanField(_l("Pick-up wanted"), default=True)
    arrival_notes = TextAreaField(_l("Arrival: notes"), validators=[Length(max=2000)])

    departure_version = HiddenField()
    departure_mode = SelectField(_l("Departure by"), choices=TravelMode.choices)
    departure_carrier_number = StringField(_l("Departure: flight or train number"), validators=[Length(max=40)],
                                           render_kw={"autocomplete": "off"})
    departure_at = LocalDateTimeField(_l("Departure: scheduled time"), validators=[Optional()])
    departure_timezone = SelectField(_l("Departure: time zone of the airport or station"))
    departure_venue_id = SelectField(_l("Departure: airport or station (venue)"), coerce=optional_id,
                                     validators=[Optional()])
    departure_place = StringField(_l("Departure: airport or station (in words)"), validators=[Length(max=200)])
    departure_terminal = StringField(_l("Departure: terminal or platform"), validators=[Length(max=60)])
    departure_other_end = StringField(_l("Departing to"), validators=[Length(max=200)])
    departure_needs_transfer = BooleanField(_l("Drop-off wanted"), default=True)
    departure_notes = TextAreaField(_l("Departure: notes"), validators=[Length(max=2000)])

    def opened_versions(self) -> tuple[int | None, int | None]:
        def number(field) -> int | None:
            try:
                return int(field.data)
            except (TypeError, ValueError):
                return None

        return number(self.arrival_version), number(self.departure_version)


class TransferForm(VersionedForm):
    kind = SelectField(_l("Kind of transfer"), choices=TransferKind.choices)
    pickup_at = LocalDateTimeField(_l("Pick-up time"), validators=[required])
    pickup_address = TextAreaField(_l("Pick-up address"), validators=[required, Length(max=1000)])
    destination = TextAreaField(_l("Destination"), validators=[required, Length(max=1000)])
    duration_minutes = IntegerField(_l("Expected drive (minutes)"),
                                    validators=[Optional(), NumberRange(min=0, max=24 * 60)])
    passengers = MultiCheckboxField(_l("Passengers"))
    vehicle = StringField(_l("Vehicle"), validators=[Length(max=200)])
    driver_contact_id = SelectField(_l("Driver (contact person)"), coerce=optional_id, validators=[Optional()])
    driver_name = StringField(_l("Driver (name, if not a contact person)"), validators=[Length(max=200)])
    driver_phone = StringField(_l("Driver's phone"), validators=[Length(max=50)])
    programme_item_id = SelectField(_l("Programme item"), coerce=optional_id, validators=[Optional()])
    travel_leg_id = SelectField(_l("Serves the arrival or departure"), coerce=optional_id, validators=[Optional()])
    notes = TextAreaField(_l("Notes for the driver"), validators=[Length(max=2000)])


# Reading the travel form: every problem at once, each tied to its field -------------------------------------------

def _leg_values(form: MemberTravelForm, prefix: str):
    """The leg's column values, None when no time is given (no leg), or False after adding errors."""
    from delegations.forms import check_local_time_exists
    from delegations.travel.pickups import check_service

    at_field = form[f"{prefix}_at"]
    if at_field.data is None:
        return None
    zone = form[f"{prefix}_timezone"].data
    ok = check_local_time_exists(at_field, zone)
    mode = form[f"{prefix}_mode"].data
    carrier = (form[f"{prefix}_carrier_number"].data or "").strip()
    if (problem := check_service(mode, carrier)) is not None:
        form[f"{prefix}_carrier_number"].errors.append(LEG_PROBLEMS[problem])
        ok = False
    venue_id, place = form[f"{prefix}_venue_id"].data, (form[f"{prefix}_place"].data or "").strip()
    if venue_id is None and not place:
        form[f"{prefix}_place"].errors.append(LEG_PROBLEMS["place_missing"])
        ok = False
    if not ok:
        return False
    return {"mode": TravelMode(mode), "carrier_number": carrier, "scheduled_at": at_field.instant(zone),
            "timezone": zone, "venue_id": venue_id, "place": place,
            "terminal": (form[f"{prefix}_terminal"].data or "").strip(),
            "other_end": (form[f"{prefix}_other_end"].data or "").strip(),
            "needs_transfer": bool(form[f"{prefix}_needs_transfer"].data),
            "notes": (form[f"{prefix}_notes"].data or "").strip()}


def read_travel(form: MemberTravelForm, delegation):
    """(arrival values, departure values), either None for no leg; None after adding errors to the form."""
    from delegations.travel.pickups import check_legs

    arrival, departure = _leg_values(form, "arrival"), _leg_values(form, "departure")
    if arrival is False or departure is False:
        return None
    problems = check_legs(arrival["scheduled_at"] if arrival else None,
                          departure["scheduled_at"] if departure else None,
                          delegation.arrival_at, delegation.departure_at)
    for problem in problems:
        form[f"{problem.field}_at"].errors.append(LEG_PROBLEMS[problem.code])
    return None if problems else (arrival, departure)


LEG_PROBLEMS = {
    "number_missing": _l("A flight needs its flight number (for example LH 2342), so the driver can follow it."),
    "place_missing": _l("Please name the airport or station, or choose it from the venues."),
    "departure_before_arrival": _l("The departure must be after the arrival."),
    "arrival_outside_stay": _l("This arrival is far from the visit's dates (more than three days before it, or after "
                               "its end). Please check the date."),
    "departure_outside_stay": _l("This departure is far from the visit's dates (before its start, or more than three "
                                 "days after its end). Please check the date."),
}
