"""Access rules of the programme's bodies (members and the coordinator; the world's body has the adviser as
chair, so the school's people and the outsider see nothing of it, its unshared minutes included) and of
evaluation moments and envelopes (the school's director, board and adviser; signing: director and adviser)."""

from tests.access import COORDINATOR, LOGGED_IN

BODY = frozenset({"coordinator", "adviser"})
READERS = frozenset({"coordinator", "adviser", "director", "board"})
PREPARERS = frozenset({"coordinator", "adviser", "director"})
SIGNERS = frozenset({"adviser", "director"})

RULES = {
    "governance.index": {"GET": LOGGED_IN},
    "governance.new": {"GET": COORDINATOR, "POST": COORDINATOR},
    "governance.body": {"GET": BODY},
    "governance.edit": {"GET": BODY, "POST": BODY},
    "governance.meeting": {"GET": BODY},
    "governance.add_item": {"POST": BODY, "data": lambda w: {"title": "Varia"}},
    "governance.send_agenda": {"POST": BODY},
    "governance.move": {"GET": BODY, "POST": BODY},
    "governance.minutes": {"GET": BODY, "POST": BODY, "data": lambda w: {"summary": "Kort."}},
    "governance.complete": {"POST": BODY},
    "governance.agenda_pdf": {"GET": BODY},
    "governance.minutes_pdf": {"GET": BODY},
    "governance.calendar": {"GET": BODY},
    "governance_funds.school": {"GET": READERS},
    "governance_funds.open_evaluation": {"POST": PREPARERS, "data": lambda w: {"moment_on": "2027-06-01"}},
    "governance_funds.add_spend": {"POST": PREPARERS, "data": lambda w: {
        "spent_on": "2026-10-01", "description": "Studiedag", "own_amount": "100", "matched_amount": "0"}},
    "governance_funds.remove_spend": {"POST": PREPARERS},
    "governance_funds.add_partner_day": {"POST": PREPARERS, "data": lambda w: {
        "partner": "cego", "kind": "support", "held_on": "2026-10-01", "days": "1"}},
    "governance_funds.evaluation": {"GET": READERS},
    "governance_funds.prepare": {"POST": PREPARERS, "data": lambda w: {"ambitions_review": "Op koers."}},
    "governance_funds.decide": {"POST": SIGNERS, "data": lambda w: {"decision": "continue", "password": "fout"}},
    "governance_funds.sign": {"POST": SIGNERS},
    "governance_funds.support": {"GET": COORDINATOR},
    "governance_funds.reallocate": {"POST": COORDINATOR},
}


def url_args(world) -> dict:
    from datetime import date, timedelta
    from decimal import Decimal

    from tests.factories_governance import make_body
    from warmeveranderen.extensions import db
    from warmeveranderen.governance import services
    from warmeveranderen.governance.models_funds import EnvelopeSpend, Evaluation
    from warmeveranderen.timeutil import today

    adviser = world.users["adviser"]
    start = today() - timedelta(days=21)
    body = make_body(world.users["coordinator"], [(adviser, "chair")], first=start, today=start,
                     avoid_holidays=False)
    meeting = body.meetings[0]
    services.record_minutes(meeting, adviser, attendance={}, summary="Vertrouwelijk", decisions=["Besluit"],
                            actions=[("Nota schrijven", adviser.id, today())], done_action_ids=[], shared=False)
    evaluation = Evaluation(school=world.school, moment_on=date(2027, 6, 1), state="draft")
    spend = EnvelopeSpend(school=world.school, spent_on=date(2026, 10, 1), description="Boeken",
                          own_amount=Decimal("50"), matched_amount=Decimal("0"))
    db.session.add_all([evaluation, spend])
    db.session.commit()
    return {"body_id": body.id, "meeting_id": meeting.id, "action_id": meeting.actions[0].id,
            "evaluation_id": evaluation.id, "spend_id": spend.id}
