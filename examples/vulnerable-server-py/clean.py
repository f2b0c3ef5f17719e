"""Clean code beside the vulnerable server: it must produce no findings."""
import os
import subprocess

import yaml

from .helpers import helper

API_TOKEN = os.environ.get("API_TOKEN", "")


def git_version() -> str:
    """Runs a fixed program with fixed arguments and no shell."""
    return subprocess.run(["git", "--version"], capture_output=True, text=True, check=True).stdout


def parse(text: str) -> dict:
    """safe_load only builds plain data."""
    return yaml.safe_load(text)


def find_user(cursor, name: str):
    """Parameterised SQL."""
    cursor.execute("SELECT * FROM users WHERE name = %s", (name,))
    return cursor.fetchall(), helper
