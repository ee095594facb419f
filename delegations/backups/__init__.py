"""Consistent backups of the database while the app is in use, and bringing one back."""
