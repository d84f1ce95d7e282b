"""Properties of newURI over generated input: it either parses or says NS_ERROR_MALFORMED_URI."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from components import Cr, XPCOMError, newURI

_ALPHABET = st.sampled_from(list("ab1:/?#@[]%.-_~ \\é\t") + ["ws://", "http://", "::", "0x", ":80", "%41"])
_SPECS = st.lists(_ALPHABET, max_size=16).map("".join)
_BASES = st.sampled_from(["ws://h:81/a/b?c", "http://a/b/c/d;p?q", "about:blank", "file:///x/y"])


def _parse_or_malformed(spec: str, base: str | None = None):  # type: ignore[no-untyped-def]
    try:
        return newURI(spec, base)
    except XPCOMError as e:
        assert e.result == Cr.NS_ERROR_MALFORMED_URI, e
        return None


@settings(max_examples=400, deadline=None)
@given(_SPECS)
def test_parse_is_total_and_normalisation_is_a_fixed_point(spec: str) -> None:
    uri = _parse_or_malformed(spec)
    if uri is not None:
        again = newURI(uri.spec)
        assert again.spec == uri.spec
        assert (again.host, again.port, again.pathQueryRef) == (uri.host, uri.port, uri.pathQueryRef)
        assert uri.spec.isascii()


@settings(max_examples=400, deadline=None)
@given(_SPECS, _BASES)
def test_resolution_is_total_and_stable(ref: str, base: str) -> None:
    uri = _parse_or_malformed(ref, base)
    if uri is not None:
        assert newURI(uri.spec).spec == uri.spec
        assert newURI(uri.spec, base).spec == uri.spec  # an absolute result resolves to itself
