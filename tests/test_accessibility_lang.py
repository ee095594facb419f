"""Issue 11: text in another language than the page's carries its own lang attribute (WCAG 3.1.2): the Chinese
translations of programme items on a German delegation page, German venue names on a Chinese guest page,
and nothing in Chinese unmarked on the German dashboard. Names of people are proper names (exempt)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from delegations.demo import load_demo
from delegations.extensions import db
from delegations.models import Delegation, Member
from delegations.printing.guest_links import active_link, create_link, revoke_link

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class LanguageOfText(HTMLParser):
    """Collects each run of text with the language in force where it stands (the nearest lang attribute)."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.runs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if data.strip() and not any(tag in ("script", "style", "title") for tag, _ in self.stack):
            language = next((lang for _, lang in reversed(self.stack) if lang), "")
            self.runs.append((data.strip(), language))


def unmarked_chinese(html: str, names: set[str]) -> list[str]:
    parser = LanguageOfText()
    parser.feed(html)
    return [text for text, language in parser.runs
            if CJK.search(text) and not language.startswith(("zh", "ja")) and not any(name in text for name in names)]


def chinese_runs(html: str) -> list[tuple[str, str]]:
    parser = LanguageOfText()
    parser.feed(html)
    return [(text, language) for text, language in parser.runs if CJK.search(text)]


@pytest.fixture
def demo(app, client):
    load_demo()
    db.session.commit()
    from tests.accounts import sign_in
    sign_in(client, "viewer", "lang-viewer@example.org", locale="de")
    chinese = next(d for d in db.session.scalars(select(Delegation)) if "zh" in (d.languages or []))
    names = {name.split(" (")[0] for name in db.session.scalars(select(Member.name))}
    return chinese, names


def test_chinese_translations_on_the_german_delegation_page_are_marked_zh(client, demo):
    chinese, names = demo
    html = client.get(f"/delegations/{chinese.id}").get_data(as_text=True)
    assert '<html lang="de"' in html
    runs = chinese_runs(html)
    assert ("与经济促进局会谈", "zh") in runs
    assert unmarked_chinese(html, names) == []


def test_the_german_dashboard_has_no_unmarked_chinese_text(client, demo):
    _chinese, names = demo
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="de"' in html
    assert unmarked_chinese(html, names) == []


def test_the_chinese_guest_page_marks_german_names_and_the_page_language(app, client, demo):
    chinese, _names = demo
    if (link := active_link(chinese.id)) is not None:
        revoke_link(link)
    token = create_link(chinese, None, app.config["SECRET_KEY"]).token
    db.session.commit()
    html = client.get(f"/p/{token}?lang=zh").get_data(as_text=True)
    assert '<html lang="zh"' in html
    parser = LanguageOfText()
    parser.feed(html)
    assert any("Rathaus" in text and language == "de" for text, language in parser.runs)
    assert any(CJK.search(text) and language == "zh" for text, language in parser.runs)
    # the German view of the same page marks the Chinese item titles, if it shows any
    german = client.get(f"/p/{token}?lang=de")
    if german.status_code == 200:
        assert unmarked_chinese(german.get_data(as_text=True), _names) == []
