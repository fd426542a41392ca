"""Command line (Typer): ``hadir --help``."""
