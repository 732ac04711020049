"""The programme's survey settings, kept by the coordinator: the minimum group size (never below 5) and
when screening or a survey question stands out. Services flush; the request commits."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from warmeveranderen.extensions import db
from warmeveranderen.surveys.models import SurveySettings
from warmeveranderen.surveys.services import SurveyError

MIN_RESPONSES_FLOOR = 5  # fewer would let a small group be recognised in its answers


def save(by, *, min_responses: int, notable_low_share: int, clear_fall: Decimal) -> SurveySettings:
    if not MIN_RESPONSES_FLOOR <= min_responses <= 50:
        raise SurveyError(_("De minimale groepsgrootte ligt tussen %(low)s en 50.", low=MIN_RESPONSES_FLOOR),
                          "min_responses")
    if not 5 <= notable_low_share <= 100:
        raise SurveyError(_("Kies een aandeel tussen 5 en 100 %."), "notable_low_share")
    if not Decimal("0.1") <= clear_fall <= Decimal("4"):
        raise SurveyError(_("Kies een daling tussen 0,1 en 4 punten."), "clear_fall")
    row = db.session.scalar(db.select(SurveySettings).order_by(SurveySettings.id).limit(1))
    if row is None:
        row = SurveySettings()
        db.session.add(row)
    row.min_responses, row.notable_low_share, row.clear_fall = min_responses, notable_low_share, clear_fall
    row.updated_by_id = by.id
    db.session.flush()
    return row
