package netbook.dsl;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import netbook.zoo.ResNet;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class NetTest {
    private static String error(Runnable r) {
        return assertThrows(NetbookException.class, r::run).getMessage();
    }

    @Test
    void addingALinearLayerToImagesSuggestsFlatten() {
        Net net = Net.input(1, 28, 28).add(conv(8, 3));
        assertEquals("fc1 (Linear): expected 2-D input (N, features), received (N, 8, 26, 26). Did you forget flatten()?",
                error(() -> net.add(linear(10))));
    }

    @Test
    void aConvolutionAfterFlattenNamesItsPathAndExpectedRank() {
        Net net = Net.input(3, 32, 32);
        String msg = error(() -> net.add(repeat(2, "stage", i -> seq(conv(8, 3), i == 1 ? flatten() : relu(), conv(8, 3)))));
        assertEquals("stage2.conv2 (Conv2d): expected 4-D input (N, C, H, W), received (N, 5408). "
                + "Convolutions and pools need images; did you flatten() too early, or forget reshape(C, H, W)?", msg);
    }

    @Test
    void aResidualWhoseBodyChangesChannelsAsksForAProjection() {
        Net net = Net.input(64, 56, 56);
        String msg = error(() -> net.add(seq(residual(conv(128, 3).stride(2).padding(1), batchNorm())).named("unit1")));
        assertEquals("unit1.res1 (Residual): the body gives (N, 128, 28, 28) but the identity shortcut gives (N, 64, 56, 56); "
                + "the two must be equal to be added. Add a projection: residual(...).shortcut(conv(128, 1).stride(2).noBias(), batchNorm())", msg);
    }

    @Test
    void branchesThatDisagreeOnTheGridNameTheBranch() {
        Net net = Net.input(16, 17, 17);
        String msg = error(() -> net.add(branches(conv(8, 1), conv(8, 3).stride(2)).named("mixed6a")));
        assertEquals("mixed6a (Concat): branch2 gives (N, 8, 8, 8) but branch1 gives (N, 8, 17, 17); "
                + "concatenation on channels needs every other axis equal. Check the strides and padding of branch2", msg);
    }

    @Test
    void aKernelLargerThanItsInputIsReportedWithSizes() {
        Net net = Net.input(3, 4, 4);
        assertEquals("conv1 (Conv2d): kernel 7 is larger than the padded input height 4 (input (N, 3, 4, 4), padding 0). "
                + "Use a smaller kernel or stride earlier, more padding, or a larger input", error(() -> net.add(conv(8, 7))));
    }

    @Test
    void zeroOrNegativeSizesAreRejectedWhereTheyAreWritten() {
        assertEquals("(Conv2d): filters must be positive, received 0", error(() -> conv(0, 3)));
        assertEquals("(Conv2d): kernel height must be positive, received -1", error(() -> conv(8, -1)));
        assertEquals("(Linear): units must be positive, received -5", error(() -> linear(-5)));
        assertEquals("shape [3, 0, 28]: dimension 1 is 0, every dimension must be positive", assertThrows(
                IllegalArgumentException.class, () -> Net.input(3, 0, 28)).getMessage());
        assertEquals("(Dropout): rate must be in [0, 1), received 1.5", error(() -> dropout(1.5)));
    }

    @Test
    void groupsMustDivideChannels() {
        assertEquals("conv1 (Conv2d): groups 2 must divide input channels 3 and filters 8, received input (N, 3, 8, 8)",
                error(() -> Net.input(3, 8, 8).add(conv(8, 3).groups(2))));
    }

    @Test
    void duplicateNamesInOneSequenceAreRejected() {
        assertEquals("two blocks are named 'a' in one sequence; names must be unique",
                error(() -> seq(relu().named("a"), relu().named("a"))));
    }

    @Test
    void defaultNamesCountPerKindAndPathsNestUnderNames() {
        Net net = Net.input(1, 8, 8).add(conv(4, 3), batchNorm(), relu(), conv(4, 3), repeat(2, i -> seq(relu())), flatten());
        Table t = net.summary().table();
        assertEquals(List.of("conv1", "bn1", "relu1", "conv2", "block1.relu1", "block2.relu1", "flatten1"),
                t.stringColumn("path").asList());
    }

    @Test
    void summaryCountsParamsMacsFrozenStateAndActivationMemory() {
        Net net = Net.input(1, 28, 28).add(conv(8, 3).padding(1), batchNorm(), relu(), flatten(), linear(10));
        Summary s = net.summary(32);
        assertEquals(8 * 9 + 8 + 16 + 8 * 784 * 10 + 10, s.params());
        assertEquals(16, s.frozen());
        assertEquals(784L * 8 * 9 + 8 * 784 * 10, s.macs());
        assertEquals(32L * 4 * (3 * 8 * 784 + 8 * 784 + 10), s.activationBytes());
        assertEquals(List.of("path", "type", "output", "params", "frozen", "macs", "activation_bytes", "aux", "trained"),
                s.table().columnNames());
        assertTrue(s.toString().contains("Trainable params: 62,826"), s.toString());
    }

    @Test
    void aSummaryFreezingABlockCountsItsParametersAsFrozen() {
        Net net = Net.input(1, 28, 28).add(seq(conv(8, 3).padding(1), relu()).named("stem"), flatten(), linear(10));
        Summary s = net.summary().freezing("stem");
        assertEquals(8 * 9 + 8 + 8 * 784 * 10 + 10, s.params());
        assertEquals(8 * 784 * 10 + 10, s.trainableParams());
        assertEquals(List.of(false, false, false, true), s.table().booleanColumn("trained").asList());
        assertTrue(s.toString().contains("Params: 62,810, of which trainable 62,730 and frozen by freeze(stem) 80"), s.toString());
        assertTrue(s.toString().contains("stem.conv1"), s.toString());
        assertEquals(62_810, net.summary().trainableParams());
        var e = assertThrows(NetbookException.class, () -> net.summary().freezing("stme"));
        assertEquals("summary.freezing: net has no block 'stme'", e.getMessage());
    }

    @Test
    void prependPutsBlocksInFrontAndChecksShapes() {
        Net net = Net.input(1, 28, 28).add(conv(8, 3).padding(1), relu(), flatten(), linear(10));
        Net normalised = net.prepend(normalize(new double[] {0.5}, new double[] {0.25}));
        assertEquals(List.of("normalize1", "conv1", "relu1", "flatten1", "fc1"),
                normalised.body().items().stream().map(Node::name).toList());
        assertEquals(net.params(), normalised.params());
        var e = assertThrows(ShapeException.class, () -> net.prepend(normalize(new double[] {0.5, 0.5}, new double[] {1, 1})));
        assertTrue(e.getMessage().startsWith("normalize1 (Normalize): 2 means and deviations for an input of 1 channels"), e.getMessage());
    }

    @Test
    void auxiliaryHeadsCountSeparately() {
        Net net = Net.input(4, 8, 8).add(aux(0.3, flatten(), linear(2)), flatten(), linear(3));
        Summary s = net.summary();
        assertEquals(256 * 2 + 2 + 256 * 3 + 3, s.params());
        assertEquals(256 * 2 + 2, s.auxParams());
        assertEquals(256 * 3, s.macs());
        assertEquals(0.3, net.auxHeads().get(0).lossWeight());
    }

    @Test
    void anAuxiliaryHeadInsideAnotherIsRejectedWithItsPlace() {
        NetbookException e = assertThrows(NetbookException.class,
                () -> aux(0.3, conv(4, 1).named("reduce"), seq(relu(), aux(0.1, flatten(), linear(2))).named("inner"), flatten(), linear(3)));
        assertTrue(e.getMessage().contains("cannot contain another auxiliary head"), e.getMessage());
        assertTrue(e.getMessage().contains("inner."), e.getMessage());
    }

    @Test
    void specJsonRoundTripsAWholeResNet() {
        Net net = ResNet.of(18).input(1, 28, 28).compactStem(true).widths(8, 16, 32, 64).classes(10).build();
        Net back = SpecJson.read(SpecJson.write(net));
        assertEquals(net.body(), back.body());
        assertEquals(net.summary().params(), back.summary().params());
    }

    /** A layer record holding a function, as the runtime's lambda layers do. */
    record WithCode(java.util.function.UnaryOperator<Shape> rule) implements Layer {
        public String type() { return "Swish"; }
        public Shape outputShape(Shape in) { return rule.apply(in); }
    }

    @Test
    void layersHoldingCodeCannotBeSavedAndTheErrorNamesThePath() {
        Net net = Net.input(3).add(seq(new WithCode(s -> s)).named("act"));
        assertEquals("act.swish1 (Swish): cannot be saved: only record specs are data; a lambda or anonymous layer holds code. "
                + "Write it as a record implementing CustomLayer", error(() -> SpecJson.write(net)));
    }

    /** children() (no shapes) and place(in) (with shapes) name the same children in the same order, everywhere in a net. */
    static void assertChildrenMatchPlacement(Layer layer, Shape in) {
        if (layer instanceof Layer.Named n) layer = n.layer();
        if (!(layer instanceof Layer.Container c)) return;
        List<Placed> placed = c.place(in);
        assertEquals(placed.stream().map(p -> p.node().name()).toList(), c.children().stream().map(Node::name).toList(), c.type());
        for (Placed p : placed) assertChildrenMatchPlacement(p.node().layer(), p.input());
    }

    @Test
    void containersListTheirChildrenWithoutShapesInPlacementOrder() {
        for (String name : List.of("resnet18", "googlenet-aux", "inception-v3-aux", "inception-resnet-v2-small")) {
            Net net = netbook.zoo.Zoo.get(name);
            assertChildrenMatchPlacement(net.body(), net.inputShape());
        }
    }
}
