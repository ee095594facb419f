"""Sending e-mail through an outbox: change notices and reminders are queued, delivered by `outbox send`, acknowledged."""
