"""The vision: writing together (conflicts), versions, diff, AMORE, endorsement, sharing and the poster."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from tests.factories import MembershipFactory, SchoolFactory
from tests.factories_vision import (
    AmoreScoreFactory,
    EndorsementFactory,
    VisionFactory,
    VisionVersionFactory,
    sample_content,
)
from warmeveranderen.extensions import db
from warmeveranderen.timeutil import today
from warmeveranderen.vision import queries, services
from warmeveranderen.vision.content import PARTS, VALUES
from warmeveranderen.vision.diff import compare, inline_diff
from warmeveranderen.vision.models import AmoreScore, Endorsement, ImmutableRowError, Vision, VisionVersion


@pytest.fixture
def in_request(app):
    """Services that notify people translate their texts: give them a request context, as the CLI would."""
    with app.test_request_context():
        yield


def form_data(content: dict, revision: int, **extra) -> dict:
    """The edit form as a browser posts it: every part, value rows as FieldList entries."""
    data = {"revision": str(revision)}
    for part in PARTS:
        value = content.get(part.key)
        if part.kind == VALUES:
            for i, row in enumerate(value or []):
                data[f"{part.key}-{i}-name"] = row["name"]
                data[f"{part.key}-{i}-meaning"] = row["meaning"]
        else:
            data[part.key] = value or ""
    data.update(extra)
    return data


def edit_url(school):
    return f"/scholen/{school.id}/visie/werkversie/bewerken"


def vision_of(school) -> Vision:
    db.session.expire_all()
    return db.session.scalar(db.select(Vision).where(Vision.school_id == school.id))


# --- writing the draft ----------------------------------------------------------------------


def test_flywheel_writes_the_draft_with_values_and_explicit_save(world, auth):
    client = auth.client_for(world.users["flywheel"])
    page = client.get(edit_url(world.school))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "data-unsaved-warning" in html
    assert 'name="revision" type="hidden" value="0"' in html
    assert "Waarom bestaan wij?" in html and "Kwalificatie" in html and "Bezielde school" in html

    content = sample_content()
    response = client.post_form(edit_url(world.school), form_data(content, 0, save="Opslaan"))
    assert response.status_code == 302
    vision = vision_of(world.school)
    assert vision.revision == 1
    assert vision.content["core_values"] == [{"name": "Verbondenheid", "meaning": "Niemand staat er alleen voor."}]
    assert vision.content["reason"].startswith("Wij vormen jongeren")


def test_more_rows_and_preview_do_not_save(world, auth):
    client = auth.client_for(world.users["flywheel"])
    data = form_data(sample_content(reason="Een **vette** reden"), 0, more_rows="core_values")
    response = client.post_form(edit_url(world.school), data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # One filled row plus three new ones, and the typed text is kept.
    assert 'name="core_values-3-name"' in html
    assert "Een **vette** reden" in html
    assert "nog niet bewaard" in html
    preview = client.post_form(edit_url(world.school), {**data, "more_rows": "", "preview": "Voorbeeld"})
    assert preview.status_code == 200
    assert "<strong>vette</strong>" in preview.get_data(as_text=True)
    assert vision_of(world.school) is None


def test_rows_are_removed_and_a_meaning_without_name_is_refused(world, auth):
    client = auth.client_for(world.users["flywheel"])
    content = sample_content(core_values=[{"name": "Moed", "meaning": "Durven."}, {"name": "Rust", "meaning": "Stilte."}])
    client.post_form(edit_url(world.school), form_data(content, 0, save="Opslaan"))
    data = form_data(content, 1, save="Opslaan")
    data["core_values-0-remove"] = "y"
    assert client.post_form(edit_url(world.school), data).status_code == 302
    assert vision_of(world.school).content["core_values"] == [{"name": "Rust", "meaning": "Stilte."}]

    bad = form_data(sample_content(professional_values=[{"name": "", "meaning": "Zonder naam"}]), 2, save="Opslaan")
    response = client.post_form(edit_url(world.school), bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Geef deze waarde een korte naam." in html and "Zonder naam" in html
    assert vision_of(world.school).revision == 2


def test_a_save_over_a_newer_revision_is_a_conflict_showing_both_texts(world, auth):
    """Two flywheel members open the same revision; the second save overwrites nothing."""
    alice = auth.client_for(world.users["flywheel_lead"])
    bob = auth.client_for(world.users["flywheel"])
    base = sample_content(reason="De oorspronkelijke reden.")
    alice.post_form(edit_url(world.school), form_data(base, 0, save="Opslaan"))
    # Both now edit revision 1.
    for c in (alice, bob):
        assert 'value="1"' in c.get(edit_url(world.school)).get_data(as_text=True)
    assert alice.post_form(
        edit_url(world.school), form_data({**base, "reason": "De reden volgens Alice."}, 1, save="Opslaan")
    ).status_code == 302
    response = bob.post_form(
        edit_url(world.school),
        form_data({**base, "reason": "De reden volgens Bob.", "ambitions": "Bobs ambitie."}, 1, save="Opslaan"),
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Iemand anders heeft de werkversie intussen bewaard" in html
    assert "De reden volgens Alice." in html and "De reden volgens Bob." in html
    # Nothing was overwritten silently.
    vision = vision_of(world.school)
    assert vision.revision == 2 and vision.content["reason"] == "De reden volgens Alice."
    assert vision.content["ambitions"] == base["ambitions"]
    # The form now carries the newest revision; saving again is a deliberate choice.
    assert 'name="revision" type="hidden" value="2"' in html
    again = bob.post_form(
        edit_url(world.school),
        form_data({**base, "reason": "Alice en Bob samen.", "ambitions": "Bobs ambitie."}, 2, save="Opslaan"),
    )
    assert again.status_code == 302
    assert vision_of(world.school).content["reason"] == "Alice en Bob samen."


def test_a_conflict_in_different_parts_takes_over_their_text_in_the_form(world):
    lead, member = world.users["flywheel_lead"], world.users["flywheel"]
    base = sample_content()
    services.save_draft(world.school, lead, base, 0)
    services.save_draft(world.school, lead, {**base, "reason": "Nieuwe reden van de trekker."}, 1)
    with pytest.raises(services.DraftConflict) as info:
        services.save_draft(world.school, member, {**base, "ambitions": "Nieuwe ambities."}, 1)
    conflict = info.value
    assert conflict.conflicts == []
    assert [p.key for p in conflict.taken_over] == ["reason"]
    assert conflict.merged["reason"] == "Nieuwe reden van de trekker."
    assert conflict.merged["ambitions"] == "Nieuwe ambities."
    assert conflict.revision == 2 and conflict.saved_by.id == lead.id
    assert vision_of(world.school).content["ambitions"] == base["ambitions"]


def test_draft_permissions(world, auth):
    school = world.school
    forum = auth.client_for(world.users["forum"])
    assert forum.get(f"/scholen/{school.id}/visie/werkversie").status_code == 403
    assert forum.post_form(edit_url(school), form_data(sample_content(), 0, save="Opslaan")).status_code == 403
    adviser = auth.client_for(world.users["adviser"])
    assert adviser.get(f"/scholen/{school.id}/visie/werkversie").status_code == 200
    assert adviser.get(edit_url(school)).status_code == 403
    response = adviser.post_form(f"/scholen/{school.id}/visie/opmerkingen/values", {"body": "Denk aan de ouders."})
    assert response.status_code == 302
    page = auth.client_for(world.users["flywheel"]).get(f"/scholen/{school.id}/visie/werkversie")
    assert "Denk aan de ouders." in page.get_data(as_text=True)
    empty = adviser.post_form(f"/scholen/{school.id}/visie/opmerkingen/values", {"body": "  "})
    assert empty.status_code == 422


# --- versions and diff ---------------------------------------------------------------------------


def test_publishing_freezes_an_immutable_numbered_version(world, auth):
    client = auth.client_for(world.users["flywheel_lead"])
    school = world.school
    client.post_form(edit_url(school), form_data(sample_content(reason="Versie een."), 0, save="Opslaan"))
    response = client.post_form(f"/scholen/{school.id}/visie/publiceren", {"revision": "1", "change_note": "Eerste versie."})
    assert response.status_code == 302 and response.location.endswith("/visie/versies/1")
    # Publishing again without changes, or on a stale revision, is refused with a message.
    same = client.post_form(f"/scholen/{school.id}/visie/publiceren", {"revision": "1", "change_note": "Nog eens."})
    assert same.status_code == 422 and "niets nieuws om te publiceren" in same.get_data(as_text=True)
    client.post_form(edit_url(school), form_data(sample_content(reason="Versie twee."), 1, save="Opslaan"))
    stale = client.post_form(f"/scholen/{school.id}/visie/publiceren", {"revision": "1", "change_note": "Oud."})
    assert stale.status_code == 422 and "intussen opnieuw bewaard" in stale.get_data(as_text=True)
    no_note = client.post_form(f"/scholen/{school.id}/visie/publiceren", {"revision": "2", "change_note": ""})
    assert no_note.status_code == 422
    assert client.post_form(
        f"/scholen/{school.id}/visie/publiceren", {"revision": "2", "change_note": "Tweede."}
    ).status_code == 302

    db.session.expire_all()
    first, second = db.session.scalars(db.select(VisionVersion).order_by(VisionVersion.number)).all()
    assert (first.number, second.number) == (1, 2)
    assert first.content["reason"] == "Versie een." and second.content["reason"] == "Versie twee."
    assert first.published_by_id == world.users["flywheel_lead"].id and first.change_note == "Eerste versie."
    # Later edits of the draft leave the versions alone; changing a version in place is refused.
    client.post_form(edit_url(school), form_data(sample_content(reason="Drie."), 2, save="Opslaan"))
    db.session.expire_all()
    assert db.session.get(VisionVersion, first.id).content["reason"] == "Versie een."
    version = db.session.get(VisionVersion, first.id)
    version.change_note = "Stiekem aangepast"
    with pytest.raises(ImmutableRowError):
        db.session.commit()
    db.session.rollback()
    version.content = {**version.content, "reason": "Herschreven"}
    with pytest.raises(ImmutableRowError):
        db.session.flush()
    db.session.rollback()


def test_forum_members_are_told_about_a_new_version(world, in_request):
    from warmeveranderen.notifications.models import Notification

    services.save_draft(world.school, world.users["flywheel"], sample_content(), 0)
    services.publish(world.school, world.users["flywheel"], "Eerste versie.", 1)
    told = set(db.session.scalars(db.select(Notification.user_id).where(Notification.category == "vision")))
    assert world.users["forum"].id in told and world.users["pupil"].id in told
    assert world.users["director"].id in told and world.users["flywheel"].id not in told
    assert world.users["outsider"].id not in told


def test_inline_diff_marks_words_and_escapes_everything():
    html = str(inline_diff("Wij zijn <b>warm</b> en open.", "Wij zijn <script>x</script> en open."))
    assert '<del class="diff-del">' in html and '<ins class="diff-ins">' in html
    assert "<script" not in html and "<b>" not in html
    assert html.startswith("Wij zijn &lt;") and "&gt; en open." in html
    assert "style=" not in html
    diffs = compare(sample_content(), sample_content(reason="Anders.", core_values=[]))
    assert {d.part.key for d in diffs if d.changed} == {"reason", "core_values"}


def test_compare_page_shows_changed_sections(world, auth):
    vision = VisionFactory(school=world.school)
    VisionVersionFactory(vision=vision, number=1, content=sample_content(ambitions="Vaste teams."))
    VisionVersionFactory(vision=vision, number=2, content=sample_content(ambitions="Vaste teams per leergemeenschap."))
    client = auth.client_for(world.users["forum"])
    page = client.get(f"/scholen/{world.school.id}/visie/vergelijken?van=1&naar=2")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<ins class="diff-ins">' in html and "leergemeenschap" in html
    assert "Ongewijzigd:" in html and "Onze bestaansreden" in html
    assert auth.client_for(world.users["outsider"]).get(
        f"/scholen/{world.school.id}/visie/vergelijken?van=1&naar=2"
    ).status_code == 403


# --- AMORE -----------------------------------------------------------------------------------


def scores(a, m, o, r, e, remark=""):
    return {"ambitious": str(a), "motivating": str(m), "distinctive": str(o), "relevant": str(r), "authentic": str(e),
            "remark": remark}


def test_amore_scores_per_group_and_weakest_criterion(world, auth):
    version = VisionVersionFactory(vision=VisionFactory(school=world.school), number=1)
    url = f"/scholen/{world.school.id}/visie/versies/1/amore"
    fly = auth.client_for(world.users["flywheel"])
    assert fly.post_form(url, scores(5, 4, 3, 5, 4)).status_code == 302
    parent = auth.client_for(world.users["forum"])
    assert parent.post_form(url, scores(3, 4, 2, 5, 4, "Wat maakt ons anders?")).status_code == 302
    pupil = auth.client_for(world.users["pupil"])
    assert pupil.post_form(url, scores(4, 2, 1, 5, 4)).status_code == 302
    # Revising replaces the person's score set; it does not add one.
    assert pupil.post_form(url, scores(4, 2, 2, 5, 4)).status_code == 302
    assert db.session.scalar(db.select(db.func.count(AmoreScore.id))) == 3

    summary = queries.amore_summary(db.session.get(VisionVersion, version.id))
    assert summary.counts == {"flywheel": 1, "forum": 2, "all": 3}
    assert summary.averages["flywheel"]["distinctive"] == 3
    assert summary.averages["forum"]["distinctive"] == 2
    assert summary.averages["forum"]["motivating"] == 3
    assert summary.weakest == ["distinctive"]

    page = fly.get(url)
    html = page.get_data(as_text=True)
    assert "Forum (2)" in html and "Vliegwiel (1)" in html
    assert "amore-weakest" in html and "zwakste" in html
    assert "<caption>" in html and "amore.svg" in html
    assert "Wat maakt ons anders?" in html
    chart = fly.get(f"/scholen/{world.school.id}/visie/versies/1/amore.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"


def test_amore_refuses_bad_scores_and_non_members(world, auth):
    VisionVersionFactory(vision=VisionFactory(school=world.school), number=1)
    url = f"/scholen/{world.school.id}/visie/versies/1/amore"
    parent = auth.client_for(world.users["forum"])
    bad = parent.post_form(url, {**scores(4, 4, 4, 4, 4, "Mijn uitleg"), "ambitious": "9"})
    assert bad.status_code == 422 and "Mijn uitleg" in bad.get_data(as_text=True)
    assert parent.post_form(url, {k: v for k, v in scores(4, 4, 4, 4, 4).items() if k != "relevant"}).status_code == 422
    director = auth.client_for(world.users["director"])
    assert director.get(url).status_code == 200
    assert director.post_form(url, scores(4, 4, 4, 4, 4)).status_code == 403
    assert db.session.scalar(db.select(db.func.count(AmoreScore.id))) == 0


# --- endorsement and the current vision -------------------------------------------------------


def endorse(client, school, number, **overrides):
    data = {"groups": ["staff", "parent", "pupil"], "endorsed_on": today().isoformat(), "changes": "Kernwaarden herschreven."}
    data.update(overrides)
    return client.post_form(f"/scholen/{school.id}/visie/versies/{number}/endorsement", data)


def test_endorsement_makes_the_version_the_current_vision(world, auth):
    vision = VisionFactory(school=world.school)
    VisionVersionFactory(vision=vision, number=1, content=sample_content(reason="Eerste bestaansreden."))
    VisionVersionFactory(vision=vision, number=2, content=sample_content(reason="Tweede bestaansreden."))
    director = auth.client_for(world.users["director"])
    home = director.get(f"/scholen/{world.school.id}").get_data(as_text=True)
    assert "Nog geen afgeklopte visie." in home

    fly = auth.client_for(world.users["flywheel"])
    assert endorse(fly, world.school, 1).status_code == 302
    assert queries.current_version(world.school).number == 1
    home = director.get(f"/scholen/{world.school.id}").get_data(as_text=True)
    assert "Eerste bestaansreden." in home

    assert endorse(fly, world.school, 2, groups=["staff", "board"]).status_code == 302
    db.session.expire_all()
    assert queries.current_version(world.school).number == 2
    current = director.get(f"/scholen/{world.school.id}/visie/huidig").get_data(as_text=True)
    assert "Tweede bestaansreden." in current and "Bestuur" in current
    # The older version cannot become current again; a version is endorsed once.
    older = endorse(fly, world.school, 1)
    assert older.status_code == 422
    assert endorse(fly, world.school, 2).status_code == 422
    assert db.session.scalar(db.select(db.func.count(Endorsement.id))) == 2


def test_endorsement_refuses_bad_input(world, auth):
    VisionVersionFactory(vision=VisionFactory(school=world.school), number=1)
    fly = auth.client_for(world.users["flywheel"])
    no_groups = endorse(fly, world.school, 1, groups=[], changes="Mijn notities")
    assert no_groups.status_code == 422 and "Mijn notities" in no_groups.get_data(as_text=True)
    future = endorse(fly, world.school, 1, endorsed_on=(today() + timedelta(days=3)).isoformat())
    assert future.status_code == 422 and "toekomst" in future.get_data(as_text=True)
    assert endorse(fly, world.school, 1, endorsed_on="gisteren").status_code == 422
    assert endorse(fly, world.school, 1, groups=["aliens"]).status_code == 422
    assert endorse(auth.client_for(world.users["director"]), world.school, 1).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Endorsement.id))) == 0


def test_poster_renders_with_the_print_stylesheet(app, world, auth):
    version = VisionVersionFactory(vision=VisionFactory(school=world.school), number=1)
    EndorsementFactory(version=version)
    page = auth.client_for(world.users["forum"]).get(f"/scholen/{world.school.id}/visie/affiche")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/static/css/vision-print.css" media="print"' in html
    assert "Onze kernopdrachten" in html and "Verbondenheid" in html and "Zo werken wij samen" in html
    assert html.count("<h1") == 1 and "style=" not in html
    css = auth.client_for(world.users["forum"]).get("/static/css/vision-print.css").get_data(as_text=True)
    assert "size: A4" in css


def test_poster_without_current_vision_says_so(world, auth):
    page = auth.client_for(world.users["board"]).get(f"/scholen/{world.school.id}/visie/affiche")
    assert page.status_code == 200 and "nog geen afgeklopte visie" in page.get_data(as_text=True)


# --- reading: outsiders and the learning network ---------------------------------------------


def test_outsider_reads_nothing(world, auth):
    version = VisionVersionFactory(vision=VisionFactory(school=world.school, shared_with_network=True), number=1)
    EndorsementFactory(version=version)
    outsider = auth.client_for(world.users["outsider"])
    for path in ("", "/huidig", "/affiche", "/versies/1", "/versies/1/amore", "/werkversie"):
        assert outsider.get(f"/scholen/{world.school.id}/visie{path}").status_code == 403, path


def test_sharing_opens_the_current_vision_to_the_network_only(world, auth):
    school = world.school
    content = sample_content(reason="Onze gedeelde reden.")
    version = VisionVersionFactory(vision=VisionFactory(school=school), number=1, content=content)
    EndorsementFactory(version=version)
    neighbour_school = SchoolFactory(name="Buurschool", network=school.network, city=school.city)
    neighbour = MembershipFactory(school=neighbour_school, role="flywheel").user
    reader = auth.client_for(neighbour)
    network_page = f"/netwerken/{school.network_id}/visies"
    assert reader.get(f"/scholen/{school.id}/visie/huidig").status_code == 403
    assert "Warme School A" not in reader.get(network_page).get_data(as_text=True)

    # Only the school's flywheel or director decides to share.
    assert reader.post_form(f"/scholen/{school.id}/visie/delen", {"shared": "y"}).status_code == 403
    assert auth.client_for(world.users["director"]).post_form(
        f"/scholen/{school.id}/visie/delen", {"shared": "y"}
    ).status_code == 302

    assert "Onze gedeelde reden." in reader.get(f"/scholen/{school.id}/visie/huidig").get_data(as_text=True)
    assert reader.get(f"/scholen/{school.id}/visie/affiche").status_code == 200
    listing = reader.get(network_page).get_data(as_text=True)
    assert "Warme School A" in listing and f"/scholen/{school.id}/visie/huidig" in listing
    # Sharing opens the current vision only: not the versions, scores or draft.
    for path in ("", "/versies/1", "/versies/1/amore", "/werkversie", "/vergelijken"):
        assert reader.get(f"/scholen/{school.id}/visie{path}").status_code == 403, path
    # Schools of another network still see nothing.
    assert auth.client_for(world.users["outsider"]).get(f"/scholen/{school.id}/visie/huidig").status_code == 403

    fly = auth.client_for(world.users["flywheel"])
    assert fly.post_form(f"/scholen/{school.id}/visie/delen", {}).status_code == 302
    assert reader.get(f"/scholen/{school.id}/visie/huidig").status_code == 403


# --- next steps, the panel and query counts ---------------------------------------------------


def test_next_steps_lead_from_writing_to_scoring(world, auth, in_request):
    school = world.school
    fly = auth.client_for(world.users["flywheel"])
    assert "Werk de visie verder uit" in fly.get(f"/scholen/{school.id}").get_data(as_text=True)
    services.save_draft(school, world.users["flywheel"], sample_content(), 0)
    db.session.commit()  # services flush; the caller commits (warmeveranderen/uow.py)
    home = fly.get(f"/scholen/{school.id}").get_data(as_text=True)
    assert "Publiceer een eerste versie van de visie." in home
    services.publish(school, world.users["flywheel"], "Eerste versie.", 1)
    db.session.commit()
    forum = auth.client_for(world.users["forum"])
    assert "Geef je AMORE-score voor versie 1" in forum.get(f"/scholen/{school.id}").get_data(as_text=True)
    forum.post_form(f"/scholen/{school.id}/visie/versies/1/amore", scores(4, 4, 4, 4, 4))
    assert "Geef je AMORE-score" not in forum.get(f"/scholen/{school.id}").get_data(as_text=True)
    assert "Leg de endorsement vast" in fly.get(f"/scholen/{school.id}").get_data(as_text=True)
    assert "Leg de endorsement vast" not in forum.get(f"/scholen/{school.id}").get_data(as_text=True)


def _count_queries(client, url) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("path", ["", "/versies/1", "/versies/1/amore", "/werkversie", "/huidig"])
def test_query_count_does_not_grow_with_the_data(world, auth, path):
    vision = VisionFactory(school=world.school)
    first = VisionVersionFactory(vision=vision, number=1)
    EndorsementFactory(version=first)
    AmoreScoreFactory(version=first, remark="Sterk.")
    client = auth.client_for(world.users["flywheel"])
    url = f"/scholen/{world.school.id}/visie{path}"
    client.get(url)
    small = _count_queries(client, url)
    for n in range(2, 8):
        version = VisionVersionFactory(vision=vision, number=n)
        EndorsementFactory(version=version)
    for _ in range(6):
        AmoreScoreFactory(version=first, remark="Goed.")
    client.get(url)  # the first request after the change renders the page again (warmeveranderen/pagecache.py)
    big = _count_queries(client, url)
    assert big == small, f"{url}: {small} queries with little data, {big} with more"


def test_demo_gives_other_schools_an_endorsed_vision_and_not_the_demo_school(app):
    from warmeveranderen.demo import load_demo
    from warmeveranderen.programme.demo import DEMO_SCHOOL
    from warmeveranderen.programme.models import School

    load_demo()
    load_demo()
    visions = db.session.scalars(db.select(Vision)).all()
    assert len(visions) == 3
    assert sum(v.shared_with_network for v in visions) == 1
    demo = db.session.scalar(db.select(School).where(School.name == DEMO_SCHOOL))
    assert queries.get_vision(demo) is None
    for v in visions:
        assert queries.current_version(v.school) is not None
    shared = next(v for v in visions if v.shared_with_network)
    assert shared.school.network_id == demo.network_id
