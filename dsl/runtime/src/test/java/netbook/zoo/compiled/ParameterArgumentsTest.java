package netbook.zoo.compiled;

import netbook.zoo.*;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The papers' parameter arguments, exactly: the counts follow from the kernel sizes alone. */
class ParameterArgumentsTest {
    @Test
    void eachArgumentsCountsAreTheArithmeticOfItsKernels() {
        Table t = ParameterArguments.table();
        long c = 64;
        // VGG: 2 x 3x3 x C x C = 18C^2 against 5x5 x C x C = 25C^2; at 56x56 the multiply-adds scale the same.
        assertEquals(18 * c * c, t.longColumn("params A").get(0));
        assertEquals(25 * c * c, t.longColumn("params B").get(0));
        assertEquals(18 * c * c * 56 * 56, t.longColumn("MACs A").get(0));
        // GoogLeNet 3a's 5x5 branch: 192x16 (1x1) + 16x32x25 against 192x32x25.
        assertEquals(192 * 16 + 16 * 32 * 25, t.longColumn("params A").get(1));
        assertEquals(192 * 32 * 25, t.longColumn("params B").get(1));
        // Inception-v3: 1x7 + 7x1 = 14C^2 against 49C^2; 1x3 + 3x1 = 6C^2 against 9C^2 (C = 192).
        assertEquals(14L * 192 * 192, t.longColumn("params A").get(2));
        assertEquals(49L * 192 * 192, t.longColumn("params B").get(2));
        assertEquals(3.5, t.doubleColumn("params B/A").get(2), 1e-12);
        assertEquals(6L * 192 * 192, t.longColumn("params A").get(3));
        assertEquals(1.5, t.doubleColumn("params B/A").get(3), 1e-12);
        // Whole networks: torchvision's published counts.
        assertEquals(6_624_904L, t.longColumn("params A").get(4));
        assertEquals(61_100_840L, t.longColumn("params B").get(4));
        assertEquals(9.223, t.doubleColumn("params B/A").get(4), 1e-12);
    }
}
