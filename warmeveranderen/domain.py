"""The domain's fixed vocabularies, defined once with their Dutch labels (code -> label).

Codes are stored in the database; labels go through Flask-Babel so English users see English.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from warmeveranderen.plugins import adds, contributes

# Roles a person holds in a school (Membership.role).
DIRECTOR = "director"
BOARD = "board"
FLYWHEEL = "flywheel"
FORUM = "forum"
SCHOOL_ROLES = {
    DIRECTOR: _l("Directie"),
    BOARD: _l("Bestuur"),
    FLYWHEEL: _l("Vliegwiel"),
    FORUM: _l("Forum"),
}

# One person in a school role, as a sentence names them ("uitgenodigd als forumlid").
SCHOOL_ROLE_PERSONS = {
    DIRECTOR: _l("directielid"),
    BOARD: _l("bestuurslid"),
    FLYWHEEL: _l("vliegwiellid"),
    FORUM: _l("forumlid"),
}

# Programme-wide roles (not tied to one school).
COORDINATOR = "coordinator"
ADVISER = "adviser"
PROGRAMME_ROLES = {
    COORDINATOR: _l("Programmacoördinator"),
    ADVISER: _l("Adviseur"),
}

# Stakeholder groups of the forum.
STAKEHOLDER_GROUPS = {
    "staff": _l("Leerkrachten en personeel"),
    "pupil": _l("Leerlingen"),
    "parent": _l("Ouders"),
    "partner": _l("Partners (bv. CLB)"),
    "board": _l("Bestuur"),
    "leadership": _l("Directie"),
}

SCHOOL_LEVELS = {
    "basis": _l("Basisonderwijs"),
    "secundair": _l("Secundair onderwijs"),
    "buitengewoon": _l("Buitengewoon onderwijs"),
}

UMBRELLAS = {
    "go": "GO!",
    "kov": "Katholiek Onderwijs Vlaanderen",
    "ovsg": "OVSG",
    "pov": "POV",
    "other": _l("Ander"),
}

BUILDING_BLOCKS = {
    "structure": _l("Structuur"),
    "people": _l("Mens"),
    "systems": _l("Systemen"),
    "culture": _l("Cultuur"),
    "leadership": _l("Leiderschap"),
}

CORE_MISSIONS = {
    "qualification": _l("Kwalificatie"),
    "talent": _l("Talentenportfolio"),
    "learning_capacity": _l("Leervermogen / groeivermogen"),
    "involvement": _l("Betrokkenheid / participatie"),
}

# The five themes of a vision's guiding principles (question 5 of the prototype).
VISION_PRINCIPLE_THEMES = {
    "decentralised": _l("Decentrale school met autonome teams"),
    "competent": _l("Competente school"),
    "inspired": _l("Bezielde school"),
    "efficient": _l("Efficiënte school"),
    "participative": _l("Participatieve en ondernemende school"),
}

# The AMORE criteria of a good vision.
AMORE_CRITERIA = {
    "ambitious": _l("Ambitieus"),
    "motivating": _l("Motiverend"),
    "distinctive": _l("Onderscheidend"),
    "relevant": _l("Relevant"),
    "authentic": _l("Echt"),
}

# Indicator levels from best to worst; the coordinator may relabel them per indicator.
INDICATOR_LEVELS = {
    "realised": _l("Gerealiseerd"),
    "in_progress": _l("In uitvoering"),
    "started": _l("Opgestart"),
    "not_started": _l("Nog niet gestart"),
}

# Short codes for the indicator levels, so a matrix never tells a level by colour alone.
INDICATOR_LEVEL_ABBREVIATIONS = {"realised": "G", "in_progress": "U", "started": "O", "not_started": "N"}

# Coaching sessions (begeleidingssessies): collective per learning network, individual per school.
SESSION_KINDS = {
    "collective": _l("Collectief"),
    "individual": _l("Individueel"),
}

# A coaching session's state; "planned" and "held" follow from its date, "cancelled" is set by hand.
SESSION_STATES = {
    "planned": _l("gepland"),
    "held": _l("gehouden"),
    "cancelled": _l("geannuleerd"),
}

# The milestones of a school's journey; evaluation moments may occur several times.
MILESTONES = {
    "intake": _l("Intake"),
    "staff_kickoff": _l("Kick-off met alle medewerkers"),
    "flywheel_composed": _l("Vliegwiel samengesteld"),
    "seminar": _l("Tweedaagse van vliegwiel en directie"),
    "stakeholder_kickoff": _l("Warme kick-off met alle belanghebbenden en oproep voor het forum"),
    "forum_composed": _l("Forum samengesteld"),
    "prototype_presented": _l("Prototype voorgelegd aan alle belanghebbenden"),
    "evaluation": _l("Evaluatiemoment"),
}
REPEATABLE_MILESTONES = {"evaluation"}

# Well-being and involvement (Laevers' scales), measured per group twice a school year.
MEASUREMENT_MOMENTS = {
    "pre": _l("Voormeting (september–oktober)"),
    "post": _l("Nameting (april–mei)"),
}
WELLBEING_SCALES = {
    "wellbeing": _l("Welbevinden"),
    "involvement": _l("Betrokkenheid"),
    # The third pillar (issue 20): screened by observation on five levels, optional per group.
    "emotional": _l("Gezond emotioneel functioneren"),
}
# What an offer-basket item works on, and what a survey question is about (issue 20): the three
# screening scales and the survey themes. A notable share at levels 1–2 of a scale, or a survey question
# that falls clearly, suggests the basket items that address it.
ADDRESSED_THEMES = {
    "wellbeing": _l("Welbevinden"),
    "involvement": _l("Betrokkenheid en participatie"),
    "emotional": _l("Gezond emotioneel functioneren"),
    "workload": _l("Werkdruk"),
    "climate": _l("School- en teamklimaat"),
    "flywheel": _l("Het werk van het vliegwiel"),
    "welcome": _l("Zich welkom voelen"),
    "satisfaction": _l("Tevredenheid"),
}
# Who a group's screening counts: pupils (a class or learning community) or staff (a team).
SCREENED_POPULATIONS = {
    "pupils": _l("Leerlingen"),
    "staff": _l("Personeel"),
}
WELLBEING_LEVELS = {
    1: _l("1 – uitgesproken signalen van onwelbevinden"),
    2: _l("2 – eerder signalen van onwelbevinden"),
    3: _l("3 – wisselend beeld"),
    4: _l("4 – eerder signalen van welbevinden"),
    5: _l("5 – uitgesproken signalen van genieten"),
}
INVOLVEMENT_LEVELS = {
    1: _l("1 – totaal niet betrokken"),
    2: _l("2 – overwegend niet betrokken"),
    3: _l("3 – matig betrokken"),
    4: _l("4 – sterk betrokken"),
    5: _l("5 – volledig opgeslorpt, verliest de tijd uit het oog"),
}
EMOTIONAL_LEVELS = {
    1: _l("1 – uitgesproken signalen van emotionele problemen"),
    2: _l("2 – eerder signalen van emotionele problemen"),
    3: _l("3 – wisselend beeld"),
    4: _l("4 – eerder gezond emotioneel functioneren"),
    5: _l("5 – uitgesproken gezond emotioneel functioneren"),
}

# The health matrix (Gezonde School method): level x strategy.
HEALTH_LEVELS = {
    "pupil": _l("Leerling (incl. risicogroepen)"),
    "class": _l("Klas"),
    "school": _l("School"),
    "environment": _l("Omgeving buiten de school"),
}
HEALTH_STRATEGIES = {
    "education": _l("Educatie"),
    "environment": _l("Omgevingsinterventies"),
    "policy": _l("Beleid, afspraken en regels"),
    "care": _l("Zorg en begeleiding"),
}

# The intake agreement (intakeovereenkomst): the commitments leadership makes, and the journey's
# state that other features read (see intake.services.journey_state).
INTAKE_COMMITMENTS = {
    "building_blocks": _l("We nemen alle vijf de bouwstenen vast: structuur, mens, systemen, cultuur en leiderschap."),
    "flywheel_time": _l("We maken tijd vrij voor het vliegwiel: het komt vast en volgens een vaste cadans samen."),
    "sessions": _l("We nemen deel aan de collectieve sessies van het lerend netwerk en aan de individuele sessies."),
    "measurement": _l("We meten welbevinden en betrokkenheid, twee keer per schooljaar."),
}
JOURNEY_STATES = {
    "none": _l("Geen overeenkomst"),
    "draft": _l("Concept"),
    "awaiting": _l("Wacht op handtekeningen"),
    "active": _l("Actief"),
    "ended": _l("Beëindigd"),
}

LOCALES = {"nl": "Nederlands", "en": "English"}


def choices(vocabulary: dict, blank: str | None = None) -> list[tuple[str, str]]:
    """WTForms choices from a vocabulary, optionally with a leading blank option."""
    items = [(code, label) for code, label in vocabulary.items()]
    if blank is not None:
        items.insert(0, ("", blank))
    return items

# Sprints (issue 5): the life of an initiative on the backlog and the board, in order.
INITIATIVE_STATUSES = {
    "idea": _l("Idee"),
    "planned": _l("Gepland in sprint"),
    "in_progress": _l("In uitvoering"),
    "ready_for_forum": _l("Klaar voor het forum"),
    "decided": _l("Besloten"),
    "done": _l("Afgerond"),
    "dropped": _l("Geschrapt"),
}

@dataclass(frozen=True)
class WeeksSetting:
    """A length in whole weeks: its default, its bounds and its Dutch label."""

    default: int
    min: int
    max: int
    label: str

    @property
    def message(self) -> str:
        """The Dutch refusal of a length outside the bounds."""
        return _l("Een sprint duurt tussen %(a)s en %(b)s weken.", a=self.min, b=self.max)


# How long a sprint lasts: the programme's default (the coordinator may change it in the programme
# terms, and per school), and the bounds every form, rule and reminder window keeps to.
SPRINT_WEEKS = WeeksSetting(default=10, min=1, max=26, label=_l("Lengte van een sprint (weken)"))

_SPRINT_WEEKS_SOURCES: list[Callable[[], int]] = []


def sprint_weeks_source(fn: Callable[[], int]) -> Callable[[], int]:
    """Declare where the programme's current sprint length comes from (the intake's programme terms)."""
    return contributes("sprint_weeks_source")(fn)


@adds("sprint_weeks_source")
def add_sprint_weeks_source(fn: Callable[[], int]) -> None:
    if fn not in _SPRINT_WEEKS_SOURCES:
        _SPRINT_WEEKS_SOURCES.append(fn)


def programme_sprint_weeks() -> int:
    """The programme's sprint length now: the registered source's, else the setting SPRINT_WEEKS_DEFAULT."""
    if _SPRINT_WEEKS_SOURCES:
        return int(_SPRINT_WEEKS_SOURCES[-1]())
    return int(current_app.config.get("SPRINT_WEEKS_DEFAULT", SPRINT_WEEKS.default))


SPRINT_STATES = {
    "planned": _l("Gepland"),
    # Shown for a planned sprint whose first day has come (Sprint.shown_state), never stored.
    "due": _l("Te starten"),
    "active": _l("Lopend"),
    "closed": _l("Afgesloten"),
}

# The two alignment moments of every sprint.
CHECKPOINT_KINDS = {
    "start": _l("Afstemming met het bestuursteam bij de start"),
    "pre_forum": _l("Afstemming vlak voor het forum"),
}

# The result of an initiative in the review that closes a sprint.
SPRINT_RESULTS = {
    "achieved": _l("Bereikt"),
    "partly": _l("Gedeeltelijk bereikt"),
    "not_achieved": _l("Niet bereikt"),
    "carried_over": _l("Mee naar de volgende sprint"),
}

# Notification categories (Notification.category); each person chooses per category how to be told.
NOTIFICATION_CATEGORIES = {
    "intake": _l("Intake en overeenkomst"),
    "vision": _l("Visie"),
    "sprint": _l("Sprints en vliegwiel"),
    "forum": _l("Forum en adviezen"),
    "tracking": _l("Opvolging en evaluatie"),
    "measurement": _l("Metingen (welbevinden, betrokkenheid, indicatoren)"),
    "network": _l("Lerend netwerk: vragen en antwoorden"),
    "governance": _l("Overleg van het programma (stuurgroep, adviseurs, expertisenetwerk, klankbordgroep)"),
    "general": _l("Overige meldingen"),
}

# How a person wants notifications of a category: email now, one email a day, or only in the app.
DELIVERY_MODES = {
    "immediate": _l("Meteen per e-mail"),
    "digest": _l("Dagelijks overzicht per e-mail"),
    "in_app": _l("Alleen in de app"),
}

# Forum (issue 6): a forum member's stance in an advice round. Advice is not a vote.
ADVICE_STANCES = {
    "support": _l("Steun"),
    "concerns": _l("Steun met bedenkingen"),
    "objection": _l("Bezwaar"),
}
# Seed 001: an objection is principled (it argues that the proposal harms the school's aim or vision) or
# personal. Every objection gets an answer; only a principled one stops the decision until it has one.
OBJECTION_KINDS = {
    "principled": _l("Principieel bezwaar"),
    "personal": _l("Persoonlijk bezwaar"),
}
# The one line the forum member reads next to each kind on the advice form.
OBJECTION_KIND_HELP = {
    "principled": _l("Principieel: het voorstel schaadt het doel of de visie van de school. Er wordt pas "
                     "beslist als het vliegwiel erop geantwoord heeft."),
    "personal": _l("Persoonlijk: het voorstel past jou niet. Je wordt gehoord en krijgt een antwoord, maar het "
                   "houdt het besluit niet tegen."),
}

# Forum (issue 6): the initiator's decision after the advice round.
DECISION_OUTCOMES = {
    "adopt": _l("Aannemen"),
    "adjust": _l("Bijsturen"),
    "postpone": _l("Uitstellen"),
    "drop": _l("Laten vallen"),
}

# Maxima for free text (issue 15), in characters; forms (forms_common.max_length) and services
# (check_text) use the same numbers.
TITLE_MAX = 200
SHORT_TEXT_MAX = 2_000
LONG_TEXT_MAX = 20_000


def text_problem(text: str | None, limit: int, *, single_line: bool = False) -> str | None:
    """Why a text may not be stored (too long, a control character), or None when it is fine.

    For the services: the same rule as the form, for posts that bypass it.
    """
    from flask_babel import gettext as _

    if not text:
        return None
    if len(text) > limit:
        return _("Deze tekst is te lang: %(n)s tekens, hoogstens %(max)s.",
                 n=f"{len(text):,}".replace(",", "."), max=f"{limit:,}".replace(",", "."))
    if "\x00" in text or (single_line and any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text)):
        return _("Gebruik één regel zonder tabs of regeleinden.") if single_line else _(
            "Deze tekst bevat een ongeldig teken (NUL).")
    return None

# The state of an idea in a school's idea box (ideeënbus): waiting for the flywheel's answer, or answered.
IDEA_STATES = {
    "open": _l("Wacht op antwoord"),
    "backlog": _l("Op de backlog"),
    "merged": _l("Samengevoegd"),
    "not_now": _l("Niet nu"),
    "not_ours": _l("Niet voor ons"),
}
# The answers the flywheel can give (every state but "open"); each needs a reason.
IDEA_ANSWERS = {code: label for code, label in IDEA_STATES.items() if code != "open"}

# The colours a school's labels on initiatives can have (the board shows the name in it, dark on light).
LABEL_COLOURS = {
    "blue": _l("Blauw"),
    "green": _l("Groen"),
    "yellow": _l("Geel"),
    "orange": _l("Oranje"),
    "red": _l("Rood"),
    "purple": _l("Paars"),
    "grey": _l("Grijs"),
}
LABEL_NAME_MAX = 40
# The labels one school keeps at most: a small vocabulary, not a tag cloud.
LABELS_PER_SCHOOL_MAX = 30
