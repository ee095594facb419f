"""Issue 11: what a screen reader on a phone is handed. No screen reader runs here; instead these tests read
Chromium's own accessibility tree (CDP `Accessibility.getFullAXTree`: the roles, names, levels and states
Chromium passes to TalkBack/VoiceOver through the platform API) at a phone viewport (375 x 812, touch).

Playwright 1.65 has no `page.accessibility.snapshot()` any more, and `locator.aria_snapshot()` is computed
by Playwright's own script, not by Chromium, and says nothing about focusability; hence CDP.

- The guest page (`/p/<token>`, behind the QR code) in Chinese and in Polish: one level-1 heading naming the
  visit, a level-2 heading per day in order, each item's time read right before its title (a level-3
  heading), named links and landmarks, descriptive PDF / large-print links, `lang` of the guest's language,
  no focusable element without a name, the skip link first and moving focus to the programme.
- The login page and a planner's dashboard: banner, navigation (once logged in), main and contentinfo
  landmarks; the skip link is the first thing Tab reaches and Enter on it moves focus to main."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from delegations.constants import Role
from delegations.extensions import db
from delegations.printing.guest_links import create_link
from tests.accounts import make_account
from tests.browser.test_planning_flow import log_in
from tests.printing_data import make_visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

# Focusable without a name, on purpose: the document itself, and <main tabindex="-1"> (the skip link's
# target: focusable by script only, never by Tab; asserted below).
UNNAMED_FOCUSABLE_ALLOWED = {"RootWebArea", "main"}


@dataclass
class AXNode:
    role: str
    name: str
    properties: dict
    children: list[AXNode]

    @property
    def level(self) -> int | None:
        return self.properties.get("level")

    def walk(self):
        """This node and its descendants in tree order (the order a screen reader reads them)."""
        yield self
        for child in self.children:
            yield from child.walk()

    def all(self, role: str) -> list[AXNode]:
        return [node for node in self.walk() if node.role == role]


def accessibility_tree(page) -> AXNode:
    """Chromium's accessibility tree of the page; nodes Chromium ignores are dropped, their children kept."""
    session = page.context.new_cdp_session(page)
    try:
        raw = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    by_id = {node["nodeId"]: node for node in raw}

    def build(node) -> list[AXNode]:
        children = [built for child in node.get("childIds", []) if child in by_id for built in build(by_id[child])]
        if node.get("ignored"):
            return children
        properties = {prop["name"]: prop["value"].get("value") for prop in node.get("properties", [])}
        return [AXNode(node["role"]["value"], str((node.get("name") or {}).get("value") or ""), properties,
                       children)]

    roots = [node for node in raw if not node.get("parentId")]
    assert len(roots) == 1, roots
    (root,) = build(roots[0])
    assert root.role == "RootWebArea"
    return root


def announcements(node: AXNode) -> list[tuple[str, str]]:
    """What a screen reader says swiping forward through the page: a heading or a link as one announcement
    (with its level or role), other text piece by piece."""
    if node.role == "heading":
        return [(f"heading {node.level}", node.name)]
    if node.role in ("link", "button"):
        return [(node.role, node.name)]
    if node.role == "StaticText":
        return [("text", node.name)]
    return [said for child in node.children for said in announcements(child)]


def unnamed_focusable(tree: AXNode) -> list[str]:
    return [f"{node.role} {node.properties}" for node in tree.walk()
            if node.properties.get("focusable") and not node.name.strip()
            and node.role not in UNNAMED_FOCUSABLE_ALLOWED]


def focused(page) -> AXNode:
    """The node holding the focus (the deepest one marked focused)."""
    nodes = [node for node in accessibility_tree(page).walk() if node.properties.get("focused")]
    assert nodes, "nothing has the focus"
    return nodes[-1]


def assert_skip_link_first_and_moves_focus_to_main(page, name: str) -> None:
    tree = accessibility_tree(page)
    first = next(node for node in tree.walk() if node.properties.get("focusable") and node.role != "RootWebArea")
    assert (first.role, first.name) == ("link", name), "the skip link is the first focusable element"
    assert first.properties.get("url", "").endswith("#main")
    assert page.locator("main").get_attribute("tabindex") == "-1", "main takes focus from the skip link only"
    page.keyboard.press("Tab")
    reached = focused(page)
    assert (reached.role, reached.name) == ("link", name), "Tab reaches the skip link first"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    assert focused(page).role == "main", "Enter on the skip link moves the focus to the main landmark"


# The guest page ------------------------------------------------------------------------------------------

# What the guest hears, per language: words of the page's own dictionaries (printing/labels.py) and the
# visit of tests/printing_data.make_visit; the cancelled item is never mentioned.
GUEST = {
    "zh": {
        "title": "Delegation aus Shenzhen",
        "days": [("第1天", "2027年5月10日"), ("第2天", "2027年5月11日"), ("第3天", "2027年5月12日")],
        "items": [(1, "14:00–15:30", "市长欢迎仪式"), (2, "10:00–12:00", "参观海恩豪森花园 (待确认)"),
                  (2, "12:30–14:00", "Lunch at the gallery building")],
        "after": [(2, "联系人"), (2, "实用信息"), (3, "酒店"), (3, "紧急电话")],
        "no_items": "当日无安排。", "pdf": "下载PDF", "large": "大字版（PDF）", "tools": "语言",
    },
    "pl": {
        "title": "Delegation aus Poznań",
        "days": [("Dzień 1", "10 maja 2027"), ("Dzień 2", "11 maja 2027"), ("Dzień 3", "12 maja 2027")],
        "items": [(1, "14:00–15:30", "Reception by the Lord Mayor"),
                  (2, "10:00–12:00", "Führung Herrenhäuser Gärten (do potwierdzenia)"),
                  (2, "12:30–14:00", "Lunch at the gallery building")],
        "after": [(2, "Osoby kontaktowe"), (2, "Informacje praktyczne"), (3, "Hotel"), (3, "Numery alarmowe")],
        "no_items": "Na ten dzień nie zaplanowano spotkań.", "pdf": "Pobierz PDF", "large": "Duża czcionka (PDF)",
        "tools": "Język",
    },
}


@pytest.fixture(autouse=True)
def print_config(csrf_app, tmp_path):
    csrf_app.config.update(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"))


@pytest.mark.parametrize("language", ["zh", "pl"])
def test_a_screen_reader_on_a_phone_reads_the_guest_programme_in_order(csrf_app, live_server, browser, language):
    expected = GUEST[language]
    visit = make_visit(language)
    token = create_link(visit.delegation, None, csrf_app.config["SECRET_KEY"]).token
    db.session.commit()
    context = browser.new_context(**PHONE, locale={"zh": "zh-CN", "pl": "pl-PL"}[language])
    page = context.new_page()
    try:
        assert page.goto(f"{live_server}/p/{token}").status == 200
        assert page.locator("html").get_attribute("lang") == language, "the voice speaks the guest's language"
        tree = accessibility_tree(page)

        # The outline a screen reader's heading navigation offers: the visit, its days, their items.
        outline = [(node.level, node.name) for node in tree.all("heading")]
        assert [level for level, _name in outline].count(1) == 1, outline
        assert outline[0] == (1, expected["title"]), outline
        assert all(later - earlier <= 1 for (earlier, _a), (later, _b) in zip(outline, outline[1:])), outline
        day_headings = [name for level, name in outline if level == 2][:len(expected["days"])]
        for (day_label, date), name in zip(expected["days"], day_headings, strict=True):
            assert name.startswith(day_label + " ") and date in name, (name, day_label, date)
        items_per_day = [[title for number, _time, title in expected["items"] if number == day]
                         for day in range(1, len(expected["days"]) + 1)]
        assert outline == ([(1, expected["title"])]
                           + [heading for name, titles in zip(day_headings, items_per_day)
                              for heading in [(2, name)] + [(3, title) for title in titles]]
                           + expected["after"]), outline

        # Swiping through the page: each day, then each item's time immediately before its title.
        said = announcements(tree)
        day_at = [said.index(("heading 2", name)) for name in day_headings] + [len(said)]
        assert day_at == sorted(day_at), "the days are read in order"
        times_at = []
        for number, time, title in expected["items"]:
            title_at = said.index(("heading 3", title))
            assert said[title_at - 1] == ("text", time), f"{title!r} is announced after {said[title_at - 1]!r}"
            assert day_at[number - 1] < title_at - 1 < day_at[number], f"{title!r} is read under its day"
            times_at.append(title_at - 1)
        assert times_at == sorted(times_at), "the items are read in the order of the programme"
        assert ("text", expected["no_items"]) in said, "an empty day says so"
        assert not [text for _kind, text in said if "Abgesagter" in text], "cancelled items are not announced"

        # Each day is a region named by its heading, its items a list whose length the reader announces.
        regions = {node.name: node for node in tree.all("region")}
        for name, titles in zip(day_headings, items_per_day):
            assert len(regions[name].all("listitem")) == len(titles), name

        # Landmarks and names: nothing focusable without a name, every link named, the tools named in words.
        landmarks = {node.role: node.name for node in tree.walk()
                     if node.role in ("banner", "navigation", "main", "contentinfo")}
        assert set(landmarks) == {"banner", "navigation", "main", "contentinfo"}, landmarks
        assert landmarks["navigation"] == expected["tools"], "the tools' landmark is named in words, not a code"
        assert unnamed_focusable(tree) == []
        links = tree.all("link")
        assert links and [link.properties.get("url") for link in links if not link.name.strip()] == []
        by_name = {}
        for link in links:
            by_name.setdefault(link.name, []).append(link.properties.get("url", ""))
        assert [url.split("/p/", 1)[1] for url in by_name[expected["pdf"]]] == [
            f"{token}/programme.pdf?lang={language}"]
        assert [url.split("/p/", 1)[1] for url in by_name[expected["large"]]] == [
            f"{token}/programme.pdf?lang={language}&size=large"]
        assert by_name["English"] == [f"{live_server}/p/{token}?lang=en"]
        assert len(by_name["Accessibility statement"]) == 1

        # The skip link is named by the visit's title, in the title's language (German here).
        title_lang = page.locator("h1").get_attribute("lang")
        assert title_lang == "de" and page.locator("a.skip-link").get_attribute("lang") == title_lang
        assert_skip_link_first_and_moves_focus_to_main(page, expected["title"])
    finally:
        context.close()


# The planning app: login and a planner's dashboard --------------------------------------------------------

def test_login_and_dashboard_on_a_phone_have_landmarks_and_a_working_skip_link(csrf_app, live_server, browser):
    make_account(Role.PLANNER, "planner@example.org")
    make_visit("zh")
    db.session.commit()
    context = browser.new_context(**PHONE, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/login")
        assert page.locator("html").get_attribute("lang") == "en"
        tree = accessibility_tree(page)
        roles = {node.role for node in tree.walk()}
        # Before login there is nothing to navigate to: the header has no navigation landmark.
        assert {"banner", "main", "contentinfo"} <= roles, roles
        assert [node.name for node in tree.all("heading") if node.level == 1] == ["Log in"]
        assert {node.name for node in tree.all("textbox")} >= {"E-mail address"}
        assert unnamed_focusable(tree) == []
        assert_skip_link_first_and_moves_focus_to_main(page, "Skip to main content")

        log_in(page, live_server, "planner@example.org")
        tree = accessibility_tree(page)
        landmarks = [(node.role, node.name) for node in tree.walk()
                     if node.role in ("banner", "navigation", "main", "contentinfo")]
        assert [role for role, _name in landmarks if role != "navigation"] == ["banner", "main", "contentinfo"]
        assert ("navigation", "Main navigation") in landmarks, landmarks
        navigation = next(node for node in tree.all("navigation") if node.name == "Main navigation")
        assert {link.name for link in navigation.all("link")} >= {"Overview", "Delegations and tours", "Outbox"}
        assert len([node for node in tree.all("heading") if node.level == 1]) == 1
        assert unnamed_focusable(tree) == []
        assert [link.properties.get("url") for link in tree.all("link") if not link.name.strip()] == []
        assert_skip_link_first_and_moves_focus_to_main(page, "Skip to main content")
    finally:
        context.close()
