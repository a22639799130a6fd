"""sobc: compile digital support and treatment programs from YAML into HTML and a manifest."""

__version__ = "0.1.0"
