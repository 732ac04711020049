"""The house rules of the code: layers only point down, and no module imports itself in a circle.

The layers, lowest first (README, "Development"): the base, `accounts`, `programme`,
`notifications`, the features, and the app level. A module may import from its own layer and the
layers below; features may use each other only along FEATURE_DEPENDENCIES. Imports inside
functions count too (an import hidden in a function is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "warmeveranderen"

BASE = {
    "extensions", "config", "domain", "permissions", "plugins", "parts", "markdown", "mail", "timeutil",
    "formats", "schoolcalendar", "i18n", "memo", "reads", "cachekeys", "pagecache", "cacheversions", "querycount",
    "security", "templating", "charts", "forms_common", "uow", "pdf", "parts_between", "fulltext",
    "translations", "data",
}
LAYERS = {"base": 0, "accounts": 1, "programme": 2, "notifications": 3, "files": 3,
          "intake": 4, "tracking": 4, "sprints": 4, "forum": 4, "vision": 4, "ideas": 4, "discussion": 4,
          "actionplan": 4, "networks": 4, "exchange": 4, "governance": 4, "surveys": 4, "app": 5}
# Which feature may import which.
# The forum meets at the end of each sprint (its sessions belong to sprints) and registers the
# initiative as a subject; the vision registers its versions with the forum.
FEATURE_DEPENDENCIES = {
    "intake": set(),
    "tracking": set(),
    "sprints": set(),
    "forum": {"sprints"},
    "vision": {"forum"},
    "ideas": {"sprints", "forum"},
    # The discussion is about an initiative (and its comments carry attachments: the files layer).
    "discussion": {"sprints"},
    # An initiative's action plan; the link to the vision reads the current version's ambitions.
    "actionplan": {"sprints", "vision"},
    # The library, a self-scan's gap go to the backlog as initiatives; basket items name their partner;
    # a star case pulls in the school's decisions (forum) and indicator ratings (tracking).
    "networks": {"sprints", "forum", "tracking"},
    # Data in and out (issue 16): the intakes' figures, tracking's spreadsheet reading and writing.
    "exchange": {"intake", "tracking"},
    # Evaluation moments belong to the intake agreement; support delivered comes from tracking's sessions.
    "governance": {"intake", "tracking"},
    # Surveys write their aggregates with tracking's spreadsheet helpers and school years, and turn
    # screening and survey results into suggestions from the offer basket (sprints).
    "surveys": {"tracking", "sprints"},
}
APP_LEVEL = {"__init__", "cli", "scheduler", "demo", "core", "wsgi", "api", "privacy", "fastpath"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    name = ".".join(parts)
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _layer(module: str) -> str:
    top = _top(module)
    if top in APP_LEVEL:
        return "app"
    if top in BASE:
        return "base"
    return top


def _runtime_nodes(tree: ast.AST):
    """Every node except those under `if TYPE_CHECKING:` (type hints are not dependencies at run time)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("warmeveranderen"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("warmeveranderen"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {t for t in _imports(path, modules) if t in modules} for name, path in modules.items()}


def test_every_package_has_a_layer():
    unknown = {_top(m) for m in _modules()} - BASE - APP_LEVEL - set(LAYERS)
    assert not unknown, f"give these packages or modules a layer in tests/test_layers.py: {sorted(unknown)}"


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for source, targets in graph.items():
        for target in targets:
            a, b = _layer(source), _layer(target)
            if a == b:
                continue
            if LAYERS[b] > LAYERS[a]:
                wrong.append(f"{source} -> {target}")
            elif LAYERS[a] == LAYERS[b] == 4 and b not in FEATURE_DEPENDENCIES[a]:
                wrong.append(f"{source} -> {target} (not a declared feature dependency)")
    return sorted(wrong)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_imports_only_point_down_the_layers():
    assert upward_imports(_graph()) == []


def test_no_import_cycles():
    assert cycles(_graph()) == []


def test_the_checks_catch_an_upward_import_and_a_cycle():
    graph = {
        "warmeveranderen.domain": {"warmeveranderen.sprints.models"},
        "warmeveranderen.sprints.models": {"warmeveranderen.domain"},
        "warmeveranderen.sprints.services": {"warmeveranderen.forum.services"},
        "warmeveranderen.forum.services": set(),
    }
    assert upward_imports(graph) == [
        "warmeveranderen.domain -> warmeveranderen.sprints.models",
        "warmeveranderen.sprints.services -> warmeveranderen.forum.services (not a declared feature dependency)",
    ]
    assert cycles(graph) == [["warmeveranderen.domain", "warmeveranderen.sprints.models"]]


def test_no_side_effect_imports_for_registration():
    offenders = [str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py") if "noqa: F401" in p.read_text()]
    assert offenders == []


def test_no_module_is_oversized():
    """Services and views stay readable: no module of the package over 400 lines."""
    big = {str(p.relative_to(PACKAGE.parent)): n for p in PACKAGE.rglob("*.py")
           if (n := len(p.read_text().splitlines())) > 400}
    assert big == {}
