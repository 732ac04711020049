"""What the vision contributes to the follow-up (tracking's registry): a section of the school's
progress page and the fact for indicator 1 (an AMORE vision endorsed by a group of stakeholders).
Imported by the views so that it registers."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from warmeveranderen.domain import AMORE_CRITERIA, STAKEHOLDER_GROUPS
from warmeveranderen.tracking.registry import indicator_fact, progress_section
from warmeveranderen.vision import services
from warmeveranderen.vision.permissions import can_read_vision


def _groups(endorsement) -> str:
    return ", ".join(str(STAKEHOLDER_GROUPS.get(g, g)) for g in endorsement.groups)


@progress_section("vision/sections/progress.html", order=20)
def vision_section(user, school) -> dict | None:
    """The current (endorsed) vision, a newer version that is not endorsed yet, and its AMORE check."""
    if not can_read_vision(user, school):
        return None
    latest = services.status_for(school)["latest"]
    current = latest if latest is not None and latest.endorsements else services.current_version(school)
    summary = services.amore_summary(latest) if latest is not None else None
    endorsement = max(current.endorsements, key=lambda e: e.endorsed_on) if current is not None else None
    return {
        "current": current,
        "endorsement": endorsement,
        "groups": _groups(endorsement) if endorsement else "",
        "latest": latest,
        "scores": summary.counts["all"] if summary else 0,
        "weakest": [AMORE_CRITERIA[k] for k in summary.weakest] if summary else [],
    }


@indicator_fact(1)
def endorsed_vision(school) -> str | None:
    current = services.current_version(school)
    if current is None:
        return None
    endorsement = max(current.endorsements, key=lambda e: e.endorsed_on)
    return _("Visie versie %(n)s afgeklopt door %(groups)s op %(date)s.",
             n=current.number, groups=_groups(endorsement), date=format_date(endorsement.endorsed_on))
