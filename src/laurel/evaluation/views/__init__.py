"""Pages of the provincial evaluation, one module per stage."""
