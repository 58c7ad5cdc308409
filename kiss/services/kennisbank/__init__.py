"""Services of the kennisbank area."""
