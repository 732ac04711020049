"""The discussion per initiative: comments with @mentions that notify (following preferences), Markdown
through the sanitising filter, edits only within 15 minutes (then history and "bewerkt"), moderation,
"gelezen door" for the author and the flywheel, a file on a comment, and nothing for another school."""

from __future__ import annotations

import io
from datetime import timedelta

from tests.factories_sprints import InitiativeFactory
from tests.files_helpers import PDF_BYTES
from warmeveranderen.discussion.models import Comment, CommentRevision
from warmeveranderen.extensions import db
from warmeveranderen.files.models import Attachment
from warmeveranderen.notifications.models import Notification


def _notified(user) -> list[Notification]:
    db.session.expire_all()
    return db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)).all()


def _setup(world):
    initiative = InitiativeFactory(school=world.school, title="Warme speelplaats")
    db.session.commit()
    return initiative, f"/initiatieven/{initiative.id}/discussie"


def test_a_comment_with_a_typed_mention_and_a_chosen_one_notifies_both(world, auth):
    initiative, url = _setup(world)
    lead, director = world.users["flywheel_lead"], world.users["director"]
    client = auth.client_for(world.users["flywheel"])
    response = client.post_form(url, {"body": f"Kan @{lead.name} de **planning** maken?",
                                      "mentions": [str(director.id)]})
    assert response.status_code == 302 and "#reactie-" in response.location
    for person in (lead, director):
        [note] = _notified(person)
        assert "Warme speelplaats" in note.title and note.url.endswith(f"#reactie-{db.session.scalar(db.select(Comment.id))}")
    assert _notified(world.users["flywheel"]) == []  # not the author, not the unmentioned
    assert _notified(world.users["board"]) == []
    page = client.get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "<strong>planning</strong>" in page


def test_markdown_is_sanitised_and_an_outsider_is_refused(world, auth):
    initiative, url = _setup(world)
    client = auth.client_for(world.users["pupil"])
    client.post_form(url, {"body": "<script>alert(1)</script> [klik](javascript:alert(1))"})
    page = client.get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    outsider = auth.client_for(world.users["outsider"])
    assert outsider.post_form(url, {"body": "Hallo"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1


def test_empty_or_too_long_comment_is_shown_again_with_the_message(world, auth):
    _initiative, url = _setup(world)
    client = auth.client_for(world.users["flywheel"])
    response = client.post_form(url, {"body": "x" * 2001})
    assert response.status_code == 422 and "te lang" in response.get_data(as_text=True)
    assert "x" * 2001 in response.get_data(as_text=True)
    assert client.post_form(url, {"body": "  "}).status_code == 422


def test_edit_within_fifteen_minutes_keeps_the_history(world, auth):
    initiative, url = _setup(world)
    client = auth.client_for(world.users["flywheel"])
    client.post_form(url, {"body": "Eerste versie"})
    comment = db.session.scalar(db.select(Comment))
    edit = f"/reacties/{comment.id}/bewerken"
    assert auth.client_for(world.users["director"]).get(edit).status_code == 403  # only the author
    assert client.post_form(edit, {"body": f"Tweede versie, @{world.users['board'].name}"}).status_code == 302
    db.session.expire_all()
    comment = db.session.get(Comment, comment.id)
    assert comment.body.startswith("Tweede versie") and comment.edited_at is not None
    assert [r.body for r in comment.revisions] == ["Eerste versie"]
    assert len(_notified(world.users["board"])) == 1  # a new mention in the edit notifies
    page = auth.client_for(world.users["forum"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "bewerkt" in page and "Eerdere versies" in page and "Eerste versie" in page

    comment.created_at -= timedelta(minutes=16)
    db.session.commit()
    assert client.get(edit).status_code == 403
    assert client.post_form(edit, {"body": "Te laat"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(CommentRevision.id))) == 1


def test_read_by_is_shown_to_the_author_and_the_flywheel(world, auth):
    initiative, url = _setup(world)
    author = auth.client_for(world.users["director"])
    author.post_form(url, {"body": "Wie leest mee?"})
    board = auth.client_for(world.users["board"])
    page = board.get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "1 nieuwe reactie" in page and "Gelezen door" not in page
    assert board.post_form(f"{url}/gelezen").status_code == 302
    own = author.get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert f"Gelezen door {world.users['board'].name}" in own
    flywheel = auth.client_for(world.users["flywheel"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert f"Gelezen door {world.users['board'].name}" in flywheel
    forum = auth.client_for(world.users["forum"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert "Gelezen door" not in forum


def test_a_file_on_a_comment_goes_with_the_comment(world, auth):
    initiative, url = _setup(world)
    client = auth.client_for(world.users["flywheel"])
    response = client.post_form(url, {"body": "Zie het plan", "file": (io.BytesIO(PDF_BYTES), "plan.pdf")},
                                content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = db.session.scalar(db.select(Attachment))
    assert attachment.parent_kind == "comment" and attachment.original_name == "plan.pdf"
    page = auth.client_for(world.users["pupil"]).get(f"/initiatieven/{initiative.id}").get_data(as_text=True)
    assert f"/bijlagen/{attachment.id}" in page
    assert auth.client_for(world.users["outsider"]).get(f"/bijlagen/{attachment.id}").status_code == 404
    comment_id = attachment.parent_id
    assert client.post_form(f"/reacties/{comment_id}/verwijderen").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0


def test_a_refused_file_refuses_the_whole_comment(world, auth):
    _initiative, url = _setup(world)
    client = auth.client_for(world.users["flywheel"])
    response = client.post_form(url, {"body": "Met een foute bijlage", "file": (io.BytesIO(b"MZ"), "x.exe")},
                                content_type="multipart/form-data")
    assert response.status_code == 422 and "Met een foute bijlage" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_the_director_moderates_but_a_forum_member_cannot_delete_anothers_comment(world, auth):
    _initiative, url = _setup(world)
    auth.client_for(world.users["flywheel"]).post_form(url, {"body": "Iets ongepasts"})
    comment_id = db.session.scalar(db.select(Comment.id))
    assert auth.client_for(world.users["forum"]).post_form(f"/reacties/{comment_id}/verwijderen").status_code == 403
    assert auth.client_for(world.users["director"]).post_form(f"/reacties/{comment_id}/verwijderen").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_two_comments_posted_at_once_by_one_person_both_stay(database_url, world, auth, monkeypatch):
    """Two tabs of one person send a comment at the same moment (real requests on PostgreSQL): both are
    kept; recording "read" for the author is one upsert, so the second never fails on that row."""
    import threading

    import pytest

    from tests.test_races import _post_at_once
    from warmeveranderen.discussion import services

    if not database_url.startswith("postgresql"):
        pytest.skip("runs when the suite itself runs on PostgreSQL (WARMEVERANDEREN_TEST_DATABASE_URL)")
    initiative, url = _setup(world)
    barrier = threading.Barrier(2)
    mark_read = services.mark_read

    def held(*args):
        try:
            barrier.wait(10)
        except threading.BrokenBarrierError:
            pass
        return mark_read(*args)

    monkeypatch.setattr(services, "mark_read", held)
    clients = [auth.client_for(world.users["flywheel"]) for _ in range(2)]
    posts = [(c, url, {"csrf_token": c.csrf_token(), "body": f"Reactie {n}"}) for n, c in enumerate(clients)]
    responses = _post_at_once(posts)
    assert sorted(getattr(r, "status_code", r) for r in responses) == [302, 302]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 2


def test_after_the_edit_window_the_author_can_no_longer_change_a_comments_files(world, auth):
    from datetime import timedelta

    from warmeveranderen.discussion.models import Comment

    initiative, url = _setup(world)
    client = auth.client_for(world.users["flywheel"])
    client.post_form(url, {"body": "Zie het plan", "file": (io.BytesIO(PDF_BYTES), "plan.pdf")},
                     content_type="multipart/form-data")
    attachment = db.session.scalar(db.select(Attachment))
    comment = db.session.get(Comment, attachment.parent_id)
    comment.created_at -= timedelta(minutes=16)
    db.session.commit()
    add = client.post_form(f"/bijlagen/comment/{comment.id}/toevoegen",
                           {"file": (io.BytesIO(PDF_BYTES), "ander.pdf")}, content_type="multipart/form-data")
    assert add.status_code == 403
    assert client.post_form(f"/bijlagen/{attachment.id}/verwijderen").status_code == 403
    director = auth.client_for(world.users["director"])  # moderation still works
    assert director.post_form(f"/bijlagen/{attachment.id}/verwijderen").status_code == 302
