package netbook.zoo.compiled;

import netbook.zoo.*;

import static netbook.zoo.compiled.ZooAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import netbook.dsl.Net;
import netbook.dsl.Shape;
import netbook.dsl.Summary;
import netbook.internal.djl.Compiled;
import org.junit.jupiter.api.Test;

class InceptionV3Test {
    @Test
    void withAuxLogitsItHasTorchvisionsCountAndMacs() {
        Net net = InceptionV3.of().aux(true).build();
        Summary s = assertSpec(net, 27_161_264L, Shape.of(1000));
        assertEquals(Shape.of(3, 299, 299), net.inputShape());
        assertEquals(27_161_264L - 23_834_568L, s.auxParams());
        assertGmacsAsPrinted(net, 5.713);
    }

    @Test
    void withoutAuxLogitsItHasTheComputedCount() {
        Net net = InceptionV3.of().aux(false).build();
        assertSpec(net, 23_834_568L, Shape.of(1000));
        assertEquals(0, net.auxHeads().size());
        assertGmacsAsPrinted(net, 5.713);
    }

    @Test
    void gridsAreReducedFrom35To17To8() {
        Net net = InceptionV3.of().aux(true).build();
        assertEquals(Shape.of(192, 35, 35), blockOutput(net, "maxpool2"));
        assertEquals(Shape.of(256, 35, 35), blockOutput(net, "mixed5b"));
        assertEquals(Shape.of(288, 35, 35), blockOutput(net, "mixed5d"));
        assertEquals(Shape.of(768, 17, 17), blockOutput(net, "mixed6a"));
        assertEquals(Shape.of(768, 17, 17), blockOutput(net, "mixed6e"));
        assertEquals(Shape.of(1280, 8, 8), blockOutput(net, "mixed7a"));
        assertEquals(Shape.of(2048, 8, 8), blockOutput(net, "mixed7c"));
    }

    @Test
    void sevenBySevenIsFactorisedIntoOneBySevenAndSevenByOne() {
        Net net = InceptionV3.of().aux(true).build();
        assertEquals(128L * 128 * 7 + 2 * 128, paramsUnder(net, "mixed6b.branch7x7.conv2."));
        assertEquals("Conv2d (N, 192, 17, 17)", leaf(net, "mixed6b.branch7x7.conv3.conv"));
        assertEquals("Conv2d (N, 384, 8, 8)", leaf(net, "mixed7b.branch3x3.split.branch1.conv"));
    }

    @Test
    void auxLogitsReadMixed6eAndWeigh04() {
        Net net = InceptionV3.of().aux(true).build();
        assertEquals(1, net.auxHeads().size());
        assertEquals(0.4, net.auxHeads().get(0).lossWeight());
        assertEquals("Conv2d (N, 768, 1, 1)", leaf(net, "aux.conv1.conv"));
    }

    @Test
    void smallInceptionV3CompilesAndRunsWithItsAuxHeadInTrainingOnly() {
        Net net = InceptionV3.of().small().classes(10).build();
        assertCompilesAndRuns(net);
        try (Compiled c = Compiled.of(net, Device.cpu(), 2)) {
            NDList training = c.forward(input(c, net), true);
            assertEquals(2, training.size());
            assertEquals(new ai.djl.ndarray.types.Shape(2, 10), training.get(1).getShape());
        }
    }
}
