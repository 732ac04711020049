"""Operations on the programme's structure and people. They flush; the request (or job) commits once.

Inviting someone into a school role lives in `programme/people.py`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, selectinload

from warmeveranderen.accounts.models import Invitation, User
from warmeveranderen.domain import DIRECTOR, FLYWHEEL, SCHOOL_ROLES
from warmeveranderen.extensions import db
from warmeveranderen.memo import per_request
from warmeveranderen.programme.filters import programme_totals
from warmeveranderen.programme.models import (
    AdviserAssignment,
    LearningNetwork,
    Membership,
    Programme,
    School,
    WarmCity,
)
from warmeveranderen.programme.people import make_lead
from warmeveranderen.timeutil import utcnow
from warmeveranderen.uow import ServiceError


class ProgrammeError(ServiceError):
    """A user-facing refusal."""


def existing_programme() -> Programme | None:
    """The programme this installation runs (the first one), if there is one yet: for pages (a GET never writes)."""
    return db.session.scalar(db.select(Programme).order_by(Programme.id).limit(1))


def current_programme() -> Programme:
    """The programme this installation runs (the first one; created on demand, for services that write)."""
    programme = existing_programme()
    if programme is None:
        programme = Programme(name="Warme Scholen")
        db.session.add(programme)
        db.session.flush()
    return programme


# --- reading ----------------------------------------------------------------------------------


def home_overview(user: User) -> dict:
    """What the home page needs for this person, in a fixed number of queries."""
    context: dict = {"member_schools": [], "advised_schools": [], "counts": None}
    if user.is_coordinator:
        context["counts"] = {
            "cities": db.session.scalar(db.select(db.func.count(WarmCity.id))),
            "networks": db.session.scalar(db.select(db.func.count(LearningNetwork.id))),
            "schools": db.session.scalar(db.select(db.func.count(School.id))),
            "people": db.session.scalar(db.select(db.func.count(User.id))),
            "open_invitations": db.session.scalar(
                db.select(db.func.count(Invitation.id)).where(
                    Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None)
                )
            ),
        }
    if user.is_adviser:
        context["advised_schools"] = advised_schools(user)
    roles: dict[int, list[Membership]] = defaultdict(list)
    for m in user.memberships:
        roles[m.school_id].append(m)
    schools = db.session.scalars(
        db.select(School)
        .where(School.id.in_(roles.keys()))
        # The memberships feed the next steps of every school (who is still missing).
        .options(selectinload(School.city), selectinload(School.network), selectinload(School.memberships))
        .order_by(School.name)
    ).all() if roles else []
    context["member_schools"] = schools
    context["roles"] = roles
    return context


def advised_schools(user: User) -> list[School]:
    """The schools an adviser coaches, directly or through a learning network."""
    school_ids = db.select(AdviserAssignment.school_id).where(
        AdviserAssignment.adviser_id == user.id, AdviserAssignment.school_id.is_not(None)
    )
    network_ids = db.select(AdviserAssignment.network_id).where(
        AdviserAssignment.adviser_id == user.id, AdviserAssignment.network_id.is_not(None)
    )
    return db.session.scalars(
        db.select(School)
        .where(School.id.in_(school_ids) | School.network_id.in_(network_ids))
        .options(selectinload(School.city), selectinload(School.network))
        .order_by(School.name)
    ).all()


def structure() -> list[WarmCity]:
    """Every warm city with its schools and their networks, for the coordinator's overview."""
    return db.session.scalars(
        db.select(WarmCity)
        .options(selectinload(WarmCity.schools).selectinload(School.network))
        .order_by(WarmCity.name)
    ).all()


def networks() -> list[LearningNetwork]:
    return db.session.scalars(db.select(LearningNetwork).order_by(LearningNetwork.name)).all()


def with_school_counts_page(model, number: int, per_page: int = 100) -> Page:
    """One page of warm cities or learning networks by name, each with its number of schools."""
    column = School.city_id if model is WarmCity else School.network_id
    count = db.select(db.func.count(School.id)).where(column == model.id).correlate(model).scalar_subquery()
    total = db.session.scalar(db.select(db.func.count(model.id)))
    number = min(max(1, number), max(1, -(-total // per_page)))
    items = db.session.execute(
        db.select(model, count).order_by(model.name, model.id).limit(per_page).offset((number - 1) * per_page)
    ).all()
    return Page(items=items, number=number, per_page=per_page, total=total)


@dataclass
class Page:
    """One page of a long list: its items, which page, and how many there are in all."""

    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def paginate(query, number: int, per_page: int, total: int | None = None) -> Page:
    """The `number`-th page (from 1) of a select; out-of-range numbers give the nearest page."""
    if total is None:
        total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery()))
    number = min(max(1, number), max(1, -(-total // per_page)))
    items = db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(items=items, number=number, per_page=per_page, total=total)


def schools_page(number: int, per_page: int = 100) -> Page:
    """Schools by warm city and name, a page at a time, with their city and network loaded."""
    query = (
        db.select(School)
        .join(School.city)
        .options(selectinload(School.city), selectinload(School.network))
        # As ix_warm_cities_name and ix_schools_city_name read them: no sort of every school.
        .order_by(WarmCity.name, WarmCity.id, School.name, School.id)
    )
    return paginate(query, number, per_page)


def programme_counts() -> dict[str, int]:
    return {
        "schools": db.session.scalar(db.select(db.func.count(School.id))),
        "cities": db.session.scalar(db.select(db.func.count(WarmCity.id))),
        "networks": db.session.scalar(db.select(db.func.count(LearningNetwork.id))),
    }


def find_school(typed: str) -> School | None:
    """The school a coordinator typed: its number, or its full name (case-insensitive) when unique."""
    typed = typed.strip()
    if typed.isdigit():
        return db.session.get(School, int(typed))
    found = db.session.scalars(
        db.select(School).where(db.func.lower(School.name) == typed.lower()).limit(2)
    ).all()
    return found[0] if len(found) == 1 else None


def cities() -> list[WarmCity]:
    return db.session.scalars(db.select(WarmCity).order_by(WarmCity.name)).all()


def school_people(school: School) -> dict[str, list[Membership]]:
    """The school's memberships by role, people sorted by name (one statement: the people come with the join
    that sorts them)."""
    memberships = db.session.scalars(
        db.select(Membership)
        .join(Membership.user)
        .where(Membership.school_id == school.id)
        .options(contains_eager(Membership.user))
        .order_by(User.name)
    ).all()
    by_role: dict[str, list[Membership]] = {role: [] for role in SCHOOL_ROLES}
    for m in memberships:
        by_role[m.role].append(m)
    return by_role


# The school's home reads the people for its list and for the next steps (read-only, once per request).
school_people_once = per_request(school_people)


def school_advisers(school: School) -> list[User]:
    return db.session.scalars(
        db.select(User)
        .join(AdviserAssignment, AdviserAssignment.adviser_id == User.id)
        .where(
            (AdviserAssignment.school_id == school.id)
            | ((AdviserAssignment.network_id == school.network_id) & (AdviserAssignment.network_id.is_not(None)))
        )
        .distinct()
        .order_by(User.name)
    ).all()


def people(number: int = 1, per_page: int = 50, search: str = "") -> Page:
    """Everyone (or those matching `search` in their name, email address or a school of theirs), a page at a
    time, with memberships and assignments loaded, for the coordinator's list."""
    query = (
        db.select(User)
        .where(_person_matches(search))
        .options(
            # Joined, not a query each: a selectinload skips its query when the page holds no such
            # rows, which made the page's query count depend on who happens to be on it.
            selectinload(User.memberships).joinedload(Membership.school),
            selectinload(User.adviser_assignments).joinedload(AdviserAssignment.school),
            selectinload(User.adviser_assignments).joinedload(AdviserAssignment.network),
        )
        .order_by(User.name, User.id)
    )
    # Everyone's number (95,000 at 5,000 schools, a scan of them all) from the figures cache, which a
    # new or removed person clears.
    total = None if search.split() else programme_totals(
        "people:total", lambda: db.session.scalar(db.select(db.func.count(User.id))))
    return paginate(query, number, per_page, total)


def _person_matches(search: str):
    words = search.split()
    if not words:
        return db.true()
    conditions = []
    for word in words[:5]:
        like = f"%{word.lower()}%"
        in_school = db.select(Membership.user_id).join(School, School.id == Membership.school_id).where(
            db.func.lower(School.name).like(like))
        conditions.append(db.or_(db.func.lower(User.name).like(like), db.func.lower(User.email).like(like),
                                 User.id.in_(in_school)))
    return db.and_(*conditions)


def search_schools(typed: str, limit: int = 20) -> list[School]:
    """Schools whose name holds every typed word (any case), best first: names that start with it."""
    words = typed.split()
    if not words:
        return []
    lowered = db.func.lower(School.name)
    return db.session.scalars(
        db.select(School)
        .where(*[lowered.like(f"%{w.lower()}%") for w in words[:5]])
        .options(selectinload(School.city))
        .order_by(db.case((lowered.like(f"{words[0].lower()}%"), 0), else_=1), School.name)
        .limit(limit)
    ).all()


def open_invitations(school: School | None = None) -> list[Invitation]:
    query = db.select(Invitation).where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    if school is not None:
        query = query.where(Invitation.school_id == school.id)
    return db.session.scalars(query.order_by(Invitation.created_at.desc())).all()


# --- changing ---------------------------------------------------------------------------------


def _unique_name(model, name: str, exclude_id: int | None, message: str) -> str:
    name = name.strip()
    query = db.select(model.id).where(db.func.lower(model.name) == name.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ProgrammeError(message)
    return name


def save_city(name: str, city: WarmCity | None = None) -> WarmCity:
    name = _unique_name(WarmCity, name, city.id if city else None, _("Er bestaat al een warme stad met die naam."))
    if city is None:
        city = WarmCity(programme=current_programme(), name=name)
        db.session.add(city)
    city.name = name
    db.session.flush()
    return city


def save_network(name: str, network: LearningNetwork | None = None) -> LearningNetwork:
    name = _unique_name(
        LearningNetwork, name, network.id if network else None, _("Er bestaat al een lerend netwerk met die naam.")
    )
    if network is None:
        network = LearningNetwork(programme=current_programme(), name=name)
        db.session.add(network)
    network.name = name
    db.session.flush()
    return network


def save_school(data: dict, school: School | None = None) -> School:
    """Create or update a school from validated form data (name, city, network, level, umbrella)."""
    name = _unique_name(School, data["name"], school.id if school else None, _("Er bestaat al een school met die naam."))
    if school is None:
        school = School(programme=current_programme(), name=name, city_id=data["city_id"])
        db.session.add(school)
    school.name = name
    school.city_id = data["city_id"]
    school.network_id = data.get("network_id") or None
    school.level = data.get("level") or None
    school.umbrella = data.get("umbrella") or None
    db.session.flush()
    return school


def remove_membership(membership: Membership) -> None:
    """Take a role away; an open invitation for it is revoked too."""
    school = membership.school
    if membership.role == DIRECTOR and membership.user.is_active:
        # Someone who has only been invited cannot yet run the school, so they do not count.
        active = [m for m in school.memberships if m.role == DIRECTOR and m.user.is_active]
        if len(active) <= 1:
            raise ProgrammeError(
                _("Een school heeft minstens één actief directielid nodig. Laat eerst een ander directielid aanmelden.")
            )
    for invitation in db.session.scalars(
        db.select(Invitation).where(
            Invitation.email == membership.user.email,
            Invitation.school_id == membership.school_id,
            Invitation.role == membership.role,
            Invitation.accepted_at.is_(None),
        )
    ):
        invitation.revoked_at = utcnow()
    db.session.delete(membership)
    db.session.flush()


def set_lead(membership: Membership, is_lead: bool) -> None:
    """Make a flywheel member the trekker (or not)."""
    if membership.role != FLYWHEEL:
        raise ProgrammeError(_("Alleen een vliegwiellid kan trekker zijn."))
    if is_lead:
        make_lead(membership)
    else:
        membership.is_lead = False
    db.session.flush()


def assign_adviser(adviser: User, *, school: School | None = None, network: LearningNetwork | None = None) -> None:
    if (school is None) == (network is None):
        raise ProgrammeError(_("Kies een school of een lerend netwerk."))
    target = (
        AdviserAssignment.school_id == school.id if school is not None else AdviserAssignment.network_id == network.id
    )
    exists = db.session.scalar(
        db.select(AdviserAssignment.id).where(AdviserAssignment.adviser_id == adviser.id, target)
    )
    if exists:
        raise ProgrammeError(_("Deze adviseur is hier al aan toegewezen."))
    adviser.is_adviser = True
    db.session.add(AdviserAssignment(adviser=adviser, school=school, network=network))
    db.session.flush()


def unassign_adviser(assignment: AdviserAssignment) -> None:
    db.session.delete(assignment)
    db.session.flush()
