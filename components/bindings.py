"""Run-time helpers that the generated bindings in components/interfaces/ call.

Kept here, written by hand, so that each generated module carries only what its
IDL file says and not a private copy of the same helper.
"""

from __future__ import annotations

from zope.interface.interface import InterfaceClass


def tag_members(iface: InterfaceClass, facts: dict[str, dict[str, object]]) -> None:
    """Record each member's XPIDL facts (type, readonly, parameters, flags) as zope tagged values."""
    for name, tags in facts.items():
        for key, value in tags.items():
            iface[name].setTaggedValue(key, value)
