"""The domain error every app's services raise: a translated message a person can act on.

Views turn it into a 4xx answer (``{"field": ["message"]}``, or ``{"detail": "message"}``
when it concerns no single field); admin and commands show the message as it is.
"""


class DomainError(Exception):
    """A request that the rules refuse. ``field`` is the input at fault, if one is."""

    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "invalid",
        status_code: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        if status_code is not None:
            self.status_code = status_code

    def as_dict(self) -> dict:
        if self.field in (None, "non_field_errors"):
            return {"detail": self.message}
        return {self.field: [self.message]}
