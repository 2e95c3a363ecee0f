package netbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The synthetic generator is seeded and honours overlap. */
class SyntheticCrossDomainTest {
    static final SyntheticCrossDomain.Config SMALL = new SyntheticCrossDomain.Config(300, 120, 100, 4, 0.5, 0.3, 12, 6, 3, 0.8, 7);

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        CrossDomain a = SyntheticCrossDomain.generate(SMALL);
        CrossDomain b = SyntheticCrossDomain.generate(SMALL);
        assertEquals(a.toString(), b.toString());
        for (int r = 0; r < a.target().size(); r += 37) {
            assertEquals(a.target().userId(a.target().user(r)), b.target().userId(b.target().user(r)));
            assertEquals(a.target().itemId(a.target().item(r)), b.target().itemId(b.target().item(r)));
        }
        assertTrue(!a.toString().equals(SyntheticCrossDomain.generate(SMALL.seed(8)).toString()));
    }

    @Test
    void overlapSetsTheSharedFractionAndSharedUsersComeFirst() {
        CrossDomain cd = SyntheticCrossDomain.generate(SMALL.overlap(0.5));
        double shared = (double) cd.shared() / 300;
        assertTrue(shared > 0.4 && shared < 0.6, "shared fraction " + shared);
        for (int u = 0; u < cd.shared(); u++) assertEquals(cd.source().userId(u), cd.target().userId(u));
        assertEquals(0, SyntheticCrossDomain.generate(SMALL.overlap(0)).shared());
        assertTrue(cd.target().hasTimes());
    }
}
