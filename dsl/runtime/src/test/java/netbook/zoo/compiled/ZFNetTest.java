package netbook.zoo.compiled;

import netbook.zoo.*;

import static netbook.zoo.compiled.ZooAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import netbook.dsl.Net;
import netbook.dsl.Shape;
import org.junit.jupiter.api.Test;

class ZFNetTest {
    /** 62,357,608 is computed from the 384/384 widths of layers 3 and 4, which are UNCONFIRMED. */
    @Test
    void countComputedFromTheUnconfirmed384WidthsIs62357608() {
        assertSpec(ZFNet.of().build(), 62_357_608L, Shape.of(1000));
    }

    @Test
    void mapsHaveTheSizesOfFigure3() {
        Net net = ZFNet.of().build();
        assertEquals("Conv2d (N, 96, 110, 110)", leaf(net, "conv1"));
        assertEquals("LocalResponseNorm (N, 96, 55, 55)", leaf(net, "lrn1"));
        assertEquals("Conv2d (N, 256, 26, 26)", leaf(net, "conv2"));
        assertEquals("LocalResponseNorm (N, 256, 13, 13)", leaf(net, "lrn2"));
        assertEquals("Conv2d (N, 256, 13, 13)", leaf(net, "conv5"));
        assertEquals("Flatten (N, 9216)", leaf(net, "flatten1"));
    }

    @Test
    void smallZfNetCompilesAndRunsWithItsNormalisation() {
        assertCompilesAndRuns(ZFNet.of().small().classes(10).build());
    }
}
