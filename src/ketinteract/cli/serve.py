"""``serve``: load the table, bind the socket, say where the service listens, and run it. The web stack
is imported only here, when the command runs, so every other command stays as light as before."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from ketinteract.cli.runtime import err
from ketinteract.compiled import CompiledIndex
from ketinteract.errors import UsageError

WEB_STACK = frozenset({"fastapi", "starlette", "uvicorn", "anyio", "h11"})


def run_server(
    load_index: Callable[[], CompiledIndex],
    host: str,
    port: int,
    log_requests: bool,
    cors_origins: Sequence[str],
) -> None:
    try:
        from ketinteract.service import server
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in WEB_STACK:
            raise
        raise UsageError(
            f"ketinteract serve needs the web extra ({exc.name} is not installed): pip install 'ketinteract[serve]'."
        ) from None
    index = load_index()  # an invalid table exits 4 before anything listens
    try:
        sock = server.bind(host, port)
    except OSError as exc:
        raise UsageError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
    if host not in server.LOCAL_HOSTS:
        err(
            f"warning: listening on {host}, reachable from other machines. The service does not authenticate "
            "clients; expose it only behind a TLS proxy that does."
        )
    if log_requests:
        err("warning: --log-requests writes medication names (patient data) to the log.")
    err(f"CDS Hooks discovery at {server.url_of(sock)}/cds-services (Ctrl-C to stop)")
    # uvicorn shuts down cleanly on Ctrl-C, then re-raises the signal; stopping is success here.
    with contextlib.suppress(KeyboardInterrupt):
        server.serve(index, sock, log_requests=log_requests, cors_origins=tuple(cors_origins))
