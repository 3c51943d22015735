# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN groupadd --system meridian && useradd --system --gid meridian --home /app meridian

COPY pyproject.toml README.md ./
COPY config ./config
COPY events ./events
COPY registrations ./registrations
COPY notifications ./notifications
COPY pages ./pages
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY scripts ./scripts
COPY manage.py ./

RUN pip install . \
 && python scripts/compile_messages.py \
 && DATABASE_URL=sqlite:////tmp/build.sqlite3 SECRET_KEY=build-only \
    STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage \
    python manage.py collectstatic --noinput -v0 \
 && rm -f /tmp/build.sqlite3 \
 && mkdir -p /app/var && chown -R meridian:meridian /app/var

USER meridian
ENV STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["python", "-m", "config.probe"]
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.py"]
