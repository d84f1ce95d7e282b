"""A component of its own, with a contract ID no built-in uses."""

from zope.interface import Interface, implementer

from components.manager import component


class IGreeter(Interface):
    def greet(name):  # noqa: N805 - zope interface methods take no self
        """A greeting for *name*."""


@component(classID="{d2c4e6f8-1a3b-4c5d-8e7f-90a1b2c3d4e5}", contractIDs=("@testdist.example/greeter;1",))
@implementer(IGreeter)
class Greeter:
    def greet(self, name):
        return f"hello, {name}"
