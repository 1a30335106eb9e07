# The Rapport API, configured by RAPPORT_* environment variables (see README, "Configuration").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY algorithms ./algorithms
COPY api ./api
COPY cypher ./cypher
RUN pip install . && useradd --create-home --uid 10001 rapport

USER rapport
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health').status == 200 else 1)"
CMD ["rapport", "serve", "--host", "0.0.0.0", "--port", "8000"]
