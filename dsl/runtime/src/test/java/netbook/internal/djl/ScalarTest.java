package netbook.internal.djl;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import netbook.dsl.Net;
import netbook.loss.Losses;
import org.junit.jupiter.api.Test;

/**
 * Constants in the backward pass. DJL's {@code x.mul(0.17f)} leaves libtorch's autograd holding a
 * tensor over a Java buffer the garbage collector frees; these tests collect garbage between
 * forward and backward, the moment that exposed it, and demand exact gradients.
 */
class ScalarTest {

    /** Forces a collection and reuses freed native memory, as a busy training step does. */
    private static void churn(NDManager m) {
        System.gc();
        for (int k = 0; k < 200; k++) {
            try (NDArray t = m.create(new float[256])) {
                t.addi(12345f);
            }
        }
    }

    @Test
    void constantsKeepTheirValueInBackward() {
        List<Function<NDArray, NDArray>> ops = List.of(
                x -> Scalar.mul(x, 0.17), x -> Scalar.div(x, 4), x -> Scalar.pow(x, 2), x -> Scalar.maximum(x, 1.5));
        float[][] expected = {{0.17f, 0.17f}, {0.25f, 0.25f}, {2f, 6f}, {0f, 1f}}; // d/dx at x = (1, 3)
        try (NDManager base = NDManager.newBaseManager()) {
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < ops.size(); i++) {
                    try (NDManager m = base.newSubManager()) {
                        NDArray x = m.create(new float[] {1f, 3f});
                        x.setRequiresGradient(true);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray y = ops.get(i).apply(x).sum();
                            churn(m);
                            gc.backward(y);
                        }
                        assertArrayEquals(expected[i], x.getGradient().toFloatArray(), "op " + i + ", round " + round);
                    }
                }
            }
        }
    }

    /**
     * Netbook's layers whose backward needs a constant: the residual scale, local response
     * normalisation and the weights of auxiliary losses. Parameter gradients must be bit-identical
     * in every round, garbage collection between forward and backward or not.
     */
    @Test
    void layersWithConstantsGiveTheSameGradientsEveryRound() {
        Net residual = Net.input(8, 5, 5).add(residual(conv(4, 1), conv(8, 1)).scale(0.17), relu(), flatten(), linear(3));
        Net lrn = Net.input(8, 5, 5).add(conv(8, 1), lrn(5), flatten(), linear(3));
        Net aux = Net.input(8, 5, 5).add(conv(8, 1), relu(), aux(0.3, flatten(), linear(3)), flatten(), linear(3));
        for (Net net : List.of(residual.named("residual-scale"), lrn.named("lrn"), aux.named("aux-weight"))) {
            Loss loss = Losses.withAuxiliary(Losses.crossEntropy(), Compiler.auxiliaryWeights(Compiler.compile(net)));
            List<float[]> first = null;
            for (int round = 0; round < 6; round++) {
                List<float[]> grads = gradients(net, loss, round > 0);
                if (first == null) {
                    first = grads;
                } else {
                    assertEquals(first.size(), grads.size());
                    for (int k = 0; k < grads.size(); k++) {
                        assertArrayEquals(first.get(k), grads.get(k), net.name() + ": gradient " + k + " differs in round " + round);
                    }
                }
            }
        }
    }

    private static List<float[]> gradients(Net net, Loss loss, boolean churn) {
        Engine.getInstance().setRandomSeed(5);
        Block block = Compiler.compile(net);
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.ndarray.types.Shape in = new ai.djl.ndarray.types.Shape(net.inputShape().withBatch(4));
            block.initialize(m, DataType.FLOAT32, in);
            float[] xs = new float[(int) in.size()];
            for (int i = 0; i < xs.length; i++) xs[i] = (float) Math.sin(i);
            NDArray x = m.create(xs, in);
            NDArray y = m.create(new float[] {0, 1, 2, 1});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList pred = block.forward(new ParameterStore(m, false), new NDList(x), true);
                NDArray l = loss.evaluate(new NDList(y), pred);
                if (churn) churn(m);
                gc.backward(l);
            }
            List<float[]> out = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) out.add(p.getValue().getArray().getGradient().toFloatArray());
            }
            return out;
        }
    }
}
