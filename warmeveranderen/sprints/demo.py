"""Demo content for sprints: the offer basket and the demo school's cadence with a few backlog ideas."""

from __future__ import annotations

from datetime import timedelta

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.cadence import ensure_sprints
from warmeveranderen.sprints.models import BasketItem, Initiative, InitiativeEvent, Label, SprintCalendar
from warmeveranderen.sprints.services import next_position
from warmeveranderen.timeutil import today

# Practices from "Schoolbinding (fase 0)" and the building blocks of the journey, in our own words.
BASKET = [
    {
        "title": "Warm onthaal aan de schoolpoort",
        "what": "Elke ochtend staan vaste gezichten aan de poort en op de speelplaats: een goedemorgen, "
                "een korte babbel, een ankerpunt waar leerlingen terechtkunnen. Wie lang afwezig was, "
                "wordt bewust opnieuw verwelkomd; leerkrachten krijgen daarvoor een seintje.",
        "audience": "Alle leerlingen, met extra aandacht voor nieuwkomers en wie na afwezigheid terugkeert.",
        "building_block": "culture", "core_missions": ["involvement"],
        "addresses": ["welcome", "wellbeing", "satisfaction"],
        "health_level": "school", "health_strategy": "environment",
        "provider": "CLB", "contact": "onthaal@clb.example.be",
        "links": "https://www.sfeeropschool.be",
    },
    {
        "title": "Buddy's en meters/peters voor nieuwe leerlingen",
        "what": "Een nieuwe leerling krijgt een klasgenoot als buddy die de weg wijst en een oudere "
                "leerling als meter of peter. De leerlingenbegeleider volgt de eerste weken op met "
                "een kort gesprek of bericht.",
        "audience": "Eerstejaars en zij-instromers; de buddy's zelf groeien mee in verantwoordelijkheid.",
        "building_block": "people", "core_missions": ["involvement", "talent"],
        "addresses": ["wellbeing", "emotional", "welcome"],
        "health_level": "pupil", "health_strategy": "care",
        "provider": "Leerlingenbegeleiding en CLB", "contact": "",
        "links": "",
    },
    {
        "title": "Proactieve cirkels in de klas",
        "what": "Korte, geregelde klasgesprekken in een kring waarin leerlingen leren luisteren, "
                "positief formuleren en spanningen bespreken voor ze conflicten worden.",
        "audience": "Klasgroepen en hun klastitularis.",
        "building_block": "people", "core_missions": ["learning_capacity", "involvement"],
        "addresses": ["emotional", "wellbeing", "climate"],
        "health_level": "class", "health_strategy": "education",
        "provider": "Expertisenetwerk herstelgericht werken", "contact": "",
        "links": "https://www.sorrybox.be",
    },
    {
        "title": "Herstelgericht omgaan met conflicten",
        "what": "Een schoolbrede afspraak om bij conflicten eerst te herstellen in plaats van te "
                "straffen: een herstelgesprek, verbindend gezag, geweldloze communicatie. Sancties "
                "liggen niet bij de leerlingenbegeleiding, zodat het vertrouwen blijft.",
        "audience": "Het hele schoolteam, de leerlingenbegeleiding en de directie.",
        "building_block": "culture", "core_missions": ["involvement"],
        "addresses": ["emotional", "climate"],
        "health_level": "school", "health_strategy": "policy",
        "provider": "Expertisenetwerk herstelgericht werken", "contact": "",
        "links": "https://www.sorrybox.be",
    },
    {
        "title": "Een leerlingenraad met echte inspraak",
        "what": "Een leerlingenraad die mee beslist over wat leerlingen aanbelangt, met een "
                "ideeënbus per klas en een vaste plek in het overleg van de school.",
        "audience": "Leerlingen van alle graden; een begeleidende leerkracht.",
        "building_block": "structure", "core_missions": ["involvement", "talent"],
        "addresses": ["involvement"],
        "health_level": "school", "health_strategy": "policy",
        "provider": "Vlaamse Scholierenkoepel", "contact": "info@scholierenkoepel.example.be",
        "links": "",
    },
    {
        "title": "Laagdrempelig contact met ouders",
        "what": "Een kennismakingsmoment vóór de eerste schooldag, duidelijke aanspreekpunten en "
                "kanalen waarlangs ouders zorgen kunnen delen, met een afspraak over hoe de school "
                "terugkoppelt. Nagaan of alle ouders echt op het schoolplatform geraken.",
        "audience": "Ouders, het secretariaat, klastitularissen en de directie.",
        "building_block": "systems", "core_missions": ["involvement"],
        "addresses": ["welcome", "involvement", "satisfaction"],
        "health_level": "environment", "health_strategy": "policy",
        "provider": "CLB", "contact": "",
        "links": "",
    },
    {
        "title": "Welbevinden opvolgen in het leerlingvolgsysteem",
        "what": "Afspraken over hoe signalen over welbevinden en afwezigheden in het "
                "leerlingvolgsysteem komen, wie ze opvolgt en wanneer het team ze samen bespreekt.",
        "audience": "Leerlingenbegeleiding, klastitularissen en het zorgteam.",
        "building_block": "systems", "core_missions": ["learning_capacity"],
        "addresses": ["wellbeing", "involvement", "emotional"],
        "health_level": "pupil", "health_strategy": "care",
        "provider": "Tenz", "contact": "",
        "links": "",
    },
    {
        "title": "Teamcoaching rond initiatiefrecht",
        "what": "Begeleiding van directie en vliegwiel over de rol van de leider, initiatiefrecht "
                "met adviesplicht en hoe het team zelf initiatieven neemt en draagt.",
        "audience": "Directie, vliegwiel en middenkader.",
        "building_block": "leadership", "core_missions": ["qualification", "learning_capacity"],
        "addresses": ["workload", "climate", "flywheel"],
        "health_level": None, "health_strategy": None,
        "provider": "Adviseurs van het programma", "contact": "",
        "links": "",
    },
]

# The demo school's own label vocabulary (examples), and which demo idea carries which labels.
LABELS = [("Onthaal", "green"), ("Leerlingen", "blue"), ("Team", "purple")]
IDEA_LABELS = {
    "Praatronde bij de start van de week": ("Onthaal", "Leerlingen"),
    "Vaste aanspreekpunten op de speelplaats": ("Leerlingen",),
    "Intervisie voor klastitularissen": ("Team",),
}

IDEAS = [
    ("Praatronde bij de start van de week", "culture",
     "Elke maandag het eerste lesuur tien minuten om in te checken: hoe gaat het met iedereen?"),
    ("Vaste aanspreekpunten op de speelplaats", "structure",
     "Tijdens de pauzes staan een leerlingenbegeleider en een leerkracht op een herkenbare plek."),
    ("Intervisie voor klastitularissen", "people",
     "Klastitularissen bespreken om de zes weken samen moeilijke situaties."),
]


def load_sprints_demo(school: School) -> None:
    """The offer basket, and for the demo school a cadence whose sprint 1 runs today without a goal yet."""
    if not db.session.scalar(db.select(BasketItem.id).where(BasketItem.programme_id == school.programme_id)):
        for data in BASKET:
            db.session.add(BasketItem(programme_id=school.programme_id, **data))
    if db.session.scalar(db.select(SprintCalendar.id).where(SprintCalendar.school_id == school.id)) is None:
        monday = today() - timedelta(days=today().weekday() + 14)
        calendar = SprintCalendar(school_id=school.id, start_date=monday)
        db.session.add(calendar)
        db.session.flush()
        ensure_sprints(school)
        author = db.session.scalar(db.select(User).where(User.email.like("trekker@%")))
        labels = {name: Label(school_id=school.id, name=name, colour=colour) for name, colour in LABELS}
        db.session.add_all(labels.values())
        for title, block, description in IDEAS:
            initiative = Initiative(school_id=school.id, title=title, building_block=block, description=description,
                                    status="idea", position=next_position(school),
                                    created_by_id=author.id if author else None,
                                    labels=[labels[name] for name in IDEA_LABELS.get(title, ())])
            db.session.add(initiative)
            db.session.flush()
            db.session.add(InitiativeEvent(initiative_id=initiative.id, to_status="idea",
                                           user_id=author.id if author else None, note="Toegevoegd aan de backlog."))
    db.session.flush()
