"""ketinteract: offline, evidence-graded drug-interaction lookup.

The Python API (``check``, ``resolve``, ``load_table``) is loaded on first use, so ``import ketinteract``
stays cheap and never imports typer, click or rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ketinteract._version import __version__

__all__ = ["__version__", "check", "load_table", "resolve"]

if TYPE_CHECKING:
    from ketinteract.api import check, load_table, resolve


def __getattr__(name: str) -> Any:
    if name in {"check", "resolve", "load_table"}:
        from ketinteract import api

        return getattr(api, name)
    raise AttributeError(f"module 'ketinteract' has no attribute {name!r}")
