"""Adding, removing and cleaning up attachments (services flush, never commit).

Files reach the storage before the row commits; what a rolled-back request wrote is removed again
right after the rollback, and files of removed rows are deleted only after the commit (a rollback
keeps them). `flask files orphans` finds anything left over after a crash or a school's removal.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
import time
import uuid
from collections.abc import Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, exists, select
from sqlalchemy.orm import Session

from warmeveranderen.extensions import db
from warmeveranderen.files import storage
from warmeveranderen.files.checks import RefusedFile, clean_name, file_type, image_preview
from warmeveranderen.files.models import Attachment
from warmeveranderen.files.registry import KINDS, MODELS, Parent
from warmeveranderen.uow import ServiceError

log = logging.getLogger(__name__)
WRITTEN, DOOMED = "files_written", "files_doomed"


class AttachmentError(ServiceError):
    field = "file"


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def attach(kind: str, parent_id: int, parent: Parent, user, upload) -> Attachment:
    """Store an uploaded file (a werkzeug FileStorage) on a parent; refuse with a Dutch reason."""
    config = current_app.config
    limit = int(config["FILES_MAX_BYTES"])
    if upload is None or not getattr(upload, "filename", ""):
        raise AttachmentError(_l("Kies een bestand."))
    count = db.session.scalar(select(db.func.count(Attachment.id)).where(
        Attachment.parent_kind == kind, Attachment.parent_id == parent_id))
    if count >= int(config["FILES_MAX_PER_PARENT"]):
        raise AttachmentError(_l("Hier staan al %(n)s bijlagen, het maximum. Verwijder er eerst een.", n=count))
    name = clean_name(upload.filename)
    digest, size = hashlib.sha256(), 0
    spool = tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024)
    while block := upload.stream.read(64 * 1024):
        size += len(block)
        if size > limit:
            raise AttachmentError(_l("Dit bestand is te groot: hoogstens %(mb)s MB.", mb=_mb(limit)))
        digest.update(block)
        spool.write(block)
    if size == 0:
        raise AttachmentError(_l("Dit bestand is leeg."))
    spool.seek(0)
    try:
        kind_of_file = file_type(name, spool.read(16))
        preview = None
        if kind_of_file.image_format:
            spool.seek(0)
            preview = image_preview(spool.read(), kind_of_file, int(config["FILES_MAX_IMAGE_PIXELS"]))
    except RefusedFile as exc:
        raise AttachmentError(str(exc)) from None
    school = parent.school
    key = f"{school.id if school is not None else 'programma'}/{uuid.uuid4().hex}"
    backend = storage.backend()
    spool.seek(0)
    _written(key)
    backend.put(key, spool, size, kind_of_file.content_type)
    preview_key = None
    if preview is not None:
        preview_key = f"{key}-voorbeeld.{'png' if preview[1] == 'image/png' else 'jpg'}"
        _written(preview_key)
        backend.put(preview_key, io.BytesIO(preview[0]), len(preview[0]), preview[1])
    attachment = Attachment(parent_kind=kind, parent_id=parent_id, school=school, uploaded_by=user,
                            original_name=name, storage_key=key, preview_key=preview_key, size=size,
                            content_type=kind_of_file.content_type, sha256=digest.hexdigest())
    db.session.add(attachment)
    db.session.flush()
    return attachment


def remove(attachment: Attachment) -> None:
    """Delete the row now and its files once the unit of work commits."""
    _doom(attachment.storage_key, attachment.preview_key)
    db.session.delete(attachment)


def remove_for_parent(kind: str, parent_id: int) -> int:
    """What a parent calls before it is deleted (the ORM hook below does it for registered models)."""
    found = list(db.session.scalars(select(Attachment).where(
        Attachment.parent_kind == kind, Attachment.parent_id == parent_id)))
    for attachment in found:
        remove(attachment)
    return len(found)


def attachments_of(kind: str, parent_id: int) -> list[Attachment]:
    return list(db.session.scalars(
        select(Attachment).where(Attachment.parent_kind == kind, Attachment.parent_id == parent_id)
        .options(db.joinedload(Attachment.uploaded_by)).order_by(Attachment.created_at, Attachment.id)))


def counts_of(kind: str, parent_ids: Iterable[int]) -> dict[int, int]:
    """How many attachments each parent has (one query), e.g. for a list of comments or cards."""
    ids = list(parent_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Attachment.parent_id, db.func.count(Attachment.id)).where(
        Attachment.parent_kind == kind, Attachment.parent_id.in_(ids)).group_by(Attachment.parent_id))
    return dict(rows.all())


# -- orphans ----------------------------------------------------------------------------------------

def orphan_rows() -> list[Attachment]:
    """Attachments whose parent no longer exists (e.g. removed by a database cascade)."""
    found: list[Attachment] = []
    for entry in KINDS.values():
        if entry.model is None:
            continue
        table = entry.model.__table__
        gone = ~exists().where(table.c.id == Attachment.parent_id)
        found += db.session.scalars(select(Attachment).where(Attachment.parent_kind == entry.kind, gone))
    return found


def orphan_keys(min_age_seconds: int = 3600) -> list[str]:
    """Stored files that no row names (older than `min_age_seconds`, so an upload in progress is spared)."""
    known = set(db.session.scalars(select(Attachment.storage_key)))
    known |= set(k for k in db.session.scalars(select(Attachment.preview_key)) if k)
    cutoff = time.time() - min_age_seconds
    return sorted(key for key, modified in storage.backend().keys() if key not in known and modified < cutoff)


def clean_orphans(min_age_seconds: int = 3600) -> tuple[int, int]:
    """Remove orphan rows (files after the commit) and unnamed stored files; returns (rows, files)."""
    rows = orphan_rows()
    for attachment in rows:
        remove(attachment)
    keys = orphan_keys(min_age_seconds)
    backend = storage.backend()
    for key in keys:
        backend.delete(key)
    return len(rows), len(keys)


# -- the unit of work: files follow the transaction ------------------------------------------------

def _written(key: str) -> None:
    db.session.info.setdefault(WRITTEN, []).append(key)


def _doom(*keys: str | None) -> None:
    db.session.info.setdefault(DOOMED, []).extend(k for k in keys if k)


def _delete_quietly(keys: list[str]) -> None:
    if not keys:
        return
    try:
        backend = storage.backend()
        for key in keys:
            backend.delete(key)
    except Exception:  # noqa: BLE001 - the commit stands; `flask files orphans` removes what is left
        log.exception("could not delete stored files %s", keys)


def _before_flush(session: Session, _context, _instances) -> None:
    """Deleting a registered parent through the ORM deletes its attachments in the same flush."""
    if not MODELS:
        return
    for obj in list(session.deleted):
        entry = MODELS.get(type(obj))
        if entry is not None and obj.id is not None:
            for attachment in session.scalars(select(Attachment).where(
                    Attachment.parent_kind == entry.kind, Attachment.parent_id == obj.id)):
                _doom(attachment.storage_key, attachment.preview_key)
                session.delete(attachment)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(WRITTEN, None)
    _delete_quietly(session.info.pop(DOOMED, []))


def _after_soft_rollback(session: Session, previous) -> None:
    if previous.nested:
        return
    session.info.pop(DOOMED, None)
    _delete_quietly(session.info.pop(WRITTEN, []))


def init_app(app) -> None:
    for name, listener in (("before_flush", _before_flush), ("after_commit", _after_commit),
                           ("after_soft_rollback", _after_soft_rollback)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
