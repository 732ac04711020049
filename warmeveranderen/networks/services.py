"""Writes of questions between schools and of the library: ask, answer, mark helpful, share, adopt.

Services flush, never commit (the request commits once). Refusals raise NetworkError with a Dutch
message, naming the form field it belongs to when there is one.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import (
    BUILDING_BLOCKS,
    CORE_MISSIONS,
    HEALTH_LEVELS,
    HEALTH_STRATEGIES,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    TITLE_MAX,
    text_problem,
)
from warmeveranderen.extensions import db
from warmeveranderen.i18n import in_locale
from warmeveranderen.networks import queries
from warmeveranderen.networks.models import LIBRARY_KINDS_CODES, LibraryItem, LibraryUse, NetworkAnswer, NetworkQuestion
from warmeveranderen.networks.permissions import CONTRIBUTORS, staff_schools
from warmeveranderen.notifications.services import notify
from warmeveranderen.programme.models import LearningNetwork, School
from warmeveranderen.security import is_safe_link
from warmeveranderen.sprints import services as sprints
from warmeveranderen.uow import ServiceError

CATEGORY = "network"


class NetworkError(ServiceError):
    """A user-facing refusal in Dutch; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def check_text(text: str, limit: int, field: str, *, single_line: bool = False) -> None:
    problem = text_problem(text, limit, single_line=single_line)
    if problem:
        raise NetworkError(problem, field)


def speaking_for(user: User, network: LearningNetwork | None) -> School | None:
    """The school a person speaks for in this network (None for advisers and the coordinator)."""
    schools = staff_schools(user, CONTRIBUTORS)
    if network is not None:
        schools = [s for s in schools if s.network_id == network.id]
    return schools[0] if schools else None


# --- questions ---------------------------------------------------------------------------------------------


def ask_question(user: User, programme_id: int, network: LearningNetwork | None, title: str, body: str,
                 building_block: str | None = None) -> NetworkQuestion:
    """A new question to the network (or the programme); the people who can answer it are told."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise NetworkError(_("Vat je vraag samen in één zin."), "title")
    check_text(title, TITLE_MAX, "title", single_line=True)
    check_text(body, LONG_TEXT_MAX, "body")
    block = building_block or None
    if block is not None and block not in BUILDING_BLOCKS:
        raise NetworkError(_("Kies een bouwsteen uit de lijst, of laat het leeg."), "building_block")
    question = NetworkQuestion(programme_id=programme_id, network_id=network.id if network else None,
                               school_id=(s.id if (s := speaking_for(user, network)) else None),
                               author_id=user.id, title=title, body=body, building_block=block)
    db.session.add(question)
    db.session.flush()
    url = url_for("questions.detail", question_id=question.id)
    where = network.name if network else None
    for person in queries.question_audience(programme_id, network):
        if person.id == user.id:
            continue
        with in_locale(person):
            heading = (_("Nieuwe vraag in %(network)s: %(title)s", network=where, title=title) if where
                       else _("Nieuwe vraag aan het programma: %(title)s", title=title))
            notify([person], category=CATEGORY, url=url, title=heading, body=body[:500])
    return question


def answer_question(question: NetworkQuestion, user: User, body: str) -> NetworkAnswer:
    """An answer; the asker hears of it."""
    body = (body or "").strip()
    if not body:
        raise NetworkError(_("Schrijf eerst je antwoord."), "body")
    check_text(body, LONG_TEXT_MAX, "body")
    school = speaking_for(user, question.network)
    answer = NetworkAnswer(question=question, author_id=user.id, school_id=school.id if school else None, body=body)
    db.session.add(answer)
    db.session.flush()
    asker = question.author
    if asker is not None and asker.id != user.id and asker.active:
        with in_locale(asker):
            notify([asker], category=CATEGORY, url=url_for("questions.detail", question_id=question.id,
                                                          _anchor=f"antwoord-{answer.id}"),
                   title=_("%(name)s antwoordde op je vraag: %(title)s", name=user.name, title=question.title),
                   body=body[:500])
    return answer


def mark_helpful(question: NetworkQuestion, answer: NetworkAnswer, user: User) -> None:
    """The asker marks the most helpful answer (another choice later replaces it); its author hears of it."""
    if answer.question_id != question.id:
        raise NetworkError(_("Dit antwoord hoort niet bij deze vraag."))
    if answer.helpful:
        return
    db.session.execute(update(NetworkAnswer).where(NetworkAnswer.question_id == question.id)
                       .values(helpful=False).execution_options(synchronize_session=False))
    answer.helpful = True
    db.session.flush()
    db.session.refresh(question, ["answers"])
    author = answer.author
    if author is not None and author.id != user.id and author.active:
        with in_locale(author):
            notify([author], category=CATEGORY, url=url_for("questions.detail", question_id=question.id),
                   title=_("Je antwoord op “%(title)s” hielp het meest", title=question.title))


# --- the library -------------------------------------------------------------------------------------------


def clean_links(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines:
        if not is_safe_link(line) or not line.startswith(("https://", "http://")) or " " in line:
            raise NetworkError(_("Eén link per regel, die begint met https:// (%(line)s).", line=line[:80]), "links")
    text = "\n".join(lines)
    check_text(text, SHORT_TEXT_MAX, "links")
    return text


def _clean_item(data: dict) -> dict:
    title = (data.get("title") or "").strip()
    if not title:
        raise NetworkError(_("Geef het een titel."), "title")
    check_text(title, TITLE_MAX, "title", single_line=True)
    summary = (data.get("summary") or "").strip()
    if not summary:
        raise NetworkError(_("Vat samen wat het is en hoe je het gebruikt."), "summary")
    check_text(summary, LONG_TEXT_MAX, "summary")
    kind = data.get("kind")
    if kind not in LIBRARY_KINDS_CODES:
        raise NetworkError(_("Kies wat je deelt: een document, een instrument of een praktijk."), "kind")
    blocks = [b for b in (data.get("building_blocks") or []) if b]
    if not blocks or any(b not in BUILDING_BLOCKS for b in blocks):
        raise NetworkError(_("Kies minstens één bouwsteen."), "building_blocks")
    missions = [m for m in (data.get("core_missions") or []) if m]
    if any(m not in CORE_MISSIONS for m in missions):
        raise NetworkError(_("Kies alleen kernopdrachten uit de lijst."), "core_missions")
    level, strategy = data.get("health_level") or None, data.get("health_strategy") or None
    if (level is None) != (strategy is None):
        raise NetworkError(_("Kies voor de gezondheidsmatrix zowel een niveau als een strategie, of geen van beide."),
                           "health_level")
    if (level and level not in HEALTH_LEVELS) or (strategy and strategy not in HEALTH_STRATEGIES):
        raise NetworkError(_("Kies een geldige cel van de gezondheidsmatrix."), "health_level")
    return dict(title=title, summary=summary, kind=kind, building_blocks=blocks, core_missions=missions,
                health_level=level, health_strategy=strategy, links=clean_links(data.get("links", "")))


def share_item(user: User, programme_id: int, network: LearningNetwork | None, data: dict) -> LibraryItem:
    """Share a document, tool or practice with the network (or the programme), naming who shared it."""
    values = _clean_item(data)
    school = speaking_for(user, network)
    item = LibraryItem(programme_id=programme_id, network_id=network.id if network else None,
                       school_id=school.id if school else None, shared_by_id=user.id, **values)
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item: LibraryItem, network: LearningNetwork | None, data: dict) -> LibraryItem:
    for key, value in _clean_item(data).items():
        setattr(item, key, value)
    item.network_id = network.id if network else None
    db.session.flush()
    return item


def adopt_item(item: LibraryItem, school: School, user: User) -> LibraryUse:
    """Put a library item on the school's backlog as an idea; the item then counts the school as a user."""
    if db.session.scalar(db.select(LibraryUse.id).where(LibraryUse.item_id == item.id,
                                                        LibraryUse.school_id == school.id)) is not None:
        raise NetworkError(_("“%(t)s” staat al op de backlog van %(s)s.", t=item.title, s=school.name))
    origin = item.school.name if item.school else (item.shared_by.name if item.shared_by else "")
    description = "\n\n".join(part for part in [
        item.summary,
        _("Uit de kennisbank, gedeeld door %(who)s.", who=origin) if origin else _("Uit de kennisbank."),
        "\n".join(f"- {link}" for link in item.link_list),
    ] if part)
    initiative = sprints.create_initiative(school, {
        "title": item.title[:200], "description": description, "building_block": item.building_blocks[0],
        "secondary_block": item.building_blocks[1] if len(item.building_blocks) > 1 else None,
        "core_missions": item.core_missions or [], "health_level": item.health_level,
        "health_strategy": item.health_strategy,
    }, user)
    use = LibraryUse(item_id=item.id, school_id=school.id, initiative_id=initiative.id)
    try:
        # Two clicks at once: the database keeps one use per school (uq_library_uses_item_school).
        with db.session.begin_nested():
            db.session.add(use)
    except IntegrityError:
        raise NetworkError(_("“%(t)s” staat al op de backlog van %(s)s.", t=item.title, s=school.name)) from None
    return use
