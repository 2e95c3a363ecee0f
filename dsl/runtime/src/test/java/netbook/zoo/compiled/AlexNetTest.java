package netbook.zoo.compiled;

import netbook.zoo.*;

import static netbook.zoo.compiled.ZooAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import netbook.dsl.Net;
import netbook.dsl.Shape;
import org.junit.jupiter.api.Test;

class AlexNetTest {
    @Test
    void torchvisionAlexNetHasTorchvisionsCountAndMacs() {
        Net net = AlexNet.of().build();
        assertSpec(net, 61_100_840L, Shape.of(1000));
        assertEquals(Shape.of(3, 224, 224), net.inputShape());
        assertGmacsAsPrinted(net, 0.714);
    }

    @Test
    void originalTwoGpuAlexNetHasTheComputedCount() {
        assertSpec(AlexNet.of().paper().build(), 60_965_224L, Shape.of(1000));
    }

    @Test
    void originalAlexNetOnOneGpuHasTheComputedUngroupedCount() {
        assertSpec(AlexNet.of().paper().grouped(false).build(), 62_378_344L, Shape.of(1000));
    }

    @Test
    void originalAlexNetHasThePapersMapSizesAndLrnAfterConv1AndConv2() {
        Net net = AlexNet.of().paper().build();
        assertEquals("Conv2d (N, 96, 55, 55)", leaf(net, "conv1"));
        assertEquals("LocalResponseNorm (N, 96, 55, 55)", leaf(net, "lrn1"));
        assertEquals("MaxPool2d (N, 96, 27, 27)", leaf(net, "maxpool1"));
        assertEquals("LocalResponseNorm (N, 256, 27, 27)", leaf(net, "lrn2"));
        assertEquals("MaxPool2d (N, 256, 6, 6)", leaf(net, "maxpool3"));
        List<String> types = net.summary().table().stringColumn("type").asList();
        assertEquals(2, types.stream().filter("LocalResponseNorm"::equals).count());
    }

    @Test
    void smallAlexNetCompilesAndRunsOnFashionMnistShapes() {
        Net net = AlexNet.of().small().classes(10).build();
        assertEquals(Shape.of(1, 28, 28), net.inputShape());
        assertCompilesAndRuns(net);
    }
}
