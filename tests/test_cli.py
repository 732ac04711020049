"""flask demo and flask create-coordinator."""

from sqlalchemy import func, select

from warmeveranderen import create_app
from warmeveranderen.accounts import services
from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.demo import DEMO_ACCOUNTS, DEMO_SCHOOL, demo_email
from warmeveranderen.programme.models import AdviserAssignment, LearningNetwork, Membership, School, WarmCity

MODELS = (User, School, LearningNetwork, WarmCity, Membership, AdviserAssignment)


def counts() -> dict[str, int]:
    db.session.expire_all()
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def test_demo_loads_the_programme_and_one_account_per_role(runner, app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert f"demoschool: {DEMO_SCHOOL}" in result.output
    assert app.config["DEMO_PASSWORD"] in result.output
    numbers = counts()
    assert numbers["School"] == 47 and numbers["LearningNetwork"] == 9
    # Other features add people for other demo schools; the eight role accounts are checked below.
    assert numbers["User"] >= len(DEMO_ACCOUNTS)
    school = db.session.scalar(select(School).where(School.name == DEMO_SCHOOL))
    expected = {
        "coordinator": (set(), True, False),
        "adviseur": (set(), False, True),
        "directeur": ({"director"}, False, False),
        "bestuur": ({"board"}, False, False),
        "trekker": ({"flywheel"}, False, False),
        "vliegwiel": ({"flywheel"}, False, False),
        "forumlid": ({"forum"}, False, False),
        "leerling": ({"forum"}, False, False),
    }
    for local, (roles, coordinator, adviser) in expected.items():
        user = db.session.scalar(select(User).where(User.email == demo_email(local)))
        assert local in result.output and user.email in result.output
        assert user.roles_in(school) == roles, local
        assert (user.is_coordinator, user.is_adviser) == (coordinator, adviser), local
        assert services.check_password(user, app.config["DEMO_PASSWORD"], address=None)
    trekker = db.session.scalar(select(User).where(User.email == demo_email("trekker")))
    assert trekker.membership(school, "flywheel").is_lead
    forumlid = db.session.scalar(select(User).where(User.email == demo_email("forumlid")))
    assert forumlid.membership(school, "forum").stakeholder_group == "parent"
    adviser = db.session.scalar(select(User).where(User.email == demo_email("adviseur")))
    assert [a.network_id for a in adviser.adviser_assignments] == [school.network_id]


def test_running_the_demo_twice_changes_nothing(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    first = counts()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert counts() == first
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0 and "Demo is al geladen." in result.output
    assert counts() == first


def test_the_demo_is_refused_in_production(app):
    production = create_app(
        {"ENV": "production", "TESTING": True, "SECRET_KEY": "x",
         "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    # The test already runs in the test app's context; the command must see the production one.
    with production.app_context():
        result = production.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0
    assert "De demo laadt niet in productie" in result.output
    assert counts()["User"] == 0


def test_create_coordinator_asks_for_name_and_password(runner):
    result = runner.invoke(
        args=["create-coordinator", "Baas@Example.org"], input="Cor Coördinator\neen goed wachtwoord\neen goed wachtwoord\n"
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "baas@example.org"))
    assert user.name == "Cor Coördinator" and user.is_coordinator and user.is_active
    assert services.authenticate("baas@example.org", "een goed wachtwoord", "cli-test") == user


def test_create_coordinator_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-coordinator", "baas@example.org"], input="Cor\nkort\nkort\n")
    assert result.exit_code != 0 and "minstens 10 tekens" in result.output
    assert counts()["User"] == 0


def test_create_coordinator_promotes_an_existing_account(runner, auth):
    from tests.factories import UserFactory

    user = UserFactory(email="iemand@example.org")
    result = runner.invoke(args=["create-coordinator", "iemand@example.org"], input="X\nnieuw wachtwoord!\nnieuw wachtwoord!\n")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, user.id).is_coordinator
