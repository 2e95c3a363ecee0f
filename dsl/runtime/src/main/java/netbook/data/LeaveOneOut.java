package netbook.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import netbook.dsl.NetbookException;

/**
 * Leave-one-out split by time: for every user, the latest interaction is the test item and, when
 * a validation item is asked for, the second latest is the validation item; the rest is training
 * data. Without timestamps the held-out items are drawn at random (seeded). Users with too few
 * interactions (fewer than 2, or 3 with validation) stay wholly in training. User and item
 * numbering is that of the input.
 * <pre>
 * LeaveOneOut split = LeaveOneOut.of(pets, true, 42);
 * SampledRanking test = split.test(99, 42);   // the held-out item and 99 sampled negatives per user
 * </pre>
 */
public final class LeaveOneOut {
    private final Interactions all;
    private final Interactions train;
    private final int[][] history;
    private final List<int[]> valid;  // (user, item)
    private final List<int[]> test;

    private LeaveOneOut(Interactions all, Interactions train, int[][] history, List<int[]> valid, List<int[]> test) {
        this.all = all;
        this.train = train;
        this.history = history;
        this.valid = valid;
        this.test = test;
    }

    /** Splits the deduplicated interactions of {@code data}. */
    public static LeaveOneOut of(Interactions data, boolean validation, long seed) {
        Interactions d = data.dedupe();
        boolean timed = d.hasTimes();
        Random rnd = new Random(seed);
        int[][] rows = d.rowsByUser();
        boolean[] held = new boolean[d.size()];
        List<int[]> valid = new ArrayList<>();
        List<int[]> test = new ArrayList<>();
        int need = validation ? 3 : 2;
        for (int u = 0; u < rows.length; u++) {
            Integer[] order = Arrays.stream(rows[u]).boxed().toArray(Integer[]::new);
            if (timed) {
                Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : d.time(a) != d.time(b) ? Long.compare(d.time(a), d.time(b)) : Integer.compare(a, b));
            } else {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    Integer t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            if (order.length < need) continue;
            int last = order[order.length - 1];
            held[last] = true;
            test.add(new int[] {u, d.item(last)});
            if (validation) {
                int second = order[order.length - 2];
                held[second] = true;
                valid.add(new int[] {u, d.item(second)});
            }
        }
        Interactions train = d.subset(r -> !held[r]).named(d.name() + " (train)");
        return new LeaveOneOut(d, train, d.itemsByUser(), valid, test);
    }

    /** Training interactions (everything not held out). */
    public Interactions train() { return train; }
    /** All interactions, deduplicated. */
    public Interactions all() { return all; }
    /** Users with a test item. */
    public int testUsers() { return test.size(); }

    /** Validation cases with {@code negatives} sampled negatives each (empty without validation). */
    public SampledRanking validation(int negatives, long seed) {
        return ranking(valid, negatives, seed * 31 + 1);
    }

    /** Test cases with {@code negatives} sampled negatives each. */
    public SampledRanking test(int negatives, long seed) {
        return ranking(test, negatives, seed * 31 + 2);
    }

    /** Negatives are drawn uniformly, without replacement, from items the user never interacted with (train or held out). */
    private SampledRanking ranking(List<int[]> held, int negatives, long seed) {
        Random rnd = new Random(seed);
        List<SampledRanking.Case> cases = new ArrayList<>();
        for (int[] ui : held) {
            int[] seen = history[ui[0]];
            int free = all.items() - seen.length;
            if (free < negatives) {
                throw new NetbookException(String.format(Locale.ROOT,
                        "%s: user %s interacted with %d of %d items, leaving %d to sample %d negatives from; "
                                + "use fewer negatives or a larger item set", all.name(), all.userId(ui[0]),
                        seen.length, all.items(), free, negatives));
            }
            int[] neg = new int[negatives];
            java.util.Set<Integer> chosen = new java.util.HashSet<>();
            int j = 0;
            while (j < negatives) {
                int i = rnd.nextInt(all.items());
                if (Arrays.binarySearch(seen, i) < 0 && chosen.add(i)) neg[j++] = i;
            }
            cases.add(new SampledRanking.Case(ui[0], ui[1], neg));
        }
        return new SampledRanking(cases);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "leave-one-out of %s: %,d training interactions, %,d validation and %,d test users (%s)",
                all.name(), train.size(), valid.size(), test.size(), all.hasTimes() ? "latest by time" : "random, no timestamps");
    }
}
