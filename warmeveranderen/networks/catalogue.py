"""The self-scans' questions, defined once with their Dutch text (seeds 000 and 004).

Each scan kind has themes; each question has a stable code (stored with the answers), the building
block an initiative for it would touch, and optionally a health-matrix cell, so a gap can go to the
backlog and be matched with the offer basket, the library and the expertise network.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# The answer scale: how far the school is (1 = not at all … 4 = fully, part of our way of working).
SCAN_SCALE = {
    1: _l("1 – nog niet"),
    2: _l("2 – een begin"),
    3: _l("3 – grotendeels"),
    4: _l("4 – helemaal, het zit in onze werking"),
}
GAP_MAX = 2  # a score of 1 or 2 is a gap
STRENGTH_MIN = 3  # a score of 3 or 4 is a strength


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    building_block: str
    health_level: str | None = None
    health_strategy: str | None = None


@dataclass(frozen=True)
class Theme:
    code: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ScanKind:
    code: str
    title: str
    source: str
    intro: str
    themes: tuple[Theme, ...]

    def question(self, code: str) -> Question | None:
        return next((q for t in self.themes for q in t.questions if q.code == code), None)

    @property
    def questions(self) -> list[Question]:
        return [q for t in self.themes for q in t.questions]


Q = Question

SCHOOL_BONDING = ScanKind(
    "school_bonding", _l("Schoolbinding (fase 0)"),
    _l("Bron: Schoolbinding (fase 0), reflectievragen voor scholen en CLB"),
    _l("Schoolbinding heeft een positieve impact op het welbevinden, de motivatie, de prestaties en het gedrag "
       "van leerlingen. Sta per thema stil bij hoe jullie school vandaag werkt."),
    (
        Theme("welcome", _l("Warm onthaal"), (
            Q("sb_greeting", _l("Leerlingen worden bij het binnenkomen aangesproken en er zijn vaste ankerpunten "
                                "op de speelplaats voor informeel contact."), "culture", "school", "environment"),
            Q("sb_return", _l("Wie lang afwezig was, wordt bewust en warm opnieuw onthaald; leerkrachten krijgen "
                              "daarvoor een seintje."), "systems", "pupil", "care"),
            Q("sb_newcomers", _l("Nieuwe leerlingen (zij-instromers, eerstejaars) krijgen een buddy, meter of peter "
                                 "en worden de eerste weken opgevolgd."), "people", "pupil", "care"),
        )),
        Theme("restorative", _l("Herstelgericht werken"), (
            Q("sb_circles", _l("In de klas zijn er proactieve cirkels of klasgesprekken waarin leerlingen naar "
                               "elkaar leren luisteren."), "culture", "class", "education"),
            Q("sb_conflicts", _l("Conflicten worden herstelgericht aangepakt (verbindend gezag, geweldloze "
                                 "communicatie)."), "leadership", "school", "policy"),
        )),
        Theme("voice", _l("Communicatie en inspraak"), (
            Q("sb_channels", _l("Leerlingen en ouders weten via welke (informele) kanalen de school hen informeert."),
              "systems", "environment", "policy"),
            Q("sb_concerns", _l("Leerlingen kunnen hun bezorgdheden of ideeën kwijt, er wordt gevolg aan gegeven en "
                                "teruggekoppeld."), "systems", "pupil", "care"),
            Q("sb_consulted", _l("Leerlingen en ouders worden geconsulteerd over schoolzaken die hen aanbelangen "
                                 "(beleid, activiteiten, uitstappen)."), "leadership", "school", "policy"),
            Q("sb_council", _l("Er is een leerlingenraad en een ouderraad of oudercomité, en de school steunt hun "
                               "initiatieven."), "structure", "school", "policy"),
            Q("sb_codecide", _l("Leraren laten leerlingen soms meebeslissen (wanneer een toets, hoe ze leerstof "
                                "zien, welke klasactiviteiten)."), "culture", "class", "education"),
            Q("sb_whom", _l("Het is voor leerlingen en ouders duidelijk bij wie ze terechtkunnen met vragen en "
                            "bezorgdheden, en dat is laagdrempelig."), "structure", "environment", "care"),
        )),
        Theme("parents", _l("Ouderbetrokkenheid"), (
            Q("sb_meeting", _l("Er is een kennismakingsmoment vóór de eerste schooldag, zeker bij de overgang naar "
                               "het secundair."), "systems", "environment", "environment"),
            Q("sb_contact", _l("Ouders hebben laagdrempelig contact met secretariaat, directie en leerkrachten; "
                               "alle ouders kunnen inloggen op het schoolplatform."), "systems", "environment", "policy"),
        )),
    ),
)

ABC = ScanKind(
    "abc", _l("ABC van het schoolklimaat"), _l("Bron: Schoolbinding (fase 0), ABC-schoolklimaat"),
    _l("Autonomie, verbondenheid en competentie van leerlingen ondersteunen bevordert hun mentaal welbevinden en "
       "hun intrinsieke motivatie."),
    (
        Theme("abc", _l("Autonomie, verbondenheid, competentie"), (
            Q("abc_autonomy", _l("Leerlingen kunnen zichzelf zijn, hebben inspraak en kunnen hun gevoelens uiten."),
              "culture", "class", "education"),
            Q("abc_relatedness", _l("Leerlingen voelen warmte, vertrouwen en veiligheid bij leerkrachten en bij "
                                    "elkaar."), "people", "class", "environment"),
            Q("abc_competence", _l("We stellen duidelijke, voldoende hoge verwachtingen binnen de zone van naaste "
                                   "ontwikkeling, met structuur en voorspelbaarheid."), "systems", "class", "education"),
        )),
        Theme("climate", _l("Kenmerken van het schoolklimaat"), (
            Q("abc_authoritative", _l("Ons schoolklimaat is autoritatief: responsief en verbonden, én met duidelijke "
                                      "grenzen."), "leadership", "school", "policy"),
            Q("abc_safe", _l("Ons schoolklimaat is veilig: we investeren in de relatie leerling – leerkracht en "
                             "leerling – leerling, ook voor leerlingen met ASS."), "people", "school", "care"),
            Q("abc_participation", _l("Leerlingenparticipatie is een vaste werking, geen losse actie."),
              "structure", "school", "policy"),
            Q("abc_parents", _l("We zetten in op communicatie met ouders."), "systems", "environment", "policy"),
        )),
    ),
)

PILLARS = ScanKind(
    "pillars", _l("De acht pijlers van veerkracht"),
    _l("Bron: Warme scholen hebben en geven zin, de acht pijlers (Fonds GavoorGeluk)"),
    _l("Warme Scholen bouwen mee aan de acht pijlers voor veerkrachtbevordering bij jongeren. Hoe sterk staat "
       "jullie school op elke pijler?"),
    (
        Theme("pillars", _l("Pijlers"), (
            Q("p1_needs", _l("We besteden aandacht aan de basisbehoeften en rechten van kinderen en jongeren "
                             "(elke leerling een mentor, partners als het CLB)."), "structure", "pupil", "care"),
            Q("p2_upbringing", _l("We moedigen een warme, ondersteunende opvoeding aan: duurzame relaties over de "
                                  "jaren heen."), "culture", "school", "environment"),
            Q("p3_development", _l("We ondersteunen de persoonlijke ontwikkeling met groeikansen op maat."),
              "systems", "pupil", "education"),
            Q("p4_connection", _l("We creëren verbondenheid tussen leerlingen en hun omgeving (leergemeenschappen, "
                                  "brede school)."), "structure", "environment", "environment"),
            Q("p5_health", _l("We maximaliseren de kansen op fysieke gezondheid: voeding, beweging, sport."),
              "culture", "school", "environment"),
            Q("p6_vulnerability", _l("We maken kwetsbaarheid bespreekbaar in een veilige omgeving."),
              "people", "class", "education"),
            Q("p7_help", _l("Leerlingen vinden gemakkelijk de weg naar hulp."), "systems", "pupil", "care"),
            Q("p8_policy", _l("We betrekken leerlingen bij het beleid."), "leadership", "school", "policy"),
        )),
    ),
)

SCAN_KINDS: dict[str, ScanKind] = {k.code: k for k in (SCHOOL_BONDING, ABC, PILLARS)}
