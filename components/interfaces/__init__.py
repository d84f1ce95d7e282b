# BOOTSTRAP PLACEHOLDER -- replaced by `python -m codegen regen` as soon as the generator exists.
# It hands out empty zope interfaces by name so runtime code can say @implementer(Ci.nsIFoo)
# before the real bindings are generated. Do not build on anything else in here.
from __future__ import annotations

from typing import Any

from zope.interface.interface import InterfaceClass

_made: dict[str, Any] = {}


class _Ci:
    def __getattr__(self, name: str) -> Any:
        if not name.startswith("nsI"):
            raise AttributeError(name)
        if name not in _made:
            iface = InterfaceClass(name, __module__="components.interfaces")
            if name == "nsIWebSocketChannel":
                for k, v in dict(CLOSE_NORMAL=1000, CLOSE_GOING_AWAY=1001, CLOSE_PROTOCOL_ERROR=1002,
                                 CLOSE_UNSUPPORTED_DATATYPE=1003, CLOSE_NO_STATUS=1005, CLOSE_ABNORMAL=1006,
                                 CLOSE_INVALID_PAYLOAD=1007, CLOSE_POLICY_VIOLATION=1008, CLOSE_TOO_LARGE=1009,
                                 CLOSE_EXTENSION_MISSING=1010, CLOSE_INTERNAL_ERROR=1011,
                                 CLOSE_TLS_FAILED=1015).items():
                    setattr(iface, k, v)
            _made[name] = iface
        return _made[name]


Ci = _Ci()
