package netbook.zoo.compiled;

import netbook.zoo.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netbook.dsl.NetbookException;
import org.junit.jupiter.api.Test;

class CifarResNetTest {
    /**
     * Parameters of the plain network counted by hand from the paper's design: a 3x3 stem, n units
     * of two 3x3 convs (each followed by batch norm: 2C parameters) per stage at widths w, 2w, 4w,
     * and a linear layer. The residual network adds the two projections (1x1 conv + batch norm).
     */
    static long plainParams(int depth, int inChannels, int w, int classes) {
        int n = (depth - 2) / 6;
        long p = 9L * inChannels * w + 2L * w;
        for (int s = 0; s < 3; s++) {
            long c = (long) w << s;
            long cin = s == 0 ? c : c / 2;
            p += 9 * cin * c + 9 * c * c + 4 * c;             // first unit (halves the map from stage 2 on)
            p += (n - 1) * (18 * c * c + 4 * c);               // the other units
        }
        return p + 4L * w * classes + classes;
    }

    static long projections(int w) {
        return (2L * w * w + 4L * w) + (8L * w * w + 8L * w);
    }

    @Test
    void resNet20HasThePapersQuarterMillionParametersAndThePlainNetLacksOnlyTheProjections() {
        assertEquals(plainParams(20, 3, 16, 10) + projections(16), CifarResNet.of(20).build().summary().params());
        assertEquals(272_474L, plainParams(20, 3, 16, 10) + projections(16));  // the paper's "0.27M"
        assertEquals(plainParams(20, 3, 16, 10), CifarResNet.of(20).residual(false).build().summary().params());
        assertEquals(plainParams(56, 1, 8, 10), CifarResNet.of(56).input(1, 28, 28).width(8).residual(false).build().summary().params());
        assertEquals(plainParams(56, 1, 8, 10) + projections(8), CifarResNet.of(56).input(1, 28, 28).width(8).build().summary().params());
    }

    @Test
    void stagesHalveTheMapAndDoubleTheWidth() {
        var net = CifarResNet.of(20).input(1, 28, 28).build();
        assertEquals("(N, 10)", net.summary().output().toString());
        String table = net.summary().toString();
        assertTrue(table.contains("(N, 16, 28, 28)") && table.contains("(N, 32, 14, 14)") && table.contains("(N, 64, 7, 7)"), table);
    }

    @Test
    void aDepthThatIsNot6nPlus2IsAnErrorNamingTheValidOnes() {
        NetbookException e = assertThrows(NetbookException.class, () -> CifarResNet.of(18).build());
        assertTrue(e.getMessage().contains("6n + 2"), e.getMessage());
    }
}
