"""The advisory forum: initiative right with a duty to seek advice."""
