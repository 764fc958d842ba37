"""The county server (FastAPI), on the same core/ models and validation (arrives with the sync issue)."""
