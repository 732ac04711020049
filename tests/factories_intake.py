"""Factories for the intake's models, and a helper that builds an agreement in a given state the way
people do it (through the services), which keeps fingerprints and the audit trail true."""

from datetime import date
from decimal import Decimal

import factory

from tests.factories import PASSWORD, BaseFactory, SchoolFactory, UserFactory
from warmeveranderen.domain import INTAKE_COMMITMENTS
from warmeveranderen.extensions import db
from warmeveranderen.intake import services
from warmeveranderen.intake.models import (
    AgreementVersion,
    EvaluationMoment,
    IntakeAgreement,
    IntakeEvent,
    ProgrammeTerms,
    Signatory,
    Signature,
)


class ProgrammeTermsFactory(BaseFactory):
    class Meta:
        model = ProgrammeTerms

    price_per_year = Decimal("1200.00")
    school_years = 3
    support_package = "- Intake\n- 8 collectieve sessies per lerend netwerk"
    matching_ratio = Decimal("1.00")
    matching_cap = Decimal("5000.00")
    evaluation_count = 3
    evaluation_first_after_months = 9
    evaluation_spacing_months = 12
    sprint_weeks = 10


class IntakeAgreementFactory(BaseFactory):
    class Meta:
        model = IntakeAgreement

    school = factory.SubFactory(SchoolFactory)
    state = "draft"


class AgreementVersionFactory(BaseFactory):
    class Meta:
        model = AgreementVersion

    agreement = factory.SubFactory(IntakeAgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    state = "draft"
    strategic_intention = "We willen een warme school worden."
    commitments = factory.LazyFunction(lambda: list(INTAKE_COMMITMENTS))
    own_investment = Decimal("1000.00")
    matched_amount = Decimal("1000.00")
    start_date = date(2026, 9, 1)
    duration_years = 3
    price_per_year = Decimal("1200.00")
    matching_ratio = Decimal("1.00")
    matching_cap = Decimal("5000.00")
    support_package = "- Intake"


class EvaluationMomentFactory(BaseFactory):
    class Meta:
        model = EvaluationMoment

    version = factory.SubFactory(AgreementVersionFactory)
    on_date = date(2027, 6, 1)


class SignatoryFactory(BaseFactory):
    class Meta:
        model = Signatory

    version = factory.SubFactory(AgreementVersionFactory)
    role = "director"
    user = factory.SubFactory(UserFactory)


class SignatureFactory(BaseFactory):
    class Meta:
        model = Signature

    signatory = factory.SubFactory(SignatoryFactory)
    version = factory.SelfAttribute("signatory.version")
    user = factory.SelfAttribute("signatory.user")
    role = factory.SelfAttribute("signatory.role")
    fingerprint = "0" * 64


class IntakeEventFactory(BaseFactory):
    class Meta:
        model = IntakeEvent

    agreement = factory.SubFactory(IntakeAgreementFactory)
    action = "opened"


def draft_content(world, **overrides) -> dict:
    """Complete content for a draft of world.school (director and board sign)."""
    content = {
        "strategic_intention": "Directie en bestuur willen **één warme school** met vaste teams.",
        "commitments": list(INTAKE_COMMITMENTS),
        "commitments_note": "",
        "own_investment": Decimal("3000"),
        "start_date": date(2026, 9, 1),
        "duration_years": 3,
        "evaluation_moments": [date(2027, 6, 1), date(2028, 6, 1), date(2029, 6, 1)],
        "signatories": [f"director:{world.users['director'].id}", f"board:{world.users['board'].id}"],
    }
    content.update(overrides)
    return content


def make_agreement(world, state: str = "draft", school=None) -> IntakeAgreement:
    """An agreement for world.school in state draft / awaiting / active / ended, built through the services
    and committed (as a request would), so that the test client's requests see it."""
    agreement = _build_agreement(world, state, school or world.school)
    db.session.commit()
    return agreement


def _build_agreement(world, state: str, school) -> IntakeAgreement:
    agreement = services.open_intake(school, world.users["adviser"])
    version = agreement.pending
    services.save_draft(version, draft_content(world), world.users["director"])
    if state == "draft":
        return agreement
    services.mark_ready(version, world.users["director"])
    if state == "awaiting":
        return agreement
    for key in ("director", "board", "coordinator"):
        services.sign(agreement, world.users[key], PASSWORD, version.fingerprint)
    if state == "ended":
        services.end_agreement(agreement, world.users["board"], date(2026, 12, 1), "Het past nu niet.")
    return agreement
