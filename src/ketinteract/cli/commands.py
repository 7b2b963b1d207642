"""What the command functions in app.py call: the index for the global options, shell completion, and
``check`` with its pager."""

from __future__ import annotations

import io
import sys
from dataclasses import replace

from ketinteract.cli.check import CheckRequest, run_request
from ketinteract.cli.runtime import GlobalOptions, page, render_options, wants_pager
from ketinteract.compiled import CompiledIndex
from ketinteract.enums import OutputFormat
from ketinteract.errors import ExitCode
from ketinteract.index_files import open_index
from ketinteract.render import CardPolicy


def open_command_index(options: GlobalOptions) -> CompiledIndex:
    return open_index(options.table, local=options.local)


def complete_names(incomplete: str) -> list[str]:
    """Shell completion for drug, class and product names as written (ids, names, brands)."""
    try:
        index = open_index(None, local=True)
        names = index.written_names()
    except Exception:  # completion must never print a traceback into the user's shell
        return []
    folded = incomplete.casefold()
    return sorted({n for n in names if n.casefold().startswith(folded)})


def complete_contexts(incomplete: str) -> list[str]:
    try:
        return [c for c, _name in open_index(None, local=True).contexts() if c.startswith(incomplete)]
    except Exception:
        return []


def run_check_command(
    options: GlobalOptions, request: CheckRequest, *, pager: bool, cards: CardPolicy = "actionable", bom: bool = False
) -> ExitCode:
    index = open_command_index(options)
    if list(request.names) == ["-"] and sys.stdin.isatty():
        sys.stderr.write("ketinteract: reading regimens from the terminal, one per line; end with Ctrl-D.\n")
    render = replace(render_options(options), cards=cards, bom=bom)
    if pager and request.fmt is OutputFormat.text and list(request.names) != ["-"] and wants_pager(sys.stdout):
        buffer = io.StringIO()
        paged = render_options(options, sys.stdout, paged=True)
        code = run_request(index, request, sys.stdin.buffer, buffer, paged)
        page(buffer.getvalue(), sys.stdout)
        return code
    return run_request(index, request, sys.stdin.buffer, sys.stdout, render)
