"""entitylist-kg: the US Entity List and its context as a validated, sourced knowledge graph."""

__version__ = "0.1.0"
