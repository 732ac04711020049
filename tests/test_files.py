"""Attachments: both storage backends, the limits, the permissions of the parent, safe downloads, no orphans."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time

import pytest

from tests.factories_sprints import InitiativeFactory
from tests.files_helpers import PDF_BYTES, attach, png_bytes
from warmeveranderen.extensions import db
from warmeveranderen.files import services, storage
from warmeveranderen.files.models import Attachment


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (LocalBucket) on 127.0.0.1, as a separate process."""
    port = _free_port()
    data = tmp_path_factory.mktemp("s3")
    proc = subprocess.Popen([sys.executable, "-m", "localbucket", str(data), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(params=["local", "s3"])
def backend(request, app):
    """Each test runs on the folder backend and on S3 (the app's configuration switched for the test)."""
    saved = {k: app.config.get(k) for k in ("FILES_S3_BUCKET", "FILES_S3_ENDPOINT_URL", "FILES_S3_ACCESS_KEY",
                                            "FILES_S3_SECRET_KEY", "FILES_S3_REGION")}
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_server")
        app.config.update(FILES_S3_BUCKET="bijlagen", FILES_S3_ENDPOINT_URL=endpoint, FILES_S3_ACCESS_KEY="test",
                          FILES_S3_SECRET_KEY="test-secret", FILES_S3_REGION="us-east-1")
        store = storage.backend()
        store.ensure_bucket()
    yield storage.backend()
    app.config.update(saved)


def _initiative_page(client, initiative):
    return client.get(f"/initiatieven/{initiative.id}").get_data(as_text=True)


def test_upload_download_and_preview(backend, world, auth):
    initiative = InitiativeFactory(school=world.school)
    db.session.commit()
    client = auth.client_for(world.users["flywheel"])
    response = client.post_form(f"/bijlagen/initiative/{initiative.id}/toevoegen",
                                {"file": (io.BytesIO(PDF_BYTES), "Plan van aanpak.pdf")},
                                content_type="multipart/form-data")
    assert response.status_code == 302 and response.location.endswith(f"/initiatieven/{initiative.id}#bijlagen")
    client.post_form(f"/bijlagen/initiative/{initiative.id}/toevoegen",
                     {"file": (io.BytesIO(png_bytes()), "speelplaats.png")}, content_type="multipart/form-data")
    pdf, photo = db.session.scalars(db.select(Attachment).order_by(Attachment.id)).all()
    assert pdf.storage_key in {k for k, _m in backend.keys()}
    assert pdf.content_type == "application/pdf" and pdf.size == len(PDF_BYTES)

    page = _initiative_page(client, initiative)
    assert f'href="/bijlagen/{pdf.id}" download>Plan van aanpak.pdf</a>' in page
    assert f'<img src="/bijlagen/{photo.id}/voorbeeld"' in page

    forum = auth.client_for(world.users["pupil"])  # everyone who may see the initiative downloads
    download = forum.get(f"/bijlagen/{pdf.id}")
    assert download.status_code == 200 and download.data == PDF_BYTES
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]

    preview = forum.get(f"/bijlagen/{photo.id}/voorbeeld")
    from PIL import Image

    image = Image.open(io.BytesIO(preview.data))
    assert preview.headers["Content-Type"] == "image/jpeg" and max(image.size) == 800  # resized on the server


def test_other_school_gets_404_for_every_file_url(backend, world, auth):
    initiative = InitiativeFactory(school=world.school)
    photo = attach("initiative", initiative.id, world.users["flywheel"], png_bytes((50, 50)), "foto.png")
    db.session.commit()
    outsider = auth.client_for(world.users["outsider"])
    for url in (f"/bijlagen/{photo.id}", f"/bijlagen/{photo.id}/voorbeeld",
                f"/bijlagen/initiative/{initiative.id}/toevoegen"):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post_form(f"/bijlagen/{photo.id}/verwijderen").status_code == 404
    assert "foto.png" not in outsider.get(f"/initiatieven/{initiative.id}").get_data(as_text=True)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("virus.exe", b"MZ\x90\x00", "Dit soort bestand kan niet als bijlage"),
    ("pagina.html", b"<script>alert(1)</script>", "Dit soort bestand kan niet als bijlage"),
    ("tekening.svg", b"<svg onload='alert(1)'/>", "Dit soort bestand kan niet als bijlage"),
    ("nep.pdf", b"<html><script>alert(1)</script>", "geen echt .pdf-bestand"),
    ("nep.png", b"\x89PNG\r\n\x1a\nnot really", "kan niet gelezen worden"),
    ("leeg.pdf", b"", "Dit bestand is leeg"),
])
def test_refused_types_say_why_in_dutch(world, auth, name, data, message):
    initiative = InitiativeFactory(school=world.school)
    db.session.commit()
    client = auth.client_for(world.users["director"])
    response = client.post_form(f"/bijlagen/initiative/{initiative.id}/toevoegen",
                                {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0


def test_size_limit_with_a_clear_message(app, world, auth):
    initiative = InitiativeFactory(school=world.school)
    db.session.commit()
    client = auth.client_for(world.users["director"])
    saved = app.config["FILES_MAX_BYTES"]
    app.config["FILES_MAX_BYTES"] = 1024 * 1024
    try:
        just_over = PDF_BYTES + b"0" * (1024 * 1024)
        response = client.post_form(f"/bijlagen/initiative/{initiative.id}/toevoegen",
                                    {"file": (io.BytesIO(just_over), "groot.pdf")}, content_type="multipart/form-data")
        assert response.status_code == 422 and "te groot: hoogstens 1 MB" in response.get_data(as_text=True)
        far_over = PDF_BYTES + b"0" * (3 * 1024 * 1024)
        response = client.post_form(f"/bijlagen/initiative/{initiative.id}/toevoegen",
                                    {"file": (io.BytesIO(far_over), "groter.pdf")}, content_type="multipart/form-data")
        assert response.status_code == 413 and "hoogstens 1 MB" in response.get_data(as_text=True)
    finally:
        app.config["FILES_MAX_BYTES"] = saved
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0


def test_only_editors_add_and_the_uploader_or_editors_remove(world, auth):
    initiative = InitiativeFactory(school=world.school)
    photo = attach("initiative", initiative.id, world.users["flywheel"], png_bytes((20, 20)), "foto.png")
    db.session.commit()
    photo_id = photo.id
    board = auth.client_for(world.users["board"])
    assert board.get(f"/bijlagen/initiative/{initiative.id}/toevoegen").status_code == 403
    assert board.post_form(f"/bijlagen/{photo.id}/verwijderen").status_code == 403
    assert board.get(f"/bijlagen/{photo.id}").status_code == 200
    lead = auth.client_for(world.users["flywheel_lead"])
    assert lead.post_form(f"/bijlagen/{photo.id}/verwijderen").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Attachment).where(Attachment.id == photo_id)) is None


def test_removing_deletes_the_stored_files_after_the_commit(backend, world):
    initiative = InitiativeFactory(school=world.school)
    photo = attach("initiative", initiative.id, world.users["flywheel"], png_bytes((20, 20)), "foto.png")
    db.session.commit()
    keys, photo_id = {photo.storage_key, photo.preview_key}, photo.id
    assert keys <= {k for k, _m in backend.keys()}
    services.remove(photo)
    db.session.rollback()  # a refused request keeps the files
    assert keys <= {k for k, _m in backend.keys()}
    services.remove(db.session.get(Attachment, photo_id))
    db.session.commit()
    assert not keys & {k for k, _m in backend.keys()}


def test_a_rolled_back_upload_leaves_no_file(backend, world):
    initiative = InitiativeFactory(school=world.school)
    db.session.commit()
    key = attach("initiative", initiative.id, world.users["flywheel"], PDF_BYTES, "plan.pdf").storage_key
    db.session.rollback()
    assert key not in {k for k, _m in backend.keys()}


def test_deleting_the_parent_removes_its_files(backend, world):
    initiative = InitiativeFactory(school=world.school)
    key = attach("initiative", initiative.id, world.users["flywheel"], PDF_BYTES, "plan.pdf").storage_key
    db.session.commit()
    db.session.delete(initiative)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0
    assert key not in {k for k, _m in backend.keys()}


def test_no_orphan_remains_after_a_database_cascade(backend, world, runner):
    """A parent deleted without the ORM (SQL) leaves a row; the sweep's upkeep and the command clean up."""
    initiative = InitiativeFactory(school=world.school)
    key = attach("initiative", initiative.id, world.users["flywheel"], PDF_BYTES, "plan.pdf").storage_key
    db.session.commit()
    db.session.execute(db.text("DELETE FROM initiatives WHERE id = :id"), {"id": initiative.id})
    db.session.commit()
    assert [a.original_name for a in services.orphan_rows()] == ["plan.pdf"]
    result = runner.invoke(args=["files", "orphans", "--delete", "--min-age", "0"])
    assert "removed 1 attachments" in result.output
    assert services.orphan_rows() == [] and key not in {k for k, _m in backend.keys()}


def test_every_registered_parent_kind_resolves(world):
    from tests.factories_forum import ForumSessionFactory
    from tests.factories_sprints import BasketItemFactory
    from warmeveranderen.discussion import services as discussion
    from warmeveranderen.files.registry import KINDS, parent

    initiative = InitiativeFactory(school=world.school)
    comment = discussion.post(initiative, world.users["flywheel"], "Zie bijlage", [])
    objects = {"initiative": initiative.id, "basket_item": BasketItemFactory().id,
               "forum_minutes": ForumSessionFactory(school=world.school).id, "comment": comment.id}
    assert set(objects) <= set(KINDS)
    for kind, object_id in objects.items():
        found = parent(kind, object_id)
        assert found is not None and found.can_view(world.users["coordinator"]), kind
        if kind != "basket_item":  # the offer basket is the programme's catalogue, open to everyone
            assert not found.can_view(world.users["outsider"]), kind


def test_the_sweeps_upkeep_removes_attachments_of_a_parent_deleted_by_sql(backend, world):
    from datetime import date

    from warmeveranderen.files.upkeep import remove_orphan_attachments
    from warmeveranderen.notifications.upkeep import STEPS

    assert remove_orphan_attachments in STEPS
    initiative = InitiativeFactory(school=world.school)
    key = attach("initiative", initiative.id, world.users["flywheel"], PDF_BYTES, "plan.pdf").storage_key
    db.session.commit()
    db.session.execute(db.text("DELETE FROM initiatives WHERE id = :id"), {"id": initiative.id})
    db.session.commit()
    remove_orphan_attachments(date.today())
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0
    assert key not in {k for k, _m in backend.keys()}


def test_a_file_name_is_cleaned_and_kept_for_the_download(world, auth):
    initiative = InitiativeFactory(school=world.school)
    db.session.commit()
    client = auth.client_for(world.users["flywheel"])
    client.post_form(f"/bijlagen/initiative/{initiative.id}/toevoegen",
                     {"file": (io.BytesIO(PDF_BYTES), "..\\..\\map/Verslag\tjuni é.pdf")},
                     content_type="multipart/form-data")
    attachment = db.session.scalar(db.select(Attachment))
    assert attachment.original_name == "Verslag juni é.pdf"
    assert "/" not in attachment.storage_key.split("/", 1)[1]  # the stored key is ours, never the typed name
    disposition = client.get(f"/bijlagen/{attachment.id}").headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Verslag%20juni%20%C3%A9.pdf" in disposition


def test_a_missing_stored_file_is_a_404_not_an_error(backend, world, auth):
    initiative = InitiativeFactory(school=world.school)
    photo = attach("initiative", initiative.id, world.users["flywheel"], png_bytes((20, 20)), "foto.png")
    db.session.commit()
    backend.delete(photo.storage_key)
    backend.delete(photo.preview_key)
    client = auth.client_for(world.users["forum"])
    assert client.get(f"/bijlagen/{photo.id}").status_code == 404
    assert client.get(f"/bijlagen/{photo.id}/voorbeeld").status_code == 404


def test_a_comment_with_a_far_too_large_file_gets_the_limit(app, world, auth):
    from warmeveranderen.discussion.models import Comment

    initiative = InitiativeFactory(school=world.school)
    db.session.commit()
    saved = app.config["FILES_MAX_BYTES"]
    app.config["FILES_MAX_BYTES"] = 1024 * 1024
    try:
        client = auth.client_for(world.users["flywheel"])
        response = client.post_form(f"/initiatieven/{initiative.id}/discussie",
                                    {"body": "Met bijlage", "file": (io.BytesIO(b"0" * (3 * 1024 * 1024)), "groot.pdf")},
                                    content_type="multipart/form-data")
    finally:
        app.config["FILES_MAX_BYTES"] = saved
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "hoogstens 1 MB" in page and f"/initiatieven/{initiative.id}#discussie" in page
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0
