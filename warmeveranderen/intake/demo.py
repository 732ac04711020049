"""Demo agreements: other schools of the demo network in each state, so the overview shows something.

The demo school itself gets NO agreement: a new user tries the intake from the first draft.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask import current_app

from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import create_user
from warmeveranderen.domain import BOARD, DIRECTOR, INTAKE_COMMITMENTS
from warmeveranderen.extensions import db
from warmeveranderen.intake import services
from warmeveranderen.intake.models import IntakeAgreement
from warmeveranderen.programme.demo import demo_email
from warmeveranderen.programme.models import Membership, School

# (school, account prefix, director, board member, target state, own investment, strategic intention)
DEMO_AGREEMENTS = [
    ("GO! Lyceum Gent", "lyceum", "Hilde Hermans", "Marc Maes", "active", "3.000",
     "We willen een school zijn waar **elke leerling zich gezien weet** en waar leerkrachten in vaste teams "
     "samen verantwoordelijk zijn voor een leergemeenschap.\n\n- minder versnippering, meer relatie\n"
     "- welbevinden en betrokkenheid op het dashboard van elk team\n- gedeeld leiderschap via het vliegwiel"),
    ("BenedictusPoort", "benedictus", "Koen Claes", "Els Peeters", "awaiting", "2.400",
     "Na de fusie van onze campussen willen we **één warme school** worden met een gedeelde visie. "
     "De raad van bestuur steunt een traject dat alle bouwstenen vastneemt."),
    ("Kunsthumaniora Sint-Lucas", "sintlucas", "Sara Vermeulen", "Jan De Smet", "draft", "1.500",
     "Onze leerlingen kiezen voor kunst; we willen dat ze ook hun **talenten buiten het atelier** "
     "ontdekken en dat het team daarin samen optrekt."),
    ("Sint-Laurens", "sintlaurens", "Ann Wouters", "Luc Jacobs", "ended", "1.000",
     "Een warm onthaal voor elke nieuwe leerling en een team dat samen leert."),
]


def _person(email_local: str, name: str, school: School, role: str) -> User:

    email = demo_email(email_local)
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        user = create_user(email, name, current_app.config["DEMO_PASSWORD"])
    if user.membership(school, role) is None:
        db.session.add(Membership(user=user, school=school, role=role))
        db.session.flush()
    return user


def load_intake_demo() -> None:
    """Give four other demo schools an agreement (draft, awaiting, active, ended); safe to run twice."""
    # The services write Dutch messages and links, which need a request context (the CLI has none).
    with current_app.test_request_context():
        _load()


def _load() -> None:

    coordinator = db.session.scalar(db.select(User).where(User.email == demo_email("coordinator")))
    adviser = db.session.scalar(db.select(User).where(User.email == demo_email("adviseur")))
    password = current_app.config["DEMO_PASSWORD"]
    for school_name, prefix, director_name, board_name, target, own, intention in DEMO_AGREEMENTS:
        school = db.session.scalar(db.select(School).where(School.name == school_name))
        if school is None:
            continue
        exists = db.session.scalar(db.select(IntakeAgreement.id).where(IntakeAgreement.school_id == school.id))
        if exists is not None:
            continue
        director = _person(f"directie.{prefix}", director_name, school, DIRECTOR)
        board = _person(f"bestuur.{prefix}", board_name, school, BOARD)
        agreement = services.open_intake(school, adviser or coordinator)
        start = date(2026, 9, 1)
        content = {
            "strategic_intention": intention,
            "commitments": list(INTAKE_COMMITMENTS) if target != "draft" else ["building_blocks", "sessions"],
            "commitments_note": "",
            "own_investment": Decimal(own.replace(".", "")),
            "start_date": start,
            "duration_years": 3,
            "evaluation_moments": [date(2027, 6, 1), date(2028, 6, 1), date(2029, 6, 1)],
            "signatories": [f"{DIRECTOR}:{director.id}", f"{BOARD}:{board.id}"],
        }
        version = agreement.pending
        services.save_draft(version, content, director)
        if target == "draft":
            continue
        services.mark_ready(version, director)
        services.sign(agreement, director, password, version.fingerprint)
        if target == "awaiting":
            continue
        services.sign(agreement, board, password, version.fingerprint)
        services.sign(agreement, coordinator, password, version.fingerprint)
        if target == "ended":
            services.end_agreement(
                agreement, board, start + timedelta(days=60),
                "Door een personeelswissel in de directie kan de school het traject nu niet dragen.",
            )
