"""The import graph of ``harness`` has no cycles, including imports inside functions and
``TYPE_CHECKING`` blocks (which is how cycles used to hide: catalog ↔ printing, spec ↔ publisher).

import-linter checks the layers (pyproject.toml); this checks what layers cannot: two modules of
one package importing each other. It uses grimp, the graph library import-linter is built on.
"""

from __future__ import annotations

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    modules = sorted(m for m in graph.modules if m.startswith("harness"))
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c.startswith("harness")), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_harness_has_no_import_cycles():
    graph = grimp.build_graph("harness", include_external_packages=False)
    cycles = _cycles(graph)
    assert not cycles, (
        "import cycles in harness (break them with a leaf module or a Protocol):\n"
        + "\n".join(" <-> ".join(c) for c in cycles)
    )


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("harness", "harness.a", "harness.b", "harness.c"):
        graph.add_module(name)
    graph.add_import(importer="harness.a", imported="harness.b")
    graph.add_import(importer="harness.b", imported="harness.a")
    graph.add_import(importer="harness.b", imported="harness.c")
    assert _cycles(graph) == [["harness.a", "harness.b"]]
