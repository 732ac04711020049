"""Upkeep: what a feature keeps current as the days pass, run by every sweep before the reminder rules.

A feature declares a step with `@upkeep` where it writes it and hands the module to
`plugins.register` in its `init_app`, like a reminder rule:

    @upkeep
    def extend_cadences(day: date) -> None:   # the sprints: the current and the next sprint exist
        ...

A step is `fn(day)`, with `day` the sweep's Brussels date. It changes state and flushes, never
commits; the sweep commits each step as one unit before the rules read the data (a step that fails
is logged and rolled back; the other steps and the reminders go on). A step must be
cheap when there is nothing to do (one query) and safe to run again (the sweep runs every few minutes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from warmeveranderen.plugins import adds, contributes
from warmeveranderen.uow import job_unit

log = logging.getLogger(__name__)

STEPS: list[Callable[[date], None]] = []


def upkeep(fn: Callable[[date], None]) -> Callable[[date], None]:
    """Declare an upkeep step."""
    return contributes("upkeep")(fn)


@adds("upkeep")
def add_upkeep(fn: Callable[[date], None]) -> None:
    if fn not in STEPS:
        STEPS.append(fn)


def run_upkeep(day: date) -> None:
    """Run every registered step for `day`, each committed as one unit."""
    for step in STEPS:
        try:
            with job_unit():
                step(day)
        except Exception:  # a broken step must not stop the others or the reminders
            log.exception("Upkeep step %s failed", step.__qualname__)
