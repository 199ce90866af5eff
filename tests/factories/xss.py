"""The public XSS corpus beside the checkout (shared/data/xss)."""

import os
from pathlib import Path

import pytest

CORPUS = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "xss"
    / "payloadbox-xss-payload-list.txt"
)


def corpus_lines() -> list[str]:
    if not CORPUS.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the XSS corpus test: {CORPUS} is missing")
        pytest.skip("the XSS corpus (../shared/data/xss) is not beside this checkout")
    return [line for line in CORPUS.read_text(errors="replace").splitlines() if line]
