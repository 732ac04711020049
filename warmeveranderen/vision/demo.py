"""Demo visions: three other schools with an endorsed vision (one shared with its network).

The demo school itself has no vision yet: the Quick start begins with writing it.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import create_user
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.vision.content import normalise
from warmeveranderen.vision.models import AmoreScore, DraftRevision, Endorsement, Vision, VisionVersion

LYCEUM = {
    "reason": (
        "Wij zijn een stadsschool midden in Gent. Wij bestaan om jongeren met heel verschillende achtergronden "
        "te laten uitgroeien tot **zelfbewuste, kritische burgers** die hun plaats vinden in de stad, in verder "
        "onderwijs of op de werkvloer.\n\nWe worden warm van leerlingen die durven: een vraag stellen, een fout "
        "maken, iemand anders helpen."
    ),
    "mission_qualification": (
        "Sterke basiskennis Nederlands en wiskunde voor iedereen, met extra taalondersteuning in de eerste graad. "
        "Leerdoelen worden zichtbaar gemaakt in elke les."
    ),
    "mission_talent": (
        "Elke leerling bouwt vanaf het eerste jaar een talentenportfolio op. Op woensdagnamiddag kiezen "
        "leerlingen een atelier: stadsmedia, robotica, debat of urban sports."
    ),
    "mission_learning_capacity": (
        "Elke leerling heeft een vaste coach in zijn leergemeenschap. Samen met het CLB volgen we leerlingen met "
        "leer- of gedragsmoeilijkheden op in een wekelijks leerlingenoverleg per team."
    ),
    "mission_involvement": (
        "Ouders zijn welkom: we organiseren oudercafés in verschillende talen en werken samen met buurtwerk en "
        "jeugdhuizen in de wijk."
    ),
    "professional_values": [
        {"name": "Hoge verwachtingen", "meaning": "We geloven dat elke leerling kan groeien, en we tonen dat."},
        {"name": "Samen lesgeven", "meaning": "Lessen worden in het team voorbereid en geëvalueerd."},
        {"name": "Feedback", "meaning": "Leerlingen weten altijd waar ze staan en wat hun volgende stap is."},
    ],
    "core_values": [
        {"name": "Respect", "meaning": "Voor elkaar, voor verschillen en voor de stad."},
        {"name": "Verbondenheid", "meaning": "Niemand staat er in onze school alleen voor."},
        {"name": "Moed", "meaning": "We durven nieuwe dingen te proberen, leerlingen én leerkrachten."},
    ],
    "wellbeing": (
        "Ieder goed in zijn vel betekent bij ons: elke leerling wordt 's morgens bij naam begroet, elke klas start "
        "de week met een kringgesprek, en collega's hebben een vast intervisiemoment per maand."
    ),
    "ambitions": (
        "- Tegen september 2027 werken alle leerlingen van de eerste graad in vaste leergemeenschappen met een "
        "eigen team.\n- Het aandeel leerlingen met een hoog welbevinden (niveau 4–5) stijgt elk jaar.\n"
        "- Minder ongekwalificeerde uitstroom dankzij persoonlijke coaching."
    ),
    "principle_decentralised": "Elk team is verantwoordelijk voor één leergemeenschap en beslist zelf over de weekplanning.",
    "principle_competent": "Teams leren van elkaar via lesbezoeken en intervisie; nieuwe collega's krijgen een meter of peter.",
    "principle_inspired": "De 'Warme Maandag' met gezamenlijk onthaal, en de jaarlijkse stadswandeling van het eerste jaar.",
    "principle_efficient": "Eén digitale planner voor leerlingen en leerkrachten; vaste overlegmomenten op dinsdag.",
    "principle_participative": (
        "Iedereen mag een initiatief nemen, mits advies van wie erdoor geraakt wordt. Het forum van leerlingen, "
        "ouders en collega's geeft na elke sprint advies."
    ),
}

BENEDICTUS = {
    "reason": (
        "BenedictusPoort is een school waar techniek en mens samenkomen. Wij bestaan om jongeren vakmanschap te "
        "laten ontdekken en ze sterk te maken voor een wereld die snel verandert."
    ),
    "mission_qualification": "Praktijkgerichte leerdoelen, afgestemd met bedrijven uit de regio Gent.",
    "mission_talent": (
        "Leerlingen proeven in de eerste graad van alle studierichtingen en kiezen met een gesprek, niet met een attest."
    ),
    "mission_learning_capacity": "Een leerwinkel waar leerlingen op eigen tempo achterstanden wegwerken, met begeleiding.",
    "mission_involvement": "Ouders en stagebedrijven zitten mee in het forum en worden uitgenodigd op de toonmomenten.",
    "professional_values": [
        {"name": "Vakmanschap", "meaning": "We tonen leerlingen wat goed werk is, en werken zelf zo."},
        {"name": "Op maat", "meaning": "Elke leerling krijgt de uitdaging die bij hem past."},
    ],
    "core_values": [
        {"name": "Vertrouwen", "meaning": "We geven leerlingen en collega's ruimte en verantwoordelijkheid."},
        {"name": "Zorg", "meaning": "We zien wie het moeilijk heeft en doen er iets mee."},
    ],
    "wellbeing": "In elke werkplaats is er een rustige hoek; leerlingen kunnen altijd bij hun coach terecht.",
    "ambitions": "- Elke leerling heeft een vaste coach.\n- Drie toonmomenten per jaar waar leerlingen hun werk voorstellen.",
    "principle_decentralised": "Teams per afdeling met eigen budget voor materiaal en projecten.",
    "principle_competent": "Leraren lopen elk jaar een week mee in een bedrijf.",
    "principle_inspired": "Het jaarlijkse 'Poortfeest' waar elke afdeling iets bouwt voor de school.",
    "principle_efficient": "Een gedeeld leerlingvolgsysteem voor coaches en vakleraren.",
    "principle_participative": "Initiatieven gaan langs het forum voor ze schoolbreed worden ingevoerd.",
}

KOMPAS_V1 = {
    "reason": "Basisschool Het Kompas wil dat elk kind uit de wijk zich thuis voelt en met plezier leert.",
    "mission_qualification": "Stevige basis in lezen, schrijven en rekenen.",
    "mission_talent": "Kinderen ontdekken hun talenten in ateliers.",
    "mission_learning_capacity": "Zorgteam met de CLB-medewerker.",
    "mission_involvement": "Ouders zijn welkom in de klas.",
    "professional_values": [{"name": "Ervaringsgericht", "meaning": "We vertrekken van wat kinderen boeit."}],
    "core_values": [{"name": "Warmte", "meaning": "Iedereen is welkom."}],
    "wellbeing": "We volgen welbevinden en betrokkenheid twee keer per jaar op.",
    "ambitions": "- Leefgroepen per twee leerjaren.",
    "principle_decentralised": "Leefgroepen met een vast team van twee leerkrachten.",
    "principle_competent": "Intervisie per leefgroep.",
    "principle_inspired": "Het kompasritueel op maandag.",
    "principle_efficient": "Weekplanning per leefgroep.",
    "principle_participative": "Kinderraad en ouderraad geven advies.",
}

KOMPAS_V2 = {
    **KOMPAS_V1,
    "reason": (
        "Basisschool Het Kompas wil dat elk kind uit de wijk zich thuis voelt, met plezier leert en zijn eigen "
        "richting leert kiezen. Zoals een kompas: we geven richting, het kind zet de stappen."
    ),
    "mission_involvement": (
        "Ouders zijn welkom in de klas en in de ouderwerkgroep. Met de buurtsportdienst en de bibliotheek vormen we "
        "samen het dorp rond elk kind."
    ),
    "core_values": [
        {"name": "Warmte", "meaning": "Iedereen is welkom, zoals hij is."},
        {"name": "Eigenaarschap", "meaning": "Kinderen kiezen mee wat en hoe ze leren."},
    ],
    "ambitions": (
        "- Leefgroepen per twee leerjaren vanaf september.\n- Elk kind houdt een groeiportfolio bij.\n"
        "- De kinderraad geeft advies over elk nieuw initiatief."
    ),
}

# (school name, versions [(content, published, change note)], endorsement date, groups, shared, people)
DEMO_VISIONS = [
    (
        "GO! Lyceum Gent",
        [(LYCEUM, datetime(2026, 3, 12, 15, 0), "Eerste versie, uitgewerkt na de tweedaagse met het vliegwiel.")],
        date(2026, 4, 24),
        ["staff", "pupil", "parent", "partner"],
        True,
        "lyceum",
    ),
    (
        "BenedictusPoort",
        [(BENEDICTUS, datetime(2026, 5, 6, 14, 30), "Eerste versie na de warme kick-off met alle collega's.")],
        date(2026, 6, 2),
        ["staff", "pupil", "board"],
        False,
        "benedictus",
    ),
    (
        "Basisschool Het Kompas",
        [
            (KOMPAS_V1, datetime(2026, 2, 3, 16, 0), "Eerste versie na de tweedaagse."),
            (KOMPAS_V2, datetime(2026, 3, 20, 16, 0), "Bestaansreden en kernwaarden herschreven na het advies van het forum."),
        ],
        date(2026, 4, 1),
        ["staff", "parent", "pupil", "leadership"],
        False,
        "kompas",
    ),
]

# Scores per version: (respondent group, A, M, O, R, E, remark)
DEMO_SCORES = [
    ("flywheel", 4, 5, 4, 5, 4, ""),
    ("forum", 4, 4, 3, 5, 4, "Herkenbaar, maar wat maakt ons anders dan andere stadsscholen?"),
    ("forum", 3, 4, 3, 4, 5, ""),
]


def _demo_user(local: str, name: str, school: School, role: str, group: str | None = None) -> User:
    email = f"{local}@demo.warmeveranderen.be"
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        user = create_user(email, name, current_app.config["DEMO_PASSWORD"])
    if user.membership(school, role) is None:
        db.session.add(
            Membership(user=user, school=school, role=role, is_lead=role == "flywheel", stakeholder_group=group)
        )
    return user


def load_vision_demo() -> None:
    """Endorsed visions for three other demo schools; skipped for a school that already has a vision."""
    for name, versions, endorsed_on, groups, shared, slug in DEMO_VISIONS:
        school = db.session.scalar(db.select(School).where(School.name == name))
        if school is None or db.session.scalar(db.select(Vision.id).where(Vision.school_id == school.id)):
            continue
        lead = _demo_user(f"trekker.{slug}", f"Trekker {school.name}", school, "flywheel")
        parent = _demo_user(f"ouder.{slug}", f"Ouder {school.name}", school, "forum", "parent")
        teacher = _demo_user(f"leerkracht.{slug}", f"Leerkracht {school.name}", school, "forum", "staff")
        last_content = normalise(versions[-1][0])
        vision = Vision(
            school=school,
            content=last_content,
            revision=len(versions),
            updated_at=versions[-1][1],
            updated_by=lead,
            shared_with_network=shared,
        )
        db.session.add(vision)
        version = None
        for number, (content, published_at, note) in enumerate(versions, start=1):
            db.session.add(
                DraftRevision(vision=vision, revision=number, content=normalise(content), saved_by=lead, saved_at=published_at)
            )
            version = VisionVersion(
                vision=vision, number=number, content=normalise(content), change_note=note,
                published_by=lead, published_at=published_at,
            )
            db.session.add(version)
        for user, (group, *marks, remark) in zip((lead, parent, teacher), DEMO_SCORES, strict=True):
            db.session.add(
                AmoreScore(
                    version=version, user=user, respondent_group=group, remark=remark,
                    **dict(zip(("ambitious", "motivating", "distinctive", "relevant", "authentic"), marks, strict=True)),
                )
            )
        db.session.add(
            Endorsement(
                version=version, groups=groups, endorsed_on=endorsed_on, recorded_by=lead,
                changes="Na het forum hebben we de bestaansreden korter en concreter gemaakt.",
            )
        )
    db.session.flush()
