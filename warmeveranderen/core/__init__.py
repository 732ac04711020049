"""Home pages per role, the school home, switching schools and the error pages."""
