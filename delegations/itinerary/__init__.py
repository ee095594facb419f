"""Planning around the principals' diaries on the web and the command line: conflicts, free slots, arrangement."""
