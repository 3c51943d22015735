"""Statements built once per shape, for the hot paths where compiling a query in the ORM
costs more than the database takes to answer it.

The public registration writes five or six rows and reads two on every call; on a small
machine the ORM spent most of each request building the same SQL again (``SQLCompiler``,
``Query.clone``, lookups). These helpers keep the ORM's meaning and drop only that work:

- :func:`insert` writes model instances exactly as ``save()`` and ``bulk_create()`` would
  (each field's ``pre_save``, so ``auto_now`` stamps, then ``get_db_prep_save``), from an
  ``INSERT`` text built once per model, row count and options;
- :func:`fetch` reads model instances from SQL whose first columns are :func:`columns`, with
  the fields' converters applied (JSON, for instance), as the ORM would.

They send no model signals: use them only for models nobody listens to
(``tests/core/test_statements.py`` fails when a listener appears on one that uses them).
The SQL is the backend's own (``connection.ops``): the same code runs on PostgreSQL and SQLite.
Only public means: ``connection.cursor()``, ``Model._meta``, the fields' ``pre_save``,
``get_db_prep_save`` and converters, the backend's operations, and ``Model.from_db``. An
instance written by :func:`insert` gets its primary key; its ``save()`` afterwards updates.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model, fields
from django.db.models.constants import OnConflict
from django.db.models.fields.related import ForeignKey

M = TypeVar("M", bound=Model)
MAX_ROWS = 500


def cursor(model: type[Model], *, write: bool = True):
    """A cursor on the model's database (Django's wrapper: queries are logged and errors
    translated as usual)."""
    alias = router.db_for_write(model) if write else router.db_for_read(model)
    return connections[alias].cursor()


def _fields(model: type[Model]) -> tuple:
    opts = model._meta
    return tuple(field for field in opts.local_concrete_fields if field is not opts.auto_field)


_NONE = type(None)
# Field classes (exactly these, no subclass) whose pre_save reads the attribute and whose
# get_db_prep_save hands a value of these types to the database as it is, on every backend.
# Not integers: on PostgreSQL Django wraps them in typed parameters (Int4, Int8), so that a
# statement bound on the server gets one type whatever the value's size.
_TEXT = (str, _NONE)
_AS_IS = {
    fields.CharField: _TEXT,
    fields.EmailField: _TEXT,
    fields.SlugField: _TEXT,
    fields.TextField: _TEXT,
    fields.BooleanField: (bool, _NONE),
}
_INTEGERS = (
    fields.IntegerField,
    fields.BigIntegerField,
    fields.SmallIntegerField,
    fields.PositiveIntegerField,
    fields.PositiveSmallIntegerField,
    fields.AutoField,
    fields.BigAutoField,
)
_AS_IS.update(dict.fromkeys(_INTEGERS, (_NONE,)))


@lru_cache(maxsize=64)
def _preparers(model: type[Model]) -> tuple[tuple[str, Any, tuple[type, ...]], ...]:
    """For each inserted field: its attribute, the field, and the value types that it would
    pass on unchanged (``()`` when every value goes through ``pre_save`` and
    ``get_db_prep_save``). Building a row then skips two calls for most of its values
    (exact types: ``True`` for an IntegerField, or a str enum, still takes the full path)."""
    found = []
    for field in _fields(model):
        kind = type(field.target_field) if type(field) is ForeignKey else type(field)
        found.append((field.attname, field, _AS_IS.get(kind, ())))
    return tuple(found)


@lru_cache(maxsize=512)
def _insert_sql(
    model: type[Model],
    alias: str,
    rows: int,
    returning: tuple[str, ...],
    ignore_conflicts: bool,
    expressions: tuple[tuple[str, str], ...],
) -> str:
    connection = connections[alias]
    ops, opts = connection.ops, model._meta
    fields = _fields(model)
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    replaced = dict(expressions)
    placeholders = ", ".join(replaced.get(field.attname, "%s") for field in fields)
    parts = [
        ops.insert_statement(on_conflict=on_conflict),
        ops.quote_name(opts.db_table),
        "(" + ", ".join(ops.quote_name(field.column) for field in fields) + ")",
        "VALUES",
        ", ".join([f"({placeholders})"] * rows),
    ]
    suffix = ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    if suffix:
        parts.append(suffix)
    if returning:
        returned, _params = ops.return_insert_columns(
            [opts.pk if name == "pk" else opts.get_field(name) for name in returning]
        )
        parts.append(returned)
    return " ".join(parts)


def insert(
    objs: Sequence[Model],
    *,
    returning: Sequence[str] = (),
    ignore_conflicts: bool = False,
    expressions: dict[str, tuple[str, Sequence[Any]]] | None = None,
) -> list[tuple]:
    """Insert ``objs`` (new instances of one model, without primary keys): one statement
    for up to ``MAX_ROWS`` rows (fewer where the backend takes fewer parameters), more beyond.

    ``returning``: field names whose values come back, one tuple per row written (with
    ``ignore_conflicts``, a row skipped on a unique conflict returns nothing: the list is
    shorter). A single row returning its ``pk`` also gets it set, like ``save()``.
    ``expressions``: for a single row, SQL (with its parameters) that computes a field in
    the statement itself, e.g. ``{"region_id": ("(SELECT id FROM … WHERE code = %s)", [code])}``.
    Returns the returned rows; ``[]`` when nothing was asked back.
    """
    if not objs:
        return []
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = _fields(model)
    preparers = _preparers(model)
    expressions = expressions or {}
    if expressions and len(objs) != 1:
        raise ValueError("SQL expressions are for a single row.")
    # At most MAX_ROWS a statement: PostgreSQL takes at most 65,535 parameters in one.
    batch = max(1, min(MAX_ROWS, connection.ops.bulk_batch_size(fields, objs)))
    if returning and len(objs) > batch:
        raise ValueError("Returned values come from one statement: insert fewer rows.")
    returned: list[tuple] = []
    with cursor(model) as db:
        for start in range(0, len(objs), batch):
            chunk = objs[start : start + batch]
            sql = _insert_sql(
                model,
                alias,
                len(chunk),
                tuple(returning),
                ignore_conflicts,
                tuple((name, fragment) for name, (fragment, _p) in expressions.items()),
            )
            params: list[Any] = []
            for obj in chunk:
                for attname, field, as_is in preparers:
                    if attname in expressions:
                        params.extend(expressions[attname][1])
                        continue
                    value = getattr(obj, attname)
                    if type(value) not in as_is:
                        value = field.pre_save(obj, add=True)
                        value = field.get_db_prep_save(value, connection=connection)
                    params.append(value)
            db.execute(sql, params)
            if returning:
                returned.extend(tuple(row) for row in db.fetchall())
    if len(objs) == 1 and returned and returning and returning[0] in ("pk", model._meta.pk.name):
        objs[0].pk = returned[0][0]
    return returned


@lru_cache(maxsize=64)
def columns(model: type[Model], table_alias: str) -> str:
    """The model's columns, qualified by ``table_alias``, in the order :func:`fetch` reads."""
    quote = connections[router.db_for_read(model)].ops.quote_name
    return ", ".join(
        f"{quote(table_alias)}.{quote(field.column)}" for field in model._meta.concrete_fields
    )


@lru_cache(maxsize=64)
def _readers(model: type[Model], alias: str) -> tuple[tuple[str, ...], tuple]:
    connection = connections[alias]
    names = tuple(field.attname for field in model._meta.concrete_fields)
    converters = []
    for position, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((position, tuple(found), column))
    return names, tuple(converters)


def fetch(
    model: type[M],
    sql: str,
    params: Sequence[Any],
    *,
    extra: Sequence[str] = (),
    write: bool = False,
) -> list[M]:
    """Model instances from ``sql``, whose first columns are ``columns(model, …)``; the
    columns after them are set as the attributes named in ``extra`` (annotations).
    ``write``: read on the database that takes the model's writes (a locking read)."""
    alias = router.db_for_write(model) if write else router.db_for_read(model)
    connection = connections[alias]
    names, converters = _readers(model, alias)
    count = len(names)
    found = []
    with cursor(model, write=write) as db:
        db.execute(sql, params)
        rows = db.fetchall()
    for row in rows:
        values = list(row[:count])
        for position, convs, column in converters:
            value = values[position]
            for converter in convs:
                value = converter(value, column, connection)
            values[position] = value
        obj = model.from_db(alias, names, values)
        for name, value in zip(extra, row[count:], strict=True):
            setattr(obj, name, value)
        found.append(obj)
    return found


def for_update(model: type[Model]) -> str:
    """`` FOR UPDATE`` where the backend locks rows it reads (PostgreSQL), else nothing
    (SQLite, whose writers take the whole database in turn)."""
    connection = connections[router.db_for_write(model)]
    return (
        " " + connection.ops.for_update_sql() if connection.features.has_select_for_update else ""
    )
