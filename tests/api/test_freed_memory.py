"""The analysis entry point's malloc setting: freed arrays leave the process (glibc only)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

# Frees a 16 MB array (glibc then raises its mmap threshold to 16 MB), makes ten 8 MB arrays and frees
# all but the last one: from the heap, they stay resident under the top one; mmapped, they go back.
_PROGRAM = """
import sys
import numpy as np
from cli.process import return_freed_memory_promptly

def resident_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS:"))

if sys.argv[1] == "set":
    assert return_freed_memory_promptly()
big = np.ones(2 * 1024 * 1024)
del big
arrays = [np.ones(1024 * 1024) for _ in range(10)]
before = resident_mb()
del arrays[:-1]
print(before - resident_mb())
"""


def _released_mb(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", _PROGRAM, mode], check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the setting is glibc's mallopt")
def test_freed_arrays_go_back_to_the_system_only_with_the_setting() -> None:
    assert _released_mb("set") >= 60  # nine 8 MB arrays returned
    assert _released_mb("default") < 20  # without it they stay resident: the setting is what helps
