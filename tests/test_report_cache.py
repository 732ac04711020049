"""The programme's short-lived figures cache (programme/filters.py): reused while fresh; once expired,
the previous value is served while one background thread computes the new one (a refresh never lands
on a reader's request); a clear during that refresh wins; past the stale window a request computes."""

import threading

import pytest

from warmeveranderen.programme import filters


@pytest.fixture
def cache(app, monkeypatch):
    clock = {"now": 1000.0}
    monkeypatch.setattr(filters.time, "monotonic", lambda: clock["now"])
    app.config.update(REPORT_CACHE_SECONDS=60, REPORT_CACHE_STALE_SECONDS=600)
    filters.clear_programme_totals()
    try:
        yield clock
    finally:
        filters.wait_for_refreshes()
        app.config.update(REPORT_CACHE_SECONDS=0)
        filters.clear_programme_totals()


def counter():
    calls = []

    def compute():
        calls.append(threading.current_thread().name)
        return len(calls)

    return calls, compute


def test_fresh_figures_are_reused(app, cache):
    calls, compute = counter()
    with app.app_context():
        assert filters.programme_totals("k", compute) == 1
        cache["now"] += 59
        assert filters.programme_totals("k", compute) == 1
    assert len(calls) == 1


def test_expired_figures_are_served_while_one_thread_refreshes(app, cache):
    calls, count = counter()
    release = threading.Event()

    def compute():
        if calls:  # the refresh: held until the readers below have been served
            release.wait(10)
        return count()

    with app.app_context():
        filters.programme_totals("k", compute)
        cache["now"] += 61
        # The readers get the previous value at once; the new one is computed off the request, once.
        assert filters.programme_totals("k", compute) == 1
        assert filters.programme_totals("k", compute) == 1
        release.set()
        filters.wait_for_refreshes()
        assert calls[1:] == ["programme-totals:k"]  # one refresh, in the background
        assert filters.programme_totals("k", compute) == 2
    assert len(calls) == 2


def test_a_clear_during_a_refresh_wins(app, cache):
    started, release = threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(10)
        return "outdated"

    with app.app_context():
        filters.programme_totals("k", lambda: "first")
        cache["now"] += 61
        assert filters.programme_totals("k", slow) == "first"
        started.wait(10)
        filters.clear_programme_totals()  # e.g. a coordinator recorded something meanwhile
        release.set()
        filters.wait_for_refreshes()
        assert filters.programme_totals("k", lambda: "fresh") == "fresh"


def test_long_expired_figures_are_computed_on_the_request(app, cache):
    calls, compute = counter()
    with app.app_context():
        filters.programme_totals("k", compute)
        cache["now"] += 60 + 601
        assert filters.programme_totals("k", compute) == 2
    assert calls[1] == threading.current_thread().name


def test_a_failed_refresh_keeps_the_previous_figures(app, cache):
    def broken():
        raise RuntimeError("database gone")

    with app.app_context():
        filters.programme_totals("k", lambda: "kept")
        cache["now"] += 61
        assert filters.programme_totals("k", broken) == "kept"
        filters.wait_for_refreshes()
        assert filters.programme_totals("k", broken) == "kept"


def test_the_refresh_computes_in_the_readers_language(app, cache):
    """Cached figures may hold translated texts (the stall signals): the refresh keeps the language."""
    from flask_babel import gettext

    with app.test_request_context("/"):
        from flask_babel import force_locale

        with force_locale("en_GB"):
            filters.programme_totals("texts", lambda: gettext("Meldingen"))
            cache["now"] += 61
            filters.programme_totals("texts", lambda: gettext("Meldingen"))
            assert filters._cache["texts"][1] == "Notifications"
    filters.wait_for_refreshes()
    assert filters._cache["texts"][1] == "Notifications"
    assert filters._cache["texts"][0] == cache["now"]  # refreshed


def test_each_scope_has_its_own_cached_report(app, auth, world):
    """The coordinator's whole programme, an adviser's schools and a warm city are cached apart."""
    from sqlalchemy import func, select

    from tests.factories import AdviserAssignmentFactory
    from warmeveranderen.extensions import db
    from warmeveranderen.programme.models import School

    AdviserAssignmentFactory(adviser=world.users["adviser"], school=world.school, network=None)
    app.config.update(REPORT_CACHE_SECONDS=3600)
    try:
        filters.clear_programme_totals()
        everyone = db.session.scalar(select(func.count(School.id)))
        in_city = db.session.scalar(select(func.count(School.id)).where(School.city_id == world.school.city_id))
        coordinator = auth.client_for(world.users["coordinator"])
        adviser = auth.client_for(world.users["adviser"])
        for _ in range(2):  # computed, then from the cache
            page = coordinator.get("/programma/rapport").get_data(as_text=True)
            assert f"de {everyone} scholen over de vier niveaus" in page
            page = adviser.get("/programma/rapport").get_data(as_text=True)
            assert "de 1 scholen over de vier niveaus" in page
            page = coordinator.get(f"/programma/rapport?stad={world.school.city_id}").get_data(as_text=True)
            assert f"de {in_city} scholen over de vier niveaus" in page
    finally:
        app.config.update(REPORT_CACHE_SECONDS=0)
        filters.clear_programme_totals()


def test_a_logout_keeps_the_figures_a_new_name_clears_them(app, cache, world):
    from warmeveranderen.accounts.services import end_sessions
    from warmeveranderen.extensions import db

    person = world.users["director"]
    with app.app_context():
        filters.programme_totals("k", lambda: "kept")
    end_sessions(person)  # a logout: the session version changes
    assert "k" in filters._cache
    person.name = "Nieuwe Naam"
    db.session.flush()
    assert "k" not in filters._cache


def test_filter_options_are_rendered_once_per_list_and_choice():
    from warmeveranderen.templating import option_tags

    choices = [(i, f"Stad <{i}>") for i in range(60)]
    first = option_tags(choices, 3)
    assert '<option value="3" selected>Stad &lt;3&gt;</option>' in first and first.count(" selected") == 1
    assert option_tags(choices, 3) is first  # kept with the (cached) list
    other = option_tags(choices, 4)
    assert '<option value="4" selected>' in other and '<option value="3">' in other
    assert option_tags(list(choices), None).count(" selected") == 0


def test_the_number_of_people_is_cached_until_someone_joins(app, auth, world):
    import re

    from tests.factories import UserFactory

    app.config.update(REPORT_CACHE_SECONDS=3600)
    try:
        filters.clear_programme_totals()
        client = auth.client_for(world.users["coordinator"])

        def counted(url="/programma/mensen"):
            page = client.get(url).get_data(as_text=True)
            return int(re.search(r"(\d+) perso(?:on|nen)\b", page).group(1))

        before = counted()
        assert counted() == before
        UserFactory(name="Nieuwe Persoon")
        assert counted() == before + 1
        assert counted("/programma/mensen?zoek=Nieuwe") == 1  # a search counts its own matches
    finally:
        app.config.update(REPORT_CACHE_SECONDS=0)
        filters.clear_programme_totals()


def test_figures_that_survive_a_clear_are_served_stale_and_recounted(app, cache):
    calls, compute = counter()
    with app.app_context():
        assert filters.programme_totals("slow", compute, survives_clear=True) == 1
        filters.programme_totals("plain", lambda: "dropped")
        filters.clear_programme_totals()
        assert "plain" not in filters._cache
        assert filters.programme_totals("slow", compute, survives_clear=True) == 1  # no wait for the count
        filters.wait_for_refreshes()
        assert filters.programme_totals("slow", compute, survives_clear=True) == 2
    assert calls[1] == "programme-totals:slow"


def test_html_from_the_figures_is_rendered_once_per_computation_and_language(app, cache):
    """rendered_from keeps HTML while the very same figures are in use: new figures (recomputed or
    cleared) are rendered anew, and each language has its own."""
    from flask_babel import force_locale

    renders = []

    def render(figures):
        renders.append(figures)
        return f"<tr>{figures['n']}</tr>"

    with app.test_request_context("/"):
        first = filters.programme_totals("rows", lambda: {"n": 1})
        assert filters.rendered_from("t", first, lambda: render(first)) == "<tr>1</tr>"
        assert filters.rendered_from("t", first, lambda: render(first)) == "<tr>1</tr>"
        assert len(renders) == 1
        with force_locale("en"):
            filters.rendered_from("t", first, lambda: render(first))
        assert len(renders) == 2
        filters.clear_programme_totals()  # a change: the figures are computed again
        second = filters.programme_totals("rows", lambda: {"n": 2})
        assert filters.rendered_from("t", second, lambda: render(second)) == "<tr>2</tr>"
        assert len(renders) == 3


def test_the_reports_session_rows_follow_a_new_session(app, auth, world, cache):
    """On the report page (figures reused for REPORT_CACHE_SECONDS): a session recorded in this process
    clears the figures, and the rows rendered from them show it on the next request."""
    from tests.factories_tracking import CoachingSessionFactory
    from warmeveranderen.extensions import db

    client = auth.client_for(world.users["coordinator"])
    assert "0 individuele sessies" in client.get("/programma/rapport").get_data(as_text=True)
    client.get("/programma/rapport")
    CoachingSessionFactory(school=world.school)
    db.session.commit()
    page = client.get("/programma/rapport").get_data(as_text=True)
    assert "1 individuele sessies" in page
    assert f'<th scope="row" class="fw-normal ps-4">{world.school.name}</th><td></td><td class="text-end">1</td>' in page
