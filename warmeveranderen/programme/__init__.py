"""The programme's structure: warm cities, learning networks, schools and who holds which role."""
