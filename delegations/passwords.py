"""The password rule, written once for the forms and the create-user command."""
from __future__ import annotations

import re

MIN_PASSWORD_LENGTH = 10

# The most used passwords and the words they are built from (international lists and German ones, as
# attackers try them first). Checked case-insensitively, also with digits and symbols around them
# ("Passwort2026!", "hannover123").
COMMON_PASSWORDS = frozenset("""
123456 123456789 12345678 1234567890 12345 1234567 password passwort qwerty qwertz 111111 123123 abc123
1q2w3e4r 1q2w3e4r5t qwerty123 qwertz123 000000 iloveyou 1qaz2wsx 1qay2wsx asdfgh asdfghjkl yxcvbnm zxcvbnm
password1 password123 passwort1 passwort123 welcome willkommen letmein admin administrator root login
hallo hallo123 hello hello123 geheim geheim123 sommer winter fruehling frühling herbst sonnenschein sunshine
monkey dragon master football fussball fußball baseball superman batman princess shadow michael thomas
daniel andreas stefan schatz schatzi hannover hamburg berlin muenchen münchen koeln köln deutschland
germany bundesliga schalke04 borussia bayern werder eintracht hannover96 trustno1 starwars pokemon
computer internet changeme changeit default secret test test123 testtest user benutzer guest gast
mayor buergermeister bürgermeister rathaus delegation delegationen protokoll stadt stadtverwaltung
qwertyuiop qwertzuiop passw0rd p@ssw0rd p@ssword passwort! ichliebedich liebe blume katze hund
killer whatever freedom access mustang jordan harley ranger hunter buster soccer hockey tigger charlie
abcdef abcdefg abcdefgh abcdefghij aaaaaa 654321 987654321 123321 112233 121212 159753 147258369
zaq12wsx !qaz2wsx 1234qwer qwer1234 asdf1234 abcd1234 a1b2c3d4 12qwaszx
""".split())

_EDGE_NOISE = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def password_problem(password: str, email: str | None = None) -> str | None:
    """Return why a password is too weak, or None (English; callers translate the message)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters are needed"
    if len(set(password)) < 4:
        return "the password repeats too few different characters"
    lowered = password.lower()
    core = _EDGE_NOISE.sub("", lowered)
    if not core:
        return "digits and symbols alone are guessed quickly; please add words"
    if lowered in COMMON_PASSWORDS or core in COMMON_PASSWORDS:
        return "this is one of the most common passwords, which are tried first; please choose another"
    if email:
        address = email.strip().lower()
        local_part = address.partition("@")[0]
        if lowered == address or core == _EDGE_NOISE.sub("", local_part) or lowered == local_part \
                or core == address:
            return "the password must not be the e-mail address"
    return None
