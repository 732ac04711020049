"""The discussion per initiative: comments with @mentions, a short edit window with history, and who read them."""
