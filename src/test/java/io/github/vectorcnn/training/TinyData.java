package io.github.vectorcnn.training;

import io.github.vectorcnn.Tensor;
import io.github.vectorcnn.data.DataSet;
import io.github.vectorcnn.networks.SimpleConvNet;

import java.util.SplittableRandom;

/** A small learnable problem for trainer tests: 3 classes, the bright band's row decides. */
final class TinyData {
    private TinyData() {
    }

    static SimpleConvNet.Config config() {
        return SimpleConvNet.Config.defaults().withInput(1, 8, 8).withConv(3, 3, 0, 1).withHidden(8)
                .withClasses(3).withInit(SimpleConvNet.Init.HE, 0).withSeed(5);
    }

    static DataSet make(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(n, 1, 8, 8);
        int[] labels = new int[n];
        float[] d = x.data();
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(3);
            labels[i] = label;
            for (int p = 0; p < 64; p++) {
                int row = p / 8;
                float base = row / 3 == label ? 0.8f : 0.1f;
                d[i * 64 + p] = Math.min(1f, (float) (base + 0.2 * r.nextDouble()));
            }
        }
        return DataSet.of(x, labels);
    }
}
