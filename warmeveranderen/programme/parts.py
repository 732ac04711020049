"""Next steps about a school's people: a school needs a flywheel with a lead, and a forum."""

from flask import url_for
from flask_babel import gettext as _

from warmeveranderen.domain import FLYWHEEL, FORUM
from warmeveranderen.parts import Step, next_step
from warmeveranderen.permissions import can_invite, can_manage_school_people
from warmeveranderen.programme.services import school_people_once


@next_step
def people_steps(user, school) -> list[Step]:
    steps = []
    people_url = url_for("programme.school_people", school_id=school.id)
    people = school_people_once(school)
    flywheel = people[FLYWHEEL]
    if can_manage_school_people(user, school):
        if not flywheel:
            steps.append(Step(_("Stel het vliegwiel samen: nodig de eerste vliegwielleden uit."), people_url, 1))
        elif not any(m.is_lead for m in flywheel):
            steps.append(Step(_("Duid een trekker van het vliegwiel aan."), people_url, 2))
    if can_invite(user, school, FORUM) and not people[FORUM]:
        steps.append(Step(_("Roep het forum samen: nodig stakeholders uit als forumlid."), people_url, 2))
    return steps
