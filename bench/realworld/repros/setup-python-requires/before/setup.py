from setuptools import setup

setup(name="pkg", version="1.0.0", packages=["pkg"], python_requires=">=3.7")
