"""Messages built from user data (conflicts, history) are escaped like any other text on the page."""
from datetime import timedelta

from tests.factories import make_delegation, make_item

PAYLOAD = '<script>alert("x")</script>'


def test_a_conflict_message_naming_a_hostile_title_is_escaped(client, login):
    login("viewer")
    delegation = make_delegation()
    first = make_item(delegation, title=PAYLOAD, minutes=90)
    make_item(delegation, start=first.starts_at + timedelta(minutes=30), title="Lunch")
    from delegations.extensions import db
    db.session.commit()

    page = client.get(f"/delegations/{delegation.id}")

    assert page.status_code == 200
    assert PAYLOAD not in page.text
    assert "&lt;script&gt;" in page.text


def test_lazy_translated_messages_with_user_data_are_escaped_in_every_template(app):
    from flask import render_template_string
    from flask_babel import lazy_gettext as _l

    with app.test_request_context():
        html = render_template_string("<p>{{ message }}</p>", message=_l("Edit %(name)s", name=PAYLOAD))

    assert PAYLOAD not in html
    assert "&lt;script&gt;" in html
