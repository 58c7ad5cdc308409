"""Services of the smoelenboek area."""
