from core.errors import DomainError


class EventsError(DomainError):
    """Raised by ``events.services`` for a write the rules refuse."""
