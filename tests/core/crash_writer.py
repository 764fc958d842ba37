"""Run as a child process by test_crash: saves households one by one and prints each id once saved."""
from __future__ import annotations

import sys
from pathlib import Path

from core.selftest import sample_household
from core.store import Store


def main(folder: str, password: str) -> None:
    with Store.open(Path(folder), password) as store:
        for i in range(100_000):
            household, members = sample_household(i % 100)
            household["household_no"] = f"CRASH-{i:06d}"
            for m in members:  # a fresh ID block per household: distinct people
                m["id_number"] = None
                m["id_type"] = "other"
            result = store.save_household(household, members)
            print(result.id, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
