"""The whole demo: the programme's structure and accounts, then each feature's own demo, in order.

App level: it is the one module that knows every feature's demo; each feature's `demo.py` loads
only its own part (and may use `programme.demo` for the demo school and addresses).
"""

from __future__ import annotations

from warmeveranderen import uow
from warmeveranderen.actionplan.demo import load_actionplan_demo
from warmeveranderen.discussion.demo import load_discussion_demo
from warmeveranderen.forum.demo import load_forum_demo
from warmeveranderen.governance.demo import load_governance_demo
from warmeveranderen.ideas.demo import load_ideas_demo
from warmeveranderen.intake.demo import load_intake_demo
from warmeveranderen.networks.demo import load_networks_demo
from warmeveranderen.programme.demo import load_programme_demo
from warmeveranderen.programme.models import School
from warmeveranderen.sprints.demo import load_sprints_demo
from warmeveranderen.surveys.demo import load_surveys_demo
from warmeveranderen.tracking.demo import load_tracking_demo
from warmeveranderen.vision.demo import load_vision_demo


def load_demo() -> School:
    """Load the demo programme (safe to run twice) as one unit of work; the demo school.

    Called outside a request (the `flask demo` command, test fixtures), so it commits at its end.
    """
    with uow.job_unit():
        school = load_programme_demo()
        load_sprints_demo(school)
        load_intake_demo()
        load_tracking_demo(school)
        load_forum_demo(school)
        load_vision_demo()
        load_discussion_demo(school)
        load_ideas_demo(school)
        load_actionplan_demo(school)
        load_networks_demo(school)
        load_governance_demo()
        load_surveys_demo(school)
    return school
