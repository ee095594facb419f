"""Contact persons and venues: lists, forms and travel times."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from delegations.auth.access import planner_required
from delegations.extensions import db
from delegations.models import ContactPerson, Delegation, ProgrammeItem, Venue
from delegations.people.forms import ContactPersonForm, TravelTimeForm, VenueForm, language_choices
from delegations.people.operations import set_travel_minutes, travel_times_of
from delegations.records import delete_unless_changed, save_or_report_conflict
from delegations.templating import current_locale_code

blueprint = Blueprint("people", __name__)

CONTACT_FIELDS = ("name", "function", "phone", "email", "languages", "active")
VENUE_FIELDS = ("name", "address", "room", "notes")


def contact_form(**kwargs) -> ContactPersonForm:
    form = ContactPersonForm(**kwargs)
    form.languages.choices = language_choices(current_locale_code())
    return form


@blueprint.route("/contacts/")
def list_contacts():
    query = request.args.get("q", "").strip()
    statement = select(ContactPerson).order_by(ContactPerson.active.desc(), ContactPerson.name)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(or_(func.lower(ContactPerson.name).like(like),
                                        func.lower(ContactPerson.function).like(like)))
    contacts = db.session.scalars(statement).all()
    return render_template("people/contacts.html", contacts=contacts, query=query)


@blueprint.route("/contacts/new", methods=["GET", "POST"])
@planner_required
def new_contact():
    form = contact_form()
    if form.validate_on_submit():
        contact = ContactPerson()
        form.populate_obj(contact)
        db.session.add(contact)
        db.session.commit()
        flash(_("Contact person %(name)s has been created.", name=contact.name), "success")
        return redirect(url_for("people.list_contacts"))
    return render_template("people/contact_form.html", form=form, contact=None)


@blueprint.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@planner_required
def edit_contact(contact_id: int):
    contact = db.session.get(ContactPerson, contact_id) or abort(404)
    form = contact_form(obj=contact)
    if form.validate_on_submit() and save_or_report_conflict(contact, form, CONTACT_FIELDS):
        flash(_("Contact person %(name)s has been saved.", name=contact.name), "success")
        return redirect(url_for("people.list_contacts"))
    return render_template("people/contact_form.html", form=form, contact=contact)


@blueprint.route("/contacts/<int:contact_id>/delete", methods=["POST"])
@planner_required
def delete_contact(contact_id: int):
    contact = db.session.get(ContactPerson, contact_id) or abort(404)
    in_use = db.session.scalar(select(func.count()).select_from(Delegation).where(
        or_(Delegation.lead_contact_id == contact.id, Delegation.deputy_contact_id == contact.id)))
    in_use += db.session.scalar(select(func.count()).select_from(ProgrammeItem).where(
        ProgrammeItem.responsible_id == contact.id))
    if in_use:
        flash(_("%(name)s is still assigned to visits or programme items. Mark the person as not available "
                "instead, or assign someone else first.", name=contact.name), "error")
        return redirect(url_for("people.edit_contact", contact_id=contact.id))
    if problem := delete_unless_changed(contact, request.form.get("version")):
        flash(problem, "error")
        return redirect(url_for("people.edit_contact", contact_id=contact_id))
    flash(_("Contact person %(name)s has been deleted.", name=contact.name), "success")
    return redirect(url_for("people.list_contacts"))


@blueprint.route("/venues/")
def list_venues():
    venues = db.session.scalars(select(Venue).order_by(Venue.name, Venue.room)).all()
    return render_template("people/venues.html", venues=venues)


@blueprint.route("/venues/new", methods=["GET", "POST"])
@planner_required
def new_venue():
    form = VenueForm()
    if form.validate_on_submit():
        venue = Venue()
        form.populate_obj(venue)
        db.session.add(venue)
        db.session.commit()
        flash(_("Venue %(name)s has been created.", name=venue.name), "success")
        return redirect(url_for("people.show_venue", venue_id=venue.id))
    return render_template("people/venue_form.html", form=form, venue=None)


@blueprint.route("/venues/<int:venue_id>")
def show_venue(venue_id: int):
    venue = db.session.get(Venue, venue_id) or abort(404)
    travel_form = travel_time_form(venue)
    return render_template("people/venue.html", venue=venue, travel_times=travel_times_of(venue),
                           travel_form=travel_form)


def travel_time_form(venue: Venue, **kwargs) -> TravelTimeForm:
    form = TravelTimeForm(**kwargs)
    others = db.session.scalars(select(Venue).where(Venue.id != venue.id).order_by(Venue.name, Venue.room)).all()
    form.other_venue.choices = [(other.id, other.label) for other in others]  # rooms tell apart one building's halls
    return form


@blueprint.route("/venues/<int:venue_id>/travel-times", methods=["POST"])
@planner_required
def set_travel_time(venue_id: int):
    venue = db.session.get(Venue, venue_id) or abort(404)
    form = travel_time_form(venue)
    if form.validate_on_submit():
        other = db.session.get(Venue, form.other_venue.data) or abort(404)
        set_travel_minutes(venue, other, form.minutes.data)
        db.session.commit()
        flash(_("Travel time to %(name)s saved: %(minutes)s minutes.", name=other.name, minutes=form.minutes.data), "success")
        return redirect(url_for("people.show_venue", venue_id=venue.id))
    return render_template("people/venue.html", venue=venue, travel_times=travel_times_of(venue),
                           travel_form=form)


@blueprint.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@planner_required
def edit_venue(venue_id: int):
    venue = db.session.get(Venue, venue_id) or abort(404)
    form = VenueForm(obj=venue)
    if form.validate_on_submit() and save_or_report_conflict(venue, form, VENUE_FIELDS):
        flash(_("Venue %(name)s has been saved.", name=venue.name), "success")
        return redirect(url_for("people.show_venue", venue_id=venue.id))
    return render_template("people/venue_form.html", form=form, venue=venue)


@blueprint.route("/venues/<int:venue_id>/delete", methods=["POST"])
@planner_required
def delete_venue(venue_id: int):
    venue = db.session.get(Venue, venue_id) or abort(404)
    in_use = db.session.scalar(select(func.count()).select_from(ProgrammeItem).where(ProgrammeItem.venue_id == venue.id))
    if in_use:
        flash(_("%(name)s is the venue of %(count)s programme items. Choose another venue for them first.",
                name=venue.name, count=in_use), "error")
        return redirect(url_for("people.show_venue", venue_id=venue.id))
    if problem := delete_unless_changed(venue, request.form.get("version")):
        flash(problem, "error")
        return redirect(url_for("people.edit_venue", venue_id=venue_id))
    flash(_("Venue %(name)s has been deleted.", name=venue.name), "success")
    return redirect(url_for("people.list_venues"))
