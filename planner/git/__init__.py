"""planner and git: running git (`repo`), and the diff and merge drivers' set-up (`setup`).

Nothing here imports Textual. git is always run with an argument list,
never through a shell, so any file name or revision is passed as it is.
"""
