"""The platform's own vocabularies, with their Dutch labels."""

from flask_babel import lazy_gettext as _l

# What a library item is (LibraryItem.kind).
LIBRARY_KINDS = {
    "document": _l("Document"),
    "tool": _l("Instrument"),
    "practice": _l("Praktijk"),
}

# The filters on a question list.
QUESTION_STATES = {
    "open": _l("Nog zonder antwoord"),
    "solved": _l("Met een nuttigste antwoord"),
}

# A star case's state (StarCase.state).
CASE_STATES = {
    "draft": _l("Concept"),
    "submitted": _l("Ingediend bij de coördinator"),
    "published": _l("Gepubliceerd"),
}
