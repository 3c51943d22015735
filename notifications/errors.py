from core.errors import DomainError


class NotificationsError(DomainError):
    """Raised by ``notifications.digests.services`` for a request the rules refuse."""
