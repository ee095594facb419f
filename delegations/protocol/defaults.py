"""The default ranking rules: offices in Germany and of international guests, with their tie-breakers.

Germany fixes the order of its top federal offices only; below them every protocol office keeps its own
list. This is a sensible start for a city: the unit changes levels, adds offices and retires others
(Protocol -> Ranking rules). Smaller levels rank higher; gaps leave room for offices added later.
"""
from __future__ import annotations

NONE, ACCREDITATION, SERVICE, ORDINAL = "none", "accreditation", "service", "ordinal"

# key, German name, English name, level, tie-breaker
DEFAULT_OFFICE_LEVELS: tuple[tuple[str, str, str, int, str], ...] = (
    ("head_of_state", "Staatsoberhaupt", "Head of state", 10, NONE),
    ("head_of_government", "Regierungschef/in", "Head of government", 20, NONE),
    ("president_of_parliament", "Parlamentspräsident/in", "President of a parliament", 25, NONE),
    ("minister", "Minister/in (Bund oder Ausland)", "Minister (federal or foreign)", 30, NONE),
    ("minister_president", "Ministerpräsident/in eines Landes", "Minister-President of a German state", 35, NONE),
    ("ambassador", "Botschafter/in", "Ambassador", 40, ACCREDITATION),
    ("state_minister", "Landesminister/in", "Minister of a German state", 45, NONE),
    ("member_of_parliament", "Abgeordnete/r (Bundestag, Landtag, Europäisches Parlament)",
     "Member of parliament", 50, SERVICE),
    ("partner_mayor", "Bürgermeister/in einer Partnerstadt (Stadtoberhaupt)", "Mayor of a partner city", 55, NONE),
    ("lord_mayor", "Oberbürgermeister/in", "Lord Mayor (Oberbürgermeister/in)", 60, NONE),
    ("consul_general", "Generalkonsul/in", "Consul General", 65, ACCREDITATION),
    ("mayor", "Bürgermeister/in (Stellvertretung des Oberbürgermeisters)", "Deputy mayor (Bürgermeister/in)", 70,
     ORDINAL),
    ("deputy_partner_mayor", "Stellvertretende/r Bürgermeister/in einer Partnerstadt",
     "Deputy mayor of a partner city", 72, ORDINAL),
    ("consul", "Konsul/in, Honorarkonsul/in", "Consul, honorary consul", 75, ACCREDITATION),
    ("council_member", "Ratsmitglied", "Council member", 80, SERVICE),
    ("department_head", "Dezernent/in (Stadträtin, Stadtrat)", "Head of a city department", 85, ORDINAL),
    ("senior_official", "Leitende/r Beamte/r, Direktor/in", "Senior official, director", 90, NONE),
    ("delegation_member", "Delegationsmitglied", "Member of a delegation", 95, NONE),
    ("staff", "Begleitung, Mitarbeiter/in", "Accompanying staff", 98, NONE),
)
