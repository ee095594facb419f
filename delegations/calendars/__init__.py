"""Principals' calendars: reading .ics files (pure), importing them as busy time, and their pages."""
