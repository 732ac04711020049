"""per_request: a value read once per request, never carried into the next request."""

from flask import Flask

from warmeveranderen.memo import per_request


def test_a_value_is_read_once_per_request_and_again_in_the_next():
    calls = []

    @per_request
    def load(school_id):
        calls.append(school_id)
        return len(calls)

    app = Flask(__name__)
    with app.test_request_context("/"):
        assert load(1) == 1 and load(1) == 1  # cached within the request
        assert load(2) == 2  # other arguments are another key
    with app.test_request_context("/"):
        assert load(1) == 3  # a new request reads again
    assert load(1) == 4 and load(1) == 5  # outside a request: no cache
    assert calls == [1, 2, 1, 1, 1]
    assert load.uncached(9) == 6


def test_orm_objects_are_keyed_by_class_and_id(world, app):
    from warmeveranderen.extensions import db
    from warmeveranderen.programme.models import School

    seen = []

    @per_request
    def name_of(school):
        seen.append(school.id)
        return school.name

    with app.test_request_context("/"):
        again = db.session.get(School, world.school.id)
        assert name_of(world.school) == name_of(again) == "Warme School A"
        name_of(world.other_school)
    assert seen == [world.school.id, world.other_school.id]


def test_a_number_read_with_the_person_belongs_to_the_school_of_the_address(app):
    """The school home's count of rated indicators comes with the person for the school in its address
    only: a panel of another school reads its own."""
    from warmeveranderen import memo

    with app.test_request_context("/scholen/7"):
        memo.keep_loaded(1, {"rated_indicators": 3})
        assert memo.loaded_for("rated_indicators", school_id=7) == 3
        assert memo.loaded_for("rated_indicators", school_id=8) is None
    with app.test_request_context("/scholen/7/voortgang"):
        assert memo.loaded_for("rated_indicators", school_id=7) is None  # not read on this page
