"""What the intake contributes to the school's progress page (tracking's registry). Imported by the views."""

from __future__ import annotations

from warmeveranderen.intake.models import SIGNATORY_ROLES
from warmeveranderen.intake.permissions import can_read_agreement, can_see_agreement_summary
from warmeveranderen.intake.steps import _agreement
from warmeveranderen.timeutil import today
from warmeveranderen.tracking.registry import progress_section


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
