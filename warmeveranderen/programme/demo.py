"""The programme's part of the demo: the real structure of Warme Scholen 2017-2020 plus one account
per role. The whole demo (every feature's part, in order) is loaded by `warmeveranderen.demo`."""

from __future__ import annotations

from flask import current_app

from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import create_user
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import AdviserAssignment, AuditEntry, Membership, School
from warmeveranderen.programme.structure import DATA_DIR, load_structure, read_rows

DEMO_SCHOOL = "Atheneum Voskenslaan"
DEMO_DOMAIN = "demo.warmeveranderen.be"

# (email local part, name, programme flags, school role, extra membership fields)
DEMO_ACCOUNTS = [
    ("coordinator", "Cora Coördinator", {"is_coordinator": True}, None, {}),
    ("adviseur", "Adam Adviseur", {"is_adviser": True}, None, {}),
    ("directeur", "Dirk Directeur", {}, "director", {}),
    ("bestuur", "Bea Bestuur", {}, "board", {}),
    ("trekker", "Tine Trekker", {}, "flywheel", {"is_lead": True}),
    ("vliegwiel", "Victor Vliegwiel", {}, "flywheel", {}),
    ("forumlid", "Fatima Forumlid", {}, "forum", {"stakeholder_group": "parent"}),
    ("leerling", "Lars Leerling", {}, "forum", {"stakeholder_group": "pupil"}),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def demo_loaded() -> bool:
    return db.session.scalar(db.select(User.id).where(User.email == demo_email("coordinator"))) is not None


def load_programme_demo() -> School:
    """Load the structure and the demo accounts (safe to run twice); the demo school."""
    load_structure(read_rows(DATA_DIR / "schools.csv"))
    school = db.session.scalar(db.select(School).where(School.name == DEMO_SCHOOL))
    school.level = school.level or "secundair"
    school.umbrella = school.umbrella or "go"
    password = current_app.config["DEMO_PASSWORD"]
    for local, name, flags, role, extra in DEMO_ACCOUNTS:
        email = demo_email(local)
        user = db.session.scalar(db.select(User).where(User.email == email))
        if user is None:
            user = create_user(email, name, password, **flags)
        if role and user.membership(school, role) is None:
            db.session.add(Membership(user=user, school=school, role=role, **extra))
        if flags.get("is_adviser") and not user.adviser_assignments:
            db.session.add(AdviserAssignment(adviser=user, network_id=school.network_id))
    _example_correction()
    db.session.flush()
    return school


def _example_correction() -> None:
    """One entry in the structure's log, so the coordinator sees what *Logboek* holds (an example: the
    demo loads the corrected structure directly)."""
    if db.session.scalar(db.select(AuditEntry.id).limit(1)) is not None:
        return
    coordinator = db.session.scalar(db.select(User).where(User.email == demo_email("coordinator")))
    db.session.add(AuditEntry(
        user=coordinator, action="merge", subject="city", name="Zwevegem", target="Kortrijk",
        detail="Voorbeeld: een eerdere lijst had Zwevegem als warme stad; het is een lerend netwerk van Kortrijk "
               "(seed 001). scholen: 4",
    ))
