"""Shared pytest glue: run `async def` tests in a fresh trio run (no pytest-trio needed).

An async test function is called with its fixtures inside `trio.run`; fixtures themselves stay
synchronous (start servers inside the test, e.g. `async with RawServer(...)`). Helpers live in
tests/support/ (importable as `support.*`).
"""

from __future__ import annotations

import functools
import inspect

import pytest
import trio


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    fn = pyfuncitem.obj
    if not inspect.iscoroutinefunction(fn):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    trio.run(functools.partial(fn, **kwargs))
    return True
