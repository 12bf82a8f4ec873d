package io.github.vectorcnn.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary results next to JMH's own. Each benchmark adds the work of one call to a counter; in
 * throughput mode JMH divides the sum by the measured time, so a counter of GFLOP reads as
 * GFLOP/s and one of GB reads as GB/s ("ops/s" in JMH's unit column). The work per call is
 * computed from the shape by the formulas in jmh/README.md, not measured.
 */
public final class Counters {
    private Counters() {
    }

    /** Floating-point operations (one fused multiply-add = 2), in units of 10^9. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    /** Compulsory memory traffic (bytes read once + bytes written), in units of 10^9 bytes. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public double gbyte;

        @Setup(Level.Iteration)
        public void reset() {
            gbyte = 0;
        }
    }
}
