"""Issue 11: a planner who uses only the keyboard plans a visit from the login to the printed programme
(Tab, Shift+Tab, Enter, Space and typing; no mouse, no clicks), and every element that takes focus on the
way shows a visible focus indicator."""
from __future__ import annotations

import re

import pytest

from delegations.constants import Role
from tests.accounts import make_account
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  return {tag: element.tagName.toLowerCase(), id: element.id, type: element.type || '',
          text: (element.innerText || element.value || '').trim().slice(0, 80),
          href: element.getAttribute('href') || '', outline: style.outlineStyle, outlineWidth: style.outlineWidth,
          how: [element.matches(':focus'), element.matches(':focus-visible'), style.outline, element.className].join(' ')};
}"""


class Keyboard:
    """Moves the focus with Tab and records every focused element that has no visible outline."""

    def __init__(self, page):
        self.page = page
        self.invisible: list[str] = []
        self.presses = 0

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, matches, limit: int = 150, backwards: bool = False) -> dict:
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            self.presses += 1
            element = self.focused()
            if element is None:
                continue
            if element["outline"] == "none" or element["outlineWidth"] in ("0px", ""):
                self.invisible.append(f"{self.page.url} {element['tag']}#{element['id']} {element['text'][:30]!r} {element['how']}")
            if matches(element):
                return element
        raise AssertionError(f"the keyboard never reached the element on {self.page.url}")

    def field(self, field_id: str) -> None:
        self.tab_to(lambda element: element["id"] == field_id)

    def type_into(self, field_id: str, text: str) -> None:
        self.field(field_id)
        self.page.keyboard.type(text)

    def date_time(self, field_id: str, day: str, clock: str, half: str) -> None:
        """A datetime-local field as headless Chromium draws it (mm/dd/yyyy, hh:mm AM/PM, whatever the locale):
        month, day and year typed in turn, the right arrow key to the hour (the year segment would take six
        digits), hour and minute, then A or P."""
        self.field(field_id)
        self.page.keyboard.type(day)
        self.page.keyboard.press("ArrowRight")
        self.page.keyboard.type(clock)
        self.page.keyboard.type(half)

    def link(self, text: str) -> None:
        self.tab_to(lambda element: element["tag"] == "a" and element["text"].startswith(text))

    def button(self, text: str) -> None:
        self.tab_to(lambda element: element["tag"] == "button" and element["text"].startswith(text))


def test_a_planner_plans_a_visit_to_the_printed_programme_with_the_keyboard_only(live_server, browser):
    make_account(Role.PLANNER, "keyboard@example.org")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    keys = Keyboard(page)
    try:
        page.goto(f"{live_server}/login")
        keys.type_into("email", "keyboard@example.org")
        keys.type_into("password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server}/")

        # The skip link is the first stop on every page and takes the focus to the content.
        keys.tab_to(lambda element: element["href"] == "#main", limit=1)
        keys.link("New incoming delegation")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/delegations/new"))

        keys.type_into("title", "Delegation aus Bristol")
        keys.field("country_code")
        page.keyboard.type("United King")  # type-ahead in the closed select
        keys.type_into("city", "Bristol")
        keys.date_time("arrival_at", "05032027", "0900", "A")
        keys.date_time("departure_at", "05052027", "0600", "P")
        assert page.locator("#arrival_at").input_value() == "2027-05-03T09:00"
        assert page.locator("#departure_at").input_value() == "2027-05-05T18:00"
        keys.tab_to(lambda element: element["type"] == "checkbox" and element["id"].startswith("languages"))
        page.keyboard.press("Space")  # the first language: a checkbox ticked with the space bar
        assert page.locator("input[name=languages]:checked").count() == 1
        keys.tab_to(lambda element: element["id"] == "departure_at", backwards=True)  # Shift+Tab goes back
        keys.button("Save")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/delegations/\d+$"))
        assert page.locator("h1").inner_text() == "Delegation aus Bristol"
        delegation_url = page.url

        keys.link("Add programme item")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/items/new"))
        keys.type_into("title", "Empfang im Neuen Rathaus")
        keys.date_time("starts_at", "05032027", "0200", "P")
        keys.date_time("ends_at", "05032027", "0330", "P")
        keys.button("Save item")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/delegations/\d+(#item-\d+)?$"))
        assert "Empfang im Neuen Rathaus" in page.locator("main").inner_text()

        # The programme PDF from the Print panel.
        page.goto(delegation_url)
        keys.tab_to(lambda element: "programme.pdf" in element["href"] and "size=large" not in element["href"])
        with page.expect_response(lambda response: "programme.pdf" in response.url) as answer:
            page.keyboard.press("Enter")
        assert answer.value.status == 200
        assert answer.value.header_value("content-type") == "application/pdf"
        # Chromium's PDF viewer takes over the body; the same request with the same session shows the bytes.
        assert context.request.get(answer.value.url).body()[:5] == b"%PDF-"
    finally:
        context.close()
    assert keys.invisible == [], "focused without a visible outline:\n" + "\n".join(keys.invisible)
    print(f"\n{keys.presses} key presses from the login to the programme")
