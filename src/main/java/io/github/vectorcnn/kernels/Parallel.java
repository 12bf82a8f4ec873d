package io.github.vectorcnn.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
     * retired pool refuses); its worker indices follow the thread count it started with, so
     * per-worker scratch sized before the change may not fit: call this between computations.
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
     * The first exception thrown by a task is rethrown here.
     */
    public static void forEach(int count, Task task) {
        if (count <= 0) {
            return;
        }
        Pool p = pool;
        boolean[] inRegion = IN_REGION.get();
        if (p.threads == 1 || count == 1 || inRegion[0] || Thread.currentThread() instanceof Worker) {
            for (int i = 0; i < count; i++) {
                task.run(i, 0);
            }
            return;
        }
        int helpers = Math.min(p.threads, count) - 1;
        Region region = new Region(count, task, helpers);
        for (int h = 1; h <= helpers; h++) {
            final int worker = h;
            try {
                p.executor.execute(() -> region.work(worker));
            } catch (RejectedExecutionException e) {
                // setThreads replaced this pool meanwhile: the caller does that helper's share.
                region.helperNotStarted();
            }
        }
        inRegion[0] = true;
        try {
            region.work(0);
        } finally {
            inRegion[0] = false;
        }
        region.await();
    }

    private static final class Region {
        private final int count;
        private final Task task;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch helpersDone;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Region(int count, Task task, int helpers) {
            this.count = count;
            this.task = task;
            this.helpersDone = new CountDownLatch(helpers);
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
            } finally {
                if (worker != 0) {
                    helpersDone.countDown();
                }
            }
        }

        void helperNotStarted() {
            helpersDone.countDown();
        }

        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    helpersDone.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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

    private static final class Worker extends Thread {
        Worker(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }

    private static final class Pool {
        final int threads;
        final ExecutorService executor;

        Pool(int threads) {
            this.threads = threads;
            AtomicInteger id = new AtomicInteger();
            this.executor = threads == 1 ? null
                    : new ThreadPoolExecutor(threads - 1, threads - 1, 0L, TimeUnit.MILLISECONDS,
                            new LinkedBlockingQueue<>(),
                            r -> new Worker(r, "vectorcnn-" + id.incrementAndGet()));
        }

        void shutdown() {
            if (executor != null) {
                executor.shutdown();
            }
        }
    }
}
