"""Fixtures of the community tests: a file defines ``community`` (its
visibility and slug differ), and these give people in it."""

import pytest
from factories.communities import make_member


@pytest.fixture
def member(community):
    return make_member(community).user


@pytest.fixture
def moderator(community):
    return make_member(community, role="moderator").user
