"""The package version, in a module that imports nothing (so anything may import it)."""

__version__ = "0.1.0"
