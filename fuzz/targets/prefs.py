"""Target ``prefs``: the preferences service (components/prefs.py, nsIPrefBranch), against a model.

One input is a program: every three bytes are an operation, a name and a value, each an
index into a pool (:data:`OPS`, :data:`NAMES`, :data:`VALUES`).  The pools hold what a Python
caller can pass, well-typed or not: names that are not strings, values of every type, ints
just inside and outside 32 bits, observers that record and observers that raise.  Each
operation runs on a fresh ``PrefBranch`` (the channel's defaults) and on a small model of the
rules the IDL documents (``idl/modules/libpref/nsIPrefBranch.idl``), and the two must agree
on the result, on the error, and on which observers hear of which change, in which order.

A crash is:

* any exception but ``XPCOMError`` NS_ERROR_UNEXPECTED (missing preference without a
  fallback, wrong type) or NS_ERROR_ILLEGAL_VALUE (a name, value or fallback of the wrong
  Python type, an int outside 32 bits), an exception from an observer included (the service
  logs it and goes on, as Firefox does);
* any disagreement with the model;
* a hang (1 s CPU) or more than 1 MiB + 1 KiB per operation allocated at peak.
"""

from __future__ import annotations

import logging
from typing import Any

from components.prefs import (
    DEFAULTS,
    INT32_MAX,
    INT32_MIN,
    PREF_BOOL,
    PREF_INT,
    PREF_INVALID,
    PREF_STRING,
    PrefBranch,
)
from components.results import Cr, XPCOMError
from fuzz.engine import Crash

INSTRUMENT = ("components.prefs",)
MAX_LEN = 3 * 200


logging.getLogger("components.prefs").disabled = True  # observers that raise are logged there

NAMES: tuple[Any, ...] = (
    "network.websocket.timeout.open", "network.websocket.extensions.permessage-deflate",
    "network.websocket.max-message-size", "network.websocket.", "network.", "",
    "fuzz.a", "fuzz.a.b", "fuzz", "ünï.çödé", None, 7, b"fuzz.a", ("fuzz",),
)
VALUES: tuple[Any, ...] = (
    True, False, 0, 1, -1, INT32_MAX, INT32_MAX + 1, INT32_MIN, INT32_MIN - 1, 10**30,
    "", "x", "ü", "20", None, 1.5, b"b", [1],
)
OPS = ("getBoolPref", "getIntPref", "getCharPref", "getStringPref",
       "getBoolPref+", "getIntPref+", "getCharPref+", "getStringPref+",
       "setBoolPref", "setIntPref", "setCharPref", "setStringPref",
       "clearUserPref", "getPrefType", "prefHasUserValue", "prefHasDefaultValue", "getChildList",
       "addObserver", "removeObserver", "addObserver!")
UNEXPECTED, ILLEGAL = Cr.NS_ERROR_UNEXPECTED, Cr.NS_ERROR_ILLEGAL_VALUE
_KINDS = {"Bool": PREF_BOOL, "Int": PREF_INT, "Char": PREF_STRING, "String": PREF_STRING}


def _type(value: Any) -> int:
    if isinstance(value, bool):
        return PREF_BOOL
    if isinstance(value, int):
        return PREF_INT
    return PREF_STRING


class Observer:
    """Records what it hears in the shared log (raises afterwards when *fails*)."""

    def __init__(self, ident: int, log: list[tuple[int, str]], fails: bool) -> None:
        self.ident, self.log, self.fails = ident, log, fails

    def observe(self, subject: Any, topic: str, data: str) -> None:
        if topic != "nsPref:changed":
            raise Crash(f"observer told topic {topic!r}")
        self.log.append((self.ident, data))
        if self.fails:
            raise RuntimeError("an observer that raises")


class Model:
    """The documented rules, written as plainly as possible."""

    def __init__(self) -> None:
        self.defaults: dict[str, Any] = dict(DEFAULTS)
        self.user: dict[str, Any] = {}
        self.observers: list[tuple[str, Observer]] = []
        self.heard: list[tuple[int, str]] = []

    def value(self, name: str) -> Any:
        return self.user.get(name, self.defaults.get(name))

    def exists(self, name: str) -> bool:
        return name in self.user or name in self.defaults

    def notify(self, name: str) -> None:
        for domain, obs in list(self.observers):
            if name.startswith(domain):
                self.heard.append((obs.ident, name))

    def run(self, op: str, name: Any, value: Any, obs: Observer) -> Any:
        """The result, or ("error", nsresult)."""
        if op.startswith("addObserver") or op == "removeObserver":
            if not isinstance(name, str):
                return ("error", ILLEGAL)
            if op == "removeObserver":
                for i, (domain, o) in enumerate(self.observers):
                    if domain == name and o is obs:
                        del self.observers[i]
                        break
            else:
                self.observers.append((name, obs))
            return None
        if not isinstance(name, str):
            return ("error", ILLEGAL)
        if op.startswith("get") and op.endswith("Pref") or op.endswith("Pref+"):
            kind = _KINDS[op[3:].split("Pref")[0]]
            has_default = op.endswith("+")
            if has_default and not _fits(kind, value):
                return ("error", ILLEGAL)
            if not self.exists(name):
                if not has_default:
                    return ("error", UNEXPECTED)
                converted = bool(value) if kind == PREF_BOOL else int(value) if kind == PREF_INT else value
                return ("result", converted)
            current = self.value(name)
            if _type(current) != kind:
                return ("error", UNEXPECTED)
            return ("result", current)
        if op.startswith("set"):
            kind = _KINDS[op[3:].split("Pref")[0]]
            if kind == PREF_BOOL and not isinstance(value, bool):
                return ("error", ILLEGAL)
            if kind == PREF_INT and (isinstance(value, bool) or not isinstance(value, int)
                                     or not INT32_MIN <= value <= INT32_MAX):
                return ("error", ILLEGAL)
            if kind == PREF_STRING and not isinstance(value, str):
                return ("error", ILLEGAL)
            if self.exists(name) and _type(self.value(name)) != kind:
                return ("error", UNEXPECTED)
            changed = not self.exists(name) or self.value(name) != value
            self.user[name] = value
            if changed:
                self.notify(name)
            return None
        if op == "clearUserPref":
            if name in self.user:
                old = self.user.pop(name)
                if name not in self.defaults or self.defaults[name] != old:
                    self.notify(name)
            return None
        if op == "getPrefType":
            return ("result", _type(self.value(name)) if self.exists(name) else PREF_INVALID)
        if op == "prefHasUserValue":
            return ("result", name in self.user)
        if op == "prefHasDefaultValue":
            return ("result", name in self.defaults)
        if op == "getChildList":
            return ("result", sorted(n for n in set(self.defaults) | set(self.user) if n.startswith(name)))
        raise AssertionError(op)


def _fits(kind: int, default: Any) -> bool:
    """May *default* be the fallback of a getter of *kind*?"""
    if kind == PREF_STRING:
        return isinstance(default, str)
    return isinstance(default, int)  # bool or int, for the bool and the int getter


def _call(branch: PrefBranch, op: str, name: Any, value: Any, obs: Observer) -> Any:
    try:
        if op.startswith("addObserver"):
            branch.addObserver(name, obs)
            return None
        if op == "removeObserver":
            branch.removeObserver(name, obs)
            return None
        if op.endswith("+"):
            return ("result", getattr(branch, op[:-1])(name, value))
        if op.startswith("set"):
            getattr(branch, op)(name, value)
            return None
        if op == "clearUserPref":
            branch.clearUserPref(name)
            return None
        return ("result", getattr(branch, op)(name))
    except XPCOMError as exc:
        if exc.result not in (UNEXPECTED, ILLEGAL):
            raise Crash(f"{op}({name!r}, {value!r}) raised {exc}") from None
        return ("error", exc.result)


def one_input(data: bytes) -> None:
    branch = PrefBranch()
    model = Model()
    heard: list[tuple[int, str]] = []
    observers: dict[tuple[int, bool], Observer] = {}
    for i in range(0, len(data) - 2, 3):
        op = OPS[data[i] % len(OPS)]
        name = NAMES[data[i + 1] % len(NAMES)]
        value = VALUES[data[i + 2] % len(VALUES)]
        key = (data[i + 2] % 3, op == "addObserver!")
        obs = observers.get(key)
        if obs is None:
            obs = observers[key] = Observer(len(observers), heard, key[1])
        before = len(heard)
        got = _call(branch, op, name, value, obs)
        expected = model.run(op, name, value, obs)
        if got != expected or type(_inner(got)) is not type(_inner(expected)):
            raise Crash(f"{op}({name!r}, {value!r}): got {got!r}, the model says {expected!r}")
        if heard[before:] != model.heard[before:]:
            raise Crash(f"{op}({name!r}, {value!r}): observers heard {heard[before:]!r}, "
                        f"the model says {model.heard[before:]!r}")


def _inner(result: Any) -> Any:
    return result[1] if isinstance(result, tuple) else result


def memory_bound(data: bytes) -> int:
    return (1 << 20) + 1024 * (len(data) // 3 + 1)


def seeds() -> dict[str, bytes]:
    def program(*ops: tuple[str, int, int]) -> bytes:
        return bytes(b for op, n, v in ops for b in (OPS.index(op), n, v))

    return {
        "read-defaults": program(("getIntPref", 0, 0), ("getBoolPref", 1, 0), ("getIntPref", 2, 0),
                                 ("getChildList", 3, 0), ("getPrefType", 0, 0)),
        "set-and-clear": program(("addObserver", 4, 0), ("setIntPref", 0, 3), ("setIntPref", 0, 3),
                                 ("clearUserPref", 0, 0), ("setBoolPref", 1, 1), ("clearUserPref", 1, 0)),
        "new-prefs": program(("setCharPref", 6, 11), ("setIntPref", 6, 2), ("getCharPref", 6, 0),
                             ("setStringPref", 9, 12), ("getStringPref+", 7, 11), ("prefHasUserValue", 6, 0)),
        "int32": program(("setIntPref", 7, 5), ("setIntPref", 7, 6), ("setIntPref", 7, 7),
                         ("setIntPref", 7, 8)),
        "wrong-types": program(("setIntPref", 10, 3), ("getIntPref+", 6, 11), ("setBoolPref", 6, 2),
                               ("getChildList", 11, 0), ("addObserver", 12, 0), ("getCharPref+", 7, 14)),
        "observers": program(("addObserver!", 8, 0), ("addObserver", 6, 1), ("setIntPref", 7, 3),
                             ("removeObserver", 6, 1), ("setIntPref", 7, 4), ("clearUserPref", 7, 0)),
    }
