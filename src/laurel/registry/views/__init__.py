"""Pages of the honoree registry."""
