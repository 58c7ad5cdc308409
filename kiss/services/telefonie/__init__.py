"""Telefonie: calls reported by the phone system (generic CTI webhook), stored idempotently,
matched to a medewerker, and delivered to that medewerker's running desktop."""
