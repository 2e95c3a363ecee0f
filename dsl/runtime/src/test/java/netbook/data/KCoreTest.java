package netbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** k-core filtering on hand-made examples whose cores are worked out by hand. */
class KCoreTest {
    /**
     * u1..u3 each rated i1 and i2 (a 2-core block); u4 rated i1 and i3; u5 rated i3 only. The
     * 2-core drops u5 (1 item), then i3 (left with u4 only), then u4 (left with i1 only): a
     * cascade a single pass would miss.
     */
    @Test
    void twoCoreCascadesUntilEveryoneHasTwoPartners() {
        Interactions d = Interactions.builder("toy")
                .add("u1", "i1").add("u1", "i2").add("u2", "i1").add("u2", "i2").add("u3", "i1").add("u3", "i2")
                .add("u4", "i1").add("u4", "i3").add("u5", "i3").build();
        Interactions core = KCore.filter(d, 2);
        assertEquals(Set.of("u1", "u2", "u3"), new TreeSet<>(core.userIds()));
        assertEquals(Set.of("i1", "i2"), new TreeSet<>(core.itemIds()));
        assertEquals(6, core.size());
    }

    @Test
    void repeatedRatingsCountOnceAndUserAndItemThresholdsDiffer() {
        Interactions d = Interactions.builder("toy")
                .add("u1", "i1", 5f, 1).add("u1", "i1", 4f, 2).add("u1", "i2", 3f, 3)
                .add("u2", "i1", 5f, 4).build();
        // users need 2 distinct items, items need 1 user: u2 (1 item) goes, u1 stays with i1, i2
        Interactions core = KCore.filter(d, 2, 1);
        assertEquals(List.of("u1"), core.userIds());
        assertEquals(2, core.size(), "the two ratings of (u1, i1) count once");
        assertEquals(4f, core.rating(0), "the latest rating of a repeated pair is kept");
    }

    @Test
    void kOfZeroKeepsEverything() {
        Interactions d = Interactions.builder("toy").add("u1", "i1").add("u2", "i2").build();
        assertEquals(2, KCore.filter(d, 0).size());
        assertEquals(0, KCore.filter(d, 2).size());
    }
}
