"""Services of the rapportage area."""
