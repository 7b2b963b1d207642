"""The ``serve`` command's typer declaration (the work is in :mod:`ketinteract.cli.serve`); app.py
registers it with its epilog."""

from __future__ import annotations

from typing import Annotated

import typer

from ketinteract.cli.options import options_of
from ketinteract.cli.runtime import handled


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; only localhost by default.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port (0: any free port).")] = 8080,
    log_requests: Annotated[
        bool, typer.Option("--log-requests", help="Also log medication names and query strings (patient data).")
    ] = False,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="Allow browsers from this origin only (repeatable).", metavar="ORIGIN"),
    ] = None,
) -> None:
    """Serve CDS Hooks (order-sign, order-select) and a JSON check over HTTP (needs ketinteract[serve])."""
    with handled():
        from ketinteract.cli.commands import open_command_index
        from ketinteract.cli.serve import run_server

        options = options_of(ctx)
        run_server(lambda: open_command_index(options), host, port, log_requests, cors_origin or ["*"])
