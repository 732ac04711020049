"""Changing intake agreements: the only place that does (services flush; the request commits once).

Reading is in queries.py, the programme terms in terms.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import current_app, has_request_context, url_for
from flask_babel import gettext

from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import ThrottledError, check_password
from warmeveranderen.domain import DIRECTOR, INTAKE_COMMITMENTS
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.i18n import in_locale
from warmeveranderen.intake.models import (
    ACTIVE,
    DISCARDED,
    DRAFT,
    ENDED,
    READY,
    SUPERSEDED,
    WITHDRAWN,
    AgreementVersion,
    EvaluationMoment,
    IntakeAgreement,
    IntakeEvent,
    Signatory,
    Signature,
)
from warmeveranderen.intake.queries import (
    COORDINATOR_ROLE,
    _,
    agreement_for,
    compute_fingerprint,
    holds_role,
    missing_for_ready,
    signatory_for,
    validate_content,
)
from warmeveranderen.intake.terms import current_terms, default_evaluation_moments, default_start, matched_amount
from warmeveranderen.notifications.services import notify
from warmeveranderen.parts import journey_started_on
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow
from warmeveranderen.uow import ServiceError


class IntakeError(ServiceError):
    """A refusal with a Dutch message for the person who tried."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field



# --- changing -----------------------------------------------------------------------------------


def _event(agreement: IntakeAgreement, action: str, by: User | None, version: AgreementVersion | None = None,
           note: str = "") -> None:
    db.session.add(IntakeEvent(agreement=agreement, version=version, actor=by, action=action, note=note))


def _agreement_url(school_id: int) -> str:
    if has_request_context():
        return url_for("intake.agreement", school_id=school_id)
    with current_app.test_request_context():  # the demo and other commands run without a request
        return url_for("intake.agreement", school_id=school_id)


def _notify(users, about: School, title: str, **params) -> None:
    """An in-app notification per person, in that person's language."""
    url = _agreement_url(about.id)
    for user in users:
        if has_request_context():
            with in_locale(user):
                text = gettext(title, **params)
        else:
            text = title % params
        notify([user], category="intake", title=text, url=url, school=about)


def _directors(school: School) -> list[User]:
    return [m.user for m in school.memberships if m.role == DIRECTOR]


def open_intake(school: School, by: User) -> IntakeAgreement:
    """Start the intake: an agreement with a first draft that copies the programme terms."""
    agreement = agreement_for(school)
    if agreement is not None and (agreement.effective is not None or agreement.pending is not None):
        raise IntakeError(_("Deze school heeft al een intakeovereenkomst."))
    if agreement is None:
        agreement = IntakeAgreement(school=school, created_by=by)
        db.session.add(agreement)
    terms = current_terms()
    start = default_start(journey_began=journey_started_on(school))
    version = AgreementVersion(
        agreement=agreement,
        number=len(agreement.versions) + 1,
        state=DRAFT,
        commitments=[],
        own_investment=Decimal("0"),
        matched_amount=Decimal("0"),
        start_date=start,
        duration_years=terms.school_years,
        terms_id=terms.id,
        price_per_year=terms.price_per_year,
        matching_ratio=terms.matching_ratio,
        matching_cap=terms.matching_cap,
        support_package=terms.support_package,
        created_by=by,
    )
    version.evaluation_moments = [EvaluationMoment(on_date=d) for d in default_evaluation_moments(start, terms)]
    version.signatories = [Signatory(role=COORDINATOR_ROLE)]
    agreement.state = DRAFT
    db.session.add(version)
    _event(agreement, "opened", by, version)
    db.session.flush()
    return agreement


def _require_state(version: AgreementVersion | None, *states: str, message: str | None = None) -> AgreementVersion:
    if version is None or version.state not in states:
        raise IntakeError(message or _("Dat kan niet in deze fase van de overeenkomst."))
    return version



def save_draft(version: AgreementVersion, data: dict, by: User) -> AgreementVersion:
    """Store the draft's content. Refused (nothing saved) unless the version is a draft and the content valid."""
    _require_state(version, DRAFT, message=_("Alleen een concept kan bewerkt worden; deze versie is bevroren."))
    agreement = version.agreement
    errors = validate_content(data, agreement.school)
    if errors:
        field, message = next(iter(errors.items()))
        raise IntakeError(message, field)
    version.strategic_intention = (data.get("strategic_intention") or "").strip()
    version.commitments = [c for c in INTAKE_COMMITMENTS if c in (data.get("commitments") or [])]
    version.commitments_note = (data.get("commitments_note") or "").strip()
    version.own_investment = data.get("own_investment") or Decimal("0")
    version.matched_amount = matched_amount(version.own_investment, version.matching_ratio, version.matching_cap)
    version.start_date = data.get("start_date")
    version.duration_years = data.get("duration_years")
    wanted_dates = sorted(set(data.get("evaluation_moments") or []))
    version.evaluation_moments = [m for m in version.evaluation_moments if m.on_date in wanted_dates]
    have = {m.on_date for m in version.evaluation_moments}
    version.evaluation_moments.extend(EvaluationMoment(on_date=d) for d in wanted_dates if d not in have)
    wanted = {(s.split(":")[0], int(s.split(":")[1])) for s in data.get("signatories") or []}
    version.signatories = [s for s in version.signatories if s.role == COORDINATOR_ROLE or (s.role, s.user_id) in wanted]
    have_slots = {(s.role, s.user_id) for s in version.signatories}
    version.signatories.extend(Signatory(role=role, user_id=uid) for role, uid in sorted(wanted - have_slots))
    if not any(s.role == COORDINATOR_ROLE for s in version.signatories):
        version.signatories.append(Signatory(role=COORDINATOR_ROLE))
    version.updated_at = utcnow()
    _event(agreement, "draft_saved", by, version)
    db.session.flush()
    return version



def mark_ready(version: AgreementVersion, by: User) -> AgreementVersion:
    """Freeze the draft with its fingerprint and ask the signatories to sign."""
    _require_state(version, DRAFT, message=_("Alleen een concept kan klaar voor ondertekening gezet worden."))
    missing = missing_for_ready(version)
    if missing:
        raise IntakeError(_("Het concept is nog niet volledig. Nog nodig: %(missing)s.", missing="; ".join(missing)))
    agreement = version.agreement
    version.matched_amount = matched_amount(version.own_investment, version.matching_ratio, version.matching_cap)
    version.state = READY
    version.frozen_at = utcnow()
    version.fingerprint = compute_fingerprint(version)
    if agreement.effective is None:
        agreement.state = "awaiting"
    _event(agreement, "ready", by, version, note=version.fingerprint)
    signers = [s.user for s in version.signatories if s.user is not None]
    coordinators = db.session.scalars(db.select(User).where(User.is_coordinator.is_(True), User.active.is_(True))).all()
    _notify(signers + list(coordinators), agreement.school,
            "De intakeovereenkomst van %(school)s (versie %(number)s) ligt klaar om te ondertekenen.",
            school=agreement.school.name, number=version.number)
    db.session.flush()
    return version


def _copy_as_draft(source: AgreementVersion, by: User) -> AgreementVersion:
    agreement = source.agreement
    moments = [EvaluationMoment(on_date=m.on_date) for m in source.evaluation_moments]
    slots = [Signatory(role=s.role, user_id=s.user_id) for s in source.signatories]
    number = max(v.number for v in agreement.versions) + 1
    draft = AgreementVersion(
        agreement=agreement,
        number=number,
        state=DRAFT,
        previous=source,
        strategic_intention=source.strategic_intention,
        commitments=list(source.commitments or []),
        commitments_note=source.commitments_note,
        own_investment=source.own_investment,
        matched_amount=source.matched_amount,
        start_date=source.start_date,
        duration_years=source.duration_years,
        terms_id=source.terms_id,
        price_per_year=source.price_per_year,
        matching_ratio=source.matching_ratio,
        matching_cap=source.matching_cap,
        support_package=source.support_package,
        created_by=by,
        evaluation_moments=moments,
        signatories=slots,
    )
    db.session.add(draft)
    return draft


def _lock(agreement: IntakeAgreement) -> None:
    """Serialise signing and withdrawing per agreement, and read its versions and signatures afresh.

    Without it two last signatories signing at the same moment each saw the other's signature missing,
    so nobody activated the version (PostgreSQL: SELECT ... FOR UPDATE; SQLite writes one at a time).
    """
    db.session.flush()
    db.session.execute(
        db.select(IntakeAgreement.id).where(IntakeAgreement.id == agreement.id).with_for_update()
    )
    for obj in (agreement, *agreement.versions):
        db.session.expire(obj)


def withdraw(version: AgreementVersion, by: User) -> AgreementVersion:
    """Take a version back from signature: it stays (with any signatures) and a new draft copies it."""
    if version is not None:
        _lock(version.agreement)
    _require_state(version, READY, message=_("Alleen een versie die klaar ligt voor ondertekening kan teruggetrokken worden."))
    if not version.missing_signatories:
        raise IntakeError(_("Deze versie is door iedereen ondertekend en kan niet meer teruggetrokken worden."))
    agreement = version.agreement
    version.state = WITHDRAWN
    draft = _copy_as_draft(version, by)
    if agreement.effective is None:
        agreement.state = DRAFT
    _event(agreement, "withdrawn", by, version)
    db.session.flush()
    return draft


def discard(version: AgreementVersion, by: User) -> None:
    """Drop a draft. Signed or frozen versions are never deleted."""
    _require_state(version, DRAFT, message=_("Alleen een concept kan geschrapt worden; ondertekende versies blijven bewaard."))
    agreement = version.agreement
    version.state = DISCARDED
    if agreement.effective is None:
        agreement.state = "none"
    _event(agreement, "discarded", by, version)
    db.session.flush()



def sign(agreement: IntakeAgreement, user: User, password: str, fingerprint: str, *, address: str | None = None) -> Signature:
    """Sign the version awaiting signatures. Refused with a clear message for a wrong password, a
    person without that role, a second signature, or a fingerprint that is not the text's. A person
    signing in a request gives the address it came from, and the throttle of logins counts the check."""
    # The password first, before the lock: the throttle counts the check on its own connection.
    try:
        right = bool(password) and check_password(user, password, address=address)
    except ThrottledError as exc:
        raise IntakeError(str(exc), "password") from exc
    if not right:
        raise IntakeError(_("Het wachtwoord klopt niet. Typ je eigen wachtwoord om te ondertekenen."), "password")
    _lock(agreement)
    version = agreement.pending
    if version is None or version.state != READY:
        raise IntakeError(_("Er ligt geen versie van de intakeovereenkomst klaar om te ondertekenen."))
    if (fingerprint or "").strip().lower() != version.fingerprint:
        raise IntakeError(
            _("De tekst is gewijzigd sinds je hem opende: de vingerafdruk die je zag (%(seen)s) is niet die van "
              "versie %(number)s (%(current)s). Lees de huidige tekst en teken dan opnieuw.",
              seen=(fingerprint or "—")[:12], number=version.number, current=version.fingerprint[:12])
        )
    if any(s.user_id == user.id for s in version.signatures):
        raise IntakeError(_("Je hebt versie %(number)s al ondertekend; iedereen tekent één keer.", number=version.number))
    slot = signatory_for(version, user)
    if slot is None or not holds_role(user, version, slot.role):
        raise IntakeError(
            _("Je kunt deze overeenkomst niet ondertekenen: je staat niet op de lijst van ondertekenaars "
              "(of hebt die rol niet meer in de school).")
        )
    if version.signature_for(slot) is not None:
        raise IntakeError(_("Voor de programmacoördinator is al getekend."))
    signature = Signature(version=version, signatory=slot, user=user, role=slot.role, fingerprint=version.fingerprint)
    db.session.add(signature)
    _event(agreement, "signed", user, version, note=slot.role)
    db.session.flush()
    if not version.missing_signatories:
        _activate(version, user)
    db.session.flush()
    return signature


def _activate(version: AgreementVersion, by: User) -> None:
    agreement = version.agreement
    for other in agreement.versions:
        if other.state == ACTIVE and other.id != version.id:
            other.state = SUPERSEDED
    version.state = ACTIVE
    version.activated_at = utcnow()
    agreement.state = ACTIVE
    _event(agreement, "activated", by, version)
    _notify(_directors(agreement.school), agreement.school,
            "De intakeovereenkomst van %(school)s (versie %(number)s) is door iedereen ondertekend en van kracht.",
            school=agreement.school.name, number=version.number)


def start_amendment(agreement: IntakeAgreement, by: User) -> AgreementVersion:
    """A change after signing: a new draft that copies the version in force and must be signed again."""
    effective = agreement.effective
    if effective is None or effective.state != ACTIVE:
        raise IntakeError(_("Alleen een overeenkomst die van kracht is kan gewijzigd worden."))
    if agreement.pending is not None:
        raise IntakeError(_("Er is al een wijziging in voorbereiding (versie %(number)s).", number=agreement.pending.number))
    draft = _copy_as_draft(effective, by)
    _event(agreement, "amendment_started", by, draft)
    db.session.flush()
    return draft


def end_agreement(agreement: IntakeAgreement, by: User, on: date, reason: str) -> None:
    """Any party ends the agreement in force: with a date and a reason. Everything stays readable."""
    effective = agreement.effective
    if effective is None or effective.state != ACTIVE:
        raise IntakeError(_("Alleen een overeenkomst die van kracht is kan beëindigd worden."))
    if not (reason or "").strip():
        raise IntakeError(_("Geef de reden van de beëindiging."), "reason")
    if on is None:
        raise IntakeError(_("Vul de datum van de beëindiging in."), "ended_on")
    if effective.start_date and on < effective.start_date:
        raise IntakeError(
            _("De einddatum kan niet voor de start van de overeenkomst liggen (%(start)s).",
              start=format_day(effective.start_date)), "ended_on",
        )
    if effective.end_date and on > effective.end_date:
        raise IntakeError(
            _("De einddatum valt na het einde van de looptijd (%(end)s).", end=format_day(effective.end_date)),
            "ended_on",
        )
    for version in agreement.versions:
        if version.state in (DRAFT, READY):
            version.state = DISCARDED
            _event(agreement, "discarded", by, version)
    effective.state = ENDED
    agreement.state = ENDED
    agreement.ended_on = on
    agreement.end_reason = reason.strip()
    agreement.ended_at = utcnow()
    agreement.ended_by = by
    _event(agreement, "ended", by, effective, note=reason.strip())
    _notify(_directors(agreement.school), agreement.school,
            "De intakeovereenkomst van %(school)s is beëindigd op %(date)s.",
            school=agreement.school.name, date=format_day(on))
    db.session.flush()


def set_shared(agreement: IntakeAgreement, shared: bool, by: User) -> None:
    """Share the whole agreement (figures included) with the school's flywheel and forum, or stop sharing."""
    if agreement.shared_with_school == shared:
        return
    agreement.shared_with_school = shared
    _event(agreement, "shared" if shared else "unshared", by)
    db.session.flush()

