from .exports import STALE_AFTER_SECONDS, ExportJob

__all__ = [
    "STALE_AFTER_SECONDS",
    "ExportJob",
]
