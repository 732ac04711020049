"""Surveys (bevragingen) of staff, parents and pupils: templates, anonymous answers, protected results."""
