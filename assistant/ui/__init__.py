"""Pieces of the browser chat that need no Gradio: HTML rendering, form parsing, uploads, feedback."""
