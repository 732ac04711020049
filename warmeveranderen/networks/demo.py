"""The platform's demo: the expertise network (CEGO, Tenz, LOOQIN, the CLB, a local partner), a
library where two schools of Lerend netwerk Gent 1 shared a document and a practice, questions
with answers (one marked helpful) and a finished self-scan of the demo school with a gap on its backlog.

The figures, dates and texts are examples; the partners and their roles come from seed 003.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import create_user
from warmeveranderen.extensions import db
from warmeveranderen.networks.catalogue import SCAN_KINDS
from warmeveranderen.networks.models import LibraryItem, LibraryUse, NetworkAnswer, NetworkQuestion
from warmeveranderen.networks.models_cases import StarCase, StarCaseMoment
from warmeveranderen.networks.models_more import Partner, PartnerOffer, SelfScan, SelfScanAnswer
from warmeveranderen.programme.models import Membership, School, WarmCity
from warmeveranderen.sprints.models import BasketItem, Initiative, InitiativeEvent, Sprint
from warmeveranderen.sprints.services import next_position
from warmeveranderen.timeutil import utcnow

PARTNERS = [
    ("CEGO", "Expertisecentrum Ervaringsgericht Onderwijs: opvolging van welbevinden en betrokkenheid en de "
     "dispositie *goed in je vel*; het instrument *Wat vind ik van mijn school*; het flankerend onderzoek.",
     "2 dagen individuele ondersteuning per school per schooljaar (voorbeeld).", "info@cego.example.be",
     "https://www.cego.be", ["people", "systems"], ["pupil:care", "class:education"], True, []),
    ("Tenz", "Vorming en coaching rond positieve relaties en verbondenheid tussen alle actoren in en rond de school: "
     "groepsdynamiek en klasklimaat.", "Een vierdaagse opleiding en 2 coachingsessies per schooljaar (voorbeeld).",
     "vorming@tenz.example.be", "https://www.tenz.be", ["people", "culture"], ["class:education", "class:environment"],
     True, ["Proactieve cirkels in de klas"]),
    ("LOOQIN", "Digitaal volgsysteem (KVS voor het basis-, JOPSI voor het secundair onderwijs) met een databank "
     "van 300+ interventies voor welbevinden en betrokkenheid.", "Uitrol in alle scholen; 2 x per jaar invullen.",
     "support@looqin.example.be", "https://www.looqin.be", ["systems"], ["class:care", "pupil:care"], True, []),
    ("CLB Gent", "Schoolondersteunend: samen stilstaan bij een verbindend schoolklimaat, het inschrijvings- en "
     "onthaalbeleid, leerlingenbegeleiding.", "Een vaste CLB-medewerker per school (voorbeeld).",
     "onthaal@clb-gent.example.be", "", ["structure", "people"], ["pupil:care", "school:policy"], False,
     ["Warm onthaal aan de schoolpoort", "Buddy's en meters/peters voor nieuwe leerlingen"]),
    ("Huis van het Kind Gent", "Lokale partner voor ouderbetrokkenheid: ontmoeting, opvoedingsondersteuning, "
     "laagdrempelige contacten tussen ouders en school.", "", "ouders@huisvanhetkind.example.be", "",
     ["culture"], ["environment:environment", "environment:care"], False, []),
]


def _person(local: str, name: str, school: School, role: str) -> User:
    email = f"{local}@demo.warmeveranderen.be"
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        user = create_user(email, name, current_app.config["DEMO_PASSWORD"])
    if user.membership(school, role) is None:
        db.session.add(Membership(user=user, school=school, role=role, is_lead=role == "flywheel"))
    return user


def _partners(school: School) -> None:
    gent = db.session.scalar(db.select(WarmCity).where(WarmCity.name == "Gent"))
    for name, offer, commitments, contact, website, blocks, cells, everywhere, basket in PARTNERS:
        partner = Partner(programme_id=school.programme_id, name=name, offer=offer, commitments=commitments,
                          contact=contact, website=website, building_blocks=blocks, health_cells=cells,
                          everywhere=everywhere, cities=[] if everywhere or gent is None else [gent])
        db.session.add(partner)
        db.session.flush()
        for title in basket:
            item = db.session.scalar(db.select(BasketItem).where(BasketItem.title == title))
            if item is not None:
                db.session.add(PartnerOffer(partner_id=partner.id, basket_item_id=item.id))


def _initiative(school: School, user: User, title: str, block: str, description: str, **cell) -> Initiative:
    initiative = Initiative(school_id=school.id, title=title, building_block=block, description=description,
                            status="idea", position=next_position(school), created_by_id=user.id, **cell)
    db.session.add(initiative)
    db.session.flush()
    db.session.add(InitiativeEvent(initiative_id=initiative.id, to_status="idea", user_id=user.id,
                                   note="Toegevoegd aan de backlog."))
    return initiative


def load_networks_demo(school: School) -> None:
    """Safe to run twice: skipped once the programme has partners."""
    if db.session.scalar(db.select(Partner.id).where(Partner.programme_id == school.programme_id)) is not None:
        return
    _partners(school)
    now = utcnow()
    lyceum = db.session.scalar(db.select(School).where(School.name == "GO! Lyceum Gent"))
    benedictus = db.session.scalar(db.select(School).where(School.name == "BenedictusPoort"))
    trekker = db.session.scalar(db.select(User).where(User.email == "trekker@demo.warmeveranderen.be"))
    adviser = db.session.scalar(db.select(User).where(User.email == "adviseur@demo.warmeveranderen.be"))
    coordinator = db.session.scalar(db.select(User).where(User.email == "coordinator@demo.warmeveranderen.be"))
    if lyceum is None or benedictus is None or trekker is None:
        return
    sara = _person("trekker.lyceum", "Trekker GO! Lyceum Gent", lyceum, "flywheel")
    koen = _person("directie.benedictus", "Directie BenedictusPoort", benedictus, "director")
    network = school.network_id

    # Two schools of the network share a document and a practice; the coordinator one for everyone.
    db.session.add_all([
        LibraryItem(programme_id=school.programme_id, network_id=network, school_id=lyceum.id, shared_by_id=sara.id,
                    kind="document", title="Onthaalbrochure voor zij-instromers",
                    summary="Een brochure van vier bladzijden die een nieuwe leerling en zijn ouders op de eerste dag "
                            "krijgen: wie is wie, waar kan je terecht, wie is je buddy. *Voorbeeld.*",
                    building_blocks=["systems", "culture"], core_missions=["involvement"], health_level="pupil",
                    health_strategy="care", links="https://www.sfeeropschool.be", created_at=now - timedelta(days=20)),
        LibraryItem(programme_id=school.programme_id, network_id=network, school_id=benedictus.id, shared_by_id=koen.id,
                    kind="practice", title="Leerlingenraad met een eigen budget",
                    summary="De leerlingenraad beheert een klein budget voor de speelplaats en legt elk trimester "
                            "verantwoording af op het forum. Wat werkte: vaste vergadermomenten tijdens de lesuren. "
                            "*Voorbeeld.*",
                    building_blocks=["structure", "leadership"], core_missions=["involvement", "talent"],
                    health_level="school", health_strategy="policy", created_at=now - timedelta(days=12)),
    ])
    circles = LibraryItem(programme_id=school.programme_id, network_id=None, shared_by_id=coordinator.id,
                          kind="tool", title="Draaiboek proactieve cirkels",
                          summary="Een draaiboek om wekelijks een proactieve cirkel in de klas te houden: opbouw, "
                                  "vragen, afspraken over luisteren. *Voorbeeld.*",
                          building_blocks=["culture"], core_missions=["involvement"], health_level="class",
                          health_strategy="education", links="https://www.sorrybox.be",
                          created_at=now - timedelta(days=30))
    db.session.add(circles)
    db.session.flush()
    db.session.add(LibraryUse(item_id=circles.id, school_id=lyceum.id, created_at=now - timedelta(days=25)))
    db.session.add(LibraryUse(item_id=circles.id, school_id=benedictus.id, created_at=now - timedelta(days=15)))

    # A third school (the demo school) asks; two answers, one marked helpful.
    question = NetworkQuestion(programme_id=school.programme_id, network_id=network, school_id=school.id,
                               author_id=trekker.id, title="Hoe onthalen jullie leerlingen die na lange afwezigheid terugkomen?",
                               body="We merken dat leerlingen na een lange afwezigheid moeilijk opnieuw aansluiten. "
                                    "Wie heeft hier een aanpak voor?", building_block="culture",
                               created_at=now - timedelta(days=6))
    db.session.add(question)
    db.session.flush()
    db.session.add_all([
        NetworkAnswer(question_id=question.id, author_id=sara.id, school_id=lyceum.id, helpful=True,
                      body="De titularis krijgt een seintje de dag voordien en vangt de leerling aan de poort op. "
                           "Een buddy uit de klas zit de eerste dag naast hem.", created_at=now - timedelta(days=5)),
        NetworkAnswer(question_id=question.id, author_id=koen.id, school_id=benedictus.id,
                      body="Wij plannen een kort gesprek met de leerlingenbegeleider in de eerste week.",
                      created_at=now - timedelta(days=4)),
    ])
    db.session.add(NetworkQuestion(programme_id=school.programme_id, network_id=None, author_id=adviser.id,
                                   title="Welke school wil haar ervaring met een tweedaagse delen op de netwerkdag?",
                                   created_at=now - timedelta(days=2)))

    # A finished school-bonding scan of the demo school, with one gap already on the backlog.
    scan = SelfScan(school_id=school.id, kind="school_bonding", started_by_id=trekker.id,
                    created_at=now - timedelta(days=40), completed_at=now - timedelta(days=40))
    db.session.add(scan)
    scores = {q.code: 3 for q in SCAN_KINDS["school_bonding"].questions} | {
        "sb_greeting": 4, "sb_return": 1, "sb_council": 2, "sb_codecide": 2, "sb_meeting": 4}
    for code, score in scores.items():
        scan.answers.append(SelfScanAnswer(question=code, score=score))
    scan.answers[1].note = "Geen afspraak over wie een terugkerende leerling opvangt (voorbeeld)."
    db.session.flush()
    gap = next(a for a in scan.answers if a.question == "sb_return")
    gap.initiative_id = _initiative(
        school, trekker, "Wie lang afwezig was, wordt bewust en warm opnieuw onthaald", "systems",
        "Werkpunt uit de zelfscan Schoolbinding (fase 0): score 1.", health_level="pupil", health_strategy="care").id
    db.session.flush()

    _cases(school, lyceum, sara, trekker, coordinator, gap.initiative_id)


def _cases(school, lyceum, sara, trekker, coordinator, initiative_id) -> None:
    """A published star case of GO! Lyceum Gent, and a draft of the demo school from its own sprint 1."""
    now = utcnow()
    db.session.add(StarCase(
        school_id=lyceum.id, created_by_id=sara.id, state="published", title="Mentoren en een vast team per leerjaar",
        result="Elke leerling heeft een mentor die hem drie jaar volgt; de leerlingen zeggen vaker dat ze bij iemand "
               "terechtkunnen. *Voorbeeld.*",
        process="Het vliegwiel begon met één leerjaar als proef, legde de teamindeling na twee sprints voor aan het "
                "forum en stuurde bij op advies van de ouders. *Voorbeeld.*",
        videos="https://vimeo.com/warmescholen", created_at=now - timedelta(days=60),
        submitted_at=now - timedelta(days=50), published_at=now - timedelta(days=45), published_by_id=coordinator.id))
    draft = StarCase(school_id=school.id, created_by_id=trekker.id, state="draft",
                     title="Opnieuw welkom na een lange afwezigheid",
                     result="", process="We startten met de zelfscan Schoolbinding en zetten het werkpunt op de backlog. "
                                        "*Voorbeeld.*")
    db.session.add(draft)
    db.session.flush()
    sprint = db.session.scalar(db.select(Sprint).where(Sprint.school_id == school.id, Sprint.number == 1))
    if sprint is not None:
        db.session.add(StarCaseMoment(case_id=draft.id, kind="sprint", ref_id=sprint.id))
    db.session.add(StarCaseMoment(case_id=draft.id, kind="initiative", ref_id=initiative_id))
    db.session.flush()
