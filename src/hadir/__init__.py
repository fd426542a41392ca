"""Hadir: face-verified staff attendance."""

__version__ = "0.1.0"
