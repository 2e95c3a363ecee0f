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
import java.util.List;
import netbook.dsl.CustomLayer;
import netbook.dsl.Weight;
import netbook.engine.Blocks;
import netbook.engine.DjlLayer;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.SpecJson;
import org.junit.jupiter.api.Test;

class CustomLayerTest {
    /** A learned per-channel scale as a DJL block: the example from DjlLayer's Javadoc. */
    record Scale(int channels, boolean lie) implements DjlLayer {
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

    /** The same scale with its weight declared as data and its computation given to the engine. */
    record DeclaredScale(int channels) implements CustomLayer {
        public String type() { return "DeclaredScale"; }
        public netbook.dsl.Shape outputShape(netbook.dsl.Shape in) { return in; }
        public List<Weight> weights(netbook.dsl.Shape in) {
            return List.of(Weight.of("gamma", netbook.dsl.Shape.of(channels, 1, 1), Weight.Init.ONES),
                    Weight.of("beta", netbook.dsl.Shape.of(channels, 1, 1), Weight.Init.ZEROS));
        }
    }

    /** Declares no computation: compiling it must say how to give one. */
    record Undefined(int channels) implements CustomLayer {
        public String type() { return "Undefined"; }
        public netbook.dsl.Shape outputShape(netbook.dsl.Shape in) { return in; }
        public List<Weight> weights(netbook.dsl.Shape in) { return List.of(Weight.of("w", netbook.dsl.Shape.of(channels), Weight.Init.XAVIER)); }
    }

    @Test
    void aCustomLayerDeclaresItsWeightsAsDataAndTheEngineCreatesThem() {
        Blocks.define(DeclaredScale.class, (layer, w, x, training) -> x.mul(w.get("gamma").mul(3f)).add(w.get("beta")));
        Net net = Net.input(2, 1, 1).add(new DeclaredScale(2));
        assertEquals(4, net.summary().params());
        SpecJson.register("test-declared-scale", DeclaredScale.class);
        assertEquals(net.body(), SpecJson.read(SpecJson.write(net)).body());
        try (Compiled c = Compiled.of(net, Device.cpu(), 1)) {
            assertEquals(4, c.trainableParams());
            NDArray y = c.forward(c.manager().create(new float[] {1, -2}, new Shape(1, 2, 1, 1)), false).head();
            assertArrayEquals(new float[] {3, -6}, y.toFloatArray());   // ones * 3, plus zeros
        }
    }

    @Test
    void aCustomLayerWithoutAComputationIsNamedWithTheCallThatGivesIt() {
        Net net = Net.input(3).add(seq(new Undefined(3)).named("head"));
        assertEquals(3, net.summary().params());
        String msg = assertThrows(NetbookException.class, () -> Compiled.of(net, Device.cpu(), 1)).getMessage();
        assertEquals("head.undefined1 (Undefined): the custom layer Undefined has no computation on the engine; give it once "
                + "before compiling: Blocks.define(Undefined.class, (layer, weights, x, training) -> ...)  (netbook.engine.Blocks)", msg);
    }

    @Test
    void aForwardAskingForAnUndeclaredWeightIsNamed() {
        record Typo(int n) implements CustomLayer {
            public String type() { return "Typo"; }
            public netbook.dsl.Shape outputShape(netbook.dsl.Shape in) { return in; }
            public List<Weight> weights(netbook.dsl.Shape in) { return List.of(Weight.of("scale", netbook.dsl.Shape.of(n), Weight.Init.ONES)); }
        }
        Blocks.define(Typo.class, (layer, w, x, training) -> x.mul(w.get("scal")));
        try (Compiled c = Compiled.of(Net.input(2).add(new Typo(2)), Device.cpu(), 1)) {
            String msg = assertThrows(NetbookException.class,
                    () -> c.forward(c.manager().create(new float[] {1, 2}, new Shape(1, 2)), false)).getMessage();
            assertTrue(msg.contains("(Typo): its forward asked for the weight 'scal', which weights(Shape) does not declare; declared: [scale]"), msg);
        }
    }

    @Test
    void aLambdaLayerRunsButCannotBeSaved() {
        Net net = Net.input(2).add(seq(Blocks.lambda("Double", s -> s, x -> x.mul(2f))).named("act"));
        String msg = assertThrows(NetbookException.class, () -> SpecJson.write(net)).getMessage();
        assertTrue(msg.startsWith("act.double1 (Double): cannot be saved: only record specs are data"), msg);
        try (Compiled c = Compiled.of(net, Device.cpu(), 1)) {
            NDArray y = c.forward(c.manager().create(new float[] {1, 2}, new Shape(1, 2)), false).head();
            assertArrayEquals(new float[] {2, 4}, y.toFloatArray());
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
