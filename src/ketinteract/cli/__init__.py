"""The command-line front end: every command, and nothing else. No module outside this package
imports it (a ruff ban and a layering test enforce that)."""

from ketinteract.cli.app import app, main

__all__ = ["app", "main"]
