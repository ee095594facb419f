"""The board's choice of weeks: a bookmarkable GET form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField
from wtforms.validators import NumberRange, Optional, ValidationError

from delegations.workload.board import MAX_WEEKS

DEFAULT_WEEKS = 8
FIRST_YEAR, LAST_YEAR = 1970, 2200


class WeekRangeForm(FlaskForm):
    class Meta:
        csrf = False  # a view changes nothing and must be bookmarkable

    start = DateField(_l("From the week of"), validators=[Optional()])
    weeks = IntegerField(_l("Number of weeks"), default=DEFAULT_WEEKS,
                         validators=[Optional(), NumberRange(min=1, max=MAX_WEEKS,
                                                             message=_l("Choose between %(min)s and %(max)s weeks."))])

    def validate_start(self, field) -> None:
        if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(_l("Choose a date between %(first)s and %(last)s.", first=FIRST_YEAR,
                                     last=LAST_YEAR))
