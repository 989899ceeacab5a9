"""The integration scenarios of the console: what is typed reaches the VM
with the focus, complete and in order. The same Case as cases.py.
"""
from cases import Case  # noqa: F401

CASES = []
