"""People and their roles out and in: one row per role (a coordinator, an adviser's assignment to a school or
learning network, a role in a school with the trekker and the forum's stakeholder group).

Re-importing an export changes nothing. A person the programme does not know yet is added without a login
(no email is sent: invite them from *Mensen* when they should log in); a known person keeps their own name.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.accounts.services import create_user, normalise_email
from warmeveranderen.domain import ADVISER, COORDINATOR, FLYWHEEL, FORUM, SCHOOL_ROLES, STAKEHOLDER_GROUPS
from warmeveranderen.exchange.common import ExchangeResult, words, yes
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import AdviserAssignment, LearningNetwork, Membership, School
from warmeveranderen.programme.people import make_lead
from warmeveranderen.tracking.tabular import Column

COLUMNS = [
    Column("name", _l("Naam")), Column("email", _l("E-mailadres")), Column("role", _l("Rol")),
    Column("school", _l("School")), Column("network", _l("Lerend netwerk")), Column("is_lead", _l("Trekker")),
    Column("stakeholder_group", _l("Stakeholdergroep")), Column("status", _l("Status (niet ingelezen)")),
]
REQUIRED = ["name", "email", "role", "school"]
ROLES = (COORDINATOR, ADVISER, *SCHOOL_ROLES)


def _status(user: User) -> str:
    if not user.has_joined:  # neither a password nor a school account (single sign-on)
        return "zonder login"
    return "actief" if user.active else "gedeactiveerd"


def export_rows() -> list[list]:
    users = db.session.scalars(
        db.select(User).options(
            selectinload(User.memberships).selectinload(Membership.school),
            selectinload(User.adviser_assignments).selectinload(AdviserAssignment.school),
            selectinload(User.adviser_assignments).selectinload(AdviserAssignment.network),
        ).order_by(User.name, User.email)
    ).all()
    rows = []
    for user in users:
        base = [user.name, user.email]
        status = _status(user)
        mine = []
        if user.is_coordinator:
            mine.append([COORDINATOR, "", "", "", ""])
        if user.is_adviser:
            assignments = sorted(user.adviser_assignments, key=lambda a: (a.school.name if a.school else "",
                                                                          a.network.name if a.network else ""))
            mine += [[ADVISER, a.school.name if a.school else "", a.network.name if a.network else "", "", ""]
                     for a in assignments] or [[ADVISER, "", "", "", ""]]
        for m in sorted(user.memberships, key=lambda m: (m.school.name.casefold(), ROLES.index(m.role))):
            mine.append([m.role, m.school.name, "", "ja" if m.is_lead else "", m.stakeholder_group or ""])
        rows += [[*base, *role, status] for role in mine or [["", "", "", "", ""]]]
    return rows


def import_rows(rows: list[dict[str, str]]) -> ExchangeResult:
    result = ExchangeResult()
    users = {u.email: u for u in db.session.scalars(db.select(User))}
    schools = {s.name.lower(): s for s in db.session.scalars(db.select(School))}
    networks = {n.name.lower(): n for n in db.session.scalars(db.select(LearningNetwork))}
    clean = []
    for number, row in enumerate(rows, start=2):
        reasons: list[str] = []
        name, email, role = words(row, "name"), normalise_email(words(row, "email")), words(row, "role").lower()
        if not name or len(name) > 120:
            reasons.append(_("een naam (hoogstens 120 tekens) is verplicht"))
        if "@" not in email or len(email) > 254 or " " in email:
            reasons.append(_("e-mailadres '%(value)s' is geen e-mailadres", value=email))
        if role and role not in ROLES:
            reasons.append(_("rol '%(value)s' is niet een van: %(allowed)s", value=role, allowed=", ".join(ROLES)))
        school_name, network_name = words(row, "school"), words(row, "network")
        school = schools.get(school_name.lower()) if school_name else None
        network = networks.get(network_name.lower()) if network_name else None
        if school_name and school is None:
            reasons.append(_("school '%(value)s' bestaat niet", value=school_name))
        if network_name and network is None:
            reasons.append(_("lerend netwerk '%(value)s' bestaat niet", value=network_name))
        if role in SCHOOL_ROLES and not school_name:
            reasons.append(_("de rol %(role)s hoort bij een school", role=role))
        if role == ADVISER and school_name and network_name:
            reasons.append(_("een adviseur begeleidt een school óf een lerend netwerk, niet beide op één regel"))
        if role in (COORDINATOR, "") and (school_name or network_name):
            reasons.append(_("deze rol hoort niet bij een school of netwerk"))
        is_lead = yes(row, "is_lead", reasons)
        group = words(row, "stakeholder_group").lower() or None
        if role == FORUM and group not in STAKEHOLDER_GROUPS:
            reasons.append(_("een forumlid heeft een stakeholdergroep: %(allowed)s", allowed=", ".join(STAKEHOLDER_GROUPS)))
        if is_lead and role != FLYWHEEL:
            reasons.append(_("alleen een vliegwiellid kan trekker zijn"))
        if reasons:
            result.refused.append((number, "; ".join(reasons)))
        else:
            clean.append((name, email, role, school, network, is_lead, group if role == FORUM else None))
    if result.refused:
        return result
    new_people = []
    for name, email, role, school, network, is_lead, group in clean:
        created = changed = False
        user = users.get(email)
        if user is None:
            user = users[email] = create_user(email, name, None)
            new_people.append(email)
            created = True
        if role == COORDINATOR and not user.is_coordinator:
            user.is_coordinator = changed = True
        elif role == ADVISER:
            if not user.is_adviser:
                user.is_adviser = changed = True
            if school is not None or network is not None:
                changed = _assign(user, school, network) or changed
        elif role in SCHOOL_ROLES:
            membership = user.membership(school, role) if not created else None
            if membership is None:
                membership = Membership(user=user, school=school, role=role, stakeholder_group=group)
                db.session.add(membership)
                db.session.flush()
                changed = True
            elif membership.stakeholder_group != group:
                membership.stakeholder_group, changed = group, True
            if is_lead and not membership.is_lead:
                make_lead(membership)
                changed = True
        result.created += created
        result.changed += changed and not created
        result.unchanged += not (created or changed)
    if new_people:
        result.notes.append(_("Zonder login toegevoegd (er is geen e-mail verstuurd; nodig hen uit vanaf Mensen): "
                              "%(emails)s.", emails=", ".join(new_people)))
    db.session.flush()
    return result


def _assign(user: User, school: School | None, network: LearningNetwork | None) -> bool:
    for a in user.adviser_assignments:
        if (school is not None and a.school_id == school.id) or (network is not None and a.network_id == network.id):
            return False
    db.session.add(AdviserAssignment(adviser=user, school=school, network=network))
    db.session.flush()
    return True
