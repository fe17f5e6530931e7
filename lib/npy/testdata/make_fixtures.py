#!/usr/bin/python3
"""NumPy-written .npy fixtures for lib/npy's tests, and a check of Go-written files.

    /usr/bin/python3 lib/npy/testdata/make_fixtures.py          # writes the fixtures
    /usr/bin/python3 lib/npy/testdata/make_fixtures.py --check F.npy
        # loads a Go-written F.npy with numpy.load, prints dtype, shape and values

Fixtures (numpy.save, so format 1.0 with numpy's own header layout, unless named v2/v3):
  f4_3x4.npy     float32 (3, 4): (arange(12) - 5.5) / 7
  f4_0x5.npy     float32 (0, 5): no rows
  f4_vec.npy     float32 (5,):   [1, -2, 0.5, 1e-30, 3e38]
  f4_scalar.npy  float32 ():     2.5
  f8_2x3.npy     float64 (2, 3): arange(6) / 3
  f8_2x2x2.npy   float64 (2, 2, 2): arange(8) - 3.25
  be_f4_2x2.npy  big-endian float32 (2, 2): [[1, 2], [3, 4]]
  be_i8_3.npy    big-endian int64 (3,): [-1, 0, 2**40]
  i1_4.npy       int8 (4,):    [-128, -1, 0, 127]
  u1_4.npy       uint8 (4,):   [0, 1, 200, 255]
  i2_4.npy       int16 (4,):   [-32768, -1, 0, 32767]
  u2_4.npy       uint16 (4,):  [0, 1, 40000, 65535]
  i4_2x2.npy     int32 (2, 2): [[0, 1], [2, 3]]
  u4_3.npy       uint32 (3,):  [0, 7, 4000000000]
  i8_5.npy       int64 (5,):   [3, 0, 2, 1, -9007199254740992]  (class indices, and -2**53)
  u8_2.npy       uint64 (2,):  [5, 2**53]
  i8_big.npy     int64 (1,):   [2**53 + 1] (no float64 holds it: must be refused as floats)
  f4_2x3_v2.npy  float32 (2, 3) written as format 2.0
  fortran.npy    float32 (2, 3) in Fortran order (must be refused)
  c8_2.npy       complex64 (2,) (must be refused: not a supported type)
The Go test reads each, and writes the little-endian ones again with Encode and compares
them byte for byte with numpy.save's.
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
        "f4_scalar": np.array(2.5, dtype="<f4"),
        "f8_2x3": (np.arange(6) / 3).reshape(2, 3),
        "f8_2x2x2": (np.arange(8) - 3.25).reshape(2, 2, 2),
        "be_f4_2x2": np.array([[1, 2], [3, 4]], dtype=">f4"),
        "be_i8_3": np.array([-1, 0, 2**40], dtype=">i8"),
        "i1_4": np.array([-128, -1, 0, 127], dtype="i1"),
        "u1_4": np.array([0, 1, 200, 255], dtype="u1"),
        "i2_4": np.array([-32768, -1, 0, 32767], dtype="<i2"),
        "u2_4": np.array([0, 1, 40000, 65535], dtype="<u2"),
        "i4_2x2": np.arange(4, dtype="<i4").reshape(2, 2),
        "u4_3": np.array([0, 7, 4000000000], dtype="<u4"),
        "i8_5": np.array([3, 0, 2, 1, -(2**53)], dtype="<i8"),
        "u8_2": np.array([5, 2**53], dtype="<u8"),
        "i8_big": np.array([2**53 + 1], dtype="<i8"),
        "fortran": np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)),
        "c8_2": np.array([1 + 2j, 3], dtype="<c8"),
    }
    for name, a in arrays.items():
        np.save(os.path.join(HERE, name + ".npy"), a)
    with open(os.path.join(HERE, "f4_2x3_v2.npy"), "wb") as f:
        np.lib.format.write_array(f, np.arange(6, dtype="<f4").reshape(2, 3), version=(2, 0))
    print("numpy", np.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()
