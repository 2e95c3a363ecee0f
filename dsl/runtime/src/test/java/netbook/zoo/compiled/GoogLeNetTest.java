package netbook.zoo.compiled;

import netbook.zoo.*;

import static netbook.zoo.compiled.ZooAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.Map;
import netbook.dsl.Net;
import netbook.dsl.Shape;
import netbook.dsl.Summary;
import netbook.dsl.spec.AuxHead;
import netbook.internal.djl.Compiled;
import org.junit.jupiter.api.Test;

class GoogLeNetTest {
    @Test
    void torchvisionGoogLeNetWithoutAuxHasTorchvisionsCountAndMacs() {
        Net net = GoogLeNet.of().build();
        assertSpec(net, 6_624_904L, Shape.of(1000));
        assertGmacsAsPrinted(net, 1.498);
    }

    @Test
    void auxHeadsAddTheComputedCountButNoInferenceMacs() {
        Net net = GoogLeNet.of().aux(true).build();
        Summary s = assertSpec(net, 13_004_888L, Shape.of(1000));
        assertEquals(13_004_888L - 6_624_904L, s.auxParams());
        assertEquals(GoogLeNet.of().build().summary().macs(), s.macs());
    }

    @Test
    void thePapersTrue5x5BranchHasItsComputedCounts() {
        assertSpec(GoogLeNet.of().paper5x5(true).build(), 7_005_832L, Shape.of(1000));
        assertSpec(GoogLeNet.of().paper5x5(true).aux(true).build(), 13_385_816L, Shape.of(1000));
        assertEquals("Conv2d (N, 32, 28, 28)", leaf(GoogLeNet.of().paper5x5(true).build(), "inception3a.branch3.conv2.conv"));
    }

    @Test
    void everyModuleOfTable1HasTorchvisionsCountAndGrid() {
        Net net = GoogLeNet.of().build();
        Map<String, Long> tv = Map.of("3a", 155_872L, "3b", 340_224L, "4a", 364_512L, "4b", 425_232L,
                "4c", 486_192L, "4d", 573_312L, "4e", 803_840L, "5a", 978_944L, "5b", 1_347_040L);
        tv.forEach((module, params) -> assertEquals(params, paramsUnder(net, "inception" + module + "."), module));
        assertEquals(124_736L, paramsUnder(net, "conv"), "stem");
        assertEquals(Shape.of(480, 28, 28), blockOutput(net, "inception3b"));
        assertEquals(Shape.of(832, 14, 14), blockOutput(net, "inception4e"));
        assertEquals(Shape.of(1024, 7, 7), blockOutput(net, "inception5b"));
        assertEquals("Conv2d (N, 208, 14, 14)", leaf(net, "inception4a.branch2.conv2.conv"));
        assertEquals("BatchNorm (N, 208, 14, 14)", leaf(net, "inception4a.branch2.conv2.bn"));
    }

    @Test
    void auxClassifiersFollow4aAnd4dWithLossWeight03() {
        Net net = GoogLeNet.of().aux(true).build();
        List<String> top = net.body().items().stream().map(n -> n.name()).toList();
        assertEquals(top.indexOf("inception4a") + 1, top.indexOf("aux1"));
        assertEquals(top.indexOf("inception4d") + 1, top.indexOf("aux2"));
        List<AuxHead> heads = net.auxHeads();
        assertEquals(2, heads.size());
        for (AuxHead h : heads) {
            assertEquals(0.3, h.lossWeight());
            assertEquals(Shape.of(1000), h.headShape(Shape.of(512, 14, 14)));
        }
    }

    @Test
    void smallGoogLeNetHasItsAuxHeadsInTrainingOnly() {
        Net net = GoogLeNet.of().small().aux(true).classes(10).build();
        assertEquals(2, net.auxHeads().size());
        assertCompilesAndRuns(net);
        try (Compiled c = Compiled.of(net, Device.cpu(), 2)) {
            NDArray x = input(c, net);
            NDList training = c.forward(x, true);
            assertEquals(3, training.size(), "main output and two aux outputs in training");
            for (NDArray out : training) {
                assertEquals(new ai.djl.ndarray.types.Shape(2, 10), out.getShape());
            }
            assertEquals(1, c.forward(x, false).size(), "only the main output at inference");
        }
    }
}
