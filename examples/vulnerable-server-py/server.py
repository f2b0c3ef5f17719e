"""A deliberately vulnerable FastMCP server: every planted issue is listed in examples/README.md. Never run it."""
import pickle
import subprocess

import boto3
import yaml
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("vulnerable-demo-py")

# Hardcoded AWS credentials (fake, but in the real format).
AWS_ACCESS_KEY_ID = "AKIAB5ENUN33UYTBHRSV"
AWS_SECRET_ACCESS_KEY = "cKdGetrLmxiv5UYJFDVU61Cg8uQILCH3ebIz8Cso"


@mcp.tool()
def add(a: int, b: int) -> int:
    """Adds two numbers (a clean neighbour)."""
    return a + b


@mcp.tool()
def list_buckets() -> list[str]:
    """Lists the S3 buckets of the demo account."""
    s3 = boto3.client("s3", aws_access_key_id=AWS_ACCESS_KEY_ID, aws_secret_access_key=AWS_SECRET_ACCESS_KEY)
    return [b["Name"] for b in s3.list_buckets()["Buckets"]]


@mcp.tool()
def run(cmd: str) -> str:
    """Runs a shell command."""
    result = subprocess.run(
        cmd,
        shell=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


@mcp.tool()
def load_state(blob: bytes) -> dict:
    """Restores saved state."""
    return pickle.loads(blob)


@mcp.tool()
def parse_config(text: str) -> dict:
    """Parses a YAML config."""
    return yaml.load(text, Loader=yaml.Loader)


if __name__ == "__main__":
    mcp.run()
