package netbook.internal.djl;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import netbook.dsl.CustomLayer;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.SpecJson;
import org.junit.jupiter.api.Test;

class CustomLayerTest {
    /** A learned per-channel scale: the example from CustomLayer's Javadoc. */
    record Scale(int channels, boolean lie) implements CustomLayer {
        public String type() { return "Scale"; }
        public netbook.dsl.Shape outputShape(netbook.dsl.Shape in) { return in; }
        public long params(netbook.dsl.Shape in) { return lie ? channels + 1 : channels; }
        public Block toBlock(netbook.dsl.Shape in) { return new ScaleBlock(channels); }
    }

    static final class ScaleBlock extends AbstractBlock {
        private final Parameter gamma;

        ScaleBlock(int channels) {
            gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                    .optShape(new Shape(channels, 1, 1)).optInitializer(new ConstantInitializer(2f)).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDArray x = in.head();
            return new NDList(x.mul(ps.getValue(gamma, x.getDevice(), training)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    @Test
    void aCustomLayerIsUsedLikeABuiltInOneAndSavesAsData() {
        Net net = Net.input(3, 2, 2).add(conv(3, 1).noBias(), new Scale(3, false), flatten(), linear(2));
        assertEquals(9 + 3 + 24 + 2, net.summary().params());
        String unregistered = assertThrows(netbook.dsl.NetbookException.class, () -> SpecJson.write(net)).getMessage();
        assertTrue(unregistered.contains("is not a registered spec type; call SpecJson.register(\"a-name\", Scale.class)"), unregistered);
        SpecJson.register("test-scale", Scale.class);
        assertEquals(net.body(), SpecJson.read(SpecJson.write(net)).body());
        try (Compiled c = Compiled.of(net, Device.cpu(), 1)) {
            assertEquals(net.summary().params(), c.trainableParams());
        }
        Net alone = Net.input(2, 1, 1).add(new Scale(2, false));
        try (Compiled c = Compiled.of(alone, Device.cpu(), 1)) {
            NDArray y = c.forward(c.manager().create(new float[] {1, 3}, new Shape(1, 2, 1, 1)), false).head();
            assertArrayEquals(new float[] {2, 6}, y.toFloatArray());
        }
    }

    @Test
    void aCustomLayerWhoseBlockDisagreesWithItsDeclaredCountIsNamed() {
        Net net = Net.input(3, 2, 2).add(seq(new Scale(3, true)).named("head"));
        String msg = assertThrows(NetbookException.class, () -> Compiled.of(net, Device.cpu(), 1)).getMessage();
        assertEquals("head.scale1 (Scale): the custom layer declares 4 trainable parameters for input (N, 3, 2, 2) "
                + "but its block has 3; make params(Shape) count what toBlock(Shape) creates", msg);
    }
}
