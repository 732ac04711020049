"""Sprints: cadence, backlog, offer basket, planning, board, review (issue 5)."""
