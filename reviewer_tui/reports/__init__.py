"""Reports: Jinja templates rendered to Markdown, then to Word (issue 5)."""
