package netbook.internal.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.Shape;

/**
 * The one check every layer passes (Keras' run_layer_test): the spec's output shape and
 * parameter count equal what the compiled DJL block has and produces on a real forward pass.
 */
public final class LayerCheck {
    private LayerCheck() {}

    public static void check(Layer layer, Shape in, Shape expectedOut, long expectedParams) {
        Net net = Net.input(in.dims()).add(layer);
        assertEquals(expectedOut, net.outputShape(), "spec output shape");
        assertEquals(expectedParams, net.summary().params(), "spec parameter count");
        try (Compiled c = Compiled.of(net, Device.cpu(), 2)) {
            assertEquals(expectedParams, c.trainableParams(), "compiled parameter count");
            NDArray x = c.manager().randomUniform(0, 1, new ai.djl.ndarray.types.Shape(in.withBatch(2)));
            NDArray y = c.forward(x, true).head();
            assertEquals(new ai.djl.ndarray.types.Shape(expectedOut.withBatch(2)), y.getShape(), "compiled output shape");
        }
    }
}
