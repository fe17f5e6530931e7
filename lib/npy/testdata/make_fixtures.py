#!/usr/bin/python3
"""NumPy-written .npy fixtures for lib/embed's tests, and a check of Go-written files.

    /usr/bin/python3 lib/embed/testdata/make_npy_fixtures.py          # writes the fixtures
    /usr/bin/python3 lib/embed/testdata/make_npy_fixtures.py --check F.npy
        # loads a Go-written F.npy with numpy.load, prints dtype, shape and values

Fixtures (numpy.save, so format 1.0 with numpy's own header layout):
  f4_3x4.npy     float32 (3, 4): (arange(12) - 5.5) / 7
  f4_0x5.npy     float32 (0, 5): no rows
  f4_vec.npy     float32 (5,):   [1, -2, 0.5, 1e-30, 3e38]
  f8_2x3.npy     float64 (2, 3): arange(6) / 3   (read as float32)
  be_f4_2x2.npy  big-endian float32 (2, 2): [[1, 2], [3, 4]]
  fortran.npy    float32 (2, 3) in Fortran order (must be refused)
  i4_2x2.npy     int32 (2, 2) (must be refused: not a float type)
The Go test writes the same arrays with EncodeNPY and compares them byte for byte.
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        a = np.load(sys.argv[2])
        print(a.dtype, a.shape, a.flags["C_CONTIGUOUS"])
        print(a.tolist())
        return
    arrays = {
        "f4_3x4": ((np.arange(12) - 5.5) / 7).astype("<f4").reshape(3, 4),
        "f4_0x5": np.zeros((0, 5), dtype="<f4"),
        "f4_vec": np.array([1, -2, 0.5, 1e-30, 3e38], dtype="<f4"),
        "f8_2x3": (np.arange(6) / 3).reshape(2, 3),
        "be_f4_2x2": np.array([[1, 2], [3, 4]], dtype=">f4"),
        "fortran": np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)),
        "i4_2x2": np.arange(4, dtype="<i4").reshape(2, 2),
    }
    for name, a in arrays.items():
        np.save(os.path.join(HERE, name + ".npy"), a)
    print("numpy", np.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()
