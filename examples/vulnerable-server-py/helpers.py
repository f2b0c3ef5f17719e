"""A harmless helper used by clean.py."""


def helper(s: str) -> str:
    return s.strip()
