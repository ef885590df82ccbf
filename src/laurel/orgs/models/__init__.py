from .units import Unit, UnitFunction

__all__ = ["Unit", "UnitFunction"]
