"""The public address setting: one name, the older one still read, environment variables honoured."""
from delegations.config import public_base_url, settings_from_environment


def test_public_base_url_drops_the_trailing_slash():
    assert public_base_url({"PUBLIC_BASE_URL": "https://delegationen.example.org/"}) == "https://delegationen.example.org"


def test_older_feed_base_url_setting_is_still_read():
    assert public_base_url({"FEED_BASE_URL": "https://old.example.org"}) == "https://old.example.org"
    assert public_base_url({"PUBLIC_BASE_URL": "https://new.example.org",
                            "FEED_BASE_URL": "https://old.example.org"}) == "https://new.example.org"


def test_without_a_setting_the_request_decides():
    assert public_base_url({}) is None
    assert public_base_url({"PUBLIC_BASE_URL": ""}) is None


def test_public_base_url_can_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://delegationen.example.org")
    assert settings_from_environment()["PUBLIC_BASE_URL"] == "https://delegationen.example.org"
