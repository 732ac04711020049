"""The intake agreement: drafting, signing, amendments, ending, who reads what, the overview and the rules."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

from tests.factories import PASSWORD, MembershipFactory, SchoolFactory, UserFactory
from tests.factories_intake import ProgrammeTermsFactory, draft_content, make_agreement
from warmeveranderen.extensions import db
from warmeveranderen.intake import queries, services
from warmeveranderen.intake import terms as programme_terms
from warmeveranderen.intake.models import AgreementVersion, IntakeAgreement, IntakeEvent, Signature
from warmeveranderen.notifications.models import Notification

FINGERPRINT_RE = re.compile(r'name="fingerprint" type="hidden" value="([0-9a-f]{64})"')


def form_data(world, **overrides) -> dict:
    """The draft form as a browser posts it."""
    data = {
        "strategic_intention": "Directie en bestuur willen **één warme school** met vaste teams.",
        "commitments": ["building_blocks", "flywheel_time", "sessions", "measurement"],
        "commitments_note": "We houden elke woensdagnamiddag vrij voor het vliegwiel.",
        "own_investment": "3.000",
        "start_date": "2026-09-01",
        "duration_years": "3",
        "evaluation_moments-0": "2027-06-01",
        "evaluation_moments-1": "01/06/2028",
        "evaluation_moments-2": "2029-06-01",
        "signatories": [f"director:{world.users['director'].id}", f"board:{world.users['board'].id}"],
    }
    data.update(overrides)
    return data


def agreement_of(school) -> IntakeAgreement:
    db.session.expire_all()
    return queries.agreement_for(school)


def sign_over_http(client, school_id: int, password: str = PASSWORD, fingerprint: str | None = None):
    page = client.get(f"/scholen/{school_id}/intake/ondertekenen")
    assert page.status_code == 200
    seen = FINGERPRINT_RE.search(page.get_data(as_text=True)).group(1)
    return client.post_form(
        f"/scholen/{school_id}/intake/ondertekenen",
        {"fingerprint": fingerprint or seen, "password": password, "agree": "y"},
    )


# --- the journey of the Done-when --------------------------------------------------------------


def test_adviser_drafts_director_completes_and_three_parties_sign(auth, world):
    school = world.school
    adviser = auth.client_for(world.users["adviser"])
    response = adviser.post_form(f"/scholen/{school.id}/intake/openen")
    assert response.status_code == 302 and response.location.endswith("/intake/concept")
    assert queries.journey_state(school) == "draft"

    # The adviser writes a first version of the intention; the adviser cannot mark it ready.
    response = adviser.post_form(f"/scholen/{school.id}/intake/concept",
                                 form_data(world, own_investment="", commitments=["sessions"]))
    assert response.status_code == 302
    assert adviser.post_form(f"/scholen/{school.id}/intake/concept", {**form_data(world), "ready": "1"}).status_code == 403

    # The director sees the next step, completes the draft and marks it ready.
    director = auth.client_for(world.users["director"])
    assert "Vervolledig de intake" in director.get(f"/scholen/{school.id}").get_data(as_text=True)
    response = director.post_form(f"/scholen/{school.id}/intake/concept", {**form_data(world), "ready": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    agreement = agreement_of(school)
    version = agreement.pending
    assert version.state == "ready" and len(version.fingerprint) == 64
    assert version.own_investment == Decimal("3000.00") and version.matched_amount == Decimal("3000.00")
    assert [m.on_date for m in version.evaluation_moments] == [date(2027, 6, 1), date(2028, 6, 1), date(2029, 6, 1)]
    assert queries.journey_state(school) == "awaiting"
    # Every signatory (and the coordinators) got a notification.
    notified = set(db.session.scalars(db.select(Notification.user_id).where(Notification.category == "intake")))
    assert {world.users[k].id for k in ("director", "board", "coordinator")} <= notified

    # The director signs, then the board member in another browser session, then the coordinator.
    assert sign_over_http(director, school.id).status_code == 302
    board = auth.client_for(world.users["board"])
    assert "Onderteken de intakeovereenkomst" in board.get(f"/scholen/{school.id}").get_data(as_text=True)
    assert sign_over_http(board, school.id).status_code == 302
    assert queries.journey_state(school) == "awaiting"
    coordinator = auth.client_for(world.users["coordinator"])
    assert sign_over_http(coordinator, school.id).status_code == 302

    agreement = agreement_of(school)
    assert agreement.state == "active" and agreement.effective.number == 1
    signatures = agreement.effective.signatures
    assert sorted(s.role for s in signatures) == ["board", "coordinator", "director"]
    assert all(s.fingerprint == agreement.effective.fingerprint for s in signatures)
    assert queries.journey_state(school) == "active"
    home = director.get(f"/scholen/{school.id}").get_data(as_text=True)
    assert "Actief" in home and "Van kracht sinds" in home
    assert db.session.scalar(
        db.select(db.func.count(Notification.id)).where(
            Notification.user_id == world.users["director"].id, Notification.title.contains("van kracht")
        )
    ) == 1


def test_school_home_panel_says_who_still_has_to_sign(auth, world):
    make_agreement(world, "awaiting")
    page = auth.client_for(world.users["forum"]).get(f"/scholen/{world.school.id}").get_data(as_text=True)
    assert "Wacht op handtekeningen" in page
    assert world.users["board"].name in page and world.users["director"].name in page
    assert "Onderteken" not in page  # a forum member has nothing to sign


# --- who reads what ----------------------------------------------------------------------------


def test_forum_member_sees_figures_only_when_the_director_shares(auth, world):
    make_agreement(world, "draft")
    url = f"/scholen/{world.school.id}/intake"
    forum = auth.client_for(world.users["forum"])
    page = forum.get(url).get_data(as_text=True)
    assert "één warme school" in page  # the strategic intention
    assert "3.000,00" not in page and "Investeringsenveloppe" not in page
    assert forum.get(url + "/afdrukken").status_code == 403
    assert forum.get(url + "?versie=1").get_data(as_text=True).count("3.000,00") == 0
    assert forum.get(url + "/geschiedenis").status_code == 403

    # Board and adviser read the figures; a flywheel member shares the forum's view.
    assert "3.000,00" in auth.client_for(world.users["board"]).get(url).get_data(as_text=True)
    assert "3.000,00" in auth.client_for(world.users["adviser"]).get(url).get_data(as_text=True)
    assert "3.000,00" not in auth.client_for(world.users["flywheel"]).get(url).get_data(as_text=True)

    director = auth.client_for(world.users["director"])
    assert director.post_form(url + "/delen", {"shared": "y"}).status_code == 302
    page = forum.get(url).get_data(as_text=True)
    assert "3.000,00" in page and "Investeringsenveloppe" in page
    assert forum.get(url + "/afdrukken").status_code == 200
    assert forum.get(url + "/geschiedenis").status_code == 403  # the audit trail stays with the parties

    director.post_form(url + "/delen", {})
    assert "3.000,00" not in forum.get(url).get_data(as_text=True)
    actions = db.session.scalars(db.select(IntakeEvent.action).order_by(IntakeEvent.id)).all()
    assert actions[-2:] == ["shared", "unshared"]


def test_another_schools_people_see_nothing(auth, world):
    make_agreement(world, "active")
    outsider = auth.client_for(world.users["outsider"])
    for path in ("", "/afdrukken", "/geschiedenis", "/ondertekenen", "/beeindigen"):
        assert outsider.get(f"/scholen/{world.school.id}/intake{path}").status_code == 403


# --- refusals when signing -----------------------------------------------------------------------


def test_signing_a_stale_version_is_refused_with_a_clear_message(auth, world):
    agreement = make_agreement(world, "awaiting")
    director = auth.client_for(world.users["director"])
    page = director.get(f"/scholen/{world.school.id}/intake/ondertekenen").get_data(as_text=True)
    seen = FINGERPRINT_RE.search(page).group(1)

    # Meanwhile the adviser withdraws the text, changes the investment and the director re-freezes it.
    services.withdraw(agreement.pending, world.users["adviser"])
    agreement = agreement_of(world.school)
    services.save_draft(agreement.pending, draft_content(world, own_investment=Decimal("4500")), world.users["adviser"])
    services.mark_ready(agreement_of(world.school).pending, world.users["director"])
    db.session.commit()

    response = director.post_form(f"/scholen/{world.school.id}/intake/ondertekenen",
                                  {"fingerprint": seen, "password": PASSWORD, "agree": "y"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "De tekst is gewijzigd sinds je hem opende" in html
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0
    # The page now carries the current fingerprint: signing that works.
    current = FINGERPRINT_RE.search(html).group(1)
    assert current == agreement_of(world.school).pending.fingerprint != seen
    assert sign_over_http(director, world.school.id).status_code == 302


def test_signing_twice_without_the_role_or_with_a_wrong_password_is_refused(auth, world):
    make_agreement(world, "awaiting")
    url = f"/scholen/{world.school.id}/intake/ondertekenen"
    director = auth.client_for(world.users["director"])

    wrong = sign_over_http(director, world.school.id, password="niet mijn wachtwoord")
    assert wrong.status_code == 422 and "Het wachtwoord klopt niet" in wrong.get_data(as_text=True)

    assert sign_over_http(director, world.school.id).status_code == 302
    fingerprint = agreement_of(world.school).pending.fingerprint
    twice = director.post_form(url, {"fingerprint": fingerprint, "password": PASSWORD, "agree": "y"})
    assert twice.status_code == 422 and "al ondertekend" in twice.get_data(as_text=True)

    # A forum member may not even reach the signing form.
    forum = auth.client_for(world.users["forum"])
    assert forum.post_form(url, {"fingerprint": fingerprint, "password": PASSWORD, "agree": "y"}).status_code == 403
    # A second board member who is not a named signatory is refused with a message.
    other_board = MembershipFactory(school=world.school, role="board").user
    response = auth.client_for(other_board).post_form(url, {"fingerprint": fingerprint, "password": PASSWORD, "agree": "y"})
    assert response.status_code == 422 and "niet op de lijst van ondertekenaars" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 1


def test_a_signatory_who_lost_the_role_cannot_sign(world):
    agreement = make_agreement(world, "awaiting")
    db.session.delete(world.memberships["board"])
    MembershipFactory(school=world.school, role="forum", user=world.users["board"])
    db.session.commit()
    with pytest.raises(services.IntakeError, match="niet op de lijst"):
        services.sign(agreement, world.users["board"], PASSWORD, agreement.pending.fingerprint)


def test_only_a_draft_is_edited_and_signed_versions_are_never_discarded(world):
    agreement = make_agreement(world, "active")
    version = agreement.effective
    with pytest.raises(services.IntakeError):
        services.save_draft(version, draft_content(world, own_investment=Decimal("1")), world.users["director"])
    with pytest.raises(services.IntakeError):
        services.discard(version, world.users["director"])
    with pytest.raises(services.IntakeError):
        services.mark_ready(version, world.users["director"])
    assert queries.fingerprint_intact(agreement_of(world.school).effective)


def test_an_incomplete_draft_cannot_go_to_signature(auth, world):
    agreement = services.open_intake(world.school, world.users["adviser"])
    db.session.commit()
    director = auth.client_for(world.users["director"])
    response = director.post_form(
        f"/scholen/{world.school.id}/intake/concept",
        {**form_data(world, strategic_intention="", signatories=[f"director:{world.users['director'].id}"]), "ready": "1"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "de strategische intentie" in html and "een ondertekenaar van het bestuur" in html
    assert agreement_of(world.school).pending.state == "draft"
    assert agreement.id == agreement_of(world.school).id


# --- amendments, withdrawing, discarding, ending -----------------------------------------------------


def test_an_amendment_must_be_signed_again_and_the_earlier_version_stays_in_force(auth, world):
    make_agreement(world, "active")
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/intake"
    assert director.post_form(url + "/wijzigen").status_code == 302
    assert director.post_form(url + "/wijzigen").status_code == 302  # a second one is refused (flash)
    agreement = agreement_of(world.school)
    assert [v.state for v in agreement.versions] == ["active", "draft"]
    assert agreement.pending.previous_id == agreement.effective.id

    response = director.post_form(url + "/concept", {**form_data(world, own_investment="7.500,00"), "ready": "1"})
    assert response.status_code == 302
    agreement = agreement_of(world.school)
    assert agreement.state == "active" and agreement.effective.number == 1  # v1 still in force
    assert agreement.pending.matched_amount == Decimal("7500.00")  # 7500 x 1, no cap by default (seeds: 1:1)
    assert queries.journey_state(world.school) == "active"

    for key in ("director", "board", "coordinator"):
        assert sign_over_http(auth.client_for(world.users[key]), world.school.id).status_code == 302
    agreement = agreement_of(world.school)
    assert [v.state for v in agreement.versions] == ["superseded", "active"]
    assert agreement.effective.number == 2 and len(agreement.version(1).signatures) == 3
    # The earlier version stays readable with its signatures.
    old = director.get(url + "?versie=1").get_data(as_text=True)
    assert "3.000,00" in old and "Vervangen door een wijziging" in old


def test_withdraw_keeps_the_frozen_version_and_discard_drops_a_draft(auth, world):
    agreement = make_agreement(world, "awaiting")
    services.sign(agreement, world.users["director"], PASSWORD, agreement.pending.fingerprint)
    draft = services.withdraw(agreement_of(world.school).pending, world.users["adviser"])
    agreement = agreement_of(world.school)
    assert [v.state for v in agreement.versions] == ["withdrawn", "draft"]
    assert len(agreement.version(1).signatures) == 1  # kept with the withdrawn version
    assert agreement.state == "draft" and draft.strategic_intention == agreement.version(1).strategic_intention
    services.discard(agreement.pending, world.users["director"])
    db.session.commit()
    assert queries.journey_state(world.school) == "none"
    # The withdrawn version stays readable, with its signature.
    director = auth.client_for(world.users["director"])
    page = director.get(f"/scholen/{world.school.id}/intake").get_data(as_text=True)
    assert "Eerdere versies" in page and "Teruggetrokken" in page
    old = director.get(f"/scholen/{world.school.id}/intake?versie=1").get_data(as_text=True)
    assert "één warme school" in old and "ja, op" in old
    # A new intake can be opened again on the same agreement.
    services.open_intake(world.school, world.users["coordinator"])
    assert [v.state for v in agreement_of(world.school).versions] == ["withdrawn", "discarded", "draft"]


def test_any_party_ends_the_agreement_and_everything_stays_readable(auth, world):
    make_agreement(world, "active")
    services.start_amendment(agreement_of(world.school), world.users["director"])
    db.session.commit()
    url = f"/scholen/{world.school.id}/intake/beeindigen"
    board = auth.client_for(world.users["board"])
    assert board.get(url).status_code == 200

    missing = board.post_form(url, {"ended_on": "2026-12-01", "reason": ""})
    assert missing.status_code == 422 and "Geef de reden" in missing.get_data(as_text=True)
    early = board.post_form(url, {"ended_on": "01/01/2026", "reason": "Te vroeg"})
    assert early.status_code == 422 and "voor de start" in early.get_data(as_text=True)
    assert 'value="Te vroeg"' in early.get_data(as_text=True) or "Te vroeg</textarea>" in early.get_data(as_text=True)

    response = board.post_form(url, {"ended_on": "15/01/2027", "reason": "De school stopt met het traject."})
    assert response.status_code == 302
    agreement = agreement_of(world.school)
    assert agreement.state == "ended" and agreement.ended_on == date(2027, 1, 15)
    assert agreement.ended_by_id == world.users["board"].id
    assert [v.state for v in agreement.versions] == ["ended", "discarded"]
    assert queries.journey_state(world.school) == "ended"
    page = auth.client_for(world.users["director"]).get(f"/scholen/{world.school.id}/intake").get_data(as_text=True)
    assert "beëindigd op" in page and "De school stopt met het traject." in page and "3.000,00" in page
    assert "Beëindigd" in auth.client_for(world.users["forum"]).get(f"/scholen/{world.school.id}").get_data(as_text=True)
    # Ending twice, or amending an ended agreement, is refused.
    with pytest.raises(services.IntakeError):
        services.end_agreement(agreement, world.users["director"], date(2027, 2, 1), "Nog eens")
    with pytest.raises(services.IntakeError):
        services.start_amendment(agreement, world.users["director"])
    titles = db.session.scalars(
        db.select(Notification.title).where(Notification.user_id == world.users["director"].id)
    ).all()
    assert any("beëindigd" in t for t in titles)


# --- bad input on the draft ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1.200,50", "1200.50"), ("1200.50", "1200.50"), ("1200", "1200"), ("1200,5", "1200.5"), ("€ 1.200", "1200"),
     ("1 200,50", "1200.50"), ("1,200.50", "1200.50"), ("0", "0")],
)
def test_amounts_as_flemish_users_type_them(auth, world, typed, expected):
    services.open_intake(world.school, world.users["adviser"])
    db.session.commit()
    response = auth.client_for(world.users["director"]).post_form(
        f"/scholen/{world.school.id}/intake/concept", form_data(world, own_investment=typed)
    )
    assert response.status_code == 302
    assert agreement_of(world.school).pending.own_investment == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("-5", "Een bedrag kan niet negatief zijn."), ("twaalfhonderd", "Geef een bedrag in euro"),
     ("1.20.0", "Geef een bedrag in euro"), ("12,345", "Geef een bedrag in euro")],
)
def test_bad_amounts_are_refused_and_the_typed_text_is_kept(auth, world, typed, message):
    services.open_intake(world.school, world.users["adviser"])
    db.session.commit()
    response = auth.client_for(world.users["director"]).post_form(
        f"/scholen/{world.school.id}/intake/concept", form_data(world, own_investment=typed, commitments_note="Mijn tekst")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and f'value="{typed}"' in html and "Mijn tekst" in html
    assert agreement_of(world.school).pending.commitments_note == ""  # nothing half-saved


def test_dates_must_be_in_order_and_inside_the_period(auth, world):
    services.open_intake(world.school, world.users["adviser"])
    db.session.commit()
    director = auth.client_for(world.users["director"])
    url = f"/scholen/{world.school.id}/intake/concept"
    outside = director.post_form(url, form_data(world, **{"evaluation_moments-2": "2030-06-01"}))
    assert outside.status_code == 422
    assert "binnen de looptijd vallen: van 1 sep 2026 tot 31 aug 2029" in outside.get_data(as_text=True)
    before = director.post_form(url, form_data(world, **{"evaluation_moments-0": "2026-06-01"}))
    assert before.status_code == 422
    bad_date = director.post_form(url, form_data(world, start_date="31/02/2026"))
    assert bad_date.status_code == 422 and "Geef een geldige datum" in bad_date.get_data(as_text=True)
    twice = director.post_form(url, form_data(world, **{"evaluation_moments-1": "2027-06-01"}))
    assert twice.status_code == 422 and "maar één keer" in twice.get_data(as_text=True)
    duration = director.post_form(url, form_data(world, duration_years="0"))
    assert duration.status_code == 422 and "1 tot 6 schooljaren" in duration.get_data(as_text=True)
    # Someone outside the school's directors and board cannot be a signatory.
    stranger = director.post_form(url, form_data(world, signatories=[f"board:{world.users['forum'].id}"]))
    assert stranger.status_code == 422


# --- programme terms ---------------------------------------------------------------------------------


def test_terms_are_versioned_and_copied_into_new_agreements_only(auth, world):
    assert programme_terms.current_terms().price_per_year == Decimal("1200.00")  # the default, nothing saved
    assert programme_terms.current_terms().sprint_weeks == 10
    old = make_agreement(world, "active")
    coordinator = auth.client_for(world.users["coordinator"])
    page = coordinator.get("/programma/voorwaarden").get_data(as_text=True)
    assert "8 collectieve sessies per lerend netwerk" in page and 'value="1.200"' in page
    data = {
        "price_per_year": "1.350,00", "school_years": "3", "support_package": "- Intake\n- Tweedaagse",
        "matching_ratio": "1", "matching_cap": "4000", "evaluation_count": "2",
        "evaluation_first_after_months": "10", "evaluation_spacing_months": "12", "sprint_weeks": "8",
    }
    assert coordinator.post_form("/programma/voorwaarden", {**data, "price_per_year": "-1"}).status_code == 422
    assert coordinator.post_form("/programma/voorwaarden", data).status_code == 302
    terms = programme_terms.current_terms()
    assert terms.price_per_year == Decimal("1350.00") and terms.sprint_weeks == 8 and terms.created_by_id

    assert agreement_of(world.school).effective.price_per_year == Decimal("1200.00")  # unchanged
    other = SchoolFactory()
    new = services.open_intake(other, world.users["coordinator"])
    version = new.pending
    assert version.price_per_year == Decimal("1350.00") and version.matching_cap == Decimal("4000.00")
    assert version.terms_id == terms.id and len(version.evaluation_moments) == 2
    assert old.id != new.id


def test_matched_amount_follows_the_ratio_and_the_cap():
    assert programme_terms.matched_amount(Decimal("1000"), Decimal("1"), Decimal("5000")) == Decimal("1000.00")
    assert programme_terms.matched_amount(Decimal("9000"), Decimal("1"), Decimal("5000")) == Decimal("5000")
    assert programme_terms.matched_amount(Decimal("1000"), Decimal("1.5"), Decimal("5000")) == Decimal("1500.00")
    assert programme_terms.matched_amount(None, Decimal("1"), Decimal("5000")) == Decimal("0.00")


def test_by_default_there_is_no_matching_cap_and_the_package_names_the_partners_of_the_seeds(auth, world):
    terms = programme_terms.current_terms()
    assert terms.matching_ratio == Decimal("1.00") and terms.matching_cap is None  # seeds: 1:1, no cap
    assert programme_terms.matched_amount(Decimal("9000"), Decimal("1"), None) == Decimal("9000.00")
    for partner in ("CEGO", "LOOQIN", "Tenz: 4-daagse training"):
        assert partner in terms.support_package
    version = services.open_intake(SchoolFactory(), world.users["coordinator"]).pending
    assert version.matching_cap is None


def test_a_coordinator_may_set_a_cap_and_remove_it_again(auth, world):
    coordinator = auth.client_for(world.users["coordinator"])
    data = {
        "price_per_year": "1.200,00", "school_years": "3", "support_package": "- Intake",
        "matching_ratio": "1", "matching_cap": "5.000", "evaluation_count": "3",
        "evaluation_first_after_months": "9", "evaluation_spacing_months": "12", "sprint_weeks": "10",
    }
    assert coordinator.post_form("/programma/voorwaarden", data).status_code == 302
    assert programme_terms.current_terms().matching_cap == Decimal("5000.00")
    assert "plafond € 5.000" in coordinator.get("/programma/voorwaarden").get_data(as_text=True).replace("\xa0", " ")
    assert coordinator.post_form("/programma/voorwaarden", {**data, "matching_cap": ""}).status_code == 302
    assert programme_terms.current_terms().matching_cap is None
    assert "geen plafond" in coordinator.get("/programma/voorwaarden").get_data(as_text=True)


# --- audit trail, print page -----------------------------------------------------------------------------


def test_audit_trail_records_every_state_change_and_signature(auth, world):
    make_agreement(world, "ended")
    actions = db.session.scalars(db.select(IntakeEvent.action).order_by(IntakeEvent.id)).all()
    assert actions == ["opened", "draft_saved", "ready", "signed", "signed", "signed", "activated", "ended"]
    page = auth.client_for(world.users["director"]).get(f"/scholen/{world.school.id}/intake/geschiedenis")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ondertekend" in html and "Overeenkomst beëindigd" in html and "Het past nu niet." in html
    assert auth.client_for(world.users["flywheel"]).get(f"/scholen/{world.school.id}/intake/geschiedenis").status_code == 403


def test_printable_page_shows_signatures_and_fingerprint(auth, world):
    agreement = make_agreement(world, "active")
    response = auth.client_for(world.users["board"]).get(f"/scholen/{world.school.id}/intake/afdrukken")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert agreement.effective.fingerprint in html
    for key in ("director", "board", "coordinator"):
        assert world.users[key].name in html
    assert "css/intake.css" in html and "style=" not in html and "<script>" not in html
    assert html.count("<h1") == 1


def test_print_stylesheet_is_a4_and_hides_navigation(app):
    css = (app.static_folder + "/css/intake.css")
    text = open(css, encoding="utf-8").read()
    assert "size: A4" in text and "@media print" in text and "nav" in text


# --- the coordinator's overview -----------------------------------------------------------------------------


def _count_queries(client, url):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return len(statements), response


def test_overview_lists_every_state_in_a_constant_number_of_queries(auth, world):
    coordinator = auth.client_for(world.users["coordinator"])
    make_agreement(world, "awaiting")
    few, _ = _count_queries(coordinator, "/programma/intake")

    for state in ("draft", "active", "ended", "awaiting"):
        school = SchoolFactory()
        MembershipFactory(school=school, role="director", user=world.users["director"])
        MembershipFactory(school=school, role="board", user=world.users["board"])
        make_agreement(world, state, school=school)
    for _i in range(5):
        SchoolFactory()
    many, response = _count_queries(coordinator, "/programma/intake")
    assert many == few
    html = response.get_data(as_text=True)
    assert "nog 3 handtekeningen" in html
    for text in ("Concept", "Actief", "Beëindigd", "Geen overeenkomst"):
        assert text in html


def test_overview_filters_by_city_and_network(auth, world):
    make_agreement(world, "draft")
    coordinator = auth.client_for(world.users["coordinator"])
    by_city = coordinator.get(f"/programma/intake?stad={world.school.city_id}").get_data(as_text=True)
    assert world.school.name in by_city and world.other_school.name not in by_city
    by_network = coordinator.get(f"/programma/intake?netwerk={world.other_school.network_id}").get_data(as_text=True)
    assert world.other_school.name in by_network and world.school.name not in by_network
    by_state = coordinator.get("/programma/intake?status=draft").get_data(as_text=True)
    assert world.school.name in by_state and world.other_school.name not in by_state
    rows = queries.overview(network_id=world.school.network_id)
    assert [(r.school, r.state) for r in rows] == [(world.school.name, "draft")]


def test_overview_pages_in_sql_and_counts_every_school(auth, world, monkeypatch):
    """One page of rows per request; the state counts still cover all schools (and follow the filters)."""
    from tests.factories import SchoolFactory
    from warmeveranderen.intake import views

    monkeypatch.setattr(views, "OVERVIEW_PER_PAGE", 1)
    make_agreement(world, "draft")
    extra = SchoolFactory(name="Derde School C", city=world.school.city, network=world.school.network)
    coordinator = auth.client_for(world.users["coordinator"])
    first = coordinator.get("/programma/intake").get_data(as_text=True)
    assert "Concept: <strong>1</strong>" in first and "Geen overeenkomst: <strong>2</strong>" in first
    assert "pagina 1 van 3" in first
    shown = [name for name in (world.school.name, world.other_school.name, extra.name) if name in first]
    assert len(shown) == 1
    pages = [coordinator.get(f"/programma/intake?pagina={n}").get_data(as_text=True) for n in (2, 3, 9)]
    assert {name for page in [first, *pages[:2]] for name in (world.school.name, world.other_school.name, extra.name)
            if name in page} == {world.school.name, world.other_school.name, extra.name}
    assert "pagina 3 van 3" in pages[2]  # beyond the last page: the last page
    none = coordinator.get("/programma/intake?status=none&pagina=2").get_data(as_text=True)
    assert "pagina 2 van 2" in none and world.school.name not in none
    by_city = coordinator.get(f"/programma/intake?stad={world.school.city_id}").get_data(as_text=True)
    assert "Geen overeenkomst: <strong>1</strong>" in by_city and "pagina 1 van 2" in by_city


# --- what other features read ---------------------------------------------------------------------


def test_pending_signatures_and_upcoming_evaluation_moments(world):
    assert queries.journey_state(world.school) == "none"
    agreement = make_agreement(world, "awaiting")
    services.sign(agreement, world.users["director"], PASSWORD, agreement.pending.fingerprint)
    second_coordinator = UserFactory(is_coordinator=True)
    now = datetime.now() + timedelta(minutes=1)
    pending = queries.pending_signatures(now)
    people = sorted(user.id for _version, user, _since in pending)
    assert people == sorted([world.users["board"].id, world.users["coordinator"].id, second_coordinator.id])
    assert all(version.agreement.school_id == world.school.id for version, _u, _s in pending)
    assert queries.pending_signatures(datetime(2000, 1, 1)) == []

    assert queries.upcoming_evaluation_moments(date(2027, 1, 1), date(2028, 12, 31)) == []  # not active yet
    for key in ("board", "coordinator"):
        services.sign(agreement_of(world.school), world.users[key], PASSWORD, agreement.pending.fingerprint)
    moments = queries.upcoming_evaluation_moments(date(2027, 1, 1), date(2028, 12, 31))
    assert [m.on_date for m in moments] == [date(2027, 6, 1), date(2028, 6, 1)]
    assert moments[0].version.agreement.school_id == world.school.id


def test_next_steps_per_person(app, world):
    from warmeveranderen.parts import steps_for

    def texts(key):
        with app.test_request_context():
            return [s.text for s in steps_for(world.users[key], world.school)]

    assert "Open de intake voor deze school." in texts("adviser")
    assert not any("intake" in t for t in texts("director"))
    agreement = make_agreement(world, "draft")
    assert "Vervolledig de intake." in texts("director") and "Vervolledig de intake." in texts("adviser")
    assert not any("intake" in t.lower() for t in texts("forum"))
    services.mark_ready(agreement_of(world.school).pending, world.users["director"])
    for key in ("director", "board", "coordinator"):
        assert "Onderteken de intakeovereenkomst." in texts(key)
    services.sign(agreement, world.users["board"], PASSWORD, agreement_of(world.school).pending.fingerprint)
    assert "Onderteken de intakeovereenkomst." not in texts("board")


def test_fingerprint_is_sha256_of_the_canonical_content(world):
    import hashlib
    import json

    make_agreement(world, "awaiting")
    version = agreement_of(world.school).pending
    payload = json.dumps(queries.canonical_content(version), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert version.fingerprint == hashlib.sha256(payload.encode()).hexdigest()
    assert queries.fingerprint_intact(version)
    db.session.execute(
        db.update(AgreementVersion).where(AgreementVersion.id == version.id).values(own_investment=Decimal("1"))
    )
    db.session.commit()
    assert not queries.fingerprint_intact(agreement_of(world.school).pending)


def test_demo_gives_other_schools_agreements_and_leaves_the_demo_school_without(app):
    from warmeveranderen.demo import load_demo

    school = load_demo()
    load_demo()  # idempotent
    states = dict(db.session.execute(
        db.select(IntakeAgreement.school_id, IntakeAgreement.state)
    ).all())
    assert school.id not in states
    assert sorted(states.values()) == ["active", "awaiting", "draft", "ended"]


def test_terms_factory_is_the_current_terms():
    terms = ProgrammeTermsFactory(price_per_year=Decimal("999.00"))
    assert programme_terms.current_terms().id == terms.id


def test_one_submit_shows_every_problem_of_the_draft_at_once(auth, world):
    """Issue 14 (polish): a field that does not parse and a rule between fields, in one answer."""
    services.open_intake(world.school, world.users["adviser"])
    db.session.commit()
    director = auth.client_for(world.users["director"])
    both = director.post_form(f"/scholen/{world.school.id}/intake/concept",
                              form_data(world, own_investment="-5", duration_years="9",
                                        **{"evaluation_moments-1": "2027-06-01"}))
    page = both.get_data(as_text=True)
    assert both.status_code == 422
    assert "maar één keer" in page and "1 tot 6 schooljaren" in page


def test_the_default_start_follows_sprints_that_already_run(world):
    """Issue 14 (polish): a school whose sprints began in November gets this school year, not the next."""
    from datetime import date, timedelta

    from warmeveranderen.sprints.models import SprintCalendar
    from warmeveranderen.timeutil import today

    began = today() - timedelta(days=14)
    db.session.add(SprintCalendar(school_id=world.school.id, start_date=began))
    db.session.flush()
    agreement = services.open_intake(world.school, world.users["adviser"])
    expected = date(began.year if began.month >= 9 else began.year - 1, 9, 1)
    assert agreement.pending.start_date == expected


def test_without_sprints_the_default_start_is_the_next_school_year(world):
    from datetime import date

    from warmeveranderen.timeutil import today

    agreement = services.open_intake(world.school, world.users["adviser"])
    start = agreement.pending.start_date
    assert start.month == 9 and start.day == 1 and start >= today() and start < date(today().year + 2, 1, 1)
