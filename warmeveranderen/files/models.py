"""An attachment: one uploaded file on one parent object (an initiative, a comment, ...).

The parent is named by kind and id (`parent_kind`, `parent_id`), not by a foreign key: any feature
registers its kind with `@attachment_parent` (see `registry`). The school is kept on the row so that
tenant checks and a school's removal need no parent lookup; programme-wide parents (an offer-basket
item) have none. The bytes live in the storage under `storage_key` (never a typed name).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from warmeveranderen.accounts.models import User
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import School
from warmeveranderen.timeutil import utcnow


class Attachment(db.Model):
    __tablename__ = "attachments"
    __table_args__ = (
        Index("ix_attachments_parent", "parent_kind", "parent_id"),
        CheckConstraint("size >= 0", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_kind: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[int]
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    original_name: Mapped[str] = mapped_column(String(200))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    # A resized JPEG/PNG of an image (made on upload with Pillow), shown on the parent's page.
    preview_key: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def is_image(self) -> bool:
        return self.preview_key is not None

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.parent_kind}#{self.parent_id} {self.original_name!r}>"
