package netbook.zoo.compiled;

import netbook.zoo.*;

import static netbook.zoo.compiled.ZooAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import netbook.dsl.Net;
import netbook.dsl.Shape;
import org.junit.jupiter.api.Test;

class InceptionV4Test {
    @Test
    void hasTimmsComputedCountAndMacs() {
        Net net = InceptionV4.of().build();
        assertSpec(net, 42_679_816L, Shape.of(1000));
        assertGmacsNearTimm(net, 12.28);
    }

    @Test
    void everyBlockHasTheCountOfReferenceTable17() {
        Net net = InceptionV4.of().build();
        long stem = 0;
        for (String b : new String[] {"conv1a.", "conv2a.", "conv2b.", "mixed3a.", "mixed4a.", "mixed5a."}) {
            stem += paramsUnder(net, b);
        }
        assertEquals(605_728L, stem);
        assertEquals(317_632L, paramsUnder(net, "inceptionA.unit1."));
        assertEquals(4 * 317_632L, paramsUnder(net, "inceptionA."));
        assertEquals(2_306_112L, paramsUnder(net, "reductionA."));
        assertEquals(7 * 2_936_256L, paramsUnder(net, "inceptionB."));
        assertEquals(2_747_392L, paramsUnder(net, "reductionB."));
        assertEquals(3 * 4_553_088L, paramsUnder(net, "inceptionC."));
        assertEquals(1_537_000L, paramsUnder(net, "fc"));
    }

    @Test
    void gridsAre35Then17Then8() {
        Net net = InceptionV4.of().build();
        assertEquals(Shape.of(160, 73, 73), blockOutput(net, "mixed3a"));
        assertEquals(Shape.of(192, 71, 71), blockOutput(net, "mixed4a"));
        assertEquals(Shape.of(384, 35, 35), blockOutput(net, "mixed5a"));
        assertEquals(Shape.of(1024, 17, 17), blockOutput(net, "reductionA"));
        assertEquals(Shape.of(1536, 8, 8), blockOutput(net, "reductionB"));
        assertEquals(Shape.of(1536, 8, 8), blockOutput(net, "inceptionC"));
    }

    @Test
    void smallInceptionV4CompilesAndRuns() {
        assertCompilesAndRuns(InceptionV4.of().small().classes(10).build());
    }
}
