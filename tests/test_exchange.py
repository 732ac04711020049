"""Data in and out (issue 16): the structure, people and roles, and intakes export as CSV (`;`, UTF-8 BOM,
Dutch headers with the machine name, formulas neutralised) and .xlsx, and every export re-imports without
changes; what was lost comes back the same."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories import LearningNetworkFactory, SchoolFactory, WarmCityFactory
from tests.factories_intake import make_agreement
from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.intake.models import IntakeAgreement
from warmeveranderen.intake.services import open_intake
from warmeveranderen.programme.models import AdviserAssignment, LearningNetwork, Membership, School, WarmCity


def _upload(client, part: str, body: bytes, fmt: str):
    return client.post_form(f"/programma/gegevens/{part}/importeren", {"file": (io.BytesIO(body), f"x.{fmt}")},
                            content_type="multipart/form-data")


def _rows(body: bytes, fmt: str) -> list[list]:
    if fmt == "csv":
        return [line.split(";") for line in body.decode("utf-8-sig").splitlines()]
    return [[("" if c.value is None else str(c.value)) for c in r] for r in load_workbook(io.BytesIO(body)).active.iter_rows()]


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def _reimport_unchanged(client, part: str, body: bytes, fmt: str, lines: int):
    response = _upload(client, part, body, fmt)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Import klaar: 0 nieuw, 0 bijgewerkt, {lines} al zo." in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_structure_round_trips(world, auth, fmt):
    WarmCityFactory(name="Kortrijk")  # no schools yet: it comes back too
    LearningNetworkFactory(name="Lerend netwerk Zwevegem")
    SchoolFactory(name="=Gemeenteschool De Bron", city=world.school.city, network=None, level="basis", umbrella="ovsg")
    db.session.commit()
    coordinator = auth.client_for(world.users["coordinator"])
    body = coordinator.get(f"/programma/gegevens/structuur.{fmt}").get_data()
    rows = _rows(body, fmt)
    assert rows[0] == ["Warme stad (warm_city)", "Lerend netwerk (network)", "School (school)",
                       "Onderwijsniveau (level)", "Net / koepel (umbrella)"]
    if fmt == "csv":
        assert body.startswith("\ufeff".encode()) and b"'=Gemeenteschool De Bron" in body
    assert ["Kortrijk", "", "", "", ""] in rows and ["", "Lerend netwerk Zwevegem", "", "", ""] in rows
    counts = (_count(WarmCity), _count(LearningNetwork), _count(School))
    _reimport_unchanged(coordinator, "structuur", body, fmt, len(rows) - 1)
    assert (_count(WarmCity), _count(LearningNetwork), _count(School)) == counts

    # What was removed by mistake comes back from the export as it was.
    db.session.execute(db.delete(School).where(School.name == "=Gemeenteschool De Bron"))
    db.session.execute(db.delete(WarmCity).where(WarmCity.name == "Kortrijk"))
    db.session.commit()
    assert _upload(coordinator, "structuur", body, fmt).status_code == 302
    assert _rows(coordinator.get(f"/programma/gegevens/structuur.{fmt}").get_data(), fmt) == rows
    assert db.session.scalar(db.select(School.level).where(School.name == "=Gemeenteschool De Bron")) == "basis"


def test_a_structure_row_that_moves_a_school_is_refused_and_nothing_is_imported(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    body = ("warm_city;network;school\nNieuwe Stad;;Nieuwe School\n"
            f"Andere Stad;;{world.school.name}\n").encode()
    response = _upload(coordinator, "structuur", body, "csv")
    assert response.status_code == 422
    assert f"school &#39;{world.school.name}&#39; bestaat al in" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(School.id).where(School.name == "Nieuwe School")) is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_people_and_roles_round_trip(world, auth, fmt):
    coordinator = auth.client_for(world.users["coordinator"])
    body = coordinator.get(f"/programma/gegevens/mensen.{fmt}").get_data()
    rows = _rows(body, fmt)
    assert rows[0][:4] == ["Naam (name)", "E-mailadres (email)", "Rol (role)", "School (school)"]
    lead = world.users["flywheel_lead"]
    assert [lead.name, lead.email, "flywheel", world.school.name, "", "ja", "", "actief"] in rows
    assert [world.users["pupil"].name, world.users["pupil"].email, "forum", world.school.name, "", "", "pupil",
            "actief"] in rows
    counts = (_count(User), _count(Membership), _count(AdviserAssignment))
    _reimport_unchanged(coordinator, "mensen", body, fmt, len(rows) - 1)
    assert (_count(User), _count(Membership), _count(AdviserAssignment)) == counts

    # A role and an assignment lost by mistake come back; the trekker is the trekker again.
    db.session.delete(world.memberships["pupil"])
    db.session.execute(db.delete(AdviserAssignment))
    db.session.get(Membership, world.memberships["flywheel_lead"].id).is_lead = False
    db.session.commit()
    assert _upload(coordinator, "mensen", body, fmt).status_code == 302
    assert _rows(coordinator.get(f"/programma/gegevens/mensen.{fmt}").get_data(), fmt) == rows


def test_a_new_person_is_added_without_a_login_and_without_an_email(world, auth, outbox):
    coordinator = auth.client_for(world.users["coordinator"])
    body = (f"Naam (name);E-mailadres (email);Rol (role);School (school);Stakeholdergroep (stakeholder_group)\n"
            f"Nieuwe Ouder;ouder@voorbeeld.be;forum;{world.school.name};parent\n").encode()
    response = _upload(coordinator, "mensen", body, "csv")
    assert response.status_code == 302
    page = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Zonder login toegevoegd" in page and "ouder@voorbeeld.be" in page
    user = db.session.scalar(db.select(User).where(User.email == "ouder@voorbeeld.be"))
    assert user.password_hash is None and user.membership(world.school, "forum").stakeholder_group == "parent"
    assert not any("ouder@voorbeeld.be" in m["To"] for m in outbox())


def test_people_rows_are_checked(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    body = (b"name;email;role;school;stakeholder_group\nA;geen-adres;forum;Onbekende School;\n")
    response = _upload(coordinator, "mensen", body, "csv")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "geen e-mailadres" in text and "bestaat niet" in text and "stakeholdergroep" in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_intakes_round_trip(world, auth, fmt):
    make_agreement(world, "active")
    draft = open_intake(world.other_school, world.users["coordinator"]).current
    draft.own_investment = draft.matched_amount = Decimal("3000.00")
    db.session.commit()
    coordinator = auth.client_for(world.users["coordinator"])
    body = coordinator.get(f"/programma/gegevens/intakes.{fmt}").get_data()
    rows = _rows(body, fmt)
    active = next(r for r in rows if r[0] == world.school.name)
    assert active[1:3] == ["active", "1"] and active[9:11] == ["3", "2027-06-01,2028-06-01,2029-06-01"]
    if fmt == "csv":
        assert active[3:5] == ["3000,00", "3000,00"]  # a decimal comma, as a Belgian Excel reads it
    _reimport_unchanged(coordinator, "intakes", body, fmt, 2)

    # An agreement is never changed by an import: a differing row is refused, naming the column.
    changed = body.replace(b"3000,00", b"3500,00") if fmt == "csv" else None
    if changed is not None:
        response = _upload(coordinator, "intakes", changed, fmt)
        assert response.status_code == 422 and "own_investment" in response.get_data(as_text=True)

    # A draft lost by mistake is opened again with its figures.
    db.session.execute(db.delete(IntakeAgreement).where(IntakeAgreement.school_id == world.other_school.id))
    db.session.commit()
    assert _upload(coordinator, "intakes", body, fmt).status_code == 302
    assert _rows(coordinator.get(f"/programma/gegevens/intakes.{fmt}").get_data(), fmt) == rows
    draft = db.session.scalar(db.select(IntakeAgreement).where(IntakeAgreement.school_id == world.other_school.id))
    assert draft.current.own_investment == Decimal("3000.00") and draft.state == "draft"


def test_a_signed_agreement_cannot_be_imported(world, auth):
    coordinator = auth.client_for(world.users["coordinator"])
    body = (f"school;state;own_investment;start_date\n{world.school.name};active;1000;2026-09-01\n").encode()
    response = _upload(coordinator, "intakes", body, "csv")
    assert response.status_code == 422 and "ondertekenen gebeurt in de app" in response.get_data(as_text=True)
