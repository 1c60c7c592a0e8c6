# syntax=docker/dockerfile:1
# TrackMyCrime: one image for web (gunicorn), workers, the scheduler and migrations.
# The Helm chart (helm/trackmycrime) relies on: uid/gid 10001, port 8000, code in /app
# owned by root (read-only root filesystem; only /tmp is written), /opt/venv on PATH.

ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
# Compilers only here: a dependency without a wheel for this platform builds in this
# stage and never reaches the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY setup.cfg pyproject.toml ./
COPY app ./app
COPY tenants ./tenants
COPY config ./config
COPY migrations ./migrations
COPY wsgi.py babel.cfg ./
# Dependencies into the venv; the project itself runs from /app (tenants/migrate.py
# finds migrations/ beside the package), so its own installed copy is removed.
RUN pip install --upgrade pip \
    && pip install . \
    && pip uninstall --yes trackmycrime \
    && rm -rf build *.egg-info
# The Welsh catalogue (.po -> .mo; the .mo files are not committed). The compiled CSS
# and JavaScript in app/static are committed, so no Node is needed here.
RUN pybabel compile --statistics -d app/translations \
    && python -m compileall -q app tenants config migrations wsgi.py

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TMC_ENV=production \
    INSTANCE_PATH=/tmp/instance \
    HOME=/tmp \
    PORT=8000
RUN groupadd --system --gid 10001 tmc \
    && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home \
       --shell /usr/sbin/nologin tmc
COPY --from=build /opt/venv /opt/venv
# Owned by root and not writable by the app's user, even without a read-only root.
COPY --from=build /app /app
WORKDIR /app
USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "wsgi:app"]
