"""The prototype vision: five questions written together, published versions, AMORE check, endorsement."""
