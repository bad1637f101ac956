"""Turn the files in content/ into Wagtail pages. Parsing (files → plain data) is kept apart from
writing (plain data → pages) so a malformed file is reported before anything is written."""

from .errors import ContentError
from .parse import parse_tree
from .write import write_tree

__all__ = ["ContentError", "parse_tree", "write_tree"]
