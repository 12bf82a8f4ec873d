package io.github.vectorcnn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmChecksTest {

    static void rejected(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "\"" + e.getMessage() + "\" should name " + part);
        }
    }

    static float[] f(int n) {
        return new float[n];
    }

    @Test
    void negativeSizesNameAllThree() {
        rejected(() -> GemmChecks.check(false, false, -1, 2, 3, f(9), 0, 3, f(9), 0, 3, f(9), 0, 3),
                "m, n, k >= 0", "m=-1", "n=2", "k=3");
        rejected(() -> GemmChecks.check(false, false, 2, -5, 3, f(9), 0, 3, f(9), 0, 3, f(9), 0, 3), "n=-5");
        rejected(() -> GemmChecks.check(false, false, 2, 2, -2, f(9), 0, 3, f(9), 0, 3, f(9), 0, 3), "k=-2");
    }

    @Test
    void leadingDimensionBelowTheRowLengthIsRejectedForEachMatrixAndTranspose() {
        // m = 2, n = 4, k = 3. A is 2×3 (3×2 transposed), B 3×4 (4×3 transposed), C 2×4.
        rejected(() -> GemmChecks.check(false, false, 2, 4, 3, f(99), 0, 2, f(99), 0, 4, f(99), 0, 4),
                "lda", "expected >= 3", "columns of A", "got 2");
        rejected(() -> GemmChecks.check(true, false, 2, 4, 3, f(99), 0, 1, f(99), 0, 4, f(99), 0, 4),
                "lda", "expected >= 2", "got 1");
        rejected(() -> GemmChecks.check(false, false, 2, 4, 3, f(99), 0, 3, f(99), 0, 3, f(99), 0, 4),
                "ldb", "expected >= 4", "columns of B", "got 3");
        rejected(() -> GemmChecks.check(false, true, 2, 4, 3, f(99), 0, 3, f(99), 0, 2, f(99), 0, 4),
                "ldb", "expected >= 3", "got 2");
        rejected(() -> GemmChecks.check(false, false, 2, 4, 3, f(99), 0, 3, f(99), 0, 4, f(99), 0, 0),
                "ldc", "expected >= 4", "columns of C", "got 0");
        rejected(() -> GemmChecks.check(false, false, 2, 4, 0, f(0), 0, 0, f(0), 0, 4, f(8), 0, 4),
                "lda", "expected >= 1", "got 0");
    }

    @Test
    void arraysTooShortNameTheMatrixItsShapeAndTheLengths() {
        // A 2×3 with lda 3 needs 6 values; with offset 2, 8; with lda 5 the last row still ends
        // at 5 + 3 = 8, not 10.
        rejected(() -> GemmChecks.check(false, false, 2, 4, 3, f(5), 0, 3, f(12), 0, 4, f(8), 0, 4),
                "sgemm A", "2x3", "needs 6", "array has 5");
        rejected(() -> GemmChecks.check(false, false, 2, 4, 3, f(7), 2, 3, f(12), 0, 4, f(8), 0, 4),
                "sgemm A", "offset 2", "needs 8", "array has 7");
        rejected(() -> GemmChecks.check(false, false, 2, 4, 3, f(6), 0, 3, f(11), 0, 4, f(8), 0, 4),
                "sgemm B", "3x4", "needs 12", "array has 11");
        rejected(() -> GemmChecks.check(false, true, 2, 4, 3, f(6), 0, 3, f(11), 0, 3, f(8), 0, 4),
                "sgemm B", "4x3", "needs 12", "array has 11");
        rejected(() -> GemmChecks.check(false, false, 2, 4, 3, f(6), 0, 3, f(12), 0, 4, f(9), 2, 4),
                "sgemm C", "2x4", "offset 2", "needs 10", "array has 9");
        rejected(() -> GemmChecks.check(false, false, 2, 4, 3, f(6), -1, 3, f(12), 0, 4, f(8), 0, 4),
                "sgemm A", "offset -1");
    }

    @Test
    void exactFitsAndEmptyProductsPass() {
        assertDoesNotThrow(() -> GemmChecks.check(false, false, 2, 4, 3, f(8), 0, 5, f(12), 0, 4, f(8), 0, 4));
        assertDoesNotThrow(() -> GemmChecks.check(true, true, 2, 4, 3, f(6), 0, 2, f(12), 0, 3, f(8), 0, 4));
        assertDoesNotThrow(() -> GemmChecks.check(false, false, 0, 0, 0, f(0), 0, 1, f(0), 0, 1, f(0), 0, 1));
        assertDoesNotThrow(() -> GemmChecks.check(false, false, 2, 3, 0, f(0), 0, 1, f(0), 0, 3, f(6), 0, 3));
    }
}
