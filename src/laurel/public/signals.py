"""Signals of the public app: apps above it (evaluation) say what they know about a notice."""

from django.dispatch import Signal

# Sent with ``campaign`` and ``nominees`` before a provincial notice is published (C-8 step 5:
# it shows the list the leading group re-examined); each receiver returns the problems
# (Chinese sentences) that keep those nominees off it, [] when none.
provincial_notice_problems = Signal()
