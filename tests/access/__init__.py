"""Who may reach which route: one module per feature, each with RULES and optionally url_args(world).

RULES maps an endpoint to {HTTP method: the set of roles that may use it}. Roles are those of
tests.conftest.ROLES; every other role must get 403 (anonymous visitors: a redirect to the login).
An entry may also hold "data": a function of the world giving the form fields to POST, and
"refused": {role: status} where a refused role gets another answer than 403 (e.g. 404).
An API route (/api/v1) is called with a token of the role's person instead of the session; its
entry may hold "json" (the body to POST); anonymous callers get 401, refused ones 403 or 404.
url_args(world) returns values for the URL's variables that the base resolver does not know. A name
another feature also uses (item_id, session_id, kind, initiative_id) goes under
"by_blueprint": {blueprint: {name: value}}; two resolvers giving one name two values fail the matrix.
"""

ALL = frozenset(
    {"anonymous", "coordinator", "adviser", "director", "board", "flywheel_lead", "flywheel", "forum", "pupil", "outsider"}
)
LOGGED_IN = ALL - {"anonymous"}
COORDINATOR = frozenset({"coordinator"})
PROGRAMME = frozenset({"coordinator", "adviser"})
# Everyone who may see school A: its people, its adviser and the coordinator (not the outsider).
SCHOOL = frozenset({"coordinator", "adviser", "director", "board", "flywheel_lead", "flywheel", "forum", "pupil"})
SCHOOL_MEMBERS = SCHOOL - PROGRAMME
DIRECTOR = frozenset({"coordinator", "director"})
FLYWHEEL = frozenset({"flywheel_lead", "flywheel"})
FORUM = frozenset({"forum", "pupil"})
