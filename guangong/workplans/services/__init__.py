"""Every change to work plans, tasks and their progress: one audited action each."""
