"""Issue 11: large print (every text of 14 pt or more, measured in the PDF) for the guest-facing programme and
travel programme, from the delegation page and from the guest page, and for the Mayor's briefing."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from delegations.demo import load_demo
from delegations.extensions import db
from delegations.models import Delegation
from tests.accounts import sign_in
from tests.factories import make_delegation, make_item


def text_sizes(data: bytes) -> dict[str, float]:
    """{text: its size in points} for every piece of text the PDF draws (font size x text and page scale)."""
    sizes: dict[str, float] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        def visit(text, cm, tm, _font, font_size):
            if text.strip():
                scale = abs(tm[2] * cm[1] + tm[3] * cm[3]) or abs(tm[0] * cm[0])
                sizes[text.strip()] = min(sizes.get(text.strip(), 999.0), round(font_size * scale, 1))
        page.extract_text(visitor_text=visit)
    return sizes


def smallest(data: bytes) -> tuple[float, str]:
    sizes = text_sizes(data)
    text = min(sizes, key=sizes.get)
    return sizes[text], text


@pytest.fixture
def demo(app, client):
    load_demo()
    db.session.commit()
    sign_in(client, "planner", "large-print@example.org")
    delegations = db.session.scalars(select(Delegation).order_by(Delegation.id)).all()
    chinese = next(d for d in delegations if "zh" in (d.languages or []))
    from delegations.printing.guest_links import active_link, create_link, token_for

    if active_link(chinese.id) is None:
        create_link(chinese, None, app.config["SECRET_KEY"])
        db.session.commit()
    return {"chinese": chinese, "tour": next(d for d in delegations if d.is_outgoing),
            "token": token_for(active_link(chinese.id), app.config["SECRET_KEY"])}


def test_the_large_print_briefing_has_no_text_under_14_points(client, demo):
    normal = client.get(f"/delegations/{demo['chinese'].id}/briefing.pdf")
    large = client.get(f"/delegations/{demo['chinese'].id}/briefing.pdf?size=large")
    assert normal.status_code == large.status_code == 200
    assert smallest(normal.data)[0] < 10  # the normal briefing is dense
    size, text = smallest(large.data)
    assert size >= 14, f"{text!r} at {size} pt"
    assert "-large" in large.headers["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(large.data)).pages) > len(PdfReader(io.BytesIO(normal.data)).pages)
    # the talking points and the complete programme are all there
    words = " ".join(text_sizes(large.data))
    assert "Empfang" in words and "Bürgermeisterin" in words


def test_the_large_print_travel_programme_has_no_text_under_14_points(client, demo):
    response = client.get(f"/delegations/{demo['tour'].id}/programme.pdf?size=large")
    assert response.status_code == 200
    size, text = smallest(response.data)
    assert size >= 14, f"{text!r} at {size} pt"


def test_the_guest_page_links_its_large_print_programme(client, demo):
    client.get("/logout")
    page = client.get(f"/p/{demo['token']}?lang=zh").get_data(as_text=True)
    assert f"/p/{demo['token']}/programme.pdf?lang=zh&amp;size=large" in page
    assert "大字版（PDF）" in page  # in the guest's language
    response = client.get(f"/p/{demo['token']}/programme.pdf?lang=zh&size=large")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    size, text = smallest(response.data)
    assert size >= 14, f"{text!r} at {size} pt"
    # the cover (letterhead, title, QR code, as-of line) still fits on the first page
    first = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "更新于" in first


def test_a_right_to_left_large_print_programme_has_14_point_page_numbers(client, demo):
    delegation = make_delegation(title="Delegation aus Amman", city="Amman", country_code="JO", languages=["ar", "en"])
    make_item(delegation, title="Empfang im Rathaus")
    db.session.commit()
    response = client.get(f"/delegations/{delegation.id}/programme.pdf?lang=ar&size=large")
    assert response.status_code == 200
    size, text = smallest(response.data)
    assert size >= 14, f"{text!r} at {size} pt"


def test_the_delegation_page_links_the_large_print_briefing(client, demo):
    page = client.get(f"/delegations/{demo['chinese'].id}").get_data(as_text=True)
    assert f"/delegations/{demo['chinese'].id}/briefing.pdf?lang=de&amp;size=large" in page
    assert "Mayor&#39;s briefing, large print" in page or "Mayor's briefing, large print" in page
