"""Pages of nominations, one module per part of the work."""
