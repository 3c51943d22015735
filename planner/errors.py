from core.errors import DomainError


class PlannerError(DomainError):
    """Raised by the planner (its engine and services) for a request it cannot plan."""
