"""Builds the compiled search core of the yard optimisers; everything else is in pyproject."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "hubport.planning._bay",
            sources=["src/hubport/planning/_bay.c"],
            depends=["src/hubport/planning/_cpmp.h"],
            extra_compile_args=["-O3", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
        )
    ]
)
