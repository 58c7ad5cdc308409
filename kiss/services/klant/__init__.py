"""Services of the klant area."""
