from .users import User, UserRole

__all__ = ["User", "UserRole"]
