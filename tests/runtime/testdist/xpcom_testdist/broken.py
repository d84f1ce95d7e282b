"""A module that registers one component and then fails: nothing of it may stay."""

from components.manager import component


@component(classID="{e3d5f7a9-2b4c-4d6e-9f80-a1b2c3d4e5f6}", contractIDs=("@testdist.example/half;1",))
class Half:
    pass


raise RuntimeError("xpcom_testdist.broken fails on purpose")
