"""Access rules of the learning networks' platform.

The platform (questions, library) is for school staff (director, board, flywheel), advisers and the
coordinator; forum members are not on it. What is shared with school A's network is seen by its
staff, its adviser and the coordinator, never by the outsider (another network). Flywheel, directors,
advisers and the coordinator ask, answer and share; the asker marks the most helpful answer; the
sharer (or the coordinator) edits an item; who works school A's backlog puts an item on it.
Self-scans are school A's: everyone of the school reads them, the flywheel and director fill them in.
The expertise network: everyone reads, the coordinator keeps it. A star case of school A in the making
is read and written by school A's director and flywheel, its adviser and the coordinator; the coordinator
publishes (a published one is read by everyone on the platform: tests/test_networks_cases.py).
"""

from tests.access import COORDINATOR, FORUM, LOGGED_IN, SCHOOL

PLATFORM = frozenset({"coordinator", "adviser", "director", "board", "flywheel_lead", "flywheel", "outsider"})
CONTRIBUTORS = PLATFORM - {"board"}
NETWORK_A = SCHOOL - FORUM
NETWORK_A_CONTRIBUTORS = NETWORK_A - {"board"}
BACKLOG_A = frozenset({"director", "flywheel_lead", "flywheel"})
CASE_WRITERS = BACKLOG_A | {"adviser", "coordinator"}

RULES = {
    "questions.home": {"GET": PLATFORM},
    "questions.index": {"GET": PLATFORM},
    "questions.new": {"GET": CONTRIBUTORS, "POST": CONTRIBUTORS,
                      "data": lambda w: {"title": "Wie werkt met meters en peters?", "scope": "programme"}},
    "questions.detail": {"GET": NETWORK_A},
    "questions.answer": {"POST": NETWORK_A_CONTRIBUTORS, "data": lambda w: {"body": "Wij doen dat al twee jaar."}},
    "questions.helpful": {"POST": frozenset({"director"})},
    "library.index": {"GET": PLATFORM},
    "library.share": {"GET": CONTRIBUTORS, "POST": CONTRIBUTORS,
                      "data": lambda w: {"kind": "tool", "title": "Onthaalbrochure", "summary": "Een brochure.",
                                         "building_blocks": ["systems"], "scope": "programme"}},
    "library.detail": {"GET": NETWORK_A},
    "library.edit": {"GET": frozenset({"director", "coordinator"}), "POST": frozenset({"director", "coordinator"}),
                     "data": lambda w: {"kind": "practice", "title": "Cirkels", "summary": "Elke maandag.",
                                        "building_blocks": ["culture"], "scope": str(w.school.network_id)}},
    "library.adopt": {"POST": BACKLOG_A},
    "selfscan.index": {"GET": SCHOOL},
    "selfscan.start": {"POST": BACKLOG_A, "data": lambda w: {"kind": "abc"}},
    "selfscan.fill": {"GET": SCHOOL, "POST": BACKLOG_A, "data": lambda w: {"score_sb_greeting": "2", "bewaren": "1"}},
    "selfscan.result": {"GET": SCHOOL},
    "selfscan.to_backlog": {"POST": BACKLOG_A, "data": lambda w: {"question": "sb_greeting"}},
    "starcases.index": {"GET": PLATFORM},
    "starcases.new": {"GET": CASE_WRITERS, "POST": CASE_WRITERS,
                      "data": lambda w: {"title": "Ons warm onthaal", "result": "Minder afwezigheden."}},
    "starcases.detail": {"GET": CASE_WRITERS},
    "starcases.as_pdf": {"GET": CASE_WRITERS},
    "starcases.edit": {"GET": CASE_WRITERS, "POST": CASE_WRITERS,
                       "data": lambda w: {"title": "Ons warm onthaal", "journey": "Drie sprints."}},
    "starcases.submit": {"POST": CASE_WRITERS},
    "starcases.publish": {"POST": COORDINATOR},
    "starcases.unpublish": {"POST": COORDINATOR},
    "partners.index": {"GET": LOGGED_IN},
    "partners.detail": {"GET": LOGGED_IN},
    "partners.new": {"GET": COORDINATOR, "POST": COORDINATOR,
                     "data": lambda w: {"name": "Tenz", "offer": "Vierdaagse opleiding groepsdynamiek.", "active": "y"}},
    "partners.edit": {"GET": COORDINATOR, "POST": COORDINATOR,
                      "data": lambda w: {"name": "CEGO", "offer": "Welbevinden en betrokkenheid.", "active": "y"}},
}


def url_args(world) -> dict:
    from tests.factories_networks import (
        AnswerFactory,
        LibraryItemFactory,
        PartnerFactory,
        QuestionFactory,
        ScanAnswerFactory,
        ScanFactory,
        StarCaseFactory,
    )

    question = QuestionFactory(school=world.school, author=world.users["director"])
    answer = AnswerFactory(question=question, author=world.users["adviser"])
    item = LibraryItemFactory(school=world.school, shared_by=world.users["director"])
    scan = ScanFactory(school=world.school)
    ScanAnswerFactory(scan=scan)
    partner = PartnerFactory(programme_id=world.school.programme_id)
    case = StarCaseFactory(school=world.school)
    return {"case_id": case.id, "question_id": question.id, "answer_id": answer.id, "scan_id": scan.id,
            "partner_id": partner.id, "by_blueprint": {"library": {"item_id": item.id}}}  # sprints' item_id: a basket item
