"""Every registered route, for every role, including a member of another school and an anonymous visitor.

A route without an entry in tests/access/<feature>.py makes test_every_route_has_rules fail.
"""

import importlib
import pkgutil

import pytest

import tests.access
from tests.conftest import DATABASE_STATE, ROLES, build_world
from warmeveranderen import create_app
from warmeveranderen.extensions import db

# Static files (ours, Bootstrap's and the npm libraries' in node_modules) are public and tested on their own.
SKIPPED_ENDPOINTS = {"static", "bootstrap.static", "core.vendor_file"}


def _load_rules():
    rules, resolvers = {}, []
    for info in pkgutil.iter_modules(tests.access.__path__):
        module = importlib.import_module(f"tests.access.{info.name}")
        for endpoint, methods in module.RULES.items():
            assert endpoint not in rules, f"{endpoint} has rules in two modules"
            rules[endpoint] = methods
        if hasattr(module, "url_args"):
            resolvers.append(module.url_args)
    return rules, resolvers


RULES, RESOLVERS = _load_rules()


def _routes():
    """(endpoint, method, rule) for every route the app registers."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule))
    return found


ROUTES = _routes()


def test_every_route_has_rules():
    missing = sorted({f"{e} {m}" for e, m, _r in ROUTES if m not in RULES.get(e, {})})
    assert not missing, "routes without access rules in tests/access/: " + ", ".join(missing)


def test_no_rules_for_routes_that_do_not_exist():
    known = {(e, m) for e, m, _r in ROUTES}
    stale = sorted(
        f"{e} {m}" for e, methods in RULES.items() for m in methods
        if m not in ("data", "json", "refused") and (e, m) not in known
    )
    assert not stale, "rules for routes that do not exist: " + ", ".join(stale)


def _base_args(world) -> dict:
    assignment = world.users["adviser"].adviser_assignments[0]
    return {
        "school_id": world.school.id,
        "membership_id": world.memberships["flywheel"].id,
        "network_id": world.school.network_id,
        "city_id": world.school.city_id,
        "user_id": world.users["adviser"].id,
        "assignment_id": assignment.id,
        "token": "not-a-valid-token",
        "code": "en",
    }


def _args(world) -> dict:
    """The URL values for this world, built once (the resolvers create rows).

    Two features may name a URL variable alike (`item_id`: a basket item and a library item); a resolver
    then gives its own under "by_blueprint" ({blueprint: {name: value}}), and no two resolvers may give
    one name two values (on PostgreSQL the ids differ, so a clash would test the wrong row)."""
    if not hasattr(world, "url_values"):
        args, by_blueprint = _base_args(world), {}
        for resolve in RESOLVERS:
            values = dict(resolve(world))
            for blueprint, own in values.pop("by_blueprint", {}).items():
                by_blueprint.setdefault(blueprint, {}).update(own)
            clashes = {k for k in values if k in args and args[k] != values[k]}
            assert not clashes, f"two resolvers give {sorted(clashes)}: use by_blueprint"
            args.update(values)
        args["by_blueprint"] = by_blueprint
        world.url_values = args
    return world.url_values


def _url(app, endpoint, world) -> str:
    args = _args(world)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    own = args["by_blueprint"].get(endpoint.split(".")[0], {})
    values = {name: own.get(name, args.get(name)) for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def _changes_nothing(endpoint: str, method: str, role: str) -> bool:
    """A GET, or a POST the role is refused: it must leave the database as it was."""
    return method == "GET" or role not in RULES[endpoint][method]


CASES = [
    pytest.param(
        endpoint,
        method,
        role,
        id=f"{endpoint}-{method}-{role}",
        marks=[pytest.mark.keeps_database] if _changes_nothing(endpoint, method, role) else [],
    )
    for endpoint, method, _rule in ROUTES
    if method in RULES.get(endpoint, {})
    for role in ROLES
]

_KEPT: dict = {}


def _kept_world():
    """One world (and one logged-in client per role) shared by the cases that change nothing.

    Built again whenever another test has emptied the tables since (conftest's generation count).
    Building a world with every feature's rows costs ~0.25 s; sharing it keeps the matrix fast.
    """
    if _KEPT.get("generation") != DATABASE_STATE["generation"]:
        world = build_world()
        _args(world)
        for obj in [world.school, world.other_school, *world.users.values(), *world.memberships.values()]:
            db.session.refresh(obj)  # loaded, so the rows can be read after the session closes
        _KEPT.clear()
        _KEPT.update(generation=DATABASE_STATE["generation"], world=world, clients={})
    world, clients = _KEPT["world"], _KEPT["clients"]
    return world, clients


def _api_headers(world, clients, role) -> dict:
    """A write token of the role's person (the API never accepts the session cookie)."""
    if role == "anonymous":
        return {}
    key = f"api-token:{role}"
    if key not in clients:
        from warmeveranderen.accounts import api_tokens

        _token, secret = api_tokens.create(db.session.merge(world.users[role]), f"matrix {role}", "write")
        db.session.commit()
        # The commit expired what this session holds; a kept world is read again after this session.
        for obj in [world.school, world.other_school, *world.users.values(), *world.memberships.values()]:
            if obj in db.session:
                db.session.refresh(obj)
        clients[key] = secret
    return {"Authorization": f"Bearer {clients[key]}"}


def _api_access(app, endpoint, method, role):
    from warmeveranderen.api import auth as api_auth

    api_auth.reset_limits()
    if _changes_nothing(endpoint, method, role):
        world, clients = _kept_world()
    else:
        world, clients = build_world(), {}
    client = app.test_client()
    url = _url(app, endpoint, world)
    headers = _api_headers(world, clients, role) if endpoint != "api-docs.openapi_json" else {}
    payload = RULES[endpoint].get("json", lambda w: {})(world) if method == "POST" else None
    response = client.open(url, method=method, headers=headers, json=payload)
    status = response.status_code
    if role in RULES[endpoint][method]:
        assert status < 500 and status not in (401, 403, 404, 405), f"{role} {method} {url}: {status}"
    elif role == "anonymous":
        assert status == 401 and response.mimetype == "application/problem+json", f"anonymous {url}: {status}"
    else:
        assert status in (403, 404) and response.mimetype == "application/problem+json", f"{role} {url}: {status}"


@pytest.mark.parametrize(("endpoint", "method", "role"), CASES)
def test_route_access(app, auth, endpoint, method, role):
    if endpoint.startswith(("api_", "api-docs.")):
        return _api_access(app, endpoint, method, role)
    if _changes_nothing(endpoint, method, role):
        world, clients = _kept_world()
        if role not in clients:
            clients[role] = app.test_client()
            if role != "anonymous":
                auth.login(clients[role], world.users[role].email)
        client = clients[role]
    else:
        world = build_world()
        client = app.test_client()
        if role != "anonymous":
            auth.login(client, world.users[role].email)
    url = _url(app, endpoint, world)
    if method == "GET":
        response = client.get(url)
    else:
        data = RULES[endpoint].get("data", lambda w: {})(world)
        response = client.open(url, method=method, data={"csrf_token": client.csrf_token(), **data})
    allowed = role in RULES[endpoint][method]
    status = response.status_code
    if allowed:
        assert status < 500 and status not in (401, 403, 404, 405), f"{role} {method} {url}: {status}"
    elif role == "anonymous":
        assert status == 302 and "/inloggen" in response.location, f"anonymous {method} {url}: {status}"
    else:
        # "refused" names another answer for some roles: a file of another school is a 404 (its
        # existence is not revealed).
        expected = RULES[endpoint].get("refused", {}).get(role, 403)
        assert status == expected, f"{role} {method} {url}: expected {expected}, got {status}"
