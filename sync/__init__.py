"""The wire protocol, the sync client and offline bundles; server/ is the county server. No Qt here."""
