"""Which passwords are too easy to guess (NIST SP 800-63B 3.1.1.2: refuse common, repetitive and
sequential passwords and those built from the service's or the person's own name).

zxcvbn estimates the guesses an attacker needs, with its lists of common passwords, names and words
and its patterns (repeats, sequences, keyboard runs, dates); the app's name and the person's email
address and name count as words an attacker knows.
"""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

APP_WORDS = ("warm", "veranderen", "warmveranderen", "warme", "school", "scholen", "wachtwoord")
# zxcvbn's time grows with the length; past this the length alone makes a password strong enough.
_CHECKED_LENGTH = 64

TOO_EASY = _l(
    "Dit wachtwoord is te makkelijk te raden: het is een bekend wachtwoord, een herhaling of reeks "
    "(zoals aaaaaaaaaa of 1234567890), of het bevat je naam, je e-mailadres of de naam van het "
    "platform. Kies bijvoorbeeld een zin van een paar woorden die alleen jij kent."
)


def person_words(email: str | None, name: str | None) -> list[str]:
    """The parts of a person's email address and name an attacker would try."""
    words = []
    for text in (email or "", name or ""):
        words.append(text.lower())
        # Whole parts ("peeters-janssens") as well as their pieces.
        words.extend(part for part in re.split(r"[\s@.]+", text.lower()) if len(part) > 2)
        pieces = [part for part in re.split(r"[^\w]+", text.lower()) if len(part) > 2]
        words.extend(pieces)
        words.append("".join(pieces))  # "annpeeters"
    return words


def is_too_easy(password: str, *, email: str | None = None, name: str | None = None) -> bool:
    """Whether the password would be guessed with fewer than about 10^8 tries (zxcvbn score < 3)."""
    if not password:
        return True
    result = zxcvbn(password[:_CHECKED_LENGTH], user_inputs=[*APP_WORDS, *person_words(email, name)])
    return result["score"] < current_app.config["PASSWORD_MIN_SCORE"]
