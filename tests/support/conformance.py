"""The pytest side of the generated conformance tests (``tests/generated/test_<iface>.py``).

The checks and the IDL facts live in ``codegen.conformance``, which knows nothing of pytest;
this module turns "the components registered as providing an interface" into the parameters a
generated test module is parametrized over.
"""

from __future__ import annotations

from typing import Any

import pytest

from codegen import conformance


def providers(spec: conformance.IDLInterface) -> list[Any]:
    """``pytest.param`` per component providing the interface, or one skipped placeholder.

    Called while the generated module is collected.  An interface nothing in this distribution
    implements (a listener, say, which users of the API implement) gets a skipped test that
    says so, instead of silently vanishing from the report.
    """
    try:
        iface = conformance.binding(spec)
    except conformance.ConformanceError as e:
        return [pytest.param(None, marks=pytest.mark.skip(reason=str(e)), id="no-binding")]
    # Looked up on the module each time: tests replace the seam to feed drifting fakes.
    entries = conformance.registered_components(iface)
    if not entries:
        reason = (
            f"no component is registered as providing {spec.name}; "
            "its implementations come from users of the API"
        )
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-component")]
    return [pytest.param(entry, id=conformance.entry_id(entry)) for entry in entries]
