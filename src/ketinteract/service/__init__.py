"""The HTTP service behind ``ketinteract serve`` (install with ``pip install 'ketinteract[serve]'``).

The only package that imports the web stack (fastapi, starlette, uvicorn); the library and the CLI's
other commands never load it.
"""

from __future__ import annotations

from ketinteract.service.app import create_app

__all__ = ["create_app"]
