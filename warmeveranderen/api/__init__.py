"""The REST API under /api/v1 with its OpenAPI 3 description (flask-smorest), for dashboards and websites.

Callers authenticate with a personal API token (`Authorization: Bearer wv_…`, created on the profile);
what a token may read or change is decided by exactly the same permission predicates as the pages
(a school the caller may not see answers 404, as a page does). Errors are RFC 9457 problem
documents; lists are paginated with an opaque cursor; GET answers carry an ETag.
"""
