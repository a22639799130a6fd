"""Rendering: Markdown to safe HTML, the data each page shows, and the Jinja2 templates that
make the patient pages and the clinician guide."""
