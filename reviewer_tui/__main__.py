from reviewer_tui.cli import run

run()
