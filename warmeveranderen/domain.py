"""The domain's fixed vocabularies, defined once with their Dutch labels (code -> label).

Codes are stored in the database; labels go through Flask-Babel so English users see English.
"""

from flask_babel import lazy_gettext as _l

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

SPRINT_STATES = {
    "planned": _l("Gepland"),
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

# Forum (issue 6): a forum member's stance in an advice round. Advice is not a vote.
ADVICE_STANCES = {
    "support": _l("Steun"),
    "concerns": _l("Steun met bedenkingen"),
    "objection": _l("Bezwaar"),
}

# Forum (issue 6): the initiator's decision after the advice round.
DECISION_OUTCOMES = {
    "adopt": _l("Aannemen"),
    "adjust": _l("Bijsturen"),
    "postpone": _l("Uitstellen"),
    "drop": _l("Laten vallen"),
}
