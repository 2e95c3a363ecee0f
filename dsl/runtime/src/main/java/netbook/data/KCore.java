package netbook.data;

/**
 * k-core filtering: repeatedly drop users with fewer than {@code userK} distinct items and items
 * with fewer than {@code itemK} distinct users until none is left to drop. The Amazon "5-core"
 * files are the 5-core of the full reviews; PCRec uses the 10-core of the source domain and the
 * 5-core of the target.
 * <pre>Interactions core = KCore.filter(reviews, 10);</pre>
 */
public final class KCore {
    private KCore() {}

    /** The k-core with the same k for users and items. */
    public static Interactions filter(Interactions data, int k) {
        return filter(data, k, k);
    }

    /** Every user keeps at least {@code userK} and every item at least {@code itemK} distinct partners. */
    public static Interactions filter(Interactions data, int userK, int itemK) {
        if (userK < 0 || itemK < 0) {
            throw new netbook.dsl.NetbookException("KCore: k must be zero or positive, received users " + userK + ", items " + itemK);
        }
        Interactions d = data.dedupe();
        boolean[] alive = new boolean[d.size()];
        java.util.Arrays.fill(alive, true);
        boolean changed = true;
        while (changed) {
            changed = false;
            int[] userDeg = new int[d.users()];
            int[] itemDeg = new int[d.items()];
            for (int r = 0; r < d.size(); r++) {
                if (alive[r]) {
                    userDeg[d.user(r)]++;
                    itemDeg[d.item(r)]++;
                }
            }
            for (int r = 0; r < d.size(); r++) {
                if (alive[r] && (userDeg[d.user(r)] < userK || itemDeg[d.item(r)] < itemK)) {
                    alive[r] = false;
                    changed = true;
                }
            }
        }
        return d.filter(r -> alive[r]);
    }
}
