"""The domain of Anju: models, code lists, validation, the local store, indicators.

This package imports neither Qt nor any HTTP library; the county server and the
desktop client both build on it (docs/architecture.md, "Layers").
"""
