"""Discussions of a community: threads and their posts.

Models live here and are registered through ``communities.models``; who may
do what is decided in ``communities.permissions`` like everything else.
"""
