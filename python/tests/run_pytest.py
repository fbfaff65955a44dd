"""CTest entry point for the Python tests: runs pytest on this directory.

Exit status: pytest's, except 77 (CTest SKIP_RETURN_CODE) when pytest or NumPy is missing, when the
module was configured but not built, or when pytest collected no test (its status 5).
"""
import glob
import os
import sys


def skip(why):
    print(f"SKIPPED: {why}")
    sys.exit(77)


def main():
    try:
        import pytest
    except ImportError:
        skip("pytest is not installed (Debian: python3-pytest)")
    try:
        import numpy  # noqa: F401
    except ImportError:
        skip("NumPy is not installed (Debian: python3-numpy)")
    expected = os.environ.get("SOFTNUM_PYTHON_EXPECTED_DIR")
    if expected and not glob.glob(os.path.join(expected, "_softnum*")):
        skip(f"the module was not built (no _softnum in {expected}; build the target softnum_python)")
    status = pytest.main(sys.argv[1:] + ["-p", "no:cacheprovider"])
    if status == 5:  # no tests collected
        skip("pytest collected no test")
    sys.exit(int(status))


if __name__ == "__main__":
    main()
