"""Running the app under uvicorn on a socket bound here, so a busy port is a clear error before the
server starts and ``--port 0`` can report the port it got."""

from __future__ import annotations

import copy
import socket
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from ketinteract.compiled import CompiledIndex
from ketinteract.service.app import create_app

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``; raises OSError (address in use, unknown host). It listens
    at once, so a client that connects as soon as the address is printed waits in the backlog rather
    than being refused while uvicorn starts."""
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def logging_config() -> dict[str, Any]:
    """uvicorn's own logging, plus the service's logger on the same stderr handler."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["ketinteract.service"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def serve(
    index: CompiledIndex,
    sock: socket.socket,
    *,
    log_requests: bool = False,
    cors_origins: tuple[str, ...] = ("*",),
) -> None:
    """Answer on ``sock`` until interrupted (Ctrl-C or SIGTERM stop it cleanly)."""
    app = create_app(index, log_requests=log_requests, cors_origins=cors_origins)
    config = uvicorn.Config(
        app,
        log_config=logging_config(),
        # uvicorn's access log prints query strings, which can carry drug names; the service logs its own
        # line per request instead (see ketinteract.service.guard).
        access_log=False,
        server_header=False,
        lifespan="off",
        timeout_keep_alive=5,
    )
    uvicorn.Server(config).run(sockets=[sock])
