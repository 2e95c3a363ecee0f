package netbook.internal.djl;

import static netbook.dsl.Layers.*;
import static netbook.engine.Blocks.lambda;
import static netbook.internal.djl.LayerCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import netbook.dsl.Net;
import netbook.dsl.Shape;
import org.junit.jupiter.api.Test;

class CompilerTest {
    private static final Shape IMG = Shape.of(4, 9, 9);

    @Test
    void convolutionsOfEveryKindMatchTheirSpec() {
        check(conv(8, 3), IMG, Shape.of(8, 7, 7), 8 * 4 * 9 + 8);
        check(conv(8, 1, 7).padding(0, 3), IMG, Shape.of(8, 9, 9), 8 * 4 * 7 + 8);
        check(conv(8, 3).same().dilation(2), IMG, Shape.of(8, 9, 9), 8 * 4 * 9 + 8);
        check(conv(8, 3).stride(2).padding(1).groups(2).noBias(), IMG, Shape.of(8, 5, 5), 8 * 2 * 9);
        check(convTranspose(3, 4).stride(2).padding(1), IMG, Shape.of(3, 18, 18), 4 * 3 * 16 + 3);
    }

    @Test
    void normsPoolsAndActivationsMatchTheirSpec() {
        check(batchNorm(), IMG, IMG, 8);
        check(lrn(5), IMG, IMG, 0);
        check(maxPool(3).stride(2).ceil(), IMG, Shape.of(4, 4, 4), 0);
        check(avgPool(3).stride(1).padding(1).excludePad(), IMG, IMG, 0);
        check(adaptiveAvgPool(3, 3), IMG, Shape.of(4, 3, 3), 0);
        check(adaptiveAvgPool(4, 4), IMG, Shape.of(4, 4, 4), 0);
        check(globalAvgPool(), IMG, Shape.of(4), 0);
        check(glu(), IMG, Shape.of(2, 9, 9), 0);
        for (var a : List.of(relu(), elu(), gelu(), tanh(), sigmoid(), softmax(), dropout(0.5))) {
            check(a, IMG, IMG, 0);
        }
    }

    @Test
    void denseLayersMatchTheirSpec() {
        check(flatten(), IMG, Shape.of(324), 0);
        check(reshape(36, 9), IMG, Shape.of(36, 9), 0);
        check(linear(5), Shape.of(12), Shape.of(5), 65);
        check(layerNorm(), Shape.of(12), Shape.of(12), 24);
        check(embedding(10, 3), Shape.of(6), Shape.of(6, 3), 30);
    }

    @Test
    void containersMatchTheirSpec() {
        check(residual(conv(4, 3).padding(1), batchNorm()).scale(0.2), IMG, IMG, 4 * 4 * 9 + 4 + 8);
        check(residual(conv(6, 3).stride(2).padding(1)).shortcut(conv(6, 1).stride(2)), IMG, Shape.of(6, 5, 5),
                6 * 4 * 9 + 6 + 6 * 4 + 6);
        check(branches(conv(3, 1), seq(conv(2, 1), conv(5, 3).padding(1)), maxPool(3).stride(1).padding(1)), IMG,
                Shape.of(12, 9, 9), 15 + 10 + 2 * 9 * 5 + 5);
        check(sumOf(conv(3, 1), conv(3, 3).padding(1)), IMG, Shape.of(3, 9, 9), 15 + 4 * 9 * 3 + 3);
    }

    @Test
    void parameterNamesFollowBlockPaths() {
        Net net = Net.input(1, 8, 8).add(
                repeat(2, "stage", s -> seq(conv(4, 3).padding(1), batchNorm(), relu())),
                flatten(), linear(3).named("head"));
        try (Compiled c = Compiled.of(net, Device.cpu(), 1)) {
            List<String> names = new ArrayList<>();
            for (Pair<String, Parameter> p : c.block().getParameters()) names.add(p.getKey());
            assertTrue(names.contains("stage2_conv1_weight"), names.toString());
            assertTrue(names.contains("head_bias"), names.toString());
        }
    }

    @Test
    void auxiliaryHeadsAddOutputsInTrainingOnly() {
        Net net = Net.input(2, 6, 6).add(conv(4, 3).padding(1), aux(0.3, flatten(), linear(3)), flatten(), linear(5));
        assertEquals(1, net.auxHeads().size());
        try (Compiled c = Compiled.of(net, Device.cpu(), 2)) {
            NDArray x = c.manager().ones(new ai.djl.ndarray.types.Shape(2, 2, 6, 6));
            NDList train = c.forward(x, true);
            NDList infer = c.forward(x, false);
            assertEquals(2, train.size());
            assertEquals(new ai.djl.ndarray.types.Shape(2, 3), train.get(1).getShape());
            assertEquals(1, infer.size());
            // The loss finds the head's output by name, not by position, with the head's weight.
            java.util.Map<String, Double> weights = Compiler.auxiliaryWeights(c.block());
            assertEquals(java.util.Map.of("aux:aux1", 0.3), weights);   // the head's path in the summary: aux1
            assertEquals(train.get(1), train.get("aux:aux1"));
        }
    }

    @Test
    void lambdaLayersRunTheirForwardFunction() {
        Net net = Net.input(3).add(lambda("Double", s -> s, x -> x.mul(2)));
        try (Compiled c = Compiled.of(net, Device.cpu(), 1)) {
            NDArray y = c.forward(c.manager().create(new float[] {1, 2, 3}).reshape(1, 3), false).head();
            assertArrayEquals(new float[] {2, 4, 6}, y.toFloatArray());
        }
    }

    @Test
    void averagePoolingExcludesPaddingFromTheDivisorOnlyWhenAsked() {
        // 3x3 input 1..9, 3x3 windows, stride 1, padding 1: the corner window holds 1, 2, 4, 5.
        float[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Net exclude = Net.input(1, 3, 3).add(avgPool(3).stride(1).padding(1).excludePad());
        Net include = Net.input(1, 3, 3).add(avgPool(3).stride(1).padding(1));
        try (Compiled e = Compiled.of(exclude, Device.cpu(), 1); Compiled i = Compiled.of(include, Device.cpu(), 1)) {
            float[] ex = e.forward(e.manager().create(image).reshape(1, 1, 3, 3), false).head().toFloatArray();
            float[] in = i.forward(i.manager().create(image).reshape(1, 1, 3, 3), false).head().toFloatArray();
            assertEquals(12f / 4, ex[0], 1e-6);   // corner: 4 real inputs
            assertEquals(21f / 6, ex[1], 1e-6);   // edge: 1+2+3+4+5+6 over 6
            assertEquals(5f, ex[4], 1e-6);        // centre: all 9 real
            assertEquals(12f / 9, in[0], 1e-6);   // PyTorch's default counts the padding
            assertEquals(5f, in[4], 1e-6);
        }
    }
}
