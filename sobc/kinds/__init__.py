"""Registries: one record per kind that schemas, docs, checks and manifest come from."""
