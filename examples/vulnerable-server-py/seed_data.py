"""Seeds the demo workspace that the server's tools read back. Deliberately vulnerable: never run it."""

from pathlib import Path

# The .env this seed script writes holds a live-looking database password.
ENV_FILE = """APP_PORT=8080
DB_PASSWORD=Vq8#nT2wLz5pRk
"""


def seed(root: Path) -> None:
    (root / ".env").write_text(ENV_FILE)


def admin_login(password: str) -> bool:
    return password == "Adm1n-2024!x"
