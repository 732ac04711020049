"""The idea box (ideeënbus): everyone of the school proposes, the flywheel answers publicly."""
