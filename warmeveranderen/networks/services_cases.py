"""Writes of star cases: write and edit (with the timeline the school chooses), submit, publish.

Services flush, never commit; refusals raise NetworkError.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import update

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR, FLYWHEEL, LONG_TEXT_MAX, TITLE_MAX
from warmeveranderen.extensions import db
from warmeveranderen.i18n import in_locale
from warmeveranderen.networks import cases
from warmeveranderen.networks.models_cases import StarCase, StarCaseMoment
from warmeveranderen.networks.services import CATEGORY, NetworkError, check_text, clean_links
from warmeveranderen.notifications.services import notify
from warmeveranderen.programme.models import Membership, School
from warmeveranderen.timeutil import utcnow


def _clean(data: dict) -> dict:
    title = (data.get("title") or "").strip()
    if not title:
        raise NetworkError(_("Geef de stercasus een titel."), "title")
    check_text(title, TITLE_MAX, "title", single_line=True)
    result, process = (data.get("result") or "").strip(), (data.get("process") or "").strip()
    check_text(result, LONG_TEXT_MAX, "result")
    check_text(process, LONG_TEXT_MAX, "journey")
    try:
        videos = clean_links(data.get("videos", ""))
    except NetworkError as exc:
        raise NetworkError(str(exc), "videos") from None
    return {"title": title, "result": result, "process": process, "videos": videos}


def _set_moments(case: StarCase, keys) -> None:
    allowed = {m.key for m in cases.candidates(case.school)}
    keys = set(keys or [])
    if keys - allowed:
        raise NetworkError(_("Kies alleen momenten uit de eigen geschiedenis van de school."), "moments")
    wanted = {tuple(k.split(":")) for k in keys}
    for moment in list(case.moments):
        if (moment.kind, str(moment.ref_id)) not in wanted:
            case.moments.remove(moment)
    have = {(m.kind, str(m.ref_id)) for m in case.moments}
    for kind, ref in sorted(wanted - have):
        case.moments.append(StarCaseMoment(kind=kind, ref_id=int(ref)))


def create_case(school: School, user: User, data: dict, moments=()) -> StarCase:
    case = StarCase(school_id=school.id, created_by_id=user.id, state="draft", **_clean(data))
    db.session.add(case)
    db.session.flush()
    db.session.refresh(case, ["school", "moments"])
    _set_moments(case, moments)
    db.session.flush()
    return case


def update_case(case: StarCase, data: dict, moments=()) -> StarCase:
    if case.state == "published":
        raise NetworkError(_("Een gepubliceerde stercasus wijzig je niet meer; de coördinator kan hem terugnemen."))
    for key, value in _clean(data).items():
        setattr(case, key, value)
    _set_moments(case, moments)
    db.session.flush()
    return case


def submit_case(case: StarCase, user: User) -> None:
    """The school asks the coordinator to publish; the coordinators hear of it."""
    if case.state != "draft":
        raise NetworkError(_("Deze stercasus is al ingediend."))
    if not case.result or not case.process:
        raise NetworkError(_("Beschrijf zowel het resultaat als het proces voor je indient."))
    case.state, case.submitted_at = "submitted", utcnow()
    db.session.flush()
    url = url_for("starcases.detail", case_id=case.id)
    for person in db.session.scalars(db.select(User).where(User.is_coordinator.is_(True), User.active.is_(True))):
        with in_locale(person):
            notify([person], category=CATEGORY, url=url, school=case.school,
                   title=_("Stercasus om te publiceren: %(t)s (%(s)s)", t=case.title, s=case.school.name))


def publish_case(case: StarCase, user: User) -> None:
    """The coordinator publishes the case to the programme; its school's director and flywheel hear of it.

    A conditional update: two clicks publish (and notify) once."""
    if case.state == "draft":
        raise NetworkError(_("Deze stercasus is nog niet ingediend: de school beslist wanneer ze klaar is."))
    if not case.result or not case.process:
        raise NetworkError(_("Beschrijf zowel het resultaat als het proces voor je indient."))
    done = db.session.execute(
        update(StarCase).where(StarCase.id == case.id, StarCase.state == "submitted")
        .values(state="published", published_at=utcnow(), published_by_id=user.id)
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        raise NetworkError(_("Deze stercasus is al gepubliceerd."))
    db.session.refresh(case)
    people = db.session.scalars(db.select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.school_id == case.school_id, Membership.role.in_((DIRECTOR, FLYWHEEL)), User.active.is_(True))
        .distinct()).all()
    url = url_for("starcases.detail", case_id=case.id)
    for person in people:
        if person.id == user.id:
            continue
        with in_locale(person):
            notify([person], category=CATEGORY, url=url, school=case.school,
                   title=_("Jullie stercasus staat in het programma: %(t)s", t=case.title))


def unpublish_case(case: StarCase) -> None:
    if case.state != "published":
        raise NetworkError(_("Deze stercasus is niet gepubliceerd."))
    case.state, case.published_at, case.published_by_id = "draft", None, None
    db.session.flush()
