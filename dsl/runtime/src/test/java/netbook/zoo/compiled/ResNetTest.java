package netbook.zoo.compiled;

import netbook.zoo.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import netbook.dsl.Net;
import netbook.dsl.Shape;
import netbook.dsl.Summary;
import netbook.internal.djl.Compiled;
import org.junit.jupiter.api.Test;

class ResNetTest {
    @Test
    void resnet18SummaryMatchesTorchvisionCountAndMacs() {
        Summary s = ResNet.of(18).build().summary();
        assertEquals(11_689_512L, s.params());
        assertEquals(Shape.of(1000), s.output());
        ZooAssert.assertGmacsAsPrinted("resnet18", s.macs() / 1e9, 1.814);
    }

    @Test
    void resnet18CompiledHasTheSummarysParameterCountAndOutputShape() {
        Net net = ResNet.of(18).build();
        try (Compiled c = Compiled.of(net, Device.cpu(), 1)) {
            assertEquals(net.summary().params(), c.trainableParams());
            assertEquals(net.summary().frozen(), c.frozenParams());
            NDArray x = c.manager().zeros(new ai.djl.ndarray.types.Shape(2, 3, 224, 224));
            NDList out = c.forward(x, false);
            assertEquals(new ai.djl.ndarray.types.Shape(2, 1000), out.head().getShape());
        }
    }

    @Test
    void deeperResNetsMatchTorchvision() {
        assertEquals(21_797_672L, ResNet.of(34).build().params());
        assertEquals(25_557_032L, ResNet.of(50).build().params());
        assertEquals(44_549_160L, ResNet.of(101).build().params());
        assertEquals(60_192_808L, ResNet.of(152).build().params());
    }
}
