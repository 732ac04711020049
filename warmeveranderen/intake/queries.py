"""Reading intake agreements: the pages' queries, the reminders' queries and the fingerprint.

Other features read `journey_state(school)`, `pending_signatures(now)` and
`upcoming_evaluation_moments(start, end)`. Nothing here changes state (see services.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from flask import has_request_context
from flask_babel import gettext
from sqlalchemy.orm import aliased, joinedload, selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import BOARD, DIRECTOR, INTAKE_COMMITMENTS
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.intake.models import (
    ACTIVE,
    DRAFT,
    READY,
    AgreementVersion,
    EvaluationMoment,
    IntakeAgreement,
    IntakeEvent,
    Signatory,
    Signature,
)
from warmeveranderen.intake.terms import CENT
from warmeveranderen.memo import per_request
from warmeveranderen.programme.models import LearningNetwork, Membership, School, WarmCity

COORDINATOR_ROLE = "coordinator"


def _(message: str, **params) -> str:
    """Translate in a request (the person's language); outside one (CLI, scheduler, tests calling the
    services directly) the Dutch msgid is the text."""
    if has_request_context():
        return gettext(message, **params)
    return message % params if params else message


# --- reading ---------------------------------------------------------------------------------------


def agreement_for(school: School) -> IntakeAgreement | None:
    """The school's agreement with its versions, moments, signatories and signatures (3 statements: the
    versions with their few moments joined, then the signatories and the signatures, each with its person)."""
    versions = joinedload(IntakeAgreement.versions)
    return db.session.scalars(
        db.select(IntakeAgreement).where(IntakeAgreement.school_id == school.id)
        .options(versions.joinedload(AgreementVersion.evaluation_moments),
                 versions.selectinload(AgreementVersion.signatories).joinedload(Signatory.user),
                 versions.selectinload(AgreementVersion.signatures).joinedload(Signature.user))
    ).unique().one_or_none()


# For pages that only read: the home's panel and next steps, the progress page and governance's
# figures beside them all read the agreement, once per request (memo.per_request). A request that
# changes the agreement reads it with `agreement_for`.
agreement_once = per_request(agreement_for)


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
    return slot is not None and version.signature_for(slot) is None and holds_role(user, version, slot.role)


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
    params = {"city_id": city_id, "network_id": network_id, "state": state, "limit": limit, "offset": offset}
    query = _overview_statement(bool(city_id), bool(network_id), bool(state), limit is not None)
    return [
        OverviewRow(
            school_id=row[0], school=row[1], city=row[2], network=row[3], state=row[4] or "none",
            pending_state=row[5] if row[4] == ACTIVE else None, missing=row[6] or 0, shared=bool(row[7]),
        )
        for row in db.session.execute(query, params)
    ]


_OVERVIEW_STATEMENTS: dict[tuple[bool, ...], object] = {}


def _overview_statement(by_city: bool, by_network: bool, by_state: bool, paged: bool):
    """The overview's statement, built once per combination of filters (its values are parameters):
    building its correlated subqueries cost more than running them."""
    key = (by_city, by_network, by_state, paged)
    if key in _OVERVIEW_STATEMENTS:
        return _OVERVIEW_STATEMENTS[key]
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
        .order_by(WarmCity.name, School.name, School.id)
    )
    if by_city:
        query = query.where(School.city_id == db.bindparam("city_id"))
    if by_network:
        query = query.where(School.network_id == db.bindparam("network_id"))
    if by_state:
        query = query.where(db.func.coalesce(IntakeAgreement.state, "none") == db.bindparam("state"))
    if paged:
        query = query.limit(db.bindparam("limit")).offset(db.bindparam("offset"))
    _OVERVIEW_STATEMENTS[key] = query
    return query


def pending_signatures(now: datetime, since: datetime | None = None) -> list[tuple[AgreementVersion, User, datetime]]:
    """(version, person, since) for every required signature not yet given on a version awaiting
    signatures since before `now` (and, with `since`, not before it). The coordinator's slot yields
    every coordinator. A pure query."""
    window = (AgreementVersion.frozen_at >= since,) if since is not None else ()
    versions = db.session.scalars(
        db.select(AgreementVersion)
        .where(AgreementVersion.state == READY, AgreementVersion.frozen_at <= now, *window)
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
        "matching_cap": None if version.matching_cap is None else str(Decimal(version.matching_cap).quantize(CENT)),
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


def holds_role(user: User, version: AgreementVersion, role: str) -> bool:
    """Whether this person still holds the role they sign in (the coordinator's slot: any coordinator)."""
    if role == COORDINATOR_ROLE:
        return bool(user.is_coordinator)
    return role in user.roles_in(version.agreement.school)


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
                start=format_day(start), end=format_day(end),
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

