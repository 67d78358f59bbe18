"""The calendar's parts: its date arithmetic (`days`), the month and week grids, the agenda, its dialogs.

The view that puts them together is `planner.app.views.calendar`.
"""
