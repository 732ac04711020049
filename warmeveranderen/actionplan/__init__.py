"""The action plan of an initiative: tasks, checklists and the link to the vision."""
