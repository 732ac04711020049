"""Advisers' follow-up: the nine indicators, coaching sessions, milestones, well-being, dashboards, the report."""
