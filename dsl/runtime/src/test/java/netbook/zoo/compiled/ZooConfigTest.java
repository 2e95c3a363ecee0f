package netbook.zoo.compiled;

import netbook.zoo.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import org.junit.jupiter.api.Test;

/** Every family starts the same way: {@code X.of()} is its documented DEFAULT, named withers change it, {@code build()} makes it. */
class ZooConfigTest {

    @Test
    void eachFamilysDefaultIsItsReferenceModel() {
        assertEquals(AlexNet.Config.DEFAULT, AlexNet.of());
        assertEquals(61_100_840L, AlexNet.of().build().summary().params());
        assertEquals(62_357_608L, ZFNet.of().build().summary().params());
        assertEquals(138_357_544L, Vgg.Config.DEFAULT.build().summary().params());                // VGG-16
        assertEquals(6_624_904L, GoogLeNet.of().build().summary().params());
        assertEquals(25_557_032L, ResNet.Config.DEFAULT.build().summary().params());             // ResNet-50
        assertEquals(27_161_264L, InceptionV3.of().build().summary().params());                  // with AuxLogits
        assertEquals(42_679_816L, InceptionV4.of().build().summary().params());
        assertEquals(55_843_464L, InceptionResNetV2.of().build().summary().params());
        assertEquals(272_474L, CifarResNet.Config.DEFAULT.build().summary().params());           // ResNet-20
    }

    @Test
    void withersChangeOneSettingAndNamesFollowTheFields() {
        Vgg.Config c = Vgg.of(11).batchNorm(true).small().classes(10);
        assertEquals(11, c.depth());
        assertTrue(c.batchNorm());
        assertEquals(10, c.classes());
        assertEquals("vgg11-bn-small", c.build().name());
        assertEquals("googlenet-aux-small", GoogLeNet.of().small().aux(true).classes(10).build().name());
        assertEquals("inception-v3", InceptionV3.of().aux(false).build().name());
        assertEquals("inception-v3-small", InceptionV3.of().small().classes(10).build().name());
        assertEquals("alexnet-original-ungrouped", AlexNet.of().paper().grouped(false).build().name());
        assertTrue(ResNet.of(18).compactStem(true).strideIn1x1(true).compactStem());
    }

    @Test
    void alexNetsLrnGoesAfterTheFirstTwoConvolutionsOfAnyLayoutAndAddsNoParameters() {
        Net with = AlexNet.of().small().lrn(true).classes(10).build();
        Net without = AlexNet.of().small().classes(10).build();
        assertEquals("alexnet-small-lrn", with.name());
        assertEquals(without.summary().params(), with.summary().params());
        String summary = with.summary().toString();
        assertEquals(2, summary.split("LocalResponseNorm", -1).length - 1, summary);
        assertEquals(0, without.summary().toString().split("LocalResponseNorm", -1).length - 1);
        // the paper's layout has it; taking it out is the paper's own comparison
        assertEquals("alexnet-original-no-lrn", AlexNet.of().paper().lrn(false).build().name());
        assertEquals(60_965_224L, AlexNet.of().paper().lrn(false).build().summary().params());
    }

    @Test
    void configsPrintTheirSettings() {
        assertEquals("Vgg.Config[depth=11, batchNorm=true, input=[1, 28, 28], classes=10, widthDivisor=4, hidden=512, pool=0, ceilPools=true]",
                Vgg.of(11).batchNorm(true).small().classes(10).toString());
        assertEquals("ResNet.Config[depth=18, input=[3, 224, 224], classes=1000, widths=[64, 128, 256, 512], compactStem=false, strideIn1x1=false]",
                ResNet.of(18).toString());
        assertEquals("AlexNet.Config[layout=SMALL, classes=10, grouped=false, lrn=true]", AlexNet.of().small().classes(10).lrn(true).toString());
    }

    @Test
    void aBadSettingIsRefusedWhereItIsSet() {
        assertEquals("AlexNet: classes must be positive, received 0", assertThrows(NetbookException.class, () -> AlexNet.of().classes(0)).getMessage());
        assertEquals("AlexNet: groups are the paper's layout only; use paper()",
                assertThrows(NetbookException.class, () -> AlexNet.of().grouped(true)).getMessage());
        assertEquals("InceptionV4: classes must be positive, received -1", assertThrows(NetbookException.class, () -> InceptionV4.of().classes(-1)).getMessage());
    }
}
