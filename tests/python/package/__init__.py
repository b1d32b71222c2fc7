# A package so that this folder's conftest.py does not shadow tests/python/conftest.py: both
# would otherwise be imported as the module `conftest`, and `from conftest import ...` in the
# tests one folder up would find this one.
