"""Intake agreements: the only place that changes them (one commit per user action).

Other features read `current_terms()`, `journey_state(school)`, `pending_signatures(now)` and
`upcoming_evaluation_moments(start, end)`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext
from sqlalchemy.orm import aliased, selectinload
from werkzeug.security import check_password_hash

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import BOARD, DIRECTOR, INTAKE_COMMITMENTS
from warmeveranderen.extensions import db
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
    ProgrammeTerms,
    Signatory,
    Signature,
)
from warmeveranderen.notifications.services import notify
from warmeveranderen.programme.models import LearningNetwork, Membership, School, WarmCity
from warmeveranderen.timeutil import today, utcnow
from warmeveranderen.uow import ServiceError

CENT = Decimal("0.01")
COORDINATOR_ROLE = "coordinator"

# The support package of Warme Scholen 2017-2020 (slide deck "Warme scholen — hoe maak je het?").
DEFAULT_SUPPORT_PACKAGE = """\
- Intake met directie en bestuur
- Warme opstart: kick-off met het hele team en een warme kick-off met alle stakeholders
- Tweedaagse residentiële opstart van vliegwiel en directie (verblijfskosten voor 5 deelnemers inbegrepen)
- 8 collectieve sessies per lerend netwerk
- 4 individuele begeleidingssessies per schooljaar
- 2 dagen individuele begeleiding per schooljaar rond welbevinden en betrokkenheid (CEGO)
- Training en coaching op maat rond team- en competentieontwikkeling (Tenz, 2 sessies per jaar)
- Deelname aan bijeenkomsten over de netwerken heen (expertisenetwerk)
"""

DEFAULT_TERMS = {
    "price_per_year": Decimal("1200.00"),
    "school_years": 3,
    "support_package": DEFAULT_SUPPORT_PACKAGE,
    "matching_ratio": Decimal("1.00"),
    "matching_cap": Decimal("5000.00"),
    "evaluation_count": 3,
    "evaluation_first_after_months": 9,
    "evaluation_spacing_months": 12,
    "sprint_weeks": 10,
}


def _(message: str, **params) -> str:
    """Translate in a request (the person's language); outside one (CLI, scheduler, tests calling the
    services directly) the Dutch msgid is the text."""
    if has_request_context():
        return gettext(message, **params)
    return message % params if params else message


class IntakeError(ServiceError):
    """A refusal with a Dutch message for the person who tried."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- programme terms -----------------------------------------------------------------------------


def current_terms() -> ProgrammeTerms:
    """The terms in force: the newest saved row, or the programme's defaults (unsaved) when none is."""
    terms = db.session.scalar(db.select(ProgrammeTerms).order_by(ProgrammeTerms.id.desc()).limit(1))
    if terms is not None:
        return terms
    defaults = {**DEFAULT_TERMS, "sprint_weeks": int(current_app.config.get("SPRINT_WEEKS_DEFAULT", 10))}
    return ProgrammeTerms(**defaults)


def terms_history(limit: int = 20) -> list[ProgrammeTerms]:
    return db.session.scalars(
        db.select(ProgrammeTerms)
        .options(selectinload(ProgrammeTerms.created_by))
        .order_by(ProgrammeTerms.id.desc())
        .limit(limit)
    ).all()


def save_terms(data: dict, by: User) -> ProgrammeTerms:
    """Save new terms as a new row (earlier terms stay, as do agreements that copied them)."""
    terms = ProgrammeTerms(**{key: data[key] for key in DEFAULT_TERMS}, created_by=by)
    db.session.add(terms)
    db.session.commit()
    return terms


def matched_amount(own: Decimal | None, ratio: Decimal, cap: Decimal) -> Decimal:
    """The programme's matching euro: min(own x ratio, cap)."""
    own = own or Decimal("0")
    return min((own * ratio).quantize(CENT, rounding=ROUND_HALF_UP), cap)


def default_start(on: date | None = None) -> date:
    """The next 1 September (a school year's start)."""
    on = on or today()
    start = date(on.year, 9, 1)
    return start if start >= on else date(on.year + 1, 9, 1)


def default_evaluation_moments(start: date, terms) -> list[date]:
    return [
        start + relativedelta(months=terms.evaluation_first_after_months + k * terms.evaluation_spacing_months)
        for k in range(terms.evaluation_count)
    ]


# --- reading ---------------------------------------------------------------------------------------


def _agreement_query():
    version_loads = selectinload(IntakeAgreement.versions)
    return db.select(IntakeAgreement).options(
        version_loads.selectinload(AgreementVersion.evaluation_moments),
        version_loads.selectinload(AgreementVersion.signatories).selectinload(Signatory.user),
        version_loads.selectinload(AgreementVersion.signatures).selectinload(Signature.user),
    )


def agreement_for(school: School) -> IntakeAgreement | None:
    """The school's agreement with its versions, moments, signatories and signatures (4 queries)."""
    return db.session.scalar(_agreement_query().where(IntakeAgreement.school_id == school.id))


def journey_state(school: School) -> str:
    """none / draft / awaiting / active / ended: where the school's journey stands."""
    state = db.session.scalar(db.select(IntakeAgreement.state).where(IntakeAgreement.school_id == school.id))
    return state or "none"


def audit_trail(agreement: IntakeAgreement) -> list[IntakeEvent]:
    return db.session.scalars(
        db.select(IntakeEvent)
        .where(IntakeEvent.agreement_id == agreement.id)
        .options(selectinload(IntakeEvent.actor), selectinload(IntakeEvent.version))
        .order_by(IntakeEvent.at, IntakeEvent.id)
    ).all()


def signatory_choices(school: School) -> list[tuple[str, str]]:
    """The school's directors and board members, as "role:user_id" choices."""
    memberships = db.session.scalars(
        db.select(Membership)
        .where(Membership.school_id == school.id, Membership.role.in_((DIRECTOR, BOARD)))
        .options(selectinload(Membership.user))
        .join(Membership.user)
        .order_by(Membership.role.desc(), User.name)
    ).all()
    labels = {DIRECTOR: _("directie"), BOARD: _("bestuur")}
    return [(f"{m.role}:{m.user_id}", f"{m.user.name} ({labels[m.role]})") for m in memberships]


def signatory_for(version: AgreementVersion, user: User) -> Signatory | None:
    """The slot this person signs in: their named slot, else the coordinator's slot for a coordinator."""
    named = next((s for s in version.signatories if s.user_id == user.id), None)
    if named is not None:
        return named
    if user.is_coordinator:
        return next((s for s in version.signatories if s.role == COORDINATOR_ROLE), None)
    return None


def may_still_sign(version: AgreementVersion | None, user: User) -> bool:
    """Whether this person is a required signatory of this version who has not signed yet."""
    if version is None or version.state != READY or not getattr(user, "is_authenticated", False):
        return False
    if any(s.user_id == user.id for s in version.signatures):
        return False
    slot = signatory_for(version, user)
    return slot is not None and version.signature_for(slot) is None and _holds_role(user, version, slot.role)


@dataclass(frozen=True)
class OverviewRow:
    school_id: int
    school: str
    city: str
    network: str | None
    state: str
    pending_state: str | None
    missing: int
    shared: bool


def _overview_conditions(city_id: int | None, network_id: int | None) -> list:
    conditions = []
    if city_id:
        conditions.append(School.city_id == city_id)
    if network_id:
        conditions.append(School.network_id == network_id)
    return conditions


def overview_counts(city_id: int | None = None, network_id: int | None = None) -> dict[str, int]:
    """How many schools are in each journey state (no agreement: "none"), in one aggregate query."""
    state = db.func.coalesce(IntakeAgreement.state, "none")
    rows = db.session.execute(
        db.select(state, db.func.count(School.id))
        .outerjoin(IntakeAgreement, IntakeAgreement.school_id == School.id)
        .where(*_overview_conditions(city_id, network_id))
        .group_by(state)
    ).all()
    return {code: count for code, count in rows}


def overview(city_id: int | None = None, network_id: int | None = None, state: str | None = None,
             limit: int | None = None, offset: int = 0) -> list[OverviewRow]:
    """The schools' agreement states in ONE query, whatever the number of schools (one page of
    them with limit/offset; `state` keeps the schools in that journey state)."""
    pending = aliased(AgreementVersion)
    pending_state = (
        db.select(pending.state)
        .where(pending.agreement_id == IntakeAgreement.id, pending.state.in_((DRAFT, READY)))
        .order_by(pending.number.desc())
        .limit(1)
        .correlate(IntakeAgreement)
        .scalar_subquery()
    )
    ready = aliased(AgreementVersion)
    required = (
        db.select(db.func.count(Signatory.id))
        .join(ready, Signatory.version_id == ready.id)
        .where(ready.agreement_id == IntakeAgreement.id, ready.state == READY)
        .correlate(IntakeAgreement)
        .scalar_subquery()
    )
    ready2 = aliased(AgreementVersion)
    signed = (
        db.select(db.func.count(Signature.id))
        .join(ready2, Signature.version_id == ready2.id)
        .where(ready2.agreement_id == IntakeAgreement.id, ready2.state == READY)
        .correlate(IntakeAgreement)
        .scalar_subquery()
    )
    query = (
        db.select(
            School.id,
            School.name,
            WarmCity.name,
            LearningNetwork.name,
            IntakeAgreement.state,
            pending_state,
            required - signed,
            IntakeAgreement.shared_with_school,
        )
        .join(WarmCity, School.city_id == WarmCity.id)
        .outerjoin(LearningNetwork, School.network_id == LearningNetwork.id)
        .outerjoin(IntakeAgreement, IntakeAgreement.school_id == School.id)
        .where(*_overview_conditions(city_id, network_id))
        .order_by(WarmCity.name, School.name, School.id)
    )
    if state:
        query = query.where(db.func.coalesce(IntakeAgreement.state, "none") == state)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [
        OverviewRow(
            school_id=row[0], school=row[1], city=row[2], network=row[3], state=row[4] or "none",
            pending_state=row[5] if row[4] == ACTIVE else None, missing=row[6] or 0, shared=bool(row[7]),
        )
        for row in db.session.execute(query)
    ]


def pending_signatures(now: datetime) -> list[tuple[AgreementVersion, User, datetime]]:
    """(version, person, since) for every required signature not yet given on a version awaiting
    signatures since before `now`. The coordinator's slot yields every coordinator. A pure query."""
    versions = db.session.scalars(
        db.select(AgreementVersion)
        .where(AgreementVersion.state == READY, AgreementVersion.frozen_at <= now)
        .options(
            selectinload(AgreementVersion.signatories).selectinload(Signatory.user),
            selectinload(AgreementVersion.signatures),
            selectinload(AgreementVersion.agreement).selectinload(IntakeAgreement.school),
        )
        .order_by(AgreementVersion.frozen_at)
    ).all()
    coordinators = None
    result = []
    for version in versions:
        for slot in version.missing_signatories:
            if slot.role == COORDINATOR_ROLE:
                if coordinators is None:
                    coordinators = db.session.scalars(
                        db.select(User).where(User.is_coordinator.is_(True), User.active.is_(True)).order_by(User.id)
                    ).all()
                result.extend((version, c, version.frozen_at) for c in coordinators)
            else:
                result.append((version, slot.user, version.frozen_at))
    return result


def upcoming_evaluation_moments(start: date, end: date) -> list[EvaluationMoment]:
    """Evaluation moments from start to end (inclusive) of agreements in force. A pure query."""
    return db.session.scalars(
        db.select(EvaluationMoment)
        .join(EvaluationMoment.version)
        .where(AgreementVersion.state == ACTIVE, EvaluationMoment.on_date >= start, EvaluationMoment.on_date <= end)
        .options(
            selectinload(EvaluationMoment.version)
            .selectinload(AgreementVersion.agreement)
            .selectinload(IntakeAgreement.school)
        )
        .order_by(EvaluationMoment.on_date, EvaluationMoment.id)
    ).all()


# --- the fingerprint ---------------------------------------------------------------------------------


def canonical_content(version: AgreementVersion) -> dict:
    """What the signatories sign: every term of the text, in a stable form."""
    agreement = version.agreement
    return {
        "school": {"id": agreement.school_id, "name": agreement.school.name},
        "version": version.number,
        "strategic_intention": version.strategic_intention,
        "commitments": sorted(version.commitments or []),
        "commitments_note": version.commitments_note,
        "own_investment": str(Decimal(version.own_investment).quantize(CENT)),
        "matched_amount": str(Decimal(version.matched_amount).quantize(CENT)),
        "price_per_year": str(Decimal(version.price_per_year).quantize(CENT)),
        "matching_ratio": str(Decimal(version.matching_ratio).quantize(CENT)),
        "matching_cap": str(Decimal(version.matching_cap).quantize(CENT)),
        "support_package": version.support_package,
        "start_date": version.start_date.isoformat() if version.start_date else None,
        "duration_years": version.duration_years,
        "evaluation_moments": sorted(m.on_date.isoformat() for m in version.evaluation_moments),
        "signatories": sorted(
            [s.role, s.user_id or 0, s.user.name if s.user else ""] for s in version.signatories
        ),
    }


def compute_fingerprint(version: AgreementVersion) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of the content."""
    payload = json.dumps(canonical_content(version), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fingerprint_intact(version: AgreementVersion) -> bool:
    """Whether the stored text still gives the fingerprint it was frozen with."""
    return version.fingerprint is not None and compute_fingerprint(version) == version.fingerprint


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
            with force_locale(user.locale or "nl"):
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
    start = default_start()
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
    db.session.commit()
    return agreement


def _require_state(version: AgreementVersion | None, *states: str, message: str | None = None) -> AgreementVersion:
    if version is None or version.state not in states:
        raise IntakeError(message or _("Dat kan niet in deze fase van de overeenkomst."))
    return version


def validate_content(data: dict, school: School) -> dict[str, str]:
    """Field errors (field name -> Dutch message) for draft content; empty when all is well."""
    errors: dict[str, str] = {}
    own = data.get("own_investment")
    if own is not None and own < 0:
        errors["own_investment"] = _("Een bedrag kan niet negatief zijn.")
    start, years = data.get("start_date"), data.get("duration_years")
    if years is not None and not 1 <= years <= 6:
        errors["duration_years"] = _("Kies een looptijd van 1 tot 6 schooljaren.")
    moments = data.get("evaluation_moments") or []
    if len(set(moments)) != len(moments):
        errors["evaluation_moments"] = _("Elk evaluatiemoment mag maar één keer voorkomen.")
    elif moments and start is not None and years and "duration_years" not in errors:
        end = start + relativedelta(years=years, days=-1)
        outside = [d for d in moments if d < start or d > end]
        if outside:
            errors["evaluation_moments"] = _(
                "Evaluatiemomenten moeten binnen de looptijd vallen: van %(start)s tot %(end)s.",
                start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"),
            )
    elif moments and start is None:
        errors["start_date"] = _("Vul de startdatum in: de evaluatiemomenten moeten erna vallen.")
    valid_choices = {value for value, _label in signatory_choices(school)}
    unknown = [s for s in data.get("signatories") or [] if s not in valid_choices]
    if unknown:
        errors["signatories"] = _("Kies ondertekenaars onder de directie en het bestuur van de school.")
    else:
        users = [s.split(":")[1] for s in data.get("signatories") or []]
        if len(set(users)) != len(users):
            errors["signatories"] = _("Iemand kan maar in één rol tekenen: kies elke persoon één keer.")
    unknown_commitments = set(data.get("commitments") or []) - set(INTAKE_COMMITMENTS)
    if unknown_commitments:
        errors["commitments"] = _("Kies engagementen uit de lijst.")
    return errors


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
    db.session.commit()
    return version


def missing_for_ready(version: AgreementVersion) -> list[str]:
    """What a draft still lacks before it can go to signature (Dutch, one line each)."""
    missing = []
    if not version.strategic_intention.strip():
        missing.append(_("de strategische intentie"))
    if set(version.commitments or []) != set(INTAKE_COMMITMENTS):
        missing.append(_("alle engagementen (vink ze alle vier aan)"))
    if version.start_date is None or not version.duration_years:
        missing.append(_("de startdatum en de looptijd"))
    if not version.evaluation_moments:
        missing.append(_("minstens één evaluatiemoment"))
    roles = {s.role for s in version.signatories}
    if DIRECTOR not in roles:
        missing.append(_("minstens één ondertekenaar van de directie"))
    if BOARD not in roles:
        missing.append(_("een ondertekenaar van het bestuur"))
    return missing


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
    db.session.commit()
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


def withdraw(version: AgreementVersion, by: User) -> AgreementVersion:
    """Take a version back from signature: it stays (with any signatures) and a new draft copies it."""
    _require_state(version, READY, message=_("Alleen een versie die klaar ligt voor ondertekening kan teruggetrokken worden."))
    agreement = version.agreement
    version.state = WITHDRAWN
    draft = _copy_as_draft(version, by)
    if agreement.effective is None:
        agreement.state = DRAFT
    _event(agreement, "withdrawn", by, version)
    db.session.commit()
    return draft


def discard(version: AgreementVersion, by: User) -> None:
    """Drop a draft. Signed or frozen versions are never deleted."""
    _require_state(version, DRAFT, message=_("Alleen een concept kan geschrapt worden; ondertekende versies blijven bewaard."))
    agreement = version.agreement
    version.state = DISCARDED
    if agreement.effective is None:
        agreement.state = "none"
    _event(agreement, "discarded", by, version)
    db.session.commit()


def _holds_role(user: User, version: AgreementVersion, role: str) -> bool:
    if role == COORDINATOR_ROLE:
        return bool(user.is_coordinator)
    return role in user.roles_in(version.agreement.school)


def sign(agreement: IntakeAgreement, user: User, password: str, fingerprint: str) -> Signature:
    """Sign the version awaiting signatures. Refused with a clear message for a wrong password, a
    person without that role, a second signature, or a fingerprint that is not the text's."""
    version = agreement.pending
    if version is None or version.state != READY:
        raise IntakeError(_("Er ligt geen versie van de intakeovereenkomst klaar om te ondertekenen."))
    if not password or not user.password_hash or not check_password_hash(user.password_hash, password):
        raise IntakeError(_("Het wachtwoord klopt niet. Typ je eigen wachtwoord om te ondertekenen."), "password")
    if (fingerprint or "").strip().lower() != version.fingerprint:
        raise IntakeError(
            _("De tekst is gewijzigd sinds je hem opende: de vingerafdruk die je zag (%(seen)s) is niet die van "
              "versie %(number)s (%(current)s). Lees de huidige tekst en teken dan opnieuw.",
              seen=(fingerprint or "—")[:12], number=version.number, current=version.fingerprint[:12])
        )
    if any(s.user_id == user.id for s in version.signatures):
        raise IntakeError(_("Je hebt versie %(number)s al ondertekend; iedereen tekent één keer.", number=version.number))
    slot = signatory_for(version, user)
    if slot is None or not _holds_role(user, version, slot.role):
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
    db.session.commit()
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
    db.session.commit()
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
              start=effective.start_date.strftime("%d/%m/%Y")), "ended_on",
        )
    if effective.end_date and on > effective.end_date:
        raise IntakeError(
            _("De einddatum valt na het einde van de looptijd (%(end)s).", end=effective.end_date.strftime("%d/%m/%Y")),
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
            school=agreement.school.name, date=on.strftime("%d/%m/%Y"))
    db.session.commit()


def set_shared(agreement: IntakeAgreement, shared: bool, by: User) -> None:
    """Share the whole agreement (figures included) with the school's flywheel and forum, or stop sharing."""
    if agreement.shared_with_school == shared:
        return
    agreement.shared_with_school = shared
    _event(agreement, "shared" if shared else "unshared", by)
    db.session.commit()

