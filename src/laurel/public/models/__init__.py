from .notices import NoticeEntry, Objection, PublicNotice

__all__ = ["NoticeEntry", "Objection", "PublicNotice"]
