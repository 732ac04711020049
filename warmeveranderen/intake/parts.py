"""What the intake contributes to other features' pages: a panel on the school's home, next steps,
the adviser's to-dos and a section of the school's progress page (registered by feature.py)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.domain import sprint_weeks_source
from warmeveranderen.extensions import db
from warmeveranderen.intake import queries
from warmeveranderen.intake.models import DRAFT, READY, SIGNATORY_ROLES, AgreementVersion, IntakeAgreement
from warmeveranderen.intake.permissions import (
    can_edit_intake,
    can_mark_intake_ready,
    can_open_intake,
    can_read_agreement,
    can_see_agreement_summary,
)
from warmeveranderen.intake.terms import current_terms
from warmeveranderen.parts import Step, Todo, adviser_todo, next_step, progress_section, school_panel
from warmeveranderen.timeutil import today

# --- the home pages ----------------------------------------------------------------------------------

# The panel, the next steps and the progress section all read the agreement: once per request.
_agreement = queries.agreement_once


@school_panel("intake/_panel.html", order=10, personal=True)  # whether this person may still sign
def intake_panel(user, school):
    """The agreement's state and what is missing; hidden from those who may not see the school."""
    if not can_see_agreement_summary(user, school):
        return None
    agreement = _agreement(school)
    pending = agreement.pending if agreement else None
    return {
        "agreement": agreement,
        "state": agreement.state if agreement else "none",
        "pending": pending,
        "effective": agreement.effective if agreement else None,
        "full": can_read_agreement(user, school, agreement),
        "missing": pending.missing_signatories if pending is not None and pending.state == READY else [],
        "may_sign": queries.may_still_sign(pending, user),
        "may_open": agreement is None or agreement.state == "none",
    }


@next_step
def intake_steps(user, school) -> list[Step]:
    agreement = _agreement(school)
    url = url_for("intake.agreement", school_id=school.id)
    if agreement is None or agreement.state == "none":
        if can_open_intake(user, school):
            return [Step(_("Open de intake voor deze school."), url, 2)]
        return []
    pending = agreement.pending
    if pending is None:
        return []
    if pending.state == READY and queries.may_still_sign(pending, user):
        return [Step(_("Onderteken de intakeovereenkomst."), url_for("intake.sign", school_id=school.id), 1)]
    if pending.state == DRAFT and can_edit_intake(user, school):
        edit_url = url_for("intake.edit", school_id=school.id)
        if pending.previous is not None and agreement.effective is not None:
            return [Step(_("Werk de wijziging van de intakeovereenkomst af."), edit_url, 2)]
        urgency = 1 if can_mark_intake_ready(user, school) else 2
        return [Step(_("Vervolledig de intake."), edit_url, urgency)]
    return []


@adviser_todo
def intake_drafts(user, schools) -> list[Todo]:
    """The adviser's schools with an intake (or an amendment) still in draft (one query)."""
    by_id = {s.id: s for s in schools}
    school_ids = db.session.scalars(
        db.select(IntakeAgreement.school_id).join(AgreementVersion, AgreementVersion.agreement_id == IntakeAgreement.id)
        .where(IntakeAgreement.school_id.in_(by_id), AgreementVersion.state == DRAFT).distinct()
    )
    kind = _("Intake in concept om te vervolledigen")
    return [Todo(kind, by_id[i], url_for("intake.edit", school_id=i)) for i in school_ids]


# --- the school's progress page ------------------------------------------------------------------------


@progress_section("intake/sections/progress.html", order=15)
def agreement_section(user, school) -> dict | None:
    """The agreement's state, who signed the version in force (or still has to), and the evaluation moments."""
    if not can_see_agreement_summary(user, school):
        return None
    agreement = _agreement(school)
    if agreement is None:
        return {"agreement": None, "state": "none", "full": False}
    version = agreement.pending if agreement.pending is not None and agreement.pending.state == "ready" \
        else agreement.current
    full = can_read_agreement(user, school, agreement)
    day = today()
    moments = sorted(m.on_date for m in version.evaluation_moments) if version else []
    return {
        "agreement": agreement,
        "state": agreement.state,
        "version": version,
        "full": full,
        "signatures": sorted(version.signatures, key=lambda s: s.signed_at) if version and full else [],
        "missing": version.missing_signatories if version is not None and version.state == "ready" else [],
        "moments": [(d, d < day) for d in moments],
        "roles": SIGNATORY_ROLES,
    }


@sprint_weeks_source
def programme_sprint_weeks() -> int:
    """The sprint length of the programme terms in force; the sprints read it through the domain."""
    return int(current_terms().sprint_weeks)
