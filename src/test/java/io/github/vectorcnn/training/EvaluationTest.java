package io.github.vectorcnn.training;

import io.github.vectorcnn.data.DataSet;
import io.github.vectorcnn.networks.SimpleConvNet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationTest {

    /**
     * Weights scaled up until the network is confidently wrong on some images: the evaluation's
     * loss must still be the training loss's (floored at −log 1e-7 per image), batch or no batch.
     */
    @Test
    void lossIsTheTrainingLossEvenWhenConfidentlyWrong() {
        SimpleConvNet net = new SimpleConvNet(TinyData.config());
        for (float[] w : new float[][] {net.params().get("W2").data(), net.params().get("W3").data()}) {
            for (int i = 0; i < w.length; i++) {
                w[i] *= 40f;
            }
        }
        DataSet data = TinyData.make(12, 4);
        double training = net.loss(data.images(), data.labels());
        Evaluation whole = Evaluation.of(net, data, 12, 12);
        Evaluation batched = Evaluation.of(net, data, 12, 5);
        assertTrue(training > 3, "the test needs confidently wrong images, mean loss " + training);
        assertEquals(training, whole.loss(), 1e-4 * training);
        assertEquals(whole.loss(), batched.loss(), 1e-9);
        assertTrue(whole.loss() <= -Math.log(1e-7) + 1e-6, "loss " + whole.loss());
        assertEquals(whole.accuracy(), net.accuracy(data.images(), data.labels(), 12), 0.0);
    }

    /** 9 × 9 images through a 3 × 3 convolution and 2 × 2 pool come out as 8 × 8 ones do: checked, not scored. */
    @Test
    void imagesOfAnotherSizeAreRejected() {
        SimpleConvNet net = new SimpleConvNet(TinyData.config());
        DataSet bigger = DataSet.of(io.github.vectorcnn.Tensor.zeros(2, 1, 9, 9), new int[] {0, 1});
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Evaluation.of(net, bigger, 2, 2));
        assertTrue(e.getMessage().contains("images expected 1x8x8 (the network's input), got 1x9x9"), e.getMessage());
    }
}
