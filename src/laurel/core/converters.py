"""URL converters."""


class IdConverter:
    """A database id in a URL: 1 to 18 digits. Django's ``int`` takes any number of digits, and a
    20-digit id in an address reached the database as an integer too large for it (a 500 on
    SQLite) instead of a 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
