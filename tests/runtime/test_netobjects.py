"""Interface requestors, load groups and load infos."""

from __future__ import annotations

import pytest
from zope.interface import implementer
from zope.interface.verify import verifyObject

from components import Cc, Ci, Cr, XPCOMError
from components.netobjects import TYPE_WEBSOCKET, InterfaceRequestor, LoadGroup, LoadInfo, get_interface
from components.prefs import PrefBranch


def test_requestor_hands_out_the_first_provider() -> None:
    prefs, group = PrefBranch(), LoadGroup()
    req = InterfaceRequestor(group, prefs)
    assert verifyObject(Ci.nsIInterfaceRequestor, req)
    assert req.getInterface(Ci.nsIPrefBranch) is prefs
    assert req.getInterface(Ci.nsILoadGroup) is group
    with pytest.raises(XPCOMError) as info:
        req.getInterface(Ci.nsIURI)
    assert info.value.result == Cr.NS_NOINTERFACE


def test_requestors_nest_and_delegate() -> None:
    prefs = PrefBranch()
    inner = InterfaceRequestor(prefs)

    @implementer(Ci.nsIInterfaceRequestor)
    class Script:  # a host's own requestor that fails the way XPCOM ones do
        def getInterface(self, iface):  # type: ignore[no-untyped-def]
            if iface is Ci.nsILoadInfo:
                return LoadInfo("http://o.example")
            raise XPCOMError(Cr.NS_NOINTERFACE)

    outer = InterfaceRequestor(Script(), inner)
    assert outer.getInterface(Ci.nsIPrefBranch) is prefs
    assert outer.getInterface(Ci.nsILoadInfo).loadingOrigin == "http://o.example"


def test_get_interface_helper_defaults() -> None:
    prefs = PrefBranch()
    assert get_interface(None, Ci.nsIPrefBranch) is None
    assert get_interface(None, Ci.nsIPrefBranch, "d") == "d"
    assert get_interface(prefs, Ci.nsIPrefBranch) is prefs  # an object that is the interface itself
    assert get_interface(InterfaceRequestor(prefs), Ci.nsIURI, "d") == "d"

    class Failing:
        def getInterface(self, iface):  # type: ignore[no-untyped-def]
            raise XPCOMError(Cr.NS_ERROR_UNEXPECTED, "real trouble")

    with pytest.raises(XPCOMError) as info:  # only NS_NOINTERFACE means "not here"
        get_interface(Failing(), Ci.nsIURI)
    assert info.value.result == Cr.NS_ERROR_UNEXPECTED


def test_load_group_counts_requests() -> None:
    group = Cc["@mozilla.org/network/load-group;1"].createInstance(Ci.nsILoadGroup)
    assert verifyObject(Ci.nsILoadGroup, group)
    a, b = object(), object()
    group.addRequest(a, None)
    group.addRequest(b, None)
    assert group.activeCount == 2 and group.requests == [a, b]
    group.removeRequest(a, None, Cr.NS_ERROR_NET_RESET)
    assert group.activeCount == 1 and group.statuses == [(a, Cr.NS_ERROR_NET_RESET)]
    with pytest.raises(XPCOMError) as info:
        group.removeRequest(a, None, Cr.NS_OK)
    assert info.value.result == Cr.NS_ERROR_FAILURE
    with pytest.raises(XPCOMError) as info:
        group.addRequest(None, None)
    assert info.value.result == Cr.NS_ERROR_NULL_POINTER
    with pytest.raises(AttributeError):
        group.activeCount = 5
    req = InterfaceRequestor()
    group.notificationCallbacks = req
    assert group.notificationCallbacks is req


def test_load_info_is_read_only() -> None:
    info = LoadInfo("https://o.example", innerWindowID=7)
    assert verifyObject(Ci.nsILoadInfo, info)
    assert (info.loadingOrigin, info.contentPolicyType, info.innerWindowID) == ("https://o.example", 16, 7)
    assert Ci.nsILoadInfo.TYPE_WEBSOCKET == TYPE_WEBSOCKET == 16
    with pytest.raises(AttributeError):
        info.loadingOrigin = "x"
    blank = Cc["@xpcom-websocket/load-info;1"].createInstance(Ci.nsILoadInfo)
    assert blank.loadingOrigin == "" and blank.contentPolicyType == TYPE_WEBSOCKET
