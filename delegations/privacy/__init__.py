"""Personal data handled with care (GDPR): retention of members' details, export on request."""
