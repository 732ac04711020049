"""Kept parts belong to one release (config.py: RELEASE, code_fingerprint): after a deploy that changes
the code, a template or a translation, a part the previous release kept (in Redis, shared by every web
server and surviving the deploy) is rendered again instead of served."""

from datetime import datetime
from pathlib import Path

import pytest

from tests.test_pagecache import journey, url
from warmeveranderen import pagecache
from warmeveranderen.config import code_fingerprint


@pytest.fixture(autouse=True)
def one_minute(monkeypatch):
    monkeypatch.setattr(pagecache, "utcnow", lambda: datetime(2026, 11, 30, 12, 0))


def test_a_new_release_renders_the_parts_again(app, auth, world, monkeypatch):
    sprint = journey(world)
    client = auth.client_for(world.users["director"])
    address = url("school home", world, sprint)
    client.get(address)
    again = client.get(address)
    assert "miss" not in again.headers["X-Part-Cache"]
    monkeypatch.setitem(app.config, "WV_RELEASE", "the-next-release")
    after_deploy = client.get(address)
    assert after_deploy.status_code == 200
    assert "X-Fast-Path" not in after_deploy.headers
    assert "school-home=miss" in after_deploy.headers["X-Part-Cache"]
    assert "hit" not in after_deploy.headers["X-Part-Cache"]
    assert "miss" not in client.get(address).headers["X-Part-Cache"]


def _project(root: Path) -> Path:
    for folder, name, content in (("warmeveranderen", "views.py", "x = 1\n"),
                                  ("warmeveranderen/translations/nl/LC_MESSAGES", "messages.mo", "mo"),
                                  ("templates", "page.html", "<p>Hallo</p>"), ("static", "app.css", "p {}")):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / name).write_text(content)
    return root


@pytest.mark.parametrize("changed", ["templates/page.html", "warmeveranderen/views.py", "static/app.css",
                                     "warmeveranderen/translations/nl/LC_MESSAGES/messages.mo"])
def test_the_fingerprint_follows_code_templates_static_files_and_translations(tmp_path, changed):
    before = code_fingerprint(_project(tmp_path / "a"))
    assert code_fingerprint(_project(tmp_path / "b")) == before  # the same files: the same release
    changed_project = _project(tmp_path / "c")
    (changed_project / changed).write_text("changed")
    assert code_fingerprint(changed_project) != before


def test_compiled_python_and_other_files_do_not_change_the_fingerprint(tmp_path):
    before = code_fingerprint(_project(tmp_path / "a"))
    other = _project(tmp_path / "b")
    (other / "warmeveranderen" / "__pycache__").mkdir()
    (other / "warmeveranderen" / "__pycache__" / "views.cpython-311.pyc").write_bytes(b"\x00")
    (other / "templates" / "notes.md").write_text("not rendered")
    assert code_fingerprint(other) == before


def test_a_configured_release_is_used_as_is(app):
    assert app.config["WV_RELEASE"] == (app.config.get("RELEASE") or code_fingerprint())


def test_a_release_from_the_environment_is_taken_as_text(monkeypatch, tmp_path):
    from warmeveranderen import create_app

    monkeypatch.setenv("WARMEVERANDEREN_RELEASE", "20261130")  # digits stay text, as written
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert create_app().config["WV_RELEASE"] == "20261130"
