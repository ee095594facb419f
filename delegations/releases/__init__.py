"""Released programme versions: snapshots, change summaries between them, change notices."""
