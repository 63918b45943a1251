"""reviewer-tui: an offline workbench for the lead reviewer of a children's case review."""

__version__ = "0.1.0"
