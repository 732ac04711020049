"""The programme's long lists stay one page at a time with a fixed number of queries (benchmark fix)."""

import re

from sqlalchemy import event

from tests.factories import LearningNetworkFactory, SchoolFactory, UserFactory, WarmCityFactory
from warmeveranderen.extensions import db


def _count_queries(client, url):
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen), response.get_data(as_text=True)


def _schools(n, city, network):
    for _ in range(n):
        SchoolFactory(city=city, network=network)


def test_overview_pages_schools_with_constant_queries(auth):
    coordinator = UserFactory(is_coordinator=True)
    client = auth.client_for(coordinator)
    city, network = WarmCityFactory(), LearningNetworkFactory()
    _schools(3, city, network)
    few, _ = _count_queries(client, "/programma")
    _schools(110, city, network)
    many, html = _count_queries(client, "/programma")
    assert many == few
    assert "113 scholen in 1 warme steden" in html
    assert html.count('<td><a href="/scholen/') == 100
    assert "Pagina 1 van 2" in html
    _, second = _count_queries(client, "/programma?pagina=2")
    assert second.count('<td><a href="/scholen/') == 13


def test_people_pages_and_counts(app, auth, monkeypatch):
    monkeypatch.setitem(app.config, "PART_CACHE_SECONDS", 0)  # the page as rendered, not as kept
    coordinator = UserFactory(is_coordinator=True, name="Aaa Coördinator")
    for _ in range(60):
        UserFactory()
    client = auth.client_for(coordinator)
    queries, html = _count_queries(client, "/programma/mensen")
    assert "61 personen" in html and "pagina 1 van 2" in html
    assert len(re.findall(r"<tr>\s*<td>", html)) == 50
    for _ in range(60):
        UserFactory()
    again, _ = _count_queries(client, "/programma/mensen")
    assert again == queries


def test_cities_and_networks_show_school_counts(auth):
    coordinator = UserFactory(is_coordinator=True)
    city, network = WarmCityFactory(name="Gent"), LearningNetworkFactory(name="Gent 1")
    _schools(3, city, network)
    client = auth.client_for(coordinator)
    assert re.search(r"Gent <span class=\"text-muted\">\(3 scholen\)", client.get("/programma/steden").get_data(as_text=True))
    assert "(3 scholen)" in client.get("/programma/netwerken").get_data(as_text=True)
