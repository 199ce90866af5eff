"""Fixtures of the wiki tests: the community "Klimaschutz" (slug ``klima``)
whose wiki a test works in, public unless the test file overrides
``wiki_visibility``, and a member of it who writes pages."""

import pytest
from factories.communities import make_community, make_member


@pytest.fixture
def wiki_visibility():
    return "public"


@pytest.fixture
def community(wiki_visibility):
    return make_community(title="Klimaschutz", slug="klima", visibility=wiki_visibility)


@pytest.fixture
def author(community):
    return make_member(community).user
