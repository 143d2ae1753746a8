"""Answer composers, citation verification and structured lookups."""
