from setuptools import setup

setup(name="pkg", version="1.0.1", packages=["pkg"], python_requires=">=3.8")
