"""Services of the terugbel area."""
