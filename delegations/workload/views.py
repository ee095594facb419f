"""The workload board (viewers and planners) and the "who has room" list beside a visit's lead contact."""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from babel.numbers import format_decimal
from flask import Blueprint, current_app, render_template, request, url_for

from delegations.auth.access import planner_required
from delegations.models import utc_now
from delegations.planning.conflicts import current_locale_name
from delegations.workload.board import monday_of, weeks_from
from delegations.workload.chart import lay_out
from delegations.workload.forms import DEFAULT_WEEKS, WeekRangeForm
from delegations.workload.queries import load_board
from delegations.workload.room import lead_room, parse_wall_clock, stay_from_wall_clock

blueprint = Blueprint("workload", __name__)


def home_zone() -> str:
    return current_app.config["HOME_TIMEZONE"]


def home_today() -> date:
    return utc_now().astimezone(ZoneInfo(home_zone())).date()


@blueprint.app_template_filter("workload_hours")
def hours_text(hours: float) -> str:
    """6 / 6.5 (6,5 in German): at most one decimal."""
    return format_decimal(hours, format="#,##0.#", locale=current_locale_name())


@blueprint.app_template_filter("workload_day")
def day_text(day) -> str:
    return format_skeleton("MMMd", day, locale=current_locale_name())


@blueprint.route("/workload/")
def board():
    form = WeekRangeForm(request.args)
    if request.args:
        form.validate()  # a refused value is explained above the form and the default is used instead
    today = home_today()
    start = monday_of(form.start.data) if form.start.data and not form.start.errors else monday_of(today)
    count = form.weeks.data if form.weeks.data and not form.weeks.errors else DEFAULT_WEEKS
    # Empty fields show what is used; a refused value stays in its field beside its message.
    if not (form.start.raw_data and form.start.raw_data[0]):
        form.start.data = start
    if not (form.weeks.raw_data and form.weeks.raw_data[0]):
        form.weeks.data = count
    weeks = weeks_from(start, count, home_zone())
    loaded = load_board(weeks, home_zone(), today)
    names = {row.person.id: row.person.name for row in loaded.board.rows}
    step = timedelta(weeks=count)
    links = {"earlier": url_for(".board", start=(start - step).isoformat(), weeks=count),
             "later": url_for(".board", start=(start + step).isoformat(), weeks=count),
             "now": url_for(".board", weeks=count)}
    return render_template("workload/board.html", form=form, board=loaded.board, chart=lay_out(loaded.board),
                           links=links, showing_now=start == monday_of(today), conflict_panel=loaded.conflicts,
                           responsible={key: [names[i] for i in ids if i in names]
                                        for key, ids in loaded.responsible.items()})


@blueprint.route("/workload/lead-room")
@planner_required
def lead_room_fragment():
    """The "who has room" list for the dates typed into a visit form (htmx swaps it in; works as a page too)."""
    args = request.args
    stay = stay_from_wall_clock(args.get("direction"), args.get("timezone"), args.get("country_code"),
                                parse_wall_clock(args.get("arrival_at")), parse_wall_clock(args.get("departure_at")),
                                home_zone())
    delegation_id = args.get("delegation_id", type=int)
    room = lead_room(stay, home_zone(), home_today(), delegation_id)
    template = "workload/_lead_room_body.html" if request.headers.get("HX-Request") else "workload/_lead_room.html"
    return render_template(template, lead_room=room, lead_room_delegation_id=delegation_id)
