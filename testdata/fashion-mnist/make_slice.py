#!/usr/bin/env python3
"""Cut the embedded Fashion-MNIST slice out of the full data set.

Usage: python3 make_slice.py [SOURCE_DIR] [TRAIN_COUNT] [TEST_COUNT]
Defaults: /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist), 10000, 2000.

Keeps the first TRAIN_COUNT training and TEST_COUNT test images and labels, rewrites the IDX
header's count, and gzips with mtime 0 so the output is byte-for-byte reproducible.
"""
import gzip
import os
import struct
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
counts = {"train": int(sys.argv[2]) if len(sys.argv) > 2 else 10000,
          "t10k": int(sys.argv[3]) if len(sys.argv) > 3 else 2000}
out_dir = os.path.dirname(os.path.abspath(__file__))

for prefix, keep in counts.items():
    for kind, rank in (("images-idx3-ubyte", 3), ("labels-idx1-ubyte", 1)):
        name = f"{prefix}-{kind}.gz"
        with gzip.open(os.path.join(src, name), "rb") as f:
            data = f.read()
        zero, dtype, r = struct.unpack(">HBB", data[:4])
        assert zero == 0 and dtype == 0x08 and r == rank, (name, zero, dtype, r)
        dims = list(struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank]))
        per = 1
        for d in dims[1:]:
            per *= d
        assert keep <= dims[0], (name, keep, dims)
        body = data[4 + 4 * rank:4 + 4 * rank + keep * per]
        dims[0] = keep
        header = struct.pack(">HBB", 0, 0x08, rank) + struct.pack(">" + "I" * rank, *dims)
        with open(os.path.join(out_dir, name), "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as g:
                g.write(header + body)
        print(name, dims)
