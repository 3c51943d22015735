from events.errors import DomainError


class NotificationsError(DomainError):
    """Raised by ``notifications.services`` for a request the rules refuse."""
