#!/usr/bin/python3
"""Writes the PyTorch golden values that PyTorchGoldenTest compares the library against.

Run from anywhere with Debian's python3-torch (1.13) and python3-numpy:

    /usr/bin/python3 testdata/golden/make_golden.py

Every array is a little-endian float32 or int64 .npy file named <case>_<array>.npy in this
directory; <case>_config.npy holds the integer hyper-parameters of the case, so the Java test
reads everything it needs from the files. Layouts follow the library, not PyTorch:
  * conv2d: x [N,C,H,W], w [FN,C,FH,FW], b [FN], out [N,FN,OH,OW]; r is the fixed R of the
    loss L = sum(out * R), and dx, dw, db are dL/dx, dL/dw, dL/db.
    config = [stride, pad].
  * max_pool2d: x, out, dout (given), dx = dL/dx for L = sum(out * dout); argmax [N,C,OH,OW]
    int64 converted to the library's convention, the winner's offset within its image
    c*H*W + iy*W + ix (PyTorch's indices are per plane: iy*W + ix).
    config = [kernelH, kernelW, stride, pad].
  * linear + cross_entropy: x [N,...] (flattened to [N,D] by the layer), w [D,M] = the
    transpose of torch's linear weight [M,D], b [M], labels int64 [N], scores [N,M],
    probs = softmax(scores), loss (shape [1], the mean over N), dx, dw [D,M], db [M].
The generator is seeded, so rerunning it rewrites identical files.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def save(case, name, tensor, dtype=np.float32):
    a = tensor.detach().numpy() if isinstance(tensor, torch.Tensor) else np.asarray(tensor)
    np.save(os.path.join(HERE, f"{case}_{name}.npy"), np.ascontiguousarray(a.astype(dtype)))


def rand(gen, *shape, scale=1.0):
    return (torch.rand(*shape, generator=gen, dtype=torch.float32) * 2 - 1) * scale


def conv_case(gen, case, n, c, h, w, fn, fh, fw, stride, pad):
    x = rand(gen, n, c, h, w).requires_grad_()
    weight = rand(gen, fn, c, fh, fw, scale=0.5).requires_grad_()
    bias = rand(gen, fn, scale=0.5).requires_grad_()
    out = F.conv2d(x, weight, bias, stride=stride, padding=pad)
    r = rand(gen, *out.shape)
    (out * r).sum().backward()
    for name, t in [("x", x), ("w", weight), ("b", bias), ("out", out), ("r", r),
                    ("dx", x.grad), ("dw", weight.grad), ("db", bias.grad)]:
        save(case, name, t)
    save(case, "config", [stride, pad], np.int64)


def pool_case(gen, case, n, c, h, w, kh, kw, stride, pad, ties=False):
    if ties:
        # Small integers: most windows hold equal maxima, so the tie rule (first cell in
        # row-major window order wins, in PyTorch as in the library) decides the argmax.
        x = torch.randint(-2, 3, (n, c, h, w), generator=gen).to(torch.float32)
    else:
        x = rand(gen, n, c, h, w)
    x.requires_grad_()
    out, idx = F.max_pool2d(x, (kh, kw), stride=stride, padding=pad, return_indices=True)
    dout = rand(gen, *out.shape)
    (out * dout).sum().backward()
    plane = torch.arange(c, dtype=torch.int64).view(1, c, 1, 1) * (h * w)
    for name, t in [("x", x), ("out", out), ("dout", dout), ("dx", x.grad)]:
        save(case, name, t)
    save(case, "argmax", idx + plane, np.int64)
    save(case, "config", [kh, kw, stride, pad], np.int64)


def linear_ce_case(gen, case, x_shape, m, offset=0.0):
    n = x_shape[0]
    d = int(np.prod(x_shape[1:]))
    x = rand(gen, *x_shape).requires_grad_()
    weight_t = rand(gen, m, d, scale=1.0).requires_grad_()        # torch layout [M, D]
    bias = (rand(gen, m) + offset).requires_grad_()
    labels = torch.randint(0, m, (n,), generator=gen, dtype=torch.int64)
    scores = F.linear(x.reshape(n, d), weight_t, bias)
    scores.retain_grad()
    loss = F.cross_entropy(scores, labels)
    loss.backward()
    for name, t in [("x", x), ("w", weight_t.t()), ("b", bias), ("scores", scores),
                    ("probs", F.softmax(scores, dim=1)), ("loss", loss.reshape(1)),
                    ("dx", x.grad), ("dw", weight_t.grad.t()), ("db", bias.grad)]:
        save(case, name, t)
    save(case, "labels", labels, np.int64)


def main():
    torch.use_deterministic_algorithms(True)
    gen = torch.Generator().manual_seed(20261125)
    # conv2d: stride 1-2, padding 0-2, square and rectangular filters, several channels, batch 2.
    conv_case(gen, "conv_s1p0", n=2, c=3, h=7, w=6, fn=4, fh=3, fw=3, stride=1, pad=0)
    conv_case(gen, "conv_s2p1", n=2, c=2, h=8, w=7, fn=3, fh=3, fw=3, stride=2, pad=1)
    conv_case(gen, "conv_s2p2_rect", n=2, c=3, h=6, w=5, fn=2, fh=2, fw=4, stride=2, pad=2)
    conv_case(gen, "conv_s1p1_rect", n=2, c=1, h=5, w=9, fn=3, fh=3, fw=1, stride=1, pad=1)
    # max_pool2d: the classic 2x2/2 with an odd width (floor), overlapping 3x3/2 with padding,
    # rectangular 3x2/1 with padding, and a tie-heavy integer input.
    pool_case(gen, "pool_k2s2p0", n=2, c=3, h=6, w=7, kh=2, kw=2, stride=2, pad=0)
    pool_case(gen, "pool_k3s2p1", n=2, c=2, h=7, w=8, kh=3, kw=3, stride=2, pad=1)
    pool_case(gen, "pool_k3x2s1p1", n=2, c=2, h=5, w=6, kh=3, kw=2, stride=1, pad=1)
    pool_case(gen, "pool_ties_k3s2p1", n=2, c=2, h=6, w=6, kh=3, kw=3, stride=2, pad=1, ties=True)
    # linear + cross_entropy: a flattened 4-D input, and scores shifted by +100 (exp would
    # overflow float32 without subtracting the row max) with a 2-D input.
    linear_ce_case(gen, "linear_ce", x_shape=(4, 2, 3, 2), m=5)
    linear_ce_case(gen, "linear_ce_offset100", x_shape=(3, 6), m=4, offset=100.0)


if __name__ == "__main__":
    main()
