"""Signals of the registry: how apps above it (treatment) learn of changes and add to the
person's page without the registry importing them (docs/architecture.md)."""

from django.dispatch import Signal

# Sent with ``person``, ``user`` and ``seen`` (registry.privacy.shown) for the person's page;
# each receiver returns a section ({"template": …, "context": …}) or None, showing only what
# ``user`` may see.
person_sections = Signal()

# Sent after commit with ``id_hashes`` (of the people touched) and ``on`` (a date) when people
# or their honours were written in bulk (an import), which model signals do not report.
people_changed = Signal()
