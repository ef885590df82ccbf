"""Every write of the provincial evaluation: one function per state change."""
