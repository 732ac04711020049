"""In-app notifications (the bell), and later email delivery, digests, reminders and calendar feeds."""
