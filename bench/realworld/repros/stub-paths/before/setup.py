from setuptools import setup

setup(name="types-pkg", version="1.0", packages=["pkg-stubs"], package_data={"pkg-stubs": ["*.pyi"]})
