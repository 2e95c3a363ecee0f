package netbook.vq;

import static netbook.dsl.Layers.convTranspose;
import static netbook.vq.Vq.coder;
import static netbook.vq.Vq.decoder;
import static netbook.vq.Vq.encoder;
import static netbook.vq.Vq.level;
import static netbook.vq.Vq.levels;
import static netbook.vq.Vq.vectorQuantize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;
import netbook.dsl.SpecTree;
import netbook.internal.djl.Compiled;
import netbook.zoo.Zoo;
import org.junit.jupiter.api.Test;

/** rosinality's reference configuration, and hierarchies of one, two and three levels. */
class VqVae2Test {

    @Test
    void rosinalityReferenceHasExactly1388867TrainableParametersFromTheSpecAlone() {
        Net net = VqVae2.rosinality();
        assertEquals(1_388_867L, net.params());
        assertEquals(Shape.of(3, 256, 256), net.outputShape());
        VqHierarchy h = VqVaeModel.hierarchyOf(net);
        assertEquals(List.of(Shape.of(64, 64), Shape.of(32, 32)), h.codeShapes(net.inputShape()));   // bottom, top
        Map<String, Long> byPart = new LinkedHashMap<>();
        SpecTree.leaves(net.body(), net.inputShape(), leaf -> {
            String part = leaf.path().split("\\.")[1];
            byPart.merge(part, leaf.layer().params(leaf.input()), Long::sum);
        });
        // src/docs/references.md section 2: every module of rosinality's VQVAE
        assertEquals(364_160L, byPart.get("enc_bottom"));
        assertEquals(287_232L, byPart.get("enc_top"));
        assertEquals(8_256L, byPart.get("quantize_conv_top"));
        assertEquals(287_232L, byPart.get("dec_top"));
        assertEquals(12_352L, byPart.get("quantize_conv_bottom"));
        assertEquals(65_600L, byPart.get("upsample_top"));
        assertEquals(364_035L, byPart.get("dec"));
        assertEquals(0L, byPart.get("quantize_top") + byPart.get("quantize_bottom"));   // codebooks are buffers
        assertEquals(2 * (2L * 512 * 64 + 512 + 1), net.summary().frozen());
    }

    @Test
    void rosinalityIsInTheZooWithItsReferenceCount() {
        Zoo.Model m = Zoo.model("vqvae2-rosinality");
        assertEquals(1_388_867L, m.referenceParams());
        assertEquals(1_388_867L, m.net().params());
        assertTrue(Zoo.mismatches().stream().noneMatch(s -> s.startsWith("vqvae2")));
    }

    @Test
    void compiledReferenceModelHoldsTheSameParametersAndRuns() {
        Engine.getInstance().setRandomSeed(1);
        Net small = VqVae2.of().input(3, 32, 32).build();   // same layers, smaller image: same weights
        try (Compiled c = Compiled.of(small, Device.cpu(), 2)) {
            assertEquals(1_388_867L, c.trainableParams());
            assertEquals(2 * (2L * 512 * 64 + 512 + 1), c.frozenParams());
            NDArray x = c.manager().randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(2, 3, 32, 32));
            NDList out = c.forward(x, true);
            assertEquals(new ai.djl.ndarray.types.Shape(2, 3, 32, 32), out.get(0).getShape());
            assertEquals(new ai.djl.ndarray.types.Shape(2, 8, 8), out.get(2).getShape());    // bottom codes
            assertEquals(new ai.djl.ndarray.types.Shape(2, 4, 4), out.get(3).getShape());    // top codes
            assertTrue(Float.isFinite(out.get(1).getFloat()));
        }
    }

    @Test
    void threeLevelsBuildAndRunWithTheSameVocabulary() {
        Net net = Net.input(1, 32, 32).named("vqvae3").add(levels(
                level("bottom").encoder(encoder(coder().channel(16).resBlocks(1).resChannels(8).stride(2))).quantize(vectorQuantize(32, 8).ema()),
                level("middle").encoder(encoder(coder().channel(16).resBlocks(1).resChannels(8).stride(2))).quantize(vectorQuantize(32, 8).ema())
                        .decoder(decoder(8, coder().channel(16).resBlocks(1).resChannels(8).stride(2))).upsample(convTranspose(8, 4).stride(2).padding(1)),
                level("top").encoder(encoder(coder().channel(16).resBlocks(1).resChannels(8).stride(2))).quantize(vectorQuantize(32, 8).ema())
                        .decoder(decoder(8, coder().channel(16).resBlocks(1).resChannels(8).stride(2)))
                        .upsample(convTranspose(8, 4).stride(2).padding(1), convTranspose(8, 4).stride(2).padding(1)))
                .decoder(decoder(1, coder().channel(16).resBlocks(1).resChannels(8).stride(2))));
        VqHierarchy h = VqVaeModel.hierarchyOf(net);
        assertEquals(List.of(Shape.of(16, 16), Shape.of(8, 8), Shape.of(4, 4)), h.codeShapes(net.inputShape()));
        Engine.getInstance().setRandomSeed(2);
        try (Compiled c = Compiled.of(net, Device.cpu(), 2)) {
            assertEquals(net.params(), c.trainableParams());
            NDArray x = c.manager().randomUniform(0, 1, new ai.djl.ndarray.types.Shape(2, 1, 32, 32));
            NDList out = c.forward(x, true);
            assertEquals(new ai.djl.ndarray.types.Shape(2, 1, 32, 32), out.get(0).getShape());
            assertEquals(new ai.djl.ndarray.types.Shape(2, 4, 4), out.get(4).getShape());   // top codes
            assertEquals(2 + 3 * 3, out.size());
        }
    }

    @Test
    void oneLevelIsThePlainVqVae() {
        Net net = Net.input(1, 28, 28).add(Vq.vqVae(encoder(coder().channel(32).resBlocks(1).resChannels(16)), vectorQuantize(64, 16), decoder(1, coder().channel(32).resBlocks(1).resChannels(16))));
        assertEquals(List.of(Shape.of(7, 7)), VqVaeModel.hierarchyOf(net).codeShapes(net.inputShape()));
        assertEquals(Shape.of(1, 28, 28), net.outputShape());
    }

    @Test
    void mistakesNameTheBlockAndTheFix() {
        ShapeException e = assertThrows(ShapeException.class, () -> Net.input(1, 32, 32).add(levels(
                level("bottom").encoder(encoder(coder().channel(16).resBlocks(1).resChannels(8).stride(2))).quantize(vectorQuantize(32, 8)),
                level("top").encoder(encoder(coder().channel(16).resBlocks(1).resChannels(8).stride(2))).quantize(vectorQuantize(32, 8))
                        .decoder(decoder(8, coder().channel(16).resBlocks(1).resChannels(8))).upsample(convTranspose(8, 4).stride(2).padding(1)))
                .decoder(decoder(1, coder().channel(16).resBlocks(1).resChannels(8).stride(2)))));
        assertTrue(e.getMessage().contains("dec_top") && e.getMessage().contains("resolution of the level below"), e.getMessage());
        NetbookException missing = assertThrows(NetbookException.class, () -> levels(
                level("bottom").encoder(encoder(coder().channel(16).resBlocks(1).resChannels(8).stride(2))).quantize(vectorQuantize(32, 8)),
                level("top").encoder(encoder(coder().channel(16).resBlocks(1).resChannels(8).stride(2))).quantize(vectorQuantize(32, 8))).decoder(decoder(1, coder().channel(16).resBlocks(1).resChannels(8).stride(2))));
        assertTrue(missing.getMessage().contains("'top'") && missing.getMessage().contains(".decoder(...)"), missing.getMessage());
    }

    @Test
    void theHierarchyListsItsChildrenWithoutShapesInPlacementOrder() {
        Net ref = VqVae2.rosinality();
        netbook.dsl.Layer first = ref.body().items().get(0).layer();
        VqHierarchy h = (VqHierarchy) (first instanceof netbook.dsl.Layer.Named n ? n.layer() : first);
        java.util.List<String> placed = h.place(ref.inputShape()).stream().map(p -> p.node().name()).toList();
        assertEquals(placed, h.children().stream().map(netbook.dsl.Node::name).toList());
        assertEquals(java.util.List.of("enc_bottom", "enc_top", "quantize_conv_top", "quantize_top", "dec_top",
                "quantize_conv_bottom", "quantize_bottom", "upsample_top", "dec"), placed);
    }
}
