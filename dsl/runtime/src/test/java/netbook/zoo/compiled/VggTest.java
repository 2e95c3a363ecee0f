package netbook.zoo.compiled;

import netbook.zoo.*;

import static netbook.zoo.compiled.ZooAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VggTest {
    @ParameterizedTest(name = "VGG-{0}: {1} / BN {2}, {3} GMACs")
    @CsvSource({
            "11, 132863336, 132868840, 7.609",
            "13, 133047848, 133053736, 11.308",
            "16, 138357544, 138365992, 15.47",
            "19, 143667240, 143678248, 19.632"})
    void everyDepthWithAndWithoutBatchNormMatchesTorchvision(int depth, long params, long bnParams, double gmacs) {
        Net plain = Vgg.of(depth).build();
        Net bn = Vgg.of(depth).batchNorm(true).build();
        assertSpec(plain, params, Shape.of(1000));
        assertSpec(bn, bnParams, Shape.of(1000));
        assertGmacsAsPrinted(plain, gmacs);
        assertGmacsAsPrinted(bn, gmacs);
    }

    @Test
    void theConfigurationTableGivesDepthMinusThreeConvolutionsInFiveStages() {
        Vgg.DEPTHS.forEach((depth, letter) -> {
            long convs = Vgg.CONFIGS.get(letter).stream().filter(v -> v != Vgg.M).count();
            long pools = Vgg.CONFIGS.get(letter).stream().filter(v -> v == Vgg.M).count();
            assertEquals(depth - 3, convs, "VGG-" + depth);
            assertEquals(5, pools, "VGG-" + depth);
        });
        Net vgg16 = Vgg.of(16).build();
        assertEquals("Conv2d (N, 512, 14, 14)", leaf(vgg16, "stage5.conv3"));
        assertEquals("MaxPool2d (N, 512, 7, 7)", leaf(vgg16, "stage5.maxpool1"));
        assertEquals("Flatten (N, 25088)", leaf(vgg16, "flatten1"));
    }

    @Test
    void anUnknownDepthNamesTheValidOnes() {
        NetbookException e = assertThrows(NetbookException.class, () -> Vgg.of(12).build());
        assertEquals("VGG depth 12 is not one of [11, 13, 16, 19]", e.getMessage());
    }

    @Test
    void smallVggWithBatchNormCompilesAndRuns() {
        Net net = Vgg.of(11).batchNorm(true).small().classes(10).build();
        assertTrue(net.summary().macs() < 30_000_000L);
        assertEquals("MaxPool2d (N, 128, 1, 1)", leaf(net, "stage5.maxpool1"));
        assertCompilesAndRuns(net);
    }
}
