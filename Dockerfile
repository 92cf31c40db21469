# mattermost-py: the server under gunicorn with gevent workers, on port 8065.
# Data (the SQLite database and uploaded files) lives in the /data volume; set
# MM_SQLSETTINGS_DRIVERNAME=postgres and MM_SQLSETTINGS_DATASOURCE for PostgreSQL.
# Logs are JSON lines on standard output (MM_LOGSETTINGS_CONSOLEJSON=false for
# plain text, MM_LOGSETTINGS_CONSOLELEVEL=DEBUG for one line per request).
# Prometheus metrics: MM_METRICSSETTINGS_ENABLE=true serves /metrics on 8065
# (off by default, as in Mattermost: keep it off the public side of a proxy).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MM_SQLSETTINGS_DATASOURCE=/data/mattermost.db \
    MM_FILESETTINGS_DIRECTORY=/data/files/ \
    MM_CONFIG=/data/config.json

WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY handlers ./handlers
COPY store ./store
COPY ws ./ws
RUN pip install --no-cache-dir . \
    && groupadd --system --gid 10001 mattermost \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data mattermost \
    && mkdir -p /data && chown 10001:10001 /data

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8065
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8065/api/v4/system/ping', timeout=4)"]
CMD ["python", "-m", "api.cli", "serve"]
