"""Use cases and business rules; screens and the CLI call these, never SQL directly."""
