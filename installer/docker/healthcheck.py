"""The container's health check: the county server answers /api/v1/health on port 8765, by HTTP or, when
it serves HTTPS (serve --tls-cert/--tls-key), by HTTPS; the certificate is not checked here (it names the
county's host, not 127.0.0.1)."""
import ssl
import sys
import urllib.request

for url in ("http://127.0.0.1:8765/api/v1/health", "https://127.0.0.1:8765/api/v1/health"):
    try:
        urllib.request.urlopen(url, timeout=2, context=ssl._create_unverified_context())  # noqa: S323
        sys.exit(0)
    except Exception:  # noqa: BLE001 - not this scheme, or not up yet: try the next, then say unhealthy
        continue
sys.exit(1)
