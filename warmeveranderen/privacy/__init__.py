"""People's own data (GDPR): download everything about you, delete your account, and retention."""
