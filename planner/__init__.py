"""planner: a terminal campaign planner for marketers."""

__version__ = "0.1.0"
