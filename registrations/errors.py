from core.errors import DomainError


class RegistrationsError(DomainError):
    """Raised by ``registrations.services`` (and its pure rules) for input the rules refuse."""
