"""The shape of a vision document: the five questions of the prototype, their parts and guiding texts.

A vision's content is a plain dict {part key: value}: a Markdown string for text parts, a list of
{"name", "meaning"} rows for value lists. Drafts, versions, diffs and conflicts all work per part.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from warmeveranderen.domain import AMORE_CRITERIA, CORE_MISSIONS, VISION_PRINCIPLE_THEMES

TEXT = "text"
VALUES = "values"


@dataclass(frozen=True)
class Part:
    key: str
    title: object
    guidance: object
    kind: str = TEXT


@dataclass(frozen=True)
class Question:
    number: int
    key: str
    title: object
    guidance: object
    parts: tuple[Part, ...]


MISSION_GUIDANCE = {
    "qualification": _l(
        "Leerdoelen die er echt toe doen: voor de persoonlijke ontwikkeling van de leerling, voor het "
        "vervolgonderwijs en voor de arbeidsmarkt."
    ),
    "talent": _l("Talenten ontdekken en laten groeien, met passie, en leerlingen zelf de regie over hun talenten geven."),
    "learning_capacity": _l(
        "Leerlingen preventief en curatief begeleiden bij leerhindernissen en bij sociaal-emotionele moeilijkheden, "
        "zodat hun veerkracht en sociale vaardigheden groeien."
    ),
    "involvement": _l(
        "Betrokkenheid van alle belanghebbenden in een goede leer- en leefgemeenschap: leerlingen, ouders en "
        "partners vormen samen het dorp dat een kind grootbrengt."
    ),
}

PRINCIPLE_GUIDANCE = {
    "decentralised": _l(
        "Hoe verdelen jullie de kernopdrachten en de bevoegdheden die erbij horen over vaste, autonome teams die "
        "samen verantwoordelijk zijn voor een leergemeenschap van leerlingen?"
    ),
    "competent": _l(
        "Hoe zorgen jullie ervoor dat medewerkers en teams de kerncompetenties hebben en houden om welbevinden en "
        "betrokkenheid bij leerlingen, ouders en partners waar te maken?"
    ),
    "inspired": _l(
        "Welke symbolen, rituelen en verhalen verbinden jullie leer- en leefgemeenschap en maken een warm, "
        "respectvol schoolklimaat voelbaar, waarin ieder uitgedaagd en gesteund wordt?"
    ),
    "efficient": _l(
        "Welke didactische methodes en middelen, afspraken en infrastructuur helpen de teams om de visie in de "
        "praktijk te brengen?"
    ),
    "participative": _l(
        "Hoe nemen jullie gedeeld leiderschap op? Vanuit vertrouwen krijgt iedereen initiatiefrecht om de visie te "
        "realiseren, op voorwaarde dat hij advies vraagt aan wie erdoor geraakt wordt of er verstand van heeft."
    ),
}

AMORE_GUIDANCE = {
    "ambitious": _l("De visie daagt uit en reikt verder dan wat we vandaag al doen."),
    "motivating": _l("De visie geeft goesting: mensen willen ervoor gaan."),
    "distinctive": _l("De visie is eigen aan onze school en niet inwisselbaar met die van een andere school."),
    "relevant": _l("De visie raakt aan wat leerlingen, ouders, medewerkers en partners echt nodig hebben."),
    "authentic": _l("De visie is geloofwaardig: ze klopt met wie we zijn en wat we doen."),
}

QUESTIONS: tuple[Question, ...] = (
    Question(
        1,
        "reason",
        _l("Waarom bestaan wij? Waar worden wij warm van?"),
        _l(
            "Beschrijf jullie bestaansreden: welk maatschappelijk belang dient jullie school en waar halen jullie "
            "energie uit? Denk aan de jongeren die jullie willen vormen: evenwichtige volwassenen die kunnen werken "
            "en levenslang leren, en die samen met anderen hun eigen leven en hun leven als burger uitbouwen."
        ),
        (Part("reason", _l("Onze bestaansreden"), _l("Een paar krachtige alinea's zijn genoeg.")),),
    ),
    Question(
        2,
        "missions",
        _l("Welke kernopdrachten moeten wij georganiseerd krijgen?"),
        _l(
            "Een warme school neemt vier kernopdrachten op, die samen leiden tot veerkrachtige jongeren. Beschrijf "
            "per kernopdracht wat ze bij jullie betekent en hoe jullie ze willen organiseren."
        ),
        tuple(Part(f"mission_{code}", label, MISSION_GUIDANCE[code]) for code, label in CORE_MISSIONS.items()),
    ),
    Question(
        3,
        "values",
        _l("Waarvoor staat een warme school?"),
        _l(
            "Waarden binden en verbinden. Professionele waarden zeggen hoe jullie als professionals de "
            "kernopdrachten willen waarmaken (bijvoorbeeld op maat van elk kind, vertrekken van talenten, "
            "ervaringsgericht werken). Kernwaarden maken jullie school uniek: ze krijgen altijd voorrang en kleuren "
            "hoe iedereen met elkaar omgaat. De kompaswaarde van elke warme school is ieder goed in zijn vel, met "
            "drie pijlers: welbevinden, betrokkenheid en gezond emotioneel functioneren, voor leerlingen en ook "
            "voor leerkrachten, ouders en partners."
        ),
        (
            Part(
                "professional_values",
                _l("Professionele waarden"),
                _l("Geef elke waarde een korte naam en zeg in een zin of twee wat ze in de praktijk betekent."),
                VALUES,
            ),
            Part(
                "core_values",
                _l("Kernwaarden"),
                _l("De waarden die altijd voorrang krijgen en jullie school herkenbaar maken."),
                VALUES,
            ),
            Part(
                "wellbeing",
                _l("Ieder goed in zijn vel"),
                _l(
                    "Hoe leeft ieder goed in zijn vel bij jullie? Beschrijf wat welbevinden, betrokkenheid en gezond "
                    "emotioneel functioneren betekenen voor leerlingen, collega's, ouders en partners."
                ),
            ),
        ),
    ),
    Question(
        4,
        "ambitions",
        _l("Welke uitdagingen maken ons tot een warmere school?"),
        _l(
            "Jullie ambities: wat vinden jullie zo belangrijk dat je er de komende jaren voor gaat, om de "
            "kernopdrachten beter waar te maken en nog sterker te worden in jullie waarden? Een warme school zet in "
            "op welbevinden en betrokkenheid, als fundament om leerlingen uit te dagen hun grenzen te verleggen."
        ),
        (Part("ambitions", _l("Onze ambities"), _l("Formuleer ze concreet; een lijstje mag.")),),
    ),
    Question(
        5,
        "principles",
        _l("Vanuit welke leidende principes werken wij samen?"),
        _l(
            "Spreek per thema af van welke overtuigingen jullie vertrekken om de warme school integraal te "
            "organiseren."
        ),
        tuple(
            Part(f"principle_{code}", label, PRINCIPLE_GUIDANCE[code]) for code, label in VISION_PRINCIPLE_THEMES.items()
        ),
    ),
)

PARTS: tuple[Part, ...] = tuple(part for q in QUESTIONS for part in q.parts)
PARTS_BY_KEY = {part.key: part for part in PARTS}
QUESTIONS_BY_KEY = {q.key: q for q in QUESTIONS}
AMORE_KEYS = tuple(AMORE_CRITERIA)


def empty_content() -> dict:
    return {part.key: ([] if part.kind == VALUES else "") for part in PARTS}


def normalise(content: dict | None) -> dict:
    """Every part present, text stripped of trailing whitespace, value rows without empty ones."""
    content = content or {}
    result = {}
    for part in PARTS:
        value = content.get(part.key)
        if part.kind == VALUES:
            rows = []
            for row in value or []:
                name = (row.get("name") or "").strip()
                meaning = (row.get("meaning") or "").strip()
                if name or meaning:
                    rows.append({"name": name, "meaning": meaning})
            result[part.key] = rows
        else:
            result[part.key] = (value or "").replace("\r\n", "\n").strip()
    return result


def part_text(content: dict, part: Part) -> str:
    """One part as plain text, the form in which diffs and conflicts compare it."""
    value = content.get(part.key)
    if part.kind == VALUES:
        return "\n".join(f"- {row['name']}: {row['meaning']}" for row in value or [])
    return value or ""


def is_empty(content: dict | None) -> bool:
    content = normalise(content)
    return not any(content[part.key] for part in PARTS)


def filled_parts(content: dict | None) -> int:
    content = normalise(content)
    return sum(1 for part in PARTS if content[part.key])


def changed_parts(old: dict, new: dict) -> list[Part]:
    """The parts whose text differs between two contents."""
    old, new = normalise(old), normalise(new)
    return [part for part in PARTS if part_text(old, part) != part_text(new, part)]
