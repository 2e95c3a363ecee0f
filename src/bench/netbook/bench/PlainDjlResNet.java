package netbook.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;

/**
 * The peer of the DSL-built ResNet-18 (small-input form): the same network written by hand in
 * plain DJL, the way d2l-java does it. Used only to measure the DSL's overhead.
 */
final class PlainDjlResNet {
    private PlainDjlResNet() {}

    static Block build(int[] widths, int classes) {
        SequentialBlock net = new SequentialBlock();
        net.add(conv(widths[0], 3, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
        int in = widths[0];
        for (int s = 0; s < 4; s++) {
            for (int b = 0; b < 2; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                net.add(basic(widths[s], stride, in != widths[s] || stride != 1));
                in = widths[s];
            }
        }
        net.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(classes).build());
        return net;
    }

    private static Block basic(int width, int stride, boolean project) {
        SequentialBlock body = new SequentialBlock()
                .add(conv(width, 3, stride)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(conv(width, 3, 1)).add(BatchNorm.builder().build());
        Block shortcut = project
                ? new SequentialBlock().add(Conv2d.builder().setFilters(width).setKernelShape(new Shape(1, 1))
                        .optStride(new Shape(stride, stride)).optBias(false).build()).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(list -> {
                    NDArray sum = list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow());
                    return new NDList(sum);
                }, Arrays.asList(body, shortcut)))
                .add(Activation.reluBlock());
    }

    private static Block conv(int filters, int k, int stride) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(k, k)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(k / 2, k / 2)).optBias(false).build();
    }
}
