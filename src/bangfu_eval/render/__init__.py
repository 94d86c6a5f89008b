"""Renderers: each returns a string (or bytes) for one format; writing files is the CLI's."""
