"""Access rules of the advisers' follow-up: indicators, sessions, milestones, well-being, dashboards, imports."""

from tests.access import COORDINATOR, DIRECTOR, FLYWHEEL, PROGRAMME, SCHOOL

# The adviser team, the coordinator, leadership and flywheel (not forum members or pupils).
HISTORY = PROGRAMME | {"director", "board", "flywheel_lead", "flywheel"}
MILESTONES = PROGRAMME | {"director"}
WELLBEING_ENTRY = DIRECTOR | FLYWHEEL

RULES = {
    "tracking.school_progress": {"GET": SCHOOL},
    "tracking.rate": {"GET": PROGRAMME, "POST": PROGRAMME},
    "tracking.indicator_history": {"GET": HISTORY},
    "tracking.indicator_definitions": {"GET": PROGRAMME},
    "tracking.edit_indicator": {"GET": COORDINATOR, "POST": COORDINATOR},
    "tracking.new_school_session": {"GET": PROGRAMME, "POST": PROGRAMME},
    "tracking.new_network_session": {"GET": PROGRAMME, "POST": PROGRAMME},
    "tracking.session_detail": {"GET": SCHOOL},
    "tracking.edit_session": {"GET": PROGRAMME, "POST": PROGRAMME},
    "tracking.delete_session": {"POST": PROGRAMME},
    "tracking.milestones": {"GET": MILESTONES, "POST": MILESTONES},
    "tracking.delete_milestone": {"POST": MILESTONES},
    "tracking.wellbeing": {"GET": SCHOOL, "POST": WELLBEING_ENTRY},
    "tracking.delete_measurement": {"POST": WELLBEING_ENTRY},
    "tracking.import_wellbeing": {"GET": WELLBEING_ENTRY, "POST": WELLBEING_ENTRY},
    "tracking.wellbeing_distribution_chart": {"GET": SCHOOL},
    "tracking.wellbeing_evolution_chart": {"GET": SCHOOL},
    "tracking.wellbeing_trend_chart": {"GET": SCHOOL},
    "tracking.programme_matrix": {"GET": PROGRAMME},
    "tracking.report": {"GET": PROGRAMME},
    "tracking.report_pdf": {"GET": PROGRAMME},
    "tracking.report_indicator_chart": {"GET": PROGRAMME},
    "tracking.report_wellbeing_chart": {"GET": PROGRAMME},
    "tracking.report_csv": {"GET": PROGRAMME},
    "tracking.import_data": {"GET": COORDINATOR, "POST": COORDINATOR},
    "tracking.export_rows": {"GET": COORDINATOR},
    "tracking.export_wellbeing": {"GET": SCHOOL},
}


def url_args(world) -> dict:
    from tests.factories_tracking import CoachingSessionFactory, MilestoneFactory, WellbeingMeasurementFactory

    session = CoachingSessionFactory(school=world.school, advisers=[world.users["adviser"]])
    milestone = MilestoneFactory(school=world.school)
    measurement = WellbeingMeasurementFactory(school=world.school)
    return {
        "by_blueprint": {"tracking": {"session_id": session.id}},  # forum's session_id is a forum session
        "milestone_id": milestone.id,
        "measurement_id": measurement.id,
        "number": 1,
        "kind": "sessies",
        "fmt": "csv",
        "part": "sessies",
    }
