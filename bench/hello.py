"""A plain Flask hello-world, served with the same gunicorn settings, for scale (P1)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world"


@app.get("/healthz")
def healthz() -> str:  # the harness waits for this before it starts
    return "ok"
