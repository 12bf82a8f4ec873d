package io.github.vectorcnn;

import io.github.vectorcnn.gradcheck.GradientCheck;
import io.github.vectorcnn.gradcheck.GradientCheckOptions;
import io.github.vectorcnn.gradcheck.GradientCheckResult;
import io.github.vectorcnn.gradcheck.KinkFreeInputs;
import io.github.vectorcnn.layers.Convolution;
import io.github.vectorcnn.networks.SimpleConvNet;
import io.github.vectorcnn.training.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's code, run as written, so the examples a newcomer copies keep compiling and working. */
class ReadmeExamplesTest {

    @Test
    void embeddingExampleTrainsAndPredicts() {
        SimpleConvNet net = new SimpleConvNet(SimpleConvNet.Config.defaults()); // 1×28×28 → 10 classes
        Adam adam = new Adam();                                                 // lr 0.001, the book's
        Tensor x = Tensor.zeros(100, 1, 28, 28);                                // a batch, NCHW, in [0, 1]
        int[] labels = new int[100];                                            // class indices
        for (int step = 0; step < 10; step++) {
            adam.update(net.params(), net.gradient(x, labels));                 // forward, backward, update
        }
        Tensor scores = net.predict(x);                                         // [100, 10]

        assertArrayEquals(new int[] {100, 10}, scores.shape());
        // Every label is 0, so ten Adam steps must have pushed class 0 ahead.
        assertTrue(scores.get(0, 0) > scores.get(0, 1), "class 0 should lead after training on it");
    }

    @Test
    void gradientCheckExamplePasses() {
        Tensor w = KinkFreeInputs.uniform(1, 0.5, 4, 3, 3, 3);                   // 4 filters 3×3 over 3 channels
        Convolution conv = new Convolution(w, Tensor.zeros(4), 1, 1);
        Tensor input = KinkFreeInputs.uniform(2, 1.0, 2, 3, 7, 6);               // batch 2, 3×7×6
        GradientCheckResult r = GradientCheck.checkLayer(conv, input, GradientCheckOptions.piecewiseLinear());
        System.out.println(r);           // per tensor: entries checked, kinks, max relative error, PASS/FAIL/KINK
        if (!r.passed()) throw new AssertionError(r);
    }

    /**
     * Every {@code java} block of the README and docs/training.md compiles as shown, with its own
     * imports only: its import lines stay imports, the rest becomes a method body.
     */
    @Test
    void everyJavaBlockOfTheDocsCompilesWithItsOwnImports(@TempDir Path dir) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int blocks = 0;
        for (String doc : List.of("README.md", "docs/training.md")) {
            Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of(doc)));
            while (m.find()) {
                StringBuilder imports = new StringBuilder(), body = new StringBuilder();
                for (String line : m.group(1).split("\n")) {
                    (line.startsWith("import ") ? imports : body).append(line).append('\n');
                }
                String name = "DocBlock" + blocks++;
                String source = imports + "class " + name + " {\n    void run() throws Exception {\n" + body + "    }\n}\n";
                Path file = dir.resolve(name + ".java");
                Files.writeString(file, source);
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int rc = javac.run(null, err, err, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                        file.toString());
                assertEquals(0, rc, doc + ": a java block does not compile as shown:\n" + source + err);
            }
        }
        assertEquals(3, blocks, "java blocks found in the docs");
    }

    @Test
    void readmeShowsTheseExamplesVerbatim() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (String line : new String[] {
                "adam.update(net.params(), net.gradient(x, labels));",
                "Tensor scores = net.predict(x);",
                "GradientCheckResult r = GradientCheck.checkLayer(conv, input, GradientCheckOptions.piecewiseLinear());",
                "Convolution conv = new Convolution(w, Tensor.zeros(4), 1, 1);"}) {
            assertTrue(readme.contains(line), "README.md no longer shows: " + line);
        }
    }
}
