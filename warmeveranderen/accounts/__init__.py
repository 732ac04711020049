"""Accounts: login, password reset, invitations and the profile."""
