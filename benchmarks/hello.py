"""The ceiling: a bare Flask app with one endpoint, served like the real app (gunicorn, 2 workers)."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "hello"
