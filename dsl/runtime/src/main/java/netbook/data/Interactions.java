package netbook.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import netbook.dsl.NetbookException;

/**
 * User-item interactions of one domain: rows of (user, item, rating, timestamp), rating and
 * timestamp optional. Users and items are dense indices {@code 0..users()-1} and
 * {@code 0..items()-1} with their external ids ({@code reviewerID}, {@code asin}) kept. Immutable.
 * <pre>
 * Interactions d = Interactions.builder("pets").add("A1", "B00X", 5f, 1400000000L).build();
 * Interactions core = KCore.filter(d.dedupe(), 5, 5);
 * </pre>
 */
public final class Interactions {
    /** The timestamp of a row that has none. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final String name;
    private final List<String> userIds;
    private final List<String> itemIds;
    private final int[] users;
    private final int[] items;
    private final float[] ratings;
    private final long[] times;

    private Interactions(String name, List<String> userIds, List<String> itemIds, int[] users, int[] items,
                         float[] ratings, long[] times) {
        this.name = name;
        this.userIds = List.copyOf(userIds);
        this.itemIds = List.copyOf(itemIds);
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.times = times;
    }

    /** Collects rows; ids are mapped to dense indices in order of first appearance. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Rows added one at a time. */
    public static final class Builder {
        private final String name;
        private final Map<String, Integer> userIndex = new LinkedHashMap<>();
        private final Map<String, Integer> itemIndex = new LinkedHashMap<>();
        private int[] users = new int[64];
        private int[] items = new int[64];
        private float[] ratings = new float[64];
        private long[] times = new long[64];
        private int n;

        private Builder(String name) {
            this.name = name;
        }

        /** One row; {@code rating} may be NaN and {@code time} {@link #NO_TIME} when absent. */
        public Builder add(String user, String item, float rating, long time) {
            if (user == null || user.isEmpty() || item == null || item.isEmpty()) {
                throw new NetbookException(name + ": row " + n + " has an empty user or item id");
            }
            if (n == users.length) {
                int c = n * 2;
                users = Arrays.copyOf(users, c);
                items = Arrays.copyOf(items, c);
                ratings = Arrays.copyOf(ratings, c);
                times = Arrays.copyOf(times, c);
            }
            users[n] = userIndex.computeIfAbsent(user, k -> userIndex.size());
            items[n] = itemIndex.computeIfAbsent(item, k -> itemIndex.size());
            ratings[n] = rating;
            times[n] = time;
            n++;
            return this;
        }

        /** A row without rating and timestamp. */
        public Builder add(String user, String item) {
            return add(user, item, Float.NaN, NO_TIME);
        }

        public int size() {
            return n;
        }

        public Interactions build() {
            return new Interactions(name, new ArrayList<>(userIndex.keySet()), new ArrayList<>(itemIndex.keySet()),
                    Arrays.copyOf(users, n), Arrays.copyOf(items, n), Arrays.copyOf(ratings, n), Arrays.copyOf(times, n));
        }
    }

    public String name() { return name; }
    /** Rows. */
    public int size() { return users.length; }
    public int users() { return userIds.size(); }
    public int items() { return itemIds.size(); }
    public int user(int row) { return users[row]; }
    public int item(int row) { return items[row]; }
    /** NaN when the row has no rating. */
    public float rating(int row) { return ratings[row]; }
    /** {@link #NO_TIME} when the row has no timestamp. */
    public long time(int row) { return times[row]; }
    public String userId(int user) { return userIds.get(user); }
    public String itemId(int item) { return itemIds.get(item); }
    public List<String> userIds() { return userIds; }
    public List<String> itemIds() { return itemIds; }

    /** True when every row has a timestamp. */
    public boolean hasTimes() {
        for (long t : times) {
            if (t == NO_TIME) return false;
        }
        return times.length > 0;
    }

    /** The same rows under another name. */
    public Interactions named(String newName) {
        return new Interactions(newName, userIds, itemIds, users, items, ratings, times);
    }

    /** Rows per user: {@code rowsByUser()[u]} lists row numbers in row order. */
    public int[][] rowsByUser() {
        int[] count = new int[users()];
        for (int u : users) count[u]++;
        int[][] out = new int[users()][];
        for (int u = 0; u < out.length; u++) out[u] = new int[count[u]];
        int[] fill = new int[users()];
        for (int r = 0; r < users.length; r++) out[users[r]][fill[users[r]]++] = r;
        return out;
    }

    /** Distinct items per user, ascending. */
    public int[][] itemsByUser() {
        int[][] rows = rowsByUser();
        int[][] out = new int[rows.length][];
        for (int u = 0; u < rows.length; u++) {
            out[u] = Arrays.stream(rows[u]).map(r -> items[r]).distinct().sorted().toArray();
        }
        return out;
    }

    /**
     * One row per (user, item) pair: the latest by timestamp (the last in row order on ties or
     * without times), as k-core and leave-one-out expect.
     */
    public Interactions dedupe() {
        Map<Long, Integer> keep = new HashMap<>();
        for (int r = 0; r < users.length; r++) {
            long key = (long) users[r] * items() + items[r];
            Integer prev = keep.get(key);
            if (prev == null || times[r] >= times[prev]) keep.put(key, r);
        }
        boolean[] mask = new boolean[users.length];
        for (int r : keep.values()) mask[r] = true;
        return filter(r -> mask[r]);
    }

    /** The rows for which {@code keep} is true; users and items left without rows are dropped and the rest renumbered in order. */
    public Interactions filter(IntPredicate keep) {
        Builder b = new Builder(name);
        for (int r = 0; r < users.length; r++) {
            if (keep.test(r)) b.add(userIds.get(users[r]), itemIds.get(items[r]), ratings[r], times[r]);
        }
        return b.build();
    }

    /** The rows for which {@code keep} is true, with the same user and item numbering (some may be left without rows). */
    public Interactions subset(IntPredicate keep) {
        int n = 0;
        for (int r = 0; r < users.length; r++) if (keep.test(r)) n++;
        int[] nu = new int[n];
        int[] ni = new int[n];
        float[] nr = new float[n];
        long[] nt = new long[n];
        int j = 0;
        for (int r = 0; r < users.length; r++) {
            if (keep.test(r)) {
                nu[j] = users[r];
                ni[j] = items[r];
                nr[j] = ratings[r];
                nt[j] = times[r];
                j++;
            }
        }
        return new Interactions(name, userIds, itemIds, nu, ni, nr, nt);
    }

    /**
     * The same rows with users numbered in the order of {@code order} (ids absent from this data
     * are ignored; users not in {@code order} follow it, in their current order). Items keep their order.
     */
    public Interactions withUserOrder(List<String> order) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (String id : order) {
            if (userIds.contains(id) && !index.containsKey(id)) index.put(id, index.size());
        }
        for (String id : userIds) index.putIfAbsent(id, index.size());
        int[] map = new int[userIds.size()];
        for (int u = 0; u < map.length; u++) map[u] = index.get(userIds.get(u));
        int[] nu = new int[users.length];
        for (int r = 0; r < nu.length; r++) nu[r] = map[users[r]];
        return new Interactions(name, new ArrayList<>(index.keySet()), itemIds, nu, items.clone(), ratings.clone(), times.clone());
    }

    /** Interactions per user-item cell: {@code size() / (users() * items())}. */
    public double density() {
        return users() == 0 || items() == 0 ? 0 : (double) size() / ((double) users() * items());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %,d users, %,d items, %,d interactions (density %.4f%%)",
                name, users(), items(), size(), 100 * density());
    }
}
