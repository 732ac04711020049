"""Learning networks that learn together: questions, the library, self-scans and the expertise network."""
