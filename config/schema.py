"""OpenAPI post-processing: what drf-spectacular cannot say from the serializers alone."""

from __future__ import annotations

# Read-only fields that answers carry only on request (``local`` only with ``?tz=``): they are
# documented, but not required.
CONDITIONAL_FIELDS = {"Session": {"local"}}


def conditional_fields_not_required(result, generator, request, public):
    schemas = result.get("components", {}).get("schemas", {})
    for component, fields in CONDITIONAL_FIELDS.items():
        schema = schemas.get(component)
        if schema and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in fields]
    return result
