"""The package's shape: imports point one way down the stages, the public API is typed and exported."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import summarizer

PACKAGE = Path(summarizer.__file__).resolve().parent

# The stages, lowest first: a module may import its own stage and the ones before it.
# The shared foundation (errors, files, settings, prompts) sits under every stage.
STAGES = [
    "foundation", "text", "inputs", "nlp", "checks", "providers", "brief", "synthesis", "stories", "memory", "runs", "output",
    "cli", "api",
]  # fmt: skip
FOUNDATION = {"errors", "files", "settings", "prompts", "concurrency"}
API = {"__init__", "testing", "__main__"}


def _stage(module: str) -> str:
    """The stage of a module named like ``summarizer.brief.pipeline``."""
    parts = module.split(".")[1:] or ["__init__"]
    head = parts[0]
    if head in FOUNDATION:
        return "foundation"
    if head in API:
        return "api"
    return head


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every ``summarizer`` import in ``path``, lazy imports inside functions included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.extend((node.lineno, name) for name in names if name == "summarizer" or name.startswith("summarizer."))
    return found


def _module_name(path: Path, package: Path = PACKAGE) -> str:
    relative = path.relative_to(package.parent).with_suffix("")
    return ".".join(relative.parts)


def _upward_imports(package: Path) -> list[str]:
    """Every import in ``package`` of a later stage than the importing module's."""
    upward = []
    for path in sorted(package.rglob("*.py")):
        importer = _module_name(path, package)
        rank = STAGES.index(_stage(importer))
        for line, imported in _imports(path):
            target = "api" if imported == "summarizer" else _stage(imported)
            if STAGES.index(target) > rank:
                upward.append(f"{path.relative_to(package.parent)}:{line} ({_stage(importer)}) imports {imported}")
    return upward


def test_every_module_belongs_to_a_known_stage() -> None:
    unknown = {_module_name(p) for p in PACKAGE.rglob("*.py") if _stage(_module_name(p)) not in STAGES}
    assert not unknown, f"modules outside the stages {STAGES}: {sorted(unknown)}"


def test_imports_point_down_the_stages_only() -> None:
    upward = _upward_imports(PACKAGE)
    assert not upward, "imports pointing up the stack:\n" + "\n".join(upward)


def test_the_scan_flags_an_upward_import(tmp_path: Path) -> None:
    package = tmp_path / "summarizer"
    (package / "text").mkdir(parents=True)
    (package / "text" / "bad.py").write_text("def f():\n    from summarizer.brief.schema import ArticleBrief\n")
    (package / "brief").mkdir()
    (package / "brief" / "fine.py").write_text("from summarizer.text.sentences import split_sentences\n")
    assert _upward_imports(package) == ["summarizer/text/bad.py:2 (text) imports summarizer.brief.schema"]


def test_the_foundation_imports_no_stage() -> None:
    for name in FOUNDATION:
        imported = {module for _, module in _imports(PACKAGE / f"{name}.py")}
        assert all(_stage(module) == "foundation" for module in imported), (name, imported)


def test_the_public_api_is_exported_and_typed() -> None:
    assert (PACKAGE / "py.typed").is_file()
    missing = [name for name in summarizer.__all__ if not hasattr(summarizer, name)]
    assert not missing
    for name in ("brief_article", "brief_files", "synthesize", "daily_briefing", "Settings", "Provider", "BriefOutcome"):
        assert name in summarizer.__all__


def test_the_library_never_prints() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if _stage(_module_name(path)) == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not offenders, offenders


def test_only_settings_reads_the_environment() -> None:
    readers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "os.environ" in text or "getenv(" in text:
            readers.append(str(path.relative_to(PACKAGE.parent)))
    assert not readers, readers


def _import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (lazy imports included; ``from a import b`` counts module ``a.b``)."""
    modules = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    import graphlib

    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        return list(exc.args[1])
    return None


def test_no_module_imports_itself_through_others_lazy_imports_included() -> None:
    assert _cycle(_import_graph(PACKAGE)) is None


def test_the_cycle_scan_finds_a_lazy_cycle(tmp_path: Path) -> None:
    package = tmp_path / "summarizer"
    (package / "runs").mkdir(parents=True)
    (package / "runs" / "a.py").write_text("from summarizer.runs.b import f\n")
    (package / "runs" / "b.py").write_text("def f():\n    from summarizer.runs import a\n")
    assert sorted(set(_cycle(_import_graph(package)) or [])) == ["summarizer.runs.a", "summarizer.runs.b"]


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE.parent)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 400}
    assert not long, long


def test_the_shared_options_are_declared_once() -> None:
    import inspect

    from summarizer.cli.options import RunOptions

    flags = re.compile(r'typer\.Option\(\s*"(--[a-z-]+)"')
    shared = set(flags.findall(inspect.getsource(RunOptions)))
    assert {"--model", "--no-cache", "--quiet"} <= shared
    for path in (PACKAGE / "cli").glob("*.py"):
        if path.name == "options.py":
            continue
        declared = set(flags.findall(path.read_text(encoding="utf-8")))
        assert not declared & shared, (path.name, declared & shared)
