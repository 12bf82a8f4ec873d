package io.github.vectorcnn.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread pool every kernel and layer shares: {@code threads() − 1} daemon workers plus the
 * calling thread, created once, never a thread per call.
 *
 * <p>The count defaults to the available processors; the system property
 * {@value #THREADS_PROPERTY} or {@link #setThreads(int)} changes it.
 *
 * <p>Determinism is the callers' job and this class makes it easy: {@link #forEach} runs task
 * indices {@code 0..count−1} in whatever order and on whatever thread, so callers partition work by
 * <em>output</em> (rows, columns, images, fixed-size chunks) and never by thread count; each sum is
 * then taken in the same order whatever the number of threads, and results are bitwise identical.
 *
 * <p>Nested calls (a parallel layer calling a parallel kernel) run the inner loop inline on the
 * calling thread, so the pool never waits on itself.
 *
 * <p>Hand-off: the caller publishes the loop and works on it at once; helpers that are spinning
 * (for {@link #SPIN_NANOS} after their last loop) join within a microsecond or so, parked ones are
 * unparked. No executor queue, latch or per-call Runnable: a loop allocates one small object.
 */
public final class Parallel {
    /** System property with the number of threads (≥ 1); default: available processors. */
    public static final String THREADS_PROPERTY = "vectorcnn.threads";

    /** One unit of work: {@code index} in {@code [0, count)}, {@code worker} in {@code [0, threads())}. */
    @FunctionalInterface
    public interface Task {
        void run(int index, int worker);
    }

    private static final ThreadLocal<boolean[]> IN_REGION = ThreadLocal.withInitial(() -> new boolean[1]);
    private static volatile Pool pool = new Pool(initialThreads());

    private Parallel() {
    }

    private static int initialThreads() {
        String v = System.getProperty(THREADS_PROPERTY);
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(v.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("-D" + THREADS_PROPERTY + ": expected an integer >= 1, got \""
                + v + "\"");
    }

    /** The number of threads a parallel loop may use, the caller included. */
    public static int threads() {
        return pool.threads;
    }

    /**
     * Sets the number of threads (≥ 1). The old workers finish what they hold and exit. A loop
     * that another thread starts meanwhile still completes (the caller takes on the shares the
     * retired pool's helpers no longer take); its worker indices follow the thread count it
     * started with, so per-worker scratch sized before the change may not fit: call this between
     * computations.
     */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected >= 1, got " + threads);
        }
        if (threads == pool.threads) {
            return;
        }
        Pool old = pool;
        pool = new Pool(threads);
        old.shutdown();
    }

    /**
     * Runs {@code task.run(i, worker)} for every i in {@code [0, count)} and returns when all are
     * done. Indices are handed out dynamically; {@code worker} identifies the participating thread
     * (0 is the caller) so a task may use per-worker scratch space of {@link #threads()} slots.
     * The first exception thrown by a task is rethrown here. A nested loop runs inline with the
     * worker index of the task that started it, so per-worker scratch stays one thread's. A loop
     * started while another thread's loop holds the pool runs on the calling thread alone, as
     * worker 0: scratch it shares with that other loop (one object used from two threads at
     * once) is not supported.
     */
    public static void forEach(int count, Task task) {
        if (count <= 0) {
            return;
        }
        Pool p = pool;
        boolean[] inRegion = IN_REGION.get();
        if (p.threads == 1 || count == 1 || inRegion[0] || Thread.currentThread() instanceof Worker
                || !p.busy.compareAndSet(false, true)) {
            // Inside a helper's task, that helper's index: with 0, a nested loop on helper 1 and
            // the caller's own tasks used slot 0 at the same time.
            int worker = Thread.currentThread() instanceof Worker w ? w.index : 0;
            for (int i = 0; i < count; i++) {
                task.run(i, worker);
            }
            return;
        }
        Region region = new Region(count, task, Thread.currentThread(), ++p.regions);
        inRegion[0] = true;
        try {
            p.post(region);
            region.work(0);
            region.awaitHelpers();
        } finally {
            p.posted = null;
            p.busy.set(false);
            inRegion[0] = false;
        }
        region.rethrow();
    }

    /** One loop: indices claimed from a shared counter by the caller and whichever helpers join. */
    private static final class Region {
        private final int count;
        private final Task task;
        private final Thread caller;
        /** Which of the pool's loops this is: a helper remembers the number, not the region and its task. */
        private final long sequence;
        private final AtomicInteger next = new AtomicInteger();
        /** Helpers inside {@link #help}: one that joins after the last index was claimed finds none. */
        private final AtomicInteger helping = new AtomicInteger();
        private volatile boolean callerParked;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Region(int count, Task task, Thread caller, long sequence) {
            this.count = count;
            this.task = task;
            this.caller = caller;
            this.sequence = sequence;
        }

        void work(int worker) {
            try {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    if (failure.get() != null) {
                        break;
                    }
                    task.run(i, worker);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        void help(int worker) {
            helping.incrementAndGet();
            try {
                work(worker);
            } finally {
                if (helping.decrementAndGet() == 0 && callerParked) {
                    LockSupport.unpark(caller);
                }
            }
        }

        /** Returns when every claimed index has finished (the caller's loop ended: none is left). */
        void awaitHelpers() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (helping.get() != 0) {
                if (System.nanoTime() - spinUntil < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                // Volatile flag then recheck, against the helper's decrement then flag check: one
                // of the two sees the other, so the last helper cannot miss a parked caller.
                callerParked = true;
                if (helping.get() != 0) {
                    LockSupport.park(this);
                }
                callerParked = false;
            }
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }

    /**
     * How long an idle helper (and a caller waiting for helpers) spins before it parks: 100 µs. A
     * training step hands work out a dozen times with short serial gaps between; a helper that
     * parked in a gap had to be woken (tens of µs on this VM) and found its caches cold: in
     * SimpleConvNet's forward it ran each image at about half the caller's speed. Spinning costs a
     * core for at most this long after the last loop, as OpenMP runtimes and OpenBLAS do.
     */
    static final long SPIN_NANOS = Long.getLong("vectorcnn.spin.nanos", 100_000L);

    private static final class Worker extends Thread {
        private final Pool pool;
        private final int index;
        private volatile boolean parked;

        Worker(Pool pool, int index) {
            super("vectorcnn-" + index);
            this.pool = pool;
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            long served = 0;
            long idleSince = System.nanoTime() - SPIN_NANOS; // a new helper parks until its first loop
            while (!pool.shutdown) {
                Region r = pool.posted;
                if (r != null && r.sequence != served) {
                    served = r.sequence;
                    r.help(index);
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    // As in awaitHelpers: flag, then recheck; post() writes, then reads the flag.
                    parked = true;
                    r = pool.posted;
                    if ((r == null || r.sequence == served) && !pool.shutdown) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
            }
        }
    }

    private static final class Pool {
        final int threads;
        final Worker[] workers;
        /** Held by the one loop that is using the helpers. */
        final AtomicBoolean busy = new AtomicBoolean();
        volatile Region posted;
        volatile boolean shutdown;
        /** Set once {@link #workers} is filled and started (by the first loop). */
        volatile boolean started;
        /** Loops started on this pool; written only by the holder of {@link #busy}. */
        long regions;

        Pool(int threads) {
            this.threads = threads;
            this.workers = new Worker[threads - 1];
        }

        /**
         * Publishes the region; parked helpers are woken (the others are spinning on it). The
         * helpers start with the first loop, so a pool that setThreads replaces before any loop
         * ran never starts a thread. Called only by the holder of {@link #busy}.
         */
        void post(Region region) {
            if (!started) {
                for (int i = 0; i < workers.length; i++) {
                    workers[i] = new Worker(this, i + 1);
                    workers[i].start();
                }
                started = true;
            }
            posted = region;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
        }

        /** Helpers finish the region they are in and exit; a later loop on this pool runs alone. */
        void shutdown() {
            shutdown = true;
            // Not started yet: a helper that parks before post() sets the flag is unparked by that
            // post(), sees the shutdown and exits.
            if (started) {
                for (Worker w : workers) {
                    LockSupport.unpark(w);
                }
            }
        }
    }
}
