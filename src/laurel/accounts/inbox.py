"""Inbox sections: each domain app registers a function that, for a user, returns the template
and context of its part of the inbox (or None). Keeps accounts free of imports of later apps."""

from collections.abc import Callable

SECTIONS: list[Callable] = []


def register(section: Callable) -> Callable:
    SECTIONS.append(section)
    return section


def sections_for(user) -> list[dict]:
    return [part for section in SECTIONS if (part := section(user))]
