package netbook.zoo.compiled;

import netbook.zoo.*;

import static netbook.zoo.compiled.ZooAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.Node;
import netbook.dsl.Shape;
import netbook.dsl.spec.Residual;
import netbook.dsl.spec.Sequential;
import org.junit.jupiter.api.Test;

class InceptionResNetV2Test {
    @Test
    void hasTimmsComputedCountAndMacs() {
        Net net = InceptionResNetV2.of().build();
        assertSpec(net, 55_843_464L, Shape.of(1000));
        assertGmacsNearTimm(net, 13.18);
    }

    @Test
    void gridsAndWidthsAre35x320Then17x1088Then8x2080() {
        Net net = InceptionResNetV2.of().build();
        assertEquals(Shape.of(192, 35, 35), blockOutput(net, "maxpool5a"));
        assertEquals(Shape.of(320, 35, 35), blockOutput(net, "block35"));
        assertEquals(Shape.of(1088, 17, 17), blockOutput(net, "block17"));
        assertEquals(Shape.of(2080, 8, 8), blockOutput(net, "block8"));
        assertEquals(Shape.of(1536, 8, 8), blockOutput(net, "conv7b"));
    }

    @Test
    void residualBlocksAreScaledAndTheLastHasNoRelu() {
        Net net = InceptionResNetV2.of().build();
        assertUnits(net, "block35", 10, 0.17);
        assertUnits(net, "block17", 20, 0.10);
        List<Node> block8 = units(net, "block8");
        assertEquals(10, block8.size());
        for (int i = 0; i < 9; i++) {
            assertUnit(block8.get(i), 0.20, true);
        }
        assertUnit(block8.get(9), 1.0, false);
        assertEquals("Conv2d (N, 320, 35, 35)", leaf(net, "block35.unit1.residual.up"));
        assertEquals(128L * 320 + 320, paramsUnder(net, "block35.unit1.residual.up"));
    }

    @Test
    void smallInceptionResNetV2CompilesAndRuns() {
        assertCompilesAndRuns(InceptionResNetV2.of().small().classes(10).build());
    }

    private static List<Node> units(Net net, String block) {
        for (Node n : net.body().items()) {
            if (n.name().equals(block)) {
                return ((Sequential) unwrap(n.layer())).items();
            }
        }
        throw new AssertionError(block);
    }

    private static void assertUnits(Net net, String block, int count, double scale) {
        List<Node> units = units(net, block);
        assertEquals(count, units.size(), block);
        for (Node u : units) {
            assertUnit(u, scale, true);
        }
    }

    private static void assertUnit(Node unit, double scale, boolean relu) {
        List<Node> parts = ((Sequential) unwrap(unit.layer())).items();
        Layer res = unwrap(parts.get(0).layer());
        assertEquals(scale, ((Residual) res).scale(), unit.name());
        assertEquals(relu ? 2 : 1, parts.size(), unit.name() + " ReLU after the sum");
    }
}
