"""The workload board: per contact person and week, hours in programme items, visits led, open tasks, conflicts."""
