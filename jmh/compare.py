#!/usr/bin/python3
"""Side by side: times the shapes of a JMH run with NumPy (OpenBLAS) and PyTorch, on the same
machine in the same run, and prints one table (also written as Markdown).

    OPENBLAS_NUM_THREADS=1 python3 jmh/compare.py --jmh jmh/results/jmh-jdk17.json \
        --env jmh/results/env-jdk17.txt --out jmh/results/table.md [--quick]

jmh/run.sh calls it that way, with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from the
environment (they may be set on this machine and pin OpenBLAS to a slower kernel).

The shapes come from the JMH JSON (the benchmark parameters are shape strings, see
jmh/src/main/java/io/github/vectorcnn/bench/Spec.java), so both sides always time the same
products; the work per operation (GFLOP, bytes) is taken from the JMH counters, so the
formulas live in one place (the benchmark classes). A row's reference runs with the row's
thread count (OpenBLAS through openblas_set_num_threads, PyTorch through torch.set_num_threads).
Whatever is missing (NumPy, PyTorch, a JMH row) is skipped, and the table says so.

With --paired-jar jmh/target/benchmarks.jar --paired-shapes NN:1024x1024x1024,... it also times
those products in rounds that alternate between OpenBLAS (here) and the library (PairedSgemm in
its own JVM), so both are measured in the same minutes (run.sh --readme does).
"""
import argparse
import ctypes
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

# Must precede the first import of numpy: OpenBLAS reads it when it loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

try:
    import numpy as np
except ImportError as e:  # pragma: no cover - depends on the machine
    np = None
    NUMPY_MISSING = str(e)
else:
    NUMPY_MISSING = None

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:  # pragma: no cover
    torch = None
    TORCH_MISSING = str(e)
else:
    TORCH_MISSING = None

BENCH = "io.github.vectorcnn.bench."
# A training step with the vector kernels allocating this much (JMH -prof gc) has boxed vectors: the table says so.
ALLOC_WARN_BYTES = 64 * 1024

# What the library's own SimpleConvNet shapes are, for the table's first column.
SHAPE_NOTES = {
    "NN:30x576x25": "SimpleConvNet conv fwd W·col, per image",
    "NN:30x57600x25": "SimpleConvNet conv fwd W·col, batch 100 as one product",
    "NT:30x25x576": "SimpleConvNet conv dW = dout·colᵀ, per image",
    "TN:25x576x30": "SimpleConvNet conv dcol = Wᵀ·dout, per image",
    "NT:30x25x57600": "SimpleConvNet conv dW = dout·colᵀ, batch 100 as one product",
    "TN:25x57600x30": "SimpleConvNet conv dcol = Wᵀ·dout, batch 100 as one product",
    "NN:64x3136x576": "64→64 3×3 conv on 56×56 fwd, per image",
    "NT:64x576x3136": "64→64 3×3 conv on 56×56 dW, per image",
    "TN:576x3136x64": "64→64 3×3 conv on 56×56 dcol, per image",
    "100x1x28x28:30x5x5:s1p0": "SimpleConvNet conv1",
    "100x30x24x24:2x2:s2p0": "SimpleConvNet pool1",
    "100x1x28x28:5x5:s1p0": "SimpleConvNet conv1",
    "100x4320x100": "SimpleConvNet affine1",
    "100x100x10": "SimpleConvNet affine2",
}


# ---- OpenBLAS -----------------------------------------------------------------------------------

class OpenBlas:
    """The OpenBLAS that NumPy loaded, through ctypes, for its core name and thread count."""

    def __init__(self):
        self.lib = None
        self.path = None
        if np is None:
            return
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
        # The libopenblas*.so itself first; libblas.so.3 in the openblas directory is its alias.
        paths = sorted(paths, key=lambda p: ("openblas" not in os.path.basename(p).lower(), p))
        for path in paths:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                lib.openblas_get_config.restype = ctypes.c_char_p
                self.lib, self.path = lib, path
                self.default_threads = lib.openblas_get_num_threads()
                return
            except (OSError, AttributeError):
                continue

    def corename(self):
        return self.lib.openblas_get_corename().decode() if self.lib is not None else None

    def describe(self):
        if self.lib is None:
            return "OpenBLAS not found in the NumPy process (NumPy uses another BLAS?)"
        chosen = os.environ.get(CORE_CHOSEN_ENV)
        return "%s, core %s%s, %s, %d thread(s) at start" % (
            os.path.basename(self.path), self.corename(),
            " (" + chosen + ")" if chosen else "",
            self.lib.openblas_get_config().decode().strip(), self.default_threads)

    def threads(self, n):
        if self.lib is not None:
            self.lib.openblas_set_num_threads(n)


# OpenBLAS (DYNAMIC_ARCH) picks its kernels by CPU model, and 0.3.21 gives a model it does not know
# its generic SSE3 core, Prescott, however wide the CPU's vectors: on an Intel Xeon of model 0xCF
# (AVX-512) that ran 1024³ at 31 GFLOP/s, its SkylakeX core at 106. Such a reference would flatter
# every ratio, so compare.py then starts itself again with OPENBLAS_CORETYPE naming the core for
# the vector instructions the CPU has, and the table's header says so. Cores that use AVX-512
# (the SkylakeX kernels) and cores that use AVX2 and FMA, by OpenBLAS's names:
# (lower case: a build for one core names it in capitals). Only a DYNAMIC_ARCH build can be
# asked for another core.
AVX512_CORES = {"skylakex", "cooperlake", "sapphirerapids"}
AVX2_CORES = AVX512_CORES | {"haswell", "zen"}
CORE_CHOSEN_ENV = "VECTORCNN_OPENBLAS_CORE_CHOSEN"


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def better_core(core, flags):
    """The OpenBLAS core to ask for instead of `core`, or None when `core` already uses the widest
    vectors the CPU has (or the CPU is not known to have AVX2)."""
    if {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= flags:
        return None if core.lower() in AVX512_CORES else "SkylakeX"
    if {"avx2", "fma"} <= flags:
        return None if core.lower() in AVX2_CORES else "Haswell"
    return None


def restart_with_better_core(blas):
    """Runs this script again with OPENBLAS_CORETYPE set when OpenBLAS fell back to a core older
    than the CPU (see AVX512_CORES); returns only when it did not."""
    core = blas.corename()
    if core is None or CORE_CHOSEN_ENV in os.environ or "OPENBLAS_CORETYPE" in os.environ:
        return
    if "DYNAMIC_ARCH" not in blas.lib.openblas_get_config().decode():
        return
    better = better_core(core, cpu_flags())
    if better is None:
        return
    why = "OPENBLAS_CORETYPE=%s set by compare.py: by default OpenBLAS chose %s, which does not " \
          "use this CPU's %s" % (better, core, "AVX-512" if better.lower() in AVX512_CORES else "AVX2")
    print("compare.py: " + why, file=sys.stderr)
    env = dict(os.environ, OPENBLAS_CORETYPE=better, **{CORE_CHOSEN_ENV: why})
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


# ---- timing ------------------------------------------------------------------------------------

def measure(fn, min_time):
    """Seconds per call: the median over batches of calls, each batch ≥ 20 ms, after a warm-up."""
    fn()
    reps, t = 1, 0.0
    while True:  # warm-up that also sizes a batch
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        t = time.perf_counter() - t0
        if t >= 0.02:
            break
        reps *= 2
    batches, spent = [], 0.0
    while spent < min_time or len(batches) < 5:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = time.perf_counter() - t0
        batches.append(dt / reps)
        spent += dt
    batches.sort()
    return batches[len(batches) // 2]


def timed_round(call, seconds):
    """Calls per second of `call`, run until at least `seconds` have passed."""
    calls, t0 = 0, time.perf_counter()
    while True:
        call()
        calls += 1
        dt = time.perf_counter() - t0
        if dt >= seconds:
            return calls / dt


def neighbour_ratios(rates):
    """Each odd round's rate over the geometric mean of the rounds on either side (rounds 0, 2, …
    are the reference, 1, 3, … the measured)."""
    return [rates[i] / (rates[i - 1] * rates[i + 1]) ** 0.5 for i in range(1, len(rates) - 1, 2)]


def parse_gemm(s):
    m = re.fullmatch(r"([NT])([NT]):(\d+)x(\d+)x(\d+)", s)
    return m.group(1) == "T", m.group(2) == "T", int(m.group(3)), int(m.group(4)), int(m.group(5))


def parse_window(s):
    m = re.fullmatch(r"(\d+)x(\d+)x(\d+)x(\d+):(?:(\d+)x)?(\d+)x(\d+):s(\d+)p(\d+)", s)
    n, c, h, w = (int(m.group(i)) for i in range(1, 5))
    fn = int(m.group(5)) if m.group(5) else 0
    fh, fw, st, pad = (int(m.group(i)) for i in range(6, 10))
    return n, c, h, w, fn, fh, fw, st, pad


def rand(*shape):
    return np.random.default_rng(1).uniform(-1, 1, size=shape).astype(np.float32)


def trand(*shape, grad=False):
    t = torch.from_numpy(rand(*shape))
    return t.requires_grad_(grad)


# ---- references: one function per JMH benchmark, returning (label, seconds per op) or a reason ----

def sgemm_call(shape):
    ta, tb, m, n, k = parse_gemm(shape)
    a = rand(k, m).T if ta else rand(m, k)  # a transposed view: NumPy passes it to sgemm as 'T'
    b = rand(n, k).T if tb else rand(k, n)
    c = np.empty((m, n), dtype=np.float32)
    return lambda: np.matmul(a, b, out=c)


def ref_sgemm(shape, threads, blas, min_time):
    if np is None:
        return None, "NumPy missing: " + NUMPY_MISSING
    call = sgemm_call(shape)
    blas.threads(threads)
    return "OpenBLAS", measure(call, min_time)


def ref_affine(method, shape, threads, blas, min_time):
    if np is None:
        return None, "NumPy missing: " + NUMPY_MISSING
    n, d, mm = (int(v) for v in shape.split("x"))
    x, w, b, dout = rand(n, d), rand(d, mm), rand(mm), rand(n, mm)
    out, dx, dw = np.empty((n, mm), np.float32), np.empty((n, d), np.float32), np.empty((d, mm), np.float32)
    blas.threads(threads)

    def forward():
        np.matmul(x, w, out=out)
        np.add(out, b, out=out)

    def backward():
        np.matmul(dout, w.T, out=dx)
        np.matmul(x.T, dout, out=dw)
        return dout.sum(axis=0)

    return "OpenBLAS", measure(forward if method == "forward" else backward, min_time)


def torch_threads(n, blas):
    """PyTorch's intra-op threads, and OpenBLAS's: Debian's PyTorch runs its BLAS calls on the same
    OpenBLAS that NumPy loaded, which OPENBLAS_NUM_THREADS=1 would otherwise keep at one thread."""
    torch.set_num_threads(n)
    blas.threads(n)


def ref_conv(method, shape, threads, blas, min_time):
    if torch is None:
        return None, "PyTorch missing: " + TORCH_MISSING
    n, c, h, w, fn, fh, fw, st, pad = parse_window(shape)
    torch_threads(threads, blas)
    x, wt, b = trand(n, c, h, w, grad=True), trand(fn, c, fh, fw, grad=True), trand(fn, grad=True)
    with torch.no_grad():
        if method == "forward":
            return "PyTorch conv2d", measure(lambda: F.conv2d(x, wt, b, stride=st, padding=pad), min_time)
    out = F.conv2d(x, wt, b, stride=st, padding=pad)
    dout = trand(*out.shape)
    return "PyTorch conv2d", measure(
        lambda: torch.autograd.grad(out, (x, wt, b), dout, retain_graph=True), min_time)


def ref_pool(method, shape, threads, blas, min_time):
    if torch is None:
        return None, "PyTorch missing: " + TORCH_MISSING
    n, c, h, w, _, fh, fw, st, pad = parse_window(shape)
    torch_threads(threads, blas)
    x = trand(n, c, h, w, grad=True)
    if method == "forward":  # with the indices, as the library keeps its argmax
        with torch.no_grad():
            return "PyTorch max_pool2d", measure(
                lambda: F.max_pool2d(x, (fh, fw), st, pad, return_indices=True), min_time)
    out = F.max_pool2d(x, (fh, fw), st, pad)
    dout = trand(*out.shape)
    return "PyTorch max_pool2d", measure(lambda: torch.autograd.grad(out, x, dout, retain_graph=True), min_time)


def ref_unfold(kind, shape, threads, blas, min_time):
    if torch is None:
        return None, "PyTorch missing: " + TORCH_MISSING
    n, c, h, w, _, fh, fw, st, pad = parse_window(shape)
    torch_threads(threads, blas)
    with torch.no_grad():
        x = trand(n, c, h, w)
        col = F.unfold(x, (fh, fw), padding=pad, stride=st)  # [N, C·FH·FW, OH·OW]: the same layout
        if kind == "im2col":
            return "PyTorch unfold", measure(lambda: F.unfold(x, (fh, fw), padding=pad, stride=st), min_time)
        return "PyTorch fold", measure(lambda: F.fold(col, (h, w), (fh, fw), padding=pad, stride=st), min_time)


def ref_training_step(threads, blas, min_time):
    if torch is None:
        return None, "PyTorch missing: " + TORCH_MISSING
    torch_threads(threads, blas)
    return "PyTorch %d thr" % threads, measure(training_step_call(), min_time)


def training_step_call():
    """The book's SimpleConvNet with SimpleConvNet.Config.defaults(), batch 100, plain SGD."""
    torch.manual_seed(42)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 30, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2, 2), torch.nn.Flatten(),
        torch.nn.Linear(30 * 12 * 12, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.rand(100, 1, 28, 28)
    y = torch.randint(0, 10, (100,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()

    return step


def paired_speedup(call, set_threads, many, min_time):
    """How much faster `many` threads run `call` than one, measured as ThreadScalingBenchmark
    measures the library: 21 rounds alternate between one thread and `many`, starting and ending
    with one, and each many-thread round's rate is divided by the geometric mean of the
    one-thread rounds on either side. Returns the 10 ratios."""
    per_round = max(0.05, min_time / 8)
    for t in (1, many):  # warm-up, e.g. the pool's threads
        set_threads(t)
        call()
    rates = []
    for r in range(21):
        set_threads(1 if r % 2 == 0 else many)
        call()  # untimed, as the benchmark's iteration set-up
        rates.append(timed_round(call, per_round))
    set_threads(1)
    return neighbour_ratios(rates)


def ref_scaling(work, many, blas, min_time):
    """(label, ratios) for ThreadScalingBenchmark's work, or (None, reason)."""
    if work.startswith("sgemm/"):
        if np is None:
            return None, "NumPy missing: " + NUMPY_MISSING
        if blas.lib is None:  # its thread count could not be set: both rounds would run alike
            return None, "OpenBLAS not found in this NumPy's process"
        return "OpenBLAS", paired_speedup(sgemm_call(work[len("sgemm/"):]), blas.threads, many, min_time)
    if work == "training-step":
        if torch is None:
            return None, "PyTorch missing: " + TORCH_MISSING
        return "PyTorch", paired_speedup(training_step_call(), lambda t: torch_threads(t, blas), many, min_time)
    return None, "no reference for " + work


# ---- paired with OpenBLAS: rounds of the library and of OpenBLAS alternated -------------------------

class PairedPeer:
    """The library's PairedSgemm (jmh/src/main/java/.../bench/PairedSgemm.java) in its own JVM,
    timing sgemm in rounds on command."""

    def __init__(self, command):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline().strip()
        if not reply or reply.startswith("error"):
            raise RuntimeError("PairedSgemm: %r → %s" % (line, reply or "no reply (exited %s)" % self.proc.poll()))
        return reply

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def paired_rows(command, shapes, blas, quick, skipped):
    """For each shape: 21 rounds that alternate between OpenBLAS and the library, starting and
    ending with OpenBLAS, each round a second long (0.3 s with --quick); each library round's
    rate is divided by the geometric mean of the OpenBLAS rounds on either side. The library's
    JVM warms up first for 3 rounds. One thread on both sides."""
    if np is None or blas.lib is None:
        skipped.append("paired with OpenBLAS: %s" % ("NumPy missing: " + NUMPY_MISSING if np is None
                                                      else "OpenBLAS not found in this NumPy's process"))
        return []
    blas.threads(1)
    seconds = 0.3 if quick else 1.0
    rows = []
    try:
        peer = PairedPeer(command)
    except OSError as e:
        skipped.append("paired with OpenBLAS: could not start %s: %s" % (command[0], e))
        return []
    try:
        for shape in shapes:
            print("paired with OpenBLAS: sgemm %s" % shape, file=sys.stderr, flush=True)
            kernels = peer.ask("shape " + shape).split()[1]
            call = sgemm_call(shape)
            for _ in range(3):
                peer.ask("round %g" % seconds)
            timed_round(call, seconds)
            rates = []
            for r in range(21):
                if r % 2 == 0:
                    rates.append(timed_round(call, seconds))
                else:
                    calls, ns = (int(v) for v in peer.ask("round %g" % seconds).split())
                    rates.append(calls / (ns * 1e-9))
            ratios = neighbour_ratios(rates)
            mine = statistics.median(rates[1::2])
            ref = statistics.median(rates[0::2])
            note = SHAPE_NOTES.get(shape)
            rows.append([shape + (" — " + note if note else ""), kernels, fmt_time(1 / mine),
                         fmt_time(1 / ref), "%s (%d pairs)" % (fmt_spread(ratios), len(ratios))])
    except (RuntimeError, OSError, ValueError, IndexError, AttributeError) as e:
        # A failed check, a dead JVM, an odd reply or shape: keep the rest of the table.
        skipped.append("paired with OpenBLAS, from %s on: %s" % (shape, e))
    finally:
        peer.close()
    return rows


# ---- the JMH side ---------------------------------------------------------------------------------

def fork_median(metric):
    """The median over forks of each fork's mean: C2 can compile a fork well or badly (forks of
    the same trial differ by up to a third here), and the median keeps one odd fork from moving
    the number. Falls back to JMH's score (the mean of every iteration) without raw data."""
    if not metric:
        return None
    forks = [sum(f) / len(f) for f in metric.get("rawData") or [] if f]
    return statistics.median(forks) if forks else metric.get("score")


class Result:
    def __init__(self, entry):
        self.bench = entry["benchmark"][len(BENCH):] if entry["benchmark"].startswith(BENCH) else entry["benchmark"]
        self.params = entry.get("params", {})
        pm = entry["primaryMetric"]
        if pm["scoreUnit"] != "ops/s":
            raise SystemExit("compare.py: expected throughput in ops/s, got %s for %s" % (pm["scoreUnit"], self.bench))
        self.ops = fork_median(pm)
        self.ops_error = pm.get("scoreError")
        sec = entry.get("secondaryMetrics", {})
        self.gflops = fork_median(sec.get("gflop"))
        self.gbps = fork_median(sec.get("gbyte"))
        self.alloc = sec.get("gc.alloc.rate.norm", {}).get("score")

    @property
    def seconds(self):
        return 1.0 / self.ops if self.ops > 0 else float("inf")

    def work(self):
        """(amount per op, unit) from the counters: GFLOP or GB per operation."""
        if self.gflops is not None:
            return self.gflops / self.ops, "GFLOP/s"
        if self.gbps is not None:
            return self.gbps / self.ops, "GB/s"
        return None, None


def paired_iterations(entry):
    """ThreadScalingBenchmark's (one-thread rate, many-thread rate) pairs, in calls per second: in
    each fork, every many-thread iteration with the geometric mean of the one-thread iterations
    on either side."""
    sec = entry.get("secondaryMetrics", {})
    one = (sec.get("oneThread") or {}).get("rawData") or []
    many = (sec.get("manyThreads") or {}).get("rawData") or []
    pairs = []
    for one_fork, many_fork in zip(one, many):
        for i in range(1, min(len(one_fork), len(many_fork)) - 1):
            if many_fork[i] > 0 and one_fork[i] == 0 and one_fork[i - 1] > 0 and one_fork[i + 1] > 0:
                pairs.append(((one_fork[i - 1] * one_fork[i + 1]) ** 0.5, many_fork[i]))
    return pairs


def fmt_spread(ratios):
    """Median [first quartile, third quartile] of speedups, as "1.83× [1.76, 1.88]"."""
    if len(ratios) < 2:
        return "%.2f×" % ratios[0] if ratios else "—"
    q = statistics.quantiles(ratios, n=4)
    return "%.2f× [%.2f, %.2f]" % (statistics.median(ratios), q[0], q[2])


def scaling_rows(entries, blas, min_time, skipped):
    rows = []
    for e in entries:
        work, many = e["params"]["work"], int(e["params"]["manyThreads"])
        pairs = paired_iterations(e)
        if not pairs:
            skipped.append("thread scaling %s: no %d-thread iteration between two one-thread ones" % (work, many))
            continue
        print("timing reference: thread scaling %s" % work, file=sys.stderr, flush=True)
        ref_label, ref = ref_scaling(work, many, blas, min_time)
        if ref_label is None:
            skipped.append("thread scaling %s: %s" % (work, ref))
        one = statistics.median(p[0] for p in pairs)
        multi = statistics.median(p[1] for p in pairs)
        rows.append([work, "1 → %d" % many, fmt_time(1 / one), fmt_time(1 / multi),
                     "%s (%d pairs)" % (fmt_spread([m / o for o, m in pairs]), len(pairs)),
                     (ref_label + ": " + fmt_spread(ref)) if ref_label else "—"])
    return rows


def md_table(header, rows):
    """A Markdown table's lines."""
    return (["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
            + ["| " + " | ".join(r) + " |" for r in rows])


def fmt_time(s):
    if s is None:
        return "—"
    if s < 1e-3:
        return "%.1f µs" % (s * 1e6)
    if s < 1:
        return "%.3g ms" % (s * 1e3)
    return "%.3g s" % s


def fmt_cell(seconds, work, unit):
    if seconds is None:
        return "—"
    if work is None:
        return fmt_time(seconds)
    return "%s · %.1f %s" % (fmt_time(seconds), work / seconds, unit)


def read_env(path):
    env = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    env[k] = v
    return env


FAMILIES = [  # (JMH benchmark, table label, kind of rate)
    ("SgemmBenchmark.sgemm", "sgemm", "flop"),
    ("ConvolutionBenchmark.forward", "conv forward", "flop"),
    ("ConvolutionBenchmark.backward", "conv backward", "flop"),
    ("AffineBenchmark.forward", "affine forward", "flop"),
    ("AffineBenchmark.backward", "affine backward", "flop"),
    ("Im2colBenchmark.im2col", "im2col", "byte"),
    ("Col2imBenchmark.col2im", "col2im", "byte"),
    ("MaxPoolBenchmark.forward", "max-pool forward", "byte"),
    ("MaxPoolBenchmark.backward", "max-pool backward", "byte"),
    ("TrainingStepBenchmark.step", "SimpleConvNet step", "flop"),
]

BASELINE_KIND = {"Im2colBenchmark.im2col": "im2col", "Col2imBenchmark.col2im": "col2im",
                 "MaxPoolBenchmark.forward": "maxPoolForward", "MaxPoolBenchmark.backward": "maxPoolForward"}


def reference(bench, shape, threads, blas, min_time):
    method = bench.split(".")[-1]
    if bench == "SgemmBenchmark.sgemm":
        return ref_sgemm(shape, threads, blas, min_time)
    if bench.startswith("AffineBenchmark"):
        return ref_affine(method, shape, threads, blas, min_time)
    if bench.startswith("ConvolutionBenchmark"):
        return ref_conv(method, shape, threads, blas, min_time)
    if bench.startswith("MaxPoolBenchmark"):
        return ref_pool(method, shape, threads, blas, min_time)
    if bench == "Im2colBenchmark.im2col":
        return ref_unfold("im2col", shape, threads, blas, min_time)
    if bench == "Col2imBenchmark.col2im":
        return ref_unfold("col2im", shape, threads, blas, min_time)
    if bench == "TrainingStepBenchmark.step":
        return ref_training_step(threads, blas, min_time)
    return None, "no reference for " + bench


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jmh", required=True, help="JMH JSON result file (-rf json)")
    ap.add_argument("--env", help="key=value file written by io.github.vectorcnn.bench.Environment")
    ap.add_argument("--out", required=True, help="Markdown table to write")
    ap.add_argument("--quick", action="store_true", help="time each reference for 0.3 s instead of 2 s")
    ap.add_argument("--peak-gflops", type=float,
                    help="one core's FP32 peak in GFLOP/s (run.sh measures it with jmh/peak.c);"
                         " without it the % of peak column is left empty for GEMM-like rows")
    ap.add_argument("--peak-source", default="", help="how the peak was obtained, for the table's notes")
    ap.add_argument("--command", default="", help="the command that produced the run, for the table's header")
    ap.add_argument("--paired-jar", help="the JMH suite's benchmarks.jar: time --paired-shapes with its"
                    " PairedSgemm in rounds alternated with OpenBLAS")
    ap.add_argument("--paired-java", default="java", help="the java that runs --paired-jar (default: java)")
    ap.add_argument("--paired-shapes", default="", help="comma-separated sgemm shapes for --paired-jar")
    args = ap.parse_args()
    if bool(args.paired_jar) != bool(args.paired_shapes):
        ap.error("--paired-jar and --paired-shapes go together")
    min_time = 0.3 if args.quick else 2.0

    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ and not (var == "OPENBLAS_CORETYPE" and CORE_CHOSEN_ENV in os.environ):
            print("compare.py: note: %s=%s is set; OpenBLAS may not pick its best kernel for this CPU"
                  % (var, os.environ[var]), file=sys.stderr)

    with open(args.jmh) as f:
        entries = json.load(f)
    results = [Result(e) for e in entries]
    env = read_env(args.env)
    blas = OpenBlas()
    restart_with_better_core(blas)

    skipped = []
    if np is None:
        skipped.append("NumPy not installed (%s): no OpenBLAS column" % NUMPY_MISSING)
    if torch is None:
        skipped.append("PyTorch not installed (%s): no PyTorch column" % TORCH_MISSING)
    if env.get("vector.available") == "false":
        skipped.append("vectorcnn vector kernels not run: " + env.get("vector.reason", "unavailable"))

    baselines = {}
    for r in results:
        if r.bench == "MemoryBaselineBenchmark.arraycopy":
            baselines[r.params.get("like")] = r

    rows = []
    training_alloc = []
    boxed = []
    for bench, label, _ in FAMILIES:
        mine = [r for r in results if r.bench == bench]
        keys = []
        for r in mine:
            key = (r.params.get("shape", ""), int(r.params.get("threads", "1")))
            if key not in keys:
                keys.append(key)
        if bench == "TrainingStepBenchmark.step":  # PyTorch with 1 and 2 threads even without a JMH row
            for t in (1, 2):
                if ("", t) not in keys:
                    keys.append(("", t))
        for shape, threads in keys:
            by = {r.params.get("kernels"): r for r in mine
                  if r.params.get("shape", "") == shape and int(r.params.get("threads", "1")) == threads}
            vec, sca = by.get("vector"), by.get("scalar")
            any_r = vec or sca
            if any_r is None and mine:  # same work at any thread count (the training step)
                any_r = mine[0]
            work, unit = any_r.work() if any_r else (None, None)
            if bench == "TrainingStepBenchmark.step":
                shape_label = "batch 100, SGD, %d thread%s" % (threads, "" if threads == 1 else "s")
                for r in (vec, sca):
                    if r is not None and r.alloc is not None:
                        training_alloc.append("%s %d thr: %.1f KB/step" % (r.params["kernels"], threads, r.alloc / 1024))
                        if r.params["kernels"] == "vector" and r.alloc >= ALLOC_WARN_BYTES:
                            boxed.append("%s %d thr" % (r.params["kernels"], threads))
            else:
                shape_label = shape + ("" if threads == 1 else " (%d threads)" % threads)
            note = SHAPE_NOTES.get(shape)
            print("timing reference: %s %s" % (label, shape_label), file=sys.stderr, flush=True)
            ref_label, ref_s = reference(bench, shape, threads, blas, min_time)
            if ref_label is None:
                skipped.append("%s %s: %s" % (label, shape_label, ref_s))
                ref_s = None
            best = vec or sca
            ratio = "—"
            if best is not None and ref_s is not None:
                ratio = "%.2f×%s" % (ref_s / best.seconds, "" if vec else " (scalar)")
            pct = "—"
            if best is not None and unit == "GFLOP/s" and args.peak_gflops:
                peak = args.peak_gflops * threads
                ref_pct = "" if ref_s is None else " (ref %.0f%%)" % (100 * work / ref_s / peak)
                pct = "%.0f%%%s" % (100 * work / best.seconds / peak, ref_pct)
            elif best is not None and unit == "GB/s":
                base = baselines.get("%s/%s" % (BASELINE_KIND.get(bench, ""), shape))
                if base is not None and base.gbps:
                    pct = "%.0f%% of arraycopy" % (100 * (work / best.seconds) / base.gbps)
            rows.append([label, shape_label + (" — " + note if note else ""),
                         fmt_cell(vec.seconds if vec else None, work, unit),
                         fmt_cell(sca.seconds if sca else None, work, unit),
                         (ref_label + ": " if ref_label else "") + fmt_cell(ref_s, work, unit),
                         ratio, pct])

    scaling = scaling_rows([e for e in entries if e["benchmark"].endswith(".ThreadScalingBenchmark.call")],
                           blas, min_time, skipped)
    paired = []
    if args.paired_jar and args.paired_shapes:
        # The same JVM options as the JMH forks (@Fork's jvmArgsPrepend).
        command = [args.paired_java, "--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g",
                   "-cp", args.paired_jar, "io.github.vectorcnn.bench.PairedSgemm"]
        shapes = [x.strip() for x in args.paired_shapes.split(",") if x.strip()]
        paired = paired_rows(command, shapes, blas, args.quick, skipped)

    header = ["kernel", "shape", "vectorcnn vector", "vectorcnn scalar", "OpenBLAS / PyTorch",
              "ratio", "% of peak"]
    vector_name = env.get("vector.kernels") or "not available"
    lines = [
        "Measured %s on %s (%s cores), %s. vectorcnn vector kernels: %s." % (
            datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            env.get("cpu", platform.processor() or "?"), env.get("processors", "?"),
            env.get("java.vm", "JDK ?") + " (Java " + env.get("java.version", "?") + ")", vector_name),
        "",
        "NumPy %s, %s; PyTorch %s." % (
            np.__version__ if np is not None else "missing", blas.describe(),
            torch.__version__ if torch is not None else "missing"),
        "",
    ]
    if args.command:
        lines += ["Command: `%s`" % args.command, ""]
    lines += md_table(header, rows)
    lines += [
        "",
        "Each cell: time per operation · rate (GFLOP/s for GEMM, convolution, affine and the training "
        "step's GEMMs; GB/s of compulsory traffic for im2col, col2im and pooling; formulas in "
        "jmh/README.md). JMH throughput, median over forks of each fork's mean, one thread unless "
        "stated; references timed by compare.py in the same run (median of batches).",
        "ratio = reference time / vectorcnn time (> 1: vectorcnn is faster); computed with the vector "
        "kernels, or the scalar ones where marked.",
        "%% of peak = vectorcnn (reference) GFLOP/s over one core's peak × threads, %s; for "
        "memory-bound kernels, vectorcnn's GB/s over System.arraycopy's on the same bytes." % (
            "%.0f GFLOP/s%s" % (args.peak_gflops, " (" + args.peak_source + ")" if args.peak_source else "")
            if args.peak_gflops else "not given (run with --peak-gflops)"),
    ]
    if training_alloc:
        lines.append("Allocation per training step (JMH -prof gc, gc.alloc.rate.norm): "
                     + "; ".join(training_alloc) + ".")
    if boxed:
        # A step allocates a few KB; megabytes mean boxed vectors (a kernel C2 compiled with its
        # vectors on the heap), and every time in the table is then suspect.
        warning = ("**Warning**: the training step allocated %d KB or more per step (%s): vectors boxed "
                   "somewhere (see SimpleConvNetAllocationTest); the times are not the kernels' own."
                   % (ALLOC_WARN_BYTES // 1024, ", ".join(boxed)))
        lines += ["", warning]
        print(warning, file=sys.stderr)
    if scaling:
        sh = ["work", "threads", "vectorcnn, 1 thread", "vectorcnn, many threads", "speedup", "reference speedup"]
        lines += ["", "Thread scaling (ThreadScalingBenchmark, the default kernels: %s):" % (
            env.get("vector.kernels") if env.get("vector.available") == "true"
            else "scalar" if env.get("vector.available") == "false" else "not recorded (no --env)"), ""]
        lines += md_table(sh, scaling)
        lines += ["", "Measured iterations alternate between one thread and many, starting and ending with "
                  "one; speedup = a many-thread iteration's calls per second over the geometric mean of "
                  "the one-thread iterations on either side, median [quartiles] over all of them in all "
                  "forks; the times are medians over the same iterations. The reference alternates the "
                  "same way (21 rounds, OpenBLAS or PyTorch threads set per round)."]
    if paired:
        ph = ["sgemm", "kernels", "vectorcnn", "OpenBLAS", "ratio"]
        lines += ["", "Paired with OpenBLAS (one thread, compare.py --paired-jar):", ""]
        lines += md_table(ph, paired)
        lines += ["", "21 rounds of %s s per shape alternate between OpenBLAS and vectorcnn (its own JVM, "
                  "warmed up for 3 rounds), starting and ending with OpenBLAS; ratio = a vectorcnn "
                  "round's calls per second over the geometric mean of the OpenBLAS rounds on either "
                  "side (> 1: vectorcnn is faster), median [quartiles]; the times are medians of the "
                  "rounds." % ("0.3" if args.quick else "1")]
    if skipped:
        lines += ["", "Skipped:"] + ["- " + s for s in skipped]
    text = "\n".join(lines) + "\n"

    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, args.out)
    print(text)
    print("table written to " + args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
