"""A local assistant that answers questions from your documents, citing the exact passage."""

__version__ = "0.1.0"
