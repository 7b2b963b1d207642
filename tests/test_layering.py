"""The structure that speed and layering depend on (not timed): what each path imports, and that queries
go through the pair index."""

from __future__ import annotations

import json
import subprocess
import sys

from ketinteract.enums import CHECK_FORMATS, PLAIN_FORMATS, SOURCE_FORMATS, OutputFormat

from .conftest import run_installed


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code + "\nimport sys, json; sys.__stdout__.write(json.dumps(sorted(sys.modules)) + '\\n')",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def ui_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in {"typer", "click", "rich"}}


def test_import_ketinteract_loads_no_cli_or_rendering_stack() -> None:
    assert ui_modules(modules_after("import ketinteract")) == set()


def test_python_api_path_loads_no_cli_or_rendering_stack() -> None:
    code = "from ketinteract import check\nr = check('naloxone', 'ketamine')\nassert r.pairs[0].status == 'found'"
    assert ui_modules(modules_after(code)) == set()


def test_json_check_in_a_subprocess_never_imports_rich() -> None:
    code = (
        "import sys\nsys.argv = ['ketinteract', 'check', 'naloxone', 'ketamine', '--format', 'json']\n"
        "from ketinteract.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
    )
    modules = modules_after(code)
    assert "typer" in modules
    assert not {m for m in modules if m == "rich" or m.startswith("rich.")}


def test_every_output_format_is_offered_by_some_document() -> None:
    offered = {*CHECK_FORMATS, *SOURCE_FORMATS, *PLAIN_FORMATS}
    assert offered == set(OutputFormat)


def test_queries_go_through_the_pair_index() -> None:
    from ketinteract.index_files import open_index
    from ketinteract.query import lookup_keys, run_check

    index = open_index(local=False)
    before = index.pair_lookups
    answer = run_check(index, ["naloxone", "ketamine"])
    assert answer.data()["pairs"][0]["status"] == "found"
    lookups = index.pair_lookups - before
    keys = len(lookup_keys(index, "naloxone")) * len(lookup_keys(index, "ketamine"))
    assert 0 < lookups <= keys, "each query consults the index once per lookup-key pair, never a scan"


def test_json_check_imports_no_pydantic_and_no_rich() -> None:
    """The fast path: check --format json is answered from the compiled index's stored JSON."""
    code = (
        "import sys\nsys.argv = ['ketinteract', 'check', 'naloxone', 'ketamine', '--format', 'json']\n"
        "from ketinteract.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    modules_after(code)  # first run builds the index (that path may load the models)
    modules = modules_after(code)
    # typer itself imports pydantic to coerce parameters, so the stack floor has it too; what must not
    # load is rich, the data-spec and output models, and the compiler.
    assert not {m for m in modules if m == "rich" or m.startswith("rich.")}
    assert not {"ketinteract.results", "ketinteract.models", "ketinteract.compile"} & modules


def test_text_check_imports_rich_but_no_pydantic() -> None:
    code = (
        "import sys\nsys.argv = ['ketinteract', 'check', 'naloxone', 'ketamine']\n"
        "from ketinteract.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    modules_after(code)
    modules = modules_after(code)
    assert "rich" in modules
    assert not {"ketinteract.results", "ketinteract.models", "ketinteract.compile"} & modules


def test_installed_entry_point_separates_stdout_and_stderr() -> None:
    done = run_installed("check", "naloxone", "ketamine", "ketamin", "--json")
    assert done.returncode == 3
    data = json.loads(done.stdout)
    assert data["pairs"][0]["drugs"] == ["ketamine", "naloxone"]
    assert "ketamin" in done.stderr and "Traceback" not in done.stderr


def test_installed_entry_point_prints_no_escape_codes_when_piped() -> None:
    done = run_installed("check", "naltrexone", "ketamine")
    assert done.returncode == 0
    assert "\x1b" not in done.stdout
    assert "Antidepressant" in done.stdout


def test_installed_entry_point_respects_no_color_even_when_forced_auto() -> None:
    done = run_installed("--color", "auto", "check", "naloxone", "ketamine", env={"NO_COLOR": "1"})
    assert "\x1b" not in done.stdout


def test_python_dash_m_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ketinteract", "check", "naloxone", "ketamine", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["pairs"][0]["status"] == "found"


def test_usage_error_from_installed_entry_point_exits_2() -> None:
    done = run_installed("check", "ketamine")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "at least two" in done.stderr


def static_imports(skip: str | None = None) -> list[tuple[str, str]]:
    """(module path inside the package, imported module) for every import statement in src/ketinteract,
    leaving out files under ``skip`` (a folder such as "cli/")."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "src" / "ketinteract"
    found = []
    for path in package.rglob("*.py"):
        relative = path.relative_to(package).as_posix()
        if skip and relative.startswith(skip):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [(relative, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.append((relative, node.module))
    return found


def test_nothing_outside_cli_imports_the_cli() -> None:
    """The front end sits on top: no library module (or renderer) imports ketinteract.cli."""
    offenders = [
        f"{where}: {name}"
        for where, name in static_imports(skip="cli/")
        if where != "__main__.py" and name.split(".")[:2] == ["ketinteract", "cli"]
    ]
    assert offenders == []


def test_library_modules_import_no_ui_stack_statically() -> None:
    """Only render.text and render.text_views may import rich; only cli/ may import typer."""
    allowed_rich = {"render/text.py", "render/text_views.py"}
    offenders = [
        f"{where}: {name}"
        for where, name in static_imports(skip="cli/")
        if name.split(".")[0] in {"typer", "click"} or (name.split(".")[0] == "rich" and where not in allowed_rich)
    ]
    assert offenders == []


WEB_STACK = {"fastapi", "starlette", "uvicorn"}


def web_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in WEB_STACK}


def test_only_the_service_package_imports_the_web_stack() -> None:
    """fastapi, starlette and uvicorn belong to ketinteract.service (the serve extra) and nothing else."""
    offenders = [
        f"{where}: {name}" for where, name in static_imports(skip="service/") if name.split(".")[0] in WEB_STACK
    ]
    assert offenders == []


def test_library_api_and_cli_check_never_load_the_web_stack() -> None:
    assert web_modules(modules_after("import ketinteract\nimport ketinteract.fhir_input, ketinteract.medlist")) == set()
    code = (
        "import sys\nsys.argv = ['ketinteract', 'check', 'naloxone', 'ketamine', '--format', 'json']\n"
        "from ketinteract.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
    )
    modules = modules_after(code)
    assert web_modules(modules) == set()
    # --fhir is declared in app.py, but the FHIR reader and list checks load only when it is used.
    assert not {"ketinteract.fhir_input", "ketinteract.medlist"} & modules


def test_the_service_imports_no_cli_or_terminal_stack() -> None:
    modules = modules_after("import ketinteract.service")
    assert "fastapi" in modules
    assert not {m for m in modules if m.split(".")[0] in {"typer", "rich"} or m.startswith("ketinteract.cli")}
