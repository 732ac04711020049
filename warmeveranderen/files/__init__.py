"""Attachments (bijlagen): files on initiatives, forum minutes, offer-basket items, comments and more."""
