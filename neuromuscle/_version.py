"""The package version (read by the namespace and by the records sweeps write)."""

__version__ = "0.1.0"
