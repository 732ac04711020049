"""Access rules of the surveys: the coordinator edits the templates; the school's leadership (director,
board, flywheel), its adviser and the coordinator see the results; the director and the flywheel open
surveys, send links and add the school's own questions. Answering needs no account: the matrix's
invalid token gives everyone the "link no longer works" page (410)."""

from tests.access import ALL, COORDINATOR, PROGRAMME

RESULTS = frozenset({"coordinator", "adviser", "director", "board", "flywheel_lead", "flywheel"})
MANAGERS = frozenset({"director", "flywheel_lead", "flywheel"})
OBSERVERS = MANAGERS | {"adviser"}

RULES = {
    "surveys.index": {"GET": RESULTS},
    "surveys.new": {"GET": MANAGERS, "POST": MANAGERS, "data": lambda w: {
        "audience": "staff", "group_name": "Personeel (matrix)", "school_year": _year(), "moment": "pre",
        "closes_on": _closes(), "max_responses": "50", "shared_link": "y"}},
    "surveys.detail": {"GET": RESULTS},
    "surveys.invite": {"POST": MANAGERS, "data": lambda w: {"addresses": "iemand@example.org"}},
    "surveys.new_link": {"POST": MANAGERS},
    "surveys.stop_link": {"POST": MANAGERS},
    "surveys.close": {"POST": MANAGERS},
    "surveys.reopen": {"POST": MANAGERS, "data": lambda w: {"closes_on": _closes()}},
    "surveys.export": {"GET": RESULTS},
    "surveys.chart": {"GET": RESULTS},
    "surveys.evolution_chart": {"GET": RESULTS},
    "survey_answers.answer": {"GET": ALL, "POST": ALL},
    "survey_answers.thanks": {"GET": ALL},
    "survey_programme.results": {"GET": PROGRAMME},
    "observations.index": {"GET": RESULTS, "POST": OBSERVERS, "data": lambda w: {
        "class_name": "3A", "observed_on": _closes(days=-1), "involvement_3": "10", "involvement_4": "8",
        "class_climate": "4", "teaching_style": "3"}},
    "observations.delete": {"POST": OBSERVERS},
    "survey_questions.templates": {"GET": COORDINATOR},
    "survey_questions.settings_page": {"GET": COORDINATOR, "POST": COORDINATOR, "data": lambda w: {
        "min_responses": "6", "notable_low_share": "25", "clear_fall": "0,5"}},
    "survey_questions.edit_template": {"GET": COORDINATOR, "POST": COORDINATOR,
                                       "data": lambda w: {"title": "Bevraging van het personeel", "intro": "Kort."}},
    "survey_questions.add_question": {"POST": COORDINATOR, "data": lambda w: {
        "kind": "likert", "text": "Ik kan op mijn collega's rekenen.", "theme": "climate"}},
    "survey_questions.edit_question": {"GET": COORDINATOR, "POST": COORDINATOR, "data": lambda w: {
        "kind": "likert", "text": "Ik voel me echt goed op mijn werk.", "theme": "wellbeing"}},
    "survey_questions.archive_question": {"POST": COORDINATOR},
    "survey_questions.own_questions": {"GET": MANAGERS, "POST": MANAGERS, "data": lambda w: {
        "audience": "parents", "kind": "likert", "text": "De speelplaats is fijn."}},
    "survey_questions.archive_own_question": {"POST": MANAGERS},
}


def _year() -> str:
    from warmeveranderen.timeutil import today
    from warmeveranderen.tracking.windows import school_year

    return school_year(today())


def _closes(days: int = 10) -> str:
    from datetime import timedelta

    from warmeveranderen.timeutil import today

    return (today() + timedelta(days=days)).isoformat()


def url_args(world) -> dict:
    """A staff survey of school A with six answers (results shown) and its post-measurement, so the
    charts exist; a programme question and an own question of school A."""
    from tests.factories_surveys import answered_survey, observe, own_question

    pre = answered_survey(world.school, moment="pre", answers=[[4, 5], [3, 4], [5, 5], [4, 4], [2, 3], [4, 5]])
    answered_survey(world.school, moment="post", answers=[[5, 5], [4, 4], [5, 5], [4, 5], [3, 4], [5, 5]])
    own = own_question(world.school)
    observation = observe(world.school)
    return {"observation_id": observation.id, "survey_id": pre.id, "audience": "staff",
            "survey_question_id": pre.template.questions[0].id,
            "own_question_id": own.id}
