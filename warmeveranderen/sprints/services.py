"""Changing the backlog: initiatives, their order and status on the board, planning, and the offer basket.

Functions change state and flush; the request (or the job) commits once (`warmeveranderen.uow`).
A rule that refuses a change raises SprintError with a Dutch message, before anything changed.

For other features:
- `@transition_guard`: `fn(initiative, to_status, user) -> str | None`; a non-None return is a Dutch
  refusal. `move_initiative()` and `set_status()` consult every guard.
- `set_status(initiative, status, user, note)` lets another feature (the forum) set a status
  outside the board's transition table, e.g. "decided" when a decision is recorded.
The calendar and the sprints themselves change in `cadence.py`; reading is in `queries.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import func

from warmeveranderen.accounts.models import User
from warmeveranderen.domain import (
    ADDRESSED_THEMES,
    BUILDING_BLOCKS,
    CORE_MISSIONS,
    HEALTH_LEVELS,
    HEALTH_STRATEGIES,
    INITIATIVE_STATUSES,
)
from warmeveranderen.extensions import db
from warmeveranderen.plugins import adds, contributes
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.models import BasketItem, Initiative, InitiativeEvent, Label, Sprint
from warmeveranderen.sprints.queries import FINAL_STATUSES, flywheel_people, open_backlog_query
from warmeveranderen.uow import ServiceError

# Statuses that need a sprint (an initiative in them is planned into one).
SPRINT_STATUSES = ("planned", "in_progress", "ready_for_forum", "decided")

# The moves a flywheel member may make on the board. "decided" is set by the forum (set_status).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "idea": ("planned", "dropped"),
    "planned": ("in_progress", "idea", "dropped"),
    "in_progress": ("ready_for_forum", "done", "planned", "dropped"),
    "ready_for_forum": ("in_progress", "dropped"),
    "decided": ("done", "in_progress", "dropped"),
    "done": ("in_progress",),
    "dropped": ("idea",),
}

TransitionGuard = Callable[[Initiative, str, User | None], str | None]
TRANSITION_GUARDS: list[TransitionGuard] = []


class SprintError(ServiceError):
    """A rule refused the change; the message is Dutch and meant for the user."""


def transition_guard(fn: TransitionGuard) -> TransitionGuard:
    """Declare a guard that may refuse a status move (returns a Dutch message) or allow it (None)."""
    return contributes("transition_guard")(fn)


@adds("transition_guard")
def add_transition_guard(fn: TransitionGuard) -> None:
    if fn not in TRANSITION_GUARDS:
        TRANSITION_GUARDS.append(fn)


# --- backlog ---------------------------------------------------------------------------------------


def _clean_initiative(school: School, data: dict) -> dict:
    """Validate an initiative's fields; raise SprintError listing every problem in Dutch."""
    errors = []
    title = (data.get("title") or "").strip()
    if not title:
        errors.append(_("Geef het initiatief een titel."))
    elif len(title) > 200:
        errors.append(_("De titel is te lang (hoogstens 200 tekens)."))
    block = data.get("building_block") or ""
    if block not in BUILDING_BLOCKS:
        errors.append(_("Kies de bouwsteen waar dit initiatief in de eerste plaats aan werkt."))
    secondary = data.get("secondary_block") or None
    if secondary is not None and secondary not in BUILDING_BLOCKS:
        errors.append(_("Kies een geldige tweede bouwsteen."))
    elif secondary is not None and secondary == block:
        errors.append(_("De tweede bouwsteen moet verschillen van de eerste."))
    missions = [m for m in (data.get("core_missions") or []) if m]
    if any(m not in CORE_MISSIONS for m in missions):
        errors.append(_("Kies alleen kernopdrachten uit de lijst."))
    level = data.get("health_level") or None
    strategy = data.get("health_strategy") or None
    if (level is None) != (strategy is None):
        errors.append(_("Kies voor de gezondheidsmatrix zowel een niveau als een strategie, of geen van beide."))
    elif (level and level not in HEALTH_LEVELS) or (strategy and strategy not in HEALTH_STRATEGIES):
        errors.append(_("Kies een geldige cel van de gezondheidsmatrix."))
    owner_id = data.get("owner_id") or None
    if owner_id is not None:
        owner_id = int(owner_id)
        if owner_id not in {u.id for u in flywheel_people(school)}:
            errors.append(_("De eigenaar moet lid zijn van het vliegwiel van deze school."))
    labels = None
    if "labels" in data:
        labels = [label for label in labels_of(school) if label.id in {int(i) for i in data["labels"] or []}]
        if len(labels) != len(set(data["labels"] or [])):
            errors.append(_("Kies alleen labels van deze school."))
    if errors:
        raise SprintError(" ".join(errors))
    # Labels only when the form had them: the basket and the idea box create initiatives without.
    extra = {"labels": labels} if labels is not None else {}
    return extra | {
        "title": title,
        "description": (data.get("description") or "").strip(),
        "building_block": block,
        "secondary_block": secondary,
        "core_missions": [m for m in CORE_MISSIONS if m in missions],
        "health_level": level,
        "health_strategy": strategy,
        "owner_id": owner_id,
        "needs_advice": bool(data.get("needs_advice", True)),
    }


def labels_of(school: School) -> list[Label]:
    """The school's labels by name."""
    return list(db.session.scalars(db.select(Label).where(Label.school_id == school.id).order_by(Label.name, Label.id)))


def next_position(school: School) -> int:
    top = db.session.scalar(db.select(func.max(Initiative.position)).where(Initiative.school_id == school.id))
    return (top or 0) + 1


def create_initiative(school: School, data: dict, user: User, basket_item: BasketItem | None = None) -> Initiative:
    """Add an initiative at the bottom of the backlog, as an idea."""
    values = _clean_initiative(school, data)
    initiative = Initiative(school_id=school.id, status="idea", position=next_position(school),
                            created_by_id=user.id, basket_item_id=basket_item.id if basket_item else None,
                            **values)
    db.session.add(initiative)
    db.session.flush()
    db.session.add(InitiativeEvent(initiative_id=initiative.id, from_status=None, to_status="idea",
                                   user_id=user.id, note=_("Toegevoegd aan de backlog.")))
    db.session.flush()
    return initiative


def add_from_basket(school: School, item: BasketItem, user: User, owner_id: int | None = None) -> Initiative:
    """A basket item becomes a new initiative on the school's backlog, linking back to its info sheet."""
    if not item.active:
        raise SprintError(_("Dit item staat niet meer in de aanbodkorf."))
    # A second click (or a second person) would put the same practice on the backlog twice.
    if db.session.scalar(
        db.select(Initiative.id).where(Initiative.school_id == school.id, Initiative.basket_item_id == item.id,
                                       Initiative.status.not_in(("done", "dropped"))).limit(1)
    ) is not None:
        raise SprintError(_("“%(t)s” staat al op de backlog van %(s)s.", t=item.title, s=school.name))
    description = item.what
    if item.provider:
        description += "\n\n" + _("Aanbieder: %(p)s", p=item.provider)
    return create_initiative(school, {
        "title": item.title, "description": description, "building_block": item.building_block,
        "core_missions": item.core_missions or [], "health_level": item.health_level,
        "health_strategy": item.health_strategy, "owner_id": owner_id,
    }, user, basket_item=item)


def _editable(initiative: Initiative) -> None:
    if initiative.sprint is not None and initiative.sprint.is_closed:
        raise SprintError(_("Dit initiatief hoort bij een afgesloten sprint en kan niet meer gewijzigd worden."))


def is_stranded(initiative: Initiative) -> bool:
    """Left open in a closed sprint (closed before every initiative got a way forward): it may be planned again."""
    return (initiative.sprint is not None and initiative.sprint.is_closed
            and initiative.status not in FINAL_STATUSES)


def update_initiative(initiative: Initiative, data: dict, user: User) -> None:
    _editable(initiative)
    values = _clean_initiative(initiative.school, data)
    for key, value in values.items():
        setattr(initiative, key, value)
    db.session.flush()


def _renumber(ordered: list[Initiative]) -> None:
    """Give the listed initiatives their current positions again, in the new order."""
    positions = sorted(i.position for i in ordered)
    # Equal positions (e.g. after concurrent inserts) are spread out so the order is total.
    for k in range(1, len(positions)):
        if positions[k] <= positions[k - 1]:
            positions[k] = positions[k - 1] + 1
    for initiative, position in zip(ordered, positions, strict=True):
        initiative.position = position


def move_in_backlog(initiative: Initiative, direction: str, user: User) -> None:
    """Move an initiative one place up or down in the open backlog."""
    _editable(initiative)
    items = list(db.session.scalars(open_backlog_query(initiative.school)))
    if initiative not in items:
        raise SprintError(_("Dit initiatief staat niet (meer) op de open backlog."))
    k = items.index(initiative)
    j = k - 1 if direction == "up" else k + 1
    if j < 0 or j >= len(items):
        return
    items[k], items[j] = items[j], items[k]
    _renumber(items)
    db.session.flush()


def reorder_backlog(school: School, ids: list[int], user: User) -> None:
    """Put the open backlog in the given order (drag and drop). Unknown or missing ids are refused."""
    items = list(db.session.scalars(open_backlog_query(school)))
    by_id = {i.id: i for i in items}
    if len(ids) != len(set(ids)) or set(ids) != set(by_id):
        raise SprintError(_("De backlog is intussen gewijzigd. Laad de pagina opnieuw en probeer nog eens."))
    _renumber([by_id[i] for i in ids])
    db.session.flush()


def reorder_cards(sprint: Sprint, ids: list[int], user: User) -> None:
    """Put these cards of one board column in the given order (drag and drop); the other initiatives keep
    their places, so a filtered column reorders only what it shows. Cards not in this sprint are refused."""
    if sprint.is_closed:
        raise SprintError(_("Deze sprint is afgesloten; het bord is alleen te lezen."))
    cards = {i.id: i for i in db.session.scalars(db.select(Initiative).where(Initiative.sprint_id == sprint.id,
                                                                             Initiative.id.in_(ids)))}
    if not ids or len(ids) != len(set(ids)) or set(ids) != set(cards):
        raise SprintError(_("Het bord is intussen gewijzigd. Laad de pagina opnieuw en probeer nog eens."))
    _renumber([cards[i] for i in ids])
    db.session.flush()


# --- statuses and the board ------------------------------------------------------------------------


def record_status(initiative: Initiative, to_status: str, user: User | None, note: str = "") -> None:
    """Give the initiative a new status and keep who moved it, when and from which status."""
    db.session.add(InitiativeEvent(initiative_id=initiative.id, sprint_id=initiative.sprint_id,
                                   from_status=initiative.status, to_status=to_status,
                                   user_id=user.id if user else None, note=note))
    initiative.status = to_status


def guard_refusal(initiative: Initiative, to_status: str, user: User | None) -> str | None:
    """The first guard's Dutch refusal of this move, or None when every guard allows it."""
    for guard in TRANSITION_GUARDS:
        refusal = guard(initiative, to_status, user)
        if refusal:
            return refusal
    return None


def _check_guards(initiative: Initiative, to_status: str, user: User | None) -> None:
    refusal = guard_refusal(initiative, to_status, user)
    if refusal:
        raise SprintError(refusal)


def allowed_moves(initiative: Initiative, user: User | None) -> list[str]:
    """The statuses the board may offer for this card: the transitions no rule or guard refuses."""
    return [code for code in TRANSITIONS[initiative.status]
            if not (code in SPRINT_STATUSES and initiative.sprint_id is None)
            and guard_refusal(initiative, code, user) is None]


def move_initiative(initiative: Initiative, to_status: str, user: User, note: str = "") -> None:
    """Move a card on the board; records who moved it and when."""
    _editable(initiative)
    if to_status not in INITIATIVE_STATUSES:
        raise SprintError(_("Onbekende status."))
    if to_status == initiative.status:
        return
    if to_status == "decided":
        raise SprintError(_("“Besloten” volgt uit een besluit dat na het forumadvies geregistreerd wordt."))
    if to_status not in TRANSITIONS[initiative.status]:
        raise SprintError(_("Een initiatief gaat niet rechtstreeks van “%(a)s” naar “%(b)s”.",
                            a=INITIATIVE_STATUSES[initiative.status], b=INITIATIVE_STATUSES[to_status]))
    if to_status in SPRINT_STATUSES and initiative.sprint_id is None:
        raise SprintError(_("Plan het initiatief eerst in een sprint."))
    if to_status == "idea":
        initiative.sprint_id = None
    _check_guards(initiative, to_status, user)
    record_status(initiative, to_status, user, (note or "").strip())
    db.session.flush()


def set_status(initiative: Initiative, status: str, user: User | None, note: str = "", *,
               allow_closed: bool = False) -> None:
    """Set a status outside the board's transitions (for the forum: "decided"); guards still apply."""
    if not allow_closed:
        _editable(initiative)
    if status not in INITIATIVE_STATUSES:
        raise SprintError(_("Onbekende status."))
    if status == initiative.status:
        return
    _check_guards(initiative, status, user)
    record_status(initiative, status, user, (note or "").strip())
    db.session.flush()


def plan_initiative(initiative: Initiative, sprint: Sprint, user: User) -> None:
    """Plan an initiative into a sprint (an idea becomes "planned")."""
    if sprint.school_id != initiative.school_id:
        raise SprintError(_("Deze sprint hoort bij een andere school."))
    if sprint.is_closed:
        raise SprintError(_("Sprint %(n)s is afgesloten: je kunt er niets meer in plannen.", n=sprint.number))
    if not is_stranded(initiative):
        _editable(initiative)
    if initiative.status in FINAL_STATUSES:
        raise SprintError(_("Een afgerond of geschrapt initiatief kan niet gepland worden."))
    initiative.sprint_id = sprint.id
    if initiative.status == "idea":
        _check_guards(initiative, "planned", user)
        record_status(initiative, "planned", user, _("Gepland in sprint %(n)s.", n=sprint.number))
    db.session.flush()


def unplan_initiative(initiative: Initiative, user: User) -> None:
    """Take an initiative out of its sprint, back to the backlog as an idea."""
    _editable(initiative)
    if initiative.status not in ("planned", "idea"):
        raise SprintError(_("Alleen een initiatief dat nog niet in uitvoering is, gaat terug naar de backlog."))
    initiative.sprint_id = None
    if initiative.status != "idea":
        record_status(initiative, "idea", user, _("Terug naar de backlog."))
    db.session.flush()


# --- offer basket ----------------------------------------------------------------------------------


def _clean_basket(data: dict) -> dict:
    errors = []
    title = (data.get("title") or "").strip()
    if not title:
        errors.append(_("Geef het item een titel."))
    block = data.get("building_block") or ""
    if block not in BUILDING_BLOCKS:
        errors.append(_("Kies de bouwsteen waar dit aanbod aan werkt."))
    missions = [m for m in (data.get("core_missions") or []) if m]
    if any(m not in CORE_MISSIONS for m in missions):
        errors.append(_("Kies alleen kernopdrachten uit de lijst."))
    addresses = [a for a in (data.get("addresses") or []) if a]
    if any(a not in ADDRESSED_THEMES for a in addresses):
        errors.append(_("Kies alleen schalen en thema's uit de lijst."))
    level = data.get("health_level") or None
    strategy = data.get("health_strategy") or None
    if (level is None) != (strategy is None):
        errors.append(_("Kies voor de gezondheidsmatrix zowel een niveau als een strategie, of geen van beide."))
    links = [line.strip() for line in (data.get("links") or "").splitlines() if line.strip()]
    if any(not (link.startswith("https://") or link.startswith("http://")) for link in links):
        errors.append(_("Elke link begint met https:// of http:// (één link per regel)."))
    if not (data.get("what") or "").strip():
        errors.append(_("Beschrijf wat het aanbod inhoudt."))
    if errors:
        raise SprintError(" ".join(errors))
    return {
        "title": title, "what": data["what"].strip(), "audience": (data.get("audience") or "").strip(),
        "building_block": block, "core_missions": [m for m in CORE_MISSIONS if m in missions],
        "addresses": [a for a in ADDRESSED_THEMES if a in addresses],
        "health_level": level, "health_strategy": strategy,
        "provider": (data.get("provider") or "").strip(), "contact": (data.get("contact") or "").strip(),
        "links": "\n".join(links), "active": bool(data.get("active", True)),
    }


def save_basket_item(programme_id: int, data: dict, item: BasketItem | None = None) -> BasketItem:
    values = _clean_basket(data)
    if item is None:
        item = BasketItem(programme_id=programme_id)
        db.session.add(item)
    for key, value in values.items():
        setattr(item, key, value)
    db.session.flush()
    return item
