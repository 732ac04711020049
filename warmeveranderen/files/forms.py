"""The upload form: one file, checked again by the service (type by name and content, size)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SubmitField


class UploadForm(FlaskForm):
    file = FileField(_l("Bestand"))
    submit = SubmitField(_l("Bijlage toevoegen"))


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Verwijderen"))
