"""KISS: klantcontactsysteem voor het KCC."""
