/**
 * Gradient checking: central differences against backpropagation, for any
 * {@link io.github.vectorcnn.layers.Layer}, any scalar loss, and whole networks.
 *
 * <p>Check your own layer:
 * <pre>{@code
 * GradientCheckOptions options = GradientCheckOptions.piecewiseLinear(); // h = 1e-2
 * Tensor x = KinkFreeInputs.separatedGrid(42, options.h(), 2, 3, 8, 8); // no kink within h
 * GradientCheckResult result = GradientCheck.checkLayer(new MyLayer(), x, options);
 * System.out.print(result);          // one row per tensor: input, W, b …
 * if (!result.passed()) throw new AssertionError(result);
 * }</pre>
 *
 * <p>Check a network's loss (any network: a loss supplier and its parameters and gradients):
 * <pre>{@code
 * Map<String, Tensor> grads = net.gradient(x, labels);             // backprop once
 * GradientCheckResult r = GradientCheck.checkLoss("my net", () -> net.loss(x, labels),
 *         net.params(), grads, piecewiseLinearLayers, GradientCheckOptions.smooth());
 * }</pre>
 *
 * <p>{@link io.github.vectorcnn.gradcheck.GradientCheckOptions} documents h, the tolerances and
 * why; {@link io.github.vectorcnn.gradcheck.GradientCheckReport} is the command-line report over
 * every layer of the library.
 */
package io.github.vectorcnn.gradcheck;
