"""Services of the contact area."""
