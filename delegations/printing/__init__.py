"""Printed documents: programmes, briefings and week overviews as PDF (WeasyPrint), and the guest page."""
