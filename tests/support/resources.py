"""What a process holds, for the leak and scale tests: resident memory, open descriptors.

    from support.resources import rss, raise_nofile
    raise_nofile(11_000)      # or pytest.skip when the hard limit cannot be raised
    before = rss()            # bytes, after a full garbage collection
"""

from __future__ import annotations

import gc
import os
import resource

import pytest

__all__ = ["raise_nofile", "rss"]


def rss() -> int:
    """Resident set size in bytes, after gc.collect() so that garbage is not counted."""
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def raise_nofile(need: int) -> None:
    """Let this process open *need* descriptors (root may raise the hard limit too)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < need:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (need, need))
            return
        except (ValueError, OSError):
            pytest.skip(f"RLIMIT_NOFILE hard limit {hard} < {need} and cannot be raised")
    if soft != resource.RLIM_INFINITY and soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
