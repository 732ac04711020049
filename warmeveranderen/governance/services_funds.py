"""Changing evaluations, partner days and envelopes (services flush; the request commits once).

Every change of money or a decision goes into the audit trail (FundsEvent).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import update

from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import ThrottledError, check_password
from warmeveranderen.domain import DIRECTOR, LONG_TEXT_MAX, SHORT_TEXT_MAX, TITLE_MAX
from warmeveranderen.extensions import db
from warmeveranderen.formats import format_day
from warmeveranderen.governance import queries_funds as figures
from warmeveranderen.governance.models_funds import (
    DECISIONS,
    PARTNER_DAY_KINDS,
    PARTNERS,
    EnvelopeSpend,
    Evaluation,
    EvaluationSignature,
    FundsEvent,
    PartnerDay,
    Reallocation,
)
from warmeveranderen.governance.services import GovernanceError
from warmeveranderen.intake.models import ACTIVE
from warmeveranderen.intake.queries import agreement_for
from warmeveranderen.intake.services import end_agreement
from warmeveranderen.permissions import advises_school, has_role
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow


def _event(school: School | None, action: str, by: User, note: str = "", amount: Decimal | None = None) -> None:
    db.session.add(FundsEvent(school_id=school.id if school else None, action=action, actor_id=by.id, note=note,
                              amount=amount))


def _text(value: str | None, limit: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit or "\x00" in value:
        raise GovernanceError(_("Dit is te lang (hoogstens %(n)s tekens).", n=limit), field)
    return value


# --- evaluations ---------------------------------------------------------------------------------


def open_evaluation(school: School, moment_on: date) -> Evaluation:
    """The evaluation of an agreed (or decided) moment: the existing one, or a new draft."""
    existing = db.session.scalar(db.select(Evaluation).where(Evaluation.school_id == school.id,
                                                              Evaluation.moment_on == moment_on))
    if existing is not None:
        return existing
    if moment_on not in {d for d, _e in figures.moments(school)}:
        raise GovernanceError(_("Dat is geen afgesproken evaluatiemoment van deze school."))
    evaluation = Evaluation(school=school, moment_on=moment_on, state="draft",
                            next_on=figures.next_moment_after(school, moment_on))
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def save_preparation(evaluation: Evaluation, data: dict) -> None:
    if evaluation.is_frozen:
        raise GovernanceError(_("De beslissing is vastgelegd; het evaluatiemoment verandert niet meer."))
    evaluation.ambitions_review = _text(data.get("ambitions_review"), LONG_TEXT_MAX, "ambitions_review")
    evaluation.support_review = _text(data.get("support_review"), LONG_TEXT_MAX, "support_review")
    evaluation.indicators_review = _text(data.get("indicators_review"), LONG_TEXT_MAX, "indicators_review")
    evaluation.updated_at = utcnow()
    db.session.flush()


def _signing_role(user: User, school: School) -> str | None:
    if has_role(user, school, DIRECTOR):
        return "director"
    if advises_school(user, school):
        return "adviser"
    return None


def _check(user: User, password: str, address: str | None) -> None:
    try:
        right = bool(password) and check_password(user, password, address=address)
    except ThrottledError as exc:
        raise GovernanceError(str(exc), "password") from exc
    if not right:
        raise GovernanceError(_("Het wachtwoord klopt niet. Typ je eigen wachtwoord om te ondertekenen."), "password")


def decide(evaluation: Evaluation, by: User, *, decision: str, adjustment: str, next_on: date | None,
           password: str, address: str | None = None) -> Evaluation:
    """Record the decision, freeze the evaluation with its figures and sign it as the recorder.

    Two people deciding at the same moment record one decision: the draft is claimed with one
    UPDATE ... WHERE state = 'draft'; the second finds it taken and is refused.
    """
    role = _signing_role(by, evaluation.school)
    if role is None:
        raise GovernanceError(_("Alleen de directie of de adviseur van de school legt de beslissing vast."))
    if decision not in DECISIONS:
        raise GovernanceError(_("Kies: verderzetten, bijsturen of stoppen."), "decision")
    adjustment = _text(adjustment, SHORT_TEXT_MAX, "adjustment")
    if decision == "adjust" and not adjustment:
        raise GovernanceError(_("Schrijf wat er bijgestuurd wordt."), "adjustment")
    if decision != "stop" and next_on is None:
        raise GovernanceError(_("Geef de datum van het volgende evaluatiemoment."), "next_on")
    if next_on is not None and next_on <= evaluation.moment_on:
        raise GovernanceError(_("Het volgende evaluatiemoment komt na dit moment."), "next_on")
    _check(by, password, address)
    claimed = db.session.execute(
        update(Evaluation).where(Evaluation.id == evaluation.id, Evaluation.state == "draft")
        .values(state="decided", decided_at=utcnow(), decided_by_id=by.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.refresh(evaluation)  # show the decision the other party recorded
        raise GovernanceError(_("Er is intussen al een beslissing vastgelegd voor dit evaluatiemoment."))
    db.session.refresh(evaluation)
    evaluation.decision = decision
    evaluation.adjustment = adjustment
    evaluation.next_on = None if decision == "stop" else next_on
    evaluation.snapshot = figures.snapshot(evaluation.school, evaluation.moment_on)
    evaluation.fingerprint = figures.fingerprint(evaluation)
    db.session.add(EvaluationSignature(evaluation=evaluation, user_id=by.id, role=role,
                                       fingerprint=evaluation.fingerprint))
    _event(evaluation.school, "evaluation_decided", by, note=f"{evaluation.moment_on}: {DECISIONS[decision]}")
    db.session.flush()
    return evaluation


def sign(evaluation: Evaluation, user: User, *, password: str, fingerprint: str, address: str | None = None) -> None:
    """The other party signs the decision they read (the fingerprint they saw must be the text's)."""
    _check(user, password, address)
    db.session.flush()
    db.session.execute(db.select(Evaluation.id).where(Evaluation.id == evaluation.id).with_for_update())
    db.session.refresh(evaluation)
    if evaluation.state != "decided":
        raise GovernanceError(_("Er ligt geen beslissing klaar om te ondertekenen."))
    if (fingerprint or "").strip().lower() != evaluation.fingerprint:
        raise GovernanceError(_("De tekst is gewijzigd sinds je hem opende. Lees de huidige tekst en teken dan opnieuw."))
    role = _signing_role(user, evaluation.school)
    if role is None:
        raise GovernanceError(_("Alleen de directie en de adviseur van de school ondertekenen."))
    if any(s.user_id == user.id or s.role == role for s in evaluation.signatures):
        raise GovernanceError(_("Voor deze rol is al getekend."))
    evaluation.signatures.append(EvaluationSignature(user_id=user.id, role=role, fingerprint=evaluation.fingerprint))
    _event(evaluation.school, "evaluation_signed", user, note=f"{evaluation.moment_on}: {role}")
    if {s.role for s in evaluation.signatures} >= {"director", "adviser"}:
        evaluation.state = "signed"
        if evaluation.decision == "stop":
            _end_agreement(evaluation)
    db.session.flush()


def _end_agreement(evaluation: Evaluation) -> None:
    """A signed "stop" is the exit right of the agreement: it ends on the moment (its matched funds are freed)."""
    agreement = agreement_for(evaluation.school)
    director = next(s.user for s in evaluation.signatures if s.role == "director")
    version = agreement.effective if agreement is not None else None
    if version is None or version.state != ACTIVE:
        return
    on = evaluation.moment_on
    if version.end_date is not None:
        on = min(on, version.end_date)
    reason = _("Beslist op het evaluatiemoment van %(d)s: stoppen.", d=format_day(evaluation.moment_on))
    if evaluation.adjustment:
        reason = f"{reason} {evaluation.adjustment}"
    end_agreement(agreement, director, on, reason)


def default_next(moment_on: date) -> date:
    return moment_on + relativedelta(months=6)


# --- partner days and envelopes ------------------------------------------------------------------


def add_partner_day(school: School, by: User, *, partner: str, kind: str, held_on: date, days: Decimal,
                    note: str = "") -> PartnerDay:
    if partner not in PARTNERS or kind not in PARTNER_DAY_KINDS:
        raise GovernanceError(_("Kies een partner en een soort dag."), "partner")
    if days <= 0 or days > 20:
        raise GovernanceError(_("Geef het aantal dagen (meer dan 0, hoogstens 20)."), "days")
    day = PartnerDay(school=school, partner=partner, kind=kind, held_on=held_on, days=days,
                     note=_text(note, TITLE_MAX, "note"), created_by_id=by.id)
    db.session.add(day)
    _event(school, "partner_day", by, note=f"{PARTNERS[partner]} {PARTNER_DAY_KINDS[kind]} {held_on}: {days}")
    db.session.flush()
    return day


def add_spend(school: School, by: User, *, spent_on: date, description: str, own_amount: Decimal,
              matched_amount: Decimal) -> EnvelopeSpend:
    description = _text(description, TITLE_MAX, "description")
    if not description:
        raise GovernanceError(_("Beschrijf waaraan het geld ging."), "description")
    if own_amount < 0 or matched_amount < 0 or own_amount + matched_amount == 0:
        raise GovernanceError(_("Geef een bedrag (eigen deel, gematcht deel of beide)."), "own_amount")
    env = figures.envelope(school)
    if matched_amount > env.matched_left:
        raise GovernanceError(_("Het gematchte deel is groter dan wat er nog in de enveloppe zit (%(left)s).",
                                left=f"€ {env.matched_left:.2f}"), "matched_amount")
    item = EnvelopeSpend(school=school, spent_on=spent_on, description=description, own_amount=own_amount,
                         matched_amount=matched_amount, created_by_id=by.id)
    db.session.add(item)
    _event(school, "spend_added", by, note=description, amount=own_amount + matched_amount)
    db.session.flush()
    return item


def remove_spend(item: EnvelopeSpend, by: User) -> None:
    """A mistaken item is struck through, never deleted (the trail keeps it)."""
    if item.removed_at is not None:
        raise GovernanceError(_("Deze uitgave is al geschrapt."))
    item.removed_at = utcnow()
    _event(item.school, "spend_removed", by, note=item.description, amount=item.own_amount + item.matched_amount)
    db.session.flush()


def reallocate(from_school: School, to_school: School, amount: Decimal, reason: str, by: User) -> Reallocation:
    """Give freed matched funds of a school that stopped to a school that gains speed, with the reason."""
    reason = _text(reason, SHORT_TEXT_MAX, "reason")
    if not reason:
        raise GovernanceError(_("Geef de reden van deze toewijzing."), "reason")
    if from_school.id == to_school.id:
        raise GovernanceError(_("Kies een andere school om de middelen aan toe te wijzen."), "to_school_id")
    if amount <= 0:
        raise GovernanceError(_("Geef een bedrag groter dan nul."), "amount")
    freed = figures.freed_funds(from_school)
    if amount > freed:
        raise GovernanceError(_("Er is bij %(school)s maar %(freed)s vrijgekomen.", school=from_school.name,
                                freed=f"€ {freed:.2f}"), "amount")
    move = Reallocation(from_school_id=from_school.id, to_school_id=to_school.id, amount=amount, reason=reason,
                        by_id=by.id)
    db.session.add(move)
    _event(from_school, "reallocated", by, note=_("naar %(school)s: %(reason)s", school=to_school.name, reason=reason),
           amount=-amount)
    _event(to_school, "reallocated", by, note=_("van %(school)s: %(reason)s", school=from_school.name, reason=reason),
           amount=amount)
    db.session.flush()
    return move
