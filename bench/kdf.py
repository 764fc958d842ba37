"""How many password guesses a second the profile's key derivation allows, on this machine.

    python bench/kdf.py [--rounds 5]

Prints milliseconds and memory per scrypt derivation at the cost new profiles use (and the ones
beside it), and the guesses per second one core of this machine could try against a stolen copy.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.store.profile import SCRYPT_N, SCRYPT_P, SCRYPT_R  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    salt = os.urandom(16)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for n in (SCRYPT_N // 2, SCRYPT_N, SCRYPT_N * 2):
        started = time.perf_counter()
        for i in range(args.rounds):
            hashlib.scrypt(f"guess {i}".encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P,
                           maxmem=128 * n * SCRYPT_R * 2, dklen=32)
        seconds = (time.perf_counter() - started) / args.rounds
        mark = "  <- new profiles" if n == SCRYPT_N else ""
        print(f"N=2^{n.bit_length() - 1}: {seconds * 1000:.0f} ms and {128 * n * SCRYPT_R / 2**20:.0f} MiB "
              f"per derivation, {1 / seconds:.1f} guesses/s per core{mark}")


if __name__ == "__main__":
    main()
