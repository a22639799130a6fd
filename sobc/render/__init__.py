"""Rendering: Markdown to safe HTML, and Jinja2 templates to pages."""
