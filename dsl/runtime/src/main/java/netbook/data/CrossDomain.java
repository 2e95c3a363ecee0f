package netbook.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Two domains whose users are mapped onto each other: users {@code 0..shared()-1} are the same
 * people (same external id) in {@link #source()} and {@link #target()}; each domain's own users
 * follow. Items are never shared. {@link #mergedUserOfSource}/{@link #mergedUserOfTarget} number
 * the users of both domains together, for joint training on the merged data.
 * <pre>
 * CrossDomain cd = CrossDomain.align(KCore.filter(grocery, 10), KCore.filter(pets, 5));
 * cd.shared();   // users in both
 * </pre>
 */
public record CrossDomain(Interactions source, Interactions target, int shared) {

    /** Renumbers the users of both domains so the shared ones (sorted by id) come first, with the same indices. */
    public static CrossDomain align(Interactions source, Interactions target) {
        Set<String> inTarget = new HashSet<>(target.userIds());
        List<String> shared = new ArrayList<>();
        for (String id : source.userIds()) {
            if (inTarget.contains(id)) shared.add(id);
        }
        shared.sort(null);
        return new CrossDomain(source.withUserOrder(shared), target.withUserOrder(shared), shared.size());
    }

    /** Users of either domain. */
    public int mergedUsers() {
        return source.users() + target.users() - shared;
    }

    /** A source user's index among the merged users: shared first, then source-only, then target-only. */
    public int mergedUserOfSource(int u) {
        return u;
    }

    public int mergedUserOfTarget(int u) {
        return u < shared ? u : u - shared + source.users();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "source %s%ntarget %s%nshared users %,d (%.1f%% of target users)",
                source, target, shared, target.users() == 0 ? 0.0 : 100.0 * shared / target.users());
    }
}
