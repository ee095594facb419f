"""The audit trail: recording every change automatically, showing it as a timeline, restoring deletions."""
