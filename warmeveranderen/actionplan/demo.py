"""The action plans of the demo: the demo school's backlog initiatives get a plan (tasks, people, due
dates around the day the demo is loaded, a checklist), and GO! Lyceum Gent, whose vision is endorsed,
has an initiative linked to its ambitions. Every task is an example, and says so."""

from __future__ import annotations

from datetime import timedelta

from warmeveranderen.accounts.models import User
from warmeveranderen.actionplan.models import ChecklistItem, Task, VisionLink
from warmeveranderen.actionplan.vision_targets import current_version, targets_of
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import Initiative, InitiativeEvent
from warmeveranderen.sprints.services import next_position
from warmeveranderen.timeutil import today, utcnow

EXAMPLE = "_Voorbeeldtaak uit de demo._"

# Initiative title -> tasks: (title, people by demo login, days from today to the due date or None,
# done, checklist). People: trekker, vliegwiel, directeur, forumlid, leerling.
PLANS = {
    "Praatronde bij de start van de week": [
        ("Afspraken voor de praatronde op papier zetten", ["trekker"], -3, True,
         ["Voorbeeldvragen verzamelen", "Afspraken over vertrouwelijkheid"]),
        ("Klastitularissen briefen op de personeelsvergadering", ["trekker", "directeur"], 4, False, []),
        ("Leerlingenraad vragen hoe zij de praatronde zien", ["leerling"], 9, False, []),
        ("Na vier weken evalueren met een korte bevraging", ["vliegwiel"], 30, False,
         ["Vragenlijst opstellen", "Resultaten bespreken in het vliegwiel"]),
    ],
    "Vaste aanspreekpunten op de speelplaats": [
        ("Beurtrol voor de pauzes opmaken", ["vliegwiel"], -1, False, []),
        ("Hesjes of badges bestellen", ["directeur"], 12, False, ["Offerte vragen", "Budget goedkeuren"]),
        ("Ouders informeren via de nieuwsbrief", ["forumlid", "trekker"], 16, False, []),
    ],
    "Intervisie voor klastitularissen": [
        ("Data van de intervisies vastleggen", ["trekker"], None, False, []),
    ],
}

LYCEUM_INITIATIVE = ("Leergemeenschappen in de eerste graad", "structure",
                     "Elke leergemeenschap krijgt een vast team van leerkrachten en een eigen lokaal.")
LYCEUM_TASKS = [
    ("Teams per leergemeenschap samenstellen", 10, ["Wensen van leerkrachten bevragen"]),
    ("Lokalen herindelen met de preventieadviseur", 25, []),
]


def _people() -> dict[str, User]:
    users = db.session.scalars(db.select(User).where(User.email.like("%@demo.warmeveranderen.be"))).all()
    return {u.email.split("@", 1)[0]: u for u in users}


def _add_task(initiative: Initiative, position: int, title: str, people: list[User], due, done: bool,
              checklist: list[str], author: User | None) -> None:
    task = Task(initiative_id=initiative.id, school_id=initiative.school_id, title=title, notes=EXAMPLE,
                due_date=due, done=done, done_at=utcnow() if done else None,
                done_by_id=people[0].id if done and people else None, position=position,
                created_by_id=author.id if author else None, assignees=people)
    db.session.add(task)
    for n, text in enumerate(checklist, start=1):
        db.session.add(ChecklistItem(task=task, text=text, position=n, done=done or n == 1))


def load_actionplan_demo(school: School) -> None:
    """Plans for the demo school's initiatives and a vision link at GO! Lyceum Gent (only once)."""
    if db.session.scalar(db.select(Task.id).limit(1)) is not None:
        return
    people = _people()
    author = people.get("trekker")
    for initiative in db.session.scalars(db.select(Initiative).where(Initiative.school_id == school.id)):
        for position, (title, logins, days, done, checklist) in enumerate(PLANS.get(initiative.title, []), start=1):
            due = today() + timedelta(days=days) if days is not None else None
            _add_task(initiative, position, title, [people[p] for p in logins if p in people], due, done, checklist,
                      author)
    _lyceum()
    db.session.flush()


def _lyceum() -> None:
    """An initiative of GO! Lyceum Gent working on the first ambition of its endorsed vision."""
    lyceum = db.session.scalar(db.select(School).where(School.name == "GO! Lyceum Gent"))
    version = current_version(lyceum) if lyceum else None
    if version is None:
        return
    lead = db.session.scalar(db.select(User).where(User.email == "trekker.lyceum@demo.warmeveranderen.be"))
    title, block, description = LYCEUM_INITIATIVE
    initiative = Initiative(school_id=lyceum.id, title=title, building_block=block, description=description,
                            status="idea", position=next_position(lyceum), owner_id=lead.id if lead else None,
                            created_by_id=lead.id if lead else None)
    db.session.add(initiative)
    db.session.flush()
    db.session.add(InitiativeEvent(initiative_id=initiative.id, to_status="idea", user_id=lead.id if lead else None,
                                   note="Toegevoegd aan de backlog."))
    for position, (task_title, days, checklist) in enumerate(LYCEUM_TASKS, start=1):
        _add_task(initiative, position, task_title, [lead] if lead else [], today() + timedelta(days=days), False,
                  checklist, lead)
    targets = targets_of(version)
    chosen = [t for t in targets if t.kind == "ambition"][:1] + [t for t in targets if t.key == "decentralised"]
    for target in chosen:
        db.session.add(VisionLink(initiative_id=initiative.id, school_id=lyceum.id, kind=target.kind,
                                  target=target.key, version_number=version.number,
                                  created_by_id=lead.id if lead else None))
