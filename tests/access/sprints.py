"""Access rules of the sprints: everyone of the school reads; the flywheel and director edit;
the coordinator moves sprints and sets the length; the coordinator keeps the offer basket."""

from tests.access import COORDINATOR, FLYWHEEL, LOGGED_IN, SCHOOL

EDIT = FLYWHEEL | {"director"}
SETUP = frozenset({"coordinator", "director", "flywheel_lead"})

RULES = {
    "sprints.index": {"GET": SCHOOL},
    "sprints.setup_calendar": {"POST": SETUP, "data": lambda w: {"start_date": "2026-11-23"}},
    "sprints.set_weeks": {"POST": COORDINATOR, "data": lambda w: {"weeks": "8", "reason": "Examenperiode"}},
    "sprints.move": {"GET": COORDINATOR, "POST": COORDINATOR,
                     "data": lambda w: {"new_start": "2027-02-01", "reason": "Afstemming met de examens"}},
    "sprints.sprint": {"GET": SCHOOL},
    "sprints.set_goal": {"POST": EDIT, "data": lambda w: {"goal": "Een warm onthaal voor iedereen"}},
    "sprints.start": {"POST": EDIT},
    "sprints.checkpoint": {"POST": EDIT},
    "sprints.meeting": {"GET": EDIT, "POST": EDIT},
    "sprints.close": {"GET": EDIT, "POST": EDIT},
    "sprints.reopen": {"POST": frozenset({"coordinator", "flywheel_lead"}), "data": lambda w: {"reason": "Vergissing"}},
    "sprints.board": {"GET": SCHOOL},
    "sprints.current_board": {"GET": SCHOOL},
    "sprints.backlog": {"GET": SCHOOL},
    "sprints.new_initiative": {"GET": EDIT, "POST": EDIT,
                               "data": lambda w: {"title": "Nieuw", "building_block": "culture"}},
    "sprints.initiative": {"GET": SCHOOL},
    "sprints.edit_initiative": {"GET": EDIT, "POST": EDIT},
    "sprints.reorder_one": {"POST": EDIT, "data": lambda w: {"direction": "down"}},
    "sprints.reorder": {"POST": EDIT},
    "sprints.move_card": {"POST": EDIT, "data": lambda w: {"status": "in_progress"}},
    "sprints.plan": {"POST": EDIT},
    "sprints.charts_page": {"GET": SCHOOL},
    "sprints.burnup_svg": {"GET": SCHOOL},
    "sprints.coverage_svg": {"GET": SCHOOL},
    "sprints.basket": {"GET": LOGGED_IN},
    "sprints.basket_item": {"GET": LOGGED_IN},
    "sprints.add_to_backlog": {"POST": EDIT},
    "sprints.new_basket_item": {"GET": COORDINATOR, "POST": COORDINATOR},
    "sprints.edit_basket_item": {"GET": COORDINATOR, "POST": COORDINATOR},
    # The school calendar (issue 17): the director, the trekker and the coordinator enter own days.
    "sprints.add_own_day": {"POST": SETUP, "data": lambda w: {"day": "2027-02-03", "name": "Pedagogische studiedag"}},
    "sprints.import_own_days": {"POST": SETUP},
    "sprints.remove_own_day": {"POST": SETUP},
    "sprints.awkward_sprints": {"GET": COORDINATOR},
}


def url_args(world) -> dict:
    from datetime import timedelta

    from warmeveranderen.extensions import db
    from warmeveranderen.sprints.cadence import _extend
    from warmeveranderen.sprints.models import BasketItem, Initiative, OwnDay, SprintCalendar
    from warmeveranderen.sprints.queries import current_sprint, sprints_of
    from warmeveranderen.timeutil import today

    school = world.school
    calendar = SprintCalendar(school_id=school.id, start_date=today() - timedelta(days=today().weekday()))
    db.session.add(calendar)
    db.session.flush()
    _extend(school, calendar, today())
    item = BasketItem(programme_id=school.programme_id, title="Warm onthaal", what="Goedemorgen aan de poort",
                      building_block="culture", core_missions=["involvement"])
    db.session.add(item)
    db.session.commit()
    sprint = current_sprint(school) or sprints_of(school)[0]  # today may fall in a holiday between sprints
    own_day = OwnDay(school_id=school.id, day=today() + timedelta(days=30), name="Studiedag")
    db.session.add(own_day)
    initiative = Initiative(school_id=school.id, title="Praatronde", building_block="culture", status="planned",
                            position=1, sprint_id=sprint.id)
    db.session.add(initiative)
    db.session.commit()
    return {"sprint_id": sprint.id, "initiative_id": initiative.id, "item_id": item.id, "day_id": own_day.id,
            "by_blueprint": {"sprints": {"kind": "start"}}}  # tracking's import kind is "sessies"
