"""Reads of the platform: what a person may see, searched and filtered, and who hears of a new question."""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import DIRECTOR, FLYWHEEL
from warmeveranderen.extensions import db
from warmeveranderen.networks.models import LibraryItem, LibraryUse, NetworkAnswer, NetworkQuestion
from warmeveranderen.networks.permissions import staff_schools
from warmeveranderen.programme.models import AdviserAssignment, LearningNetwork, Membership, School

PAGE_SIZE = 50


def visible_network_ids(user) -> set[int] | None:
    """The networks whose shared things the person sees (None: all, for the coordinator)."""
    if user.is_coordinator:
        return None
    ids = {s.network_id for s in staff_schools(user) if s.network_id}
    for a in user.adviser_assignments if user.is_adviser else []:
        if a.network_id:
            ids.add(a.network_id)
        elif a.school is not None and a.school.network_id:
            ids.add(a.school.network_id)
    return ids


def networks_for(user, ids: set[int] | None) -> list[LearningNetwork]:
    query = db.select(LearningNetwork).order_by(LearningNetwork.name)
    if ids is not None:
        query = query.where(LearningNetwork.id.in_(ids or {-1}))
    return db.session.scalars(query).all()


def _scope(column, ids: set[int] | None, network_id: int | None, scope: str | None):
    """Filters for the visible scope, narrowed by the chosen network or to the programme."""
    where = []
    if ids is not None:
        where.append(or_(column.is_(None), column.in_(ids or {-1})))
    if scope == "programme":
        where.append(column.is_(None))
    elif network_id is not None:
        where.append(column == network_id)
    return where


def _search(columns, text: str | None):
    if not text:
        return []
    needle = f"%{text.strip().lower()}%"
    return [or_(*(func.lower(c).like(needle) for c in columns))]


def questions(user, *, text=None, network_id=None, scope=None, block=None, state=None, limit=PAGE_SIZE):
    """The questions the person may see, newest first; searched in the question and its answers."""
    ids = visible_network_ids(user)
    query = (db.select(NetworkQuestion)
             .where(*_scope(NetworkQuestion.network_id, ids, network_id, scope))
             .options(selectinload(NetworkQuestion.answers), selectinload(NetworkQuestion.network),
                      selectinload(NetworkQuestion.school), selectinload(NetworkQuestion.author))
             .order_by(NetworkQuestion.created_at.desc(), NetworkQuestion.id.desc()).limit(limit))
    if text:
        in_answers = db.select(NetworkAnswer.question_id).where(*_search([NetworkAnswer.body], text))
        query = query.where(or_(*_search([NetworkQuestion.title, NetworkQuestion.body], text),
                                NetworkQuestion.id.in_(in_answers)))
    if block:
        query = query.where(NetworkQuestion.building_block == block)
    if state == "open":
        query = query.where(~NetworkQuestion.answers.any())
    elif state == "solved":
        query = query.where(NetworkQuestion.answers.any(NetworkAnswer.helpful.is_(True)))
    return db.session.scalars(query).all()


def latest_titles(user, network_id: int, limit: int) -> list[tuple[int, str]]:
    """(id, title) of the network's newest questions the person may see: a panel's list, one statement."""
    return db.session.execute(
        db.select(NetworkQuestion.id, NetworkQuestion.title)
        .where(*_scope(NetworkQuestion.network_id, visible_network_ids(user), network_id, None))
        .order_by(NetworkQuestion.created_at.desc(), NetworkQuestion.id.desc()).limit(limit)
    ).all()


def load_question(question_id: int) -> NetworkQuestion | None:
    return db.session.scalars(
        db.select(NetworkQuestion).where(NetworkQuestion.id == question_id)
        .options(selectinload(NetworkQuestion.answers).selectinload(NetworkAnswer.author),
                 selectinload(NetworkQuestion.answers).selectinload(NetworkAnswer.school),
                 selectinload(NetworkQuestion.network), selectinload(NetworkQuestion.school),
                 selectinload(NetworkQuestion.author))
    ).first()


def question_audience(programme_id: int, network: LearningNetwork | None) -> list[User]:
    """Who hears of a new question: for a network its schools' directors and flywheel members and its
    advisers; for the programme the coordinators and all advisers (active people, each once)."""
    if network is None:
        people = db.select(User).where(User.active.is_(True), or_(User.is_coordinator.is_(True),
                                                                  User.is_adviser.is_(True)))
        return db.session.scalars(people.order_by(User.id)).all()
    staff = (db.select(Membership.user_id).join(School, School.id == Membership.school_id)
             .where(School.network_id == network.id, Membership.role.in_((DIRECTOR, FLYWHEEL))))
    advisers = (db.select(AdviserAssignment.adviser_id)
                .outerjoin(School, School.id == AdviserAssignment.school_id)
                .where(or_(AdviserAssignment.network_id == network.id, School.network_id == network.id)))
    return db.session.scalars(
        db.select(User).where(User.active.is_(True), or_(User.id.in_(staff), User.id.in_(advisers)))
        .order_by(User.id)
    ).all()


def library(user, *, text=None, network_id=None, scope=None, block=None, mission=None, kind=None,
            cell=None, limit=PAGE_SIZE):
    """The library items the person may see, newest first, with their uses."""
    ids = visible_network_ids(user)
    query = (db.select(LibraryItem)
             .where(*_scope(LibraryItem.network_id, ids, network_id, scope),
                    *_search([LibraryItem.title, LibraryItem.summary], text))
             .options(selectinload(LibraryItem.uses), selectinload(LibraryItem.network),
                      selectinload(LibraryItem.school), selectinload(LibraryItem.shared_by))
             .order_by(LibraryItem.created_at.desc(), LibraryItem.id.desc()))
    if kind:
        query = query.where(LibraryItem.kind == kind)
    if cell:
        level, _sep, strategy = cell.partition(":")
        query = query.where(LibraryItem.health_level == level, LibraryItem.health_strategy == strategy)
    items = db.session.scalars(query).all()
    # JSON lists: filtered here (portable across SQLite and PostgreSQL; a library holds hundreds, not millions).
    if block:
        items = [i for i in items if block in (i.building_blocks or [])]
    if mission:
        items = [i for i in items if mission in (i.core_missions or [])]
    return items[:limit]


def load_item(item_id: int) -> LibraryItem | None:
    return db.session.scalars(
        db.select(LibraryItem).where(LibraryItem.id == item_id)
        .options(selectinload(LibraryItem.uses).selectinload(LibraryUse.school),
                 selectinload(LibraryItem.network), selectinload(LibraryItem.school),
                 selectinload(LibraryItem.shared_by))
    ).first()


def matching_library(user, block: str, level: str | None = None, strategy: str | None = None, limit=3):
    """Library items for a building block (and a health-matrix cell, when given), for a self-scan's gap."""
    items = library(user, block=block, limit=200)
    if level and strategy:
        items.sort(key=lambda i: (i.health_level, i.health_strategy) != (level, strategy))
    return items[:limit]
