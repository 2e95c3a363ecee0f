package netbook.internal.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the output of every compiled leaf block of one forward pass, by block path, to find where
 * a value first became non-finite. With {@code gradients}, each recorded output also gets a zero
 * leaf added to it ({@code y + z}, exactly {@code y}); after backward, {@code z}'s gradient is the
 * gradient of the loss with respect to that block's output, which libtorch does not otherwise keep
 * for intermediate arrays. Only for a re-run of a failed step or the opt-in anomaly mode: it costs a
 * check and an array per block.
 */
public final class Trace implements AutoCloseable {
    private static final ThreadLocal<Trace> CURRENT = new ThreadLocal<>();

    /** One leaf block's output in execution order; {@code probe} is null without gradients. */
    public record Entry(String path, String type, NDArray output, NDArray probe) {}

    private final boolean gradients;
    private final List<Entry> entries = new ArrayList<>();

    private Trace(boolean gradients) {
        this.gradients = gradients;
    }

    /** Starts tracing forward passes on this thread until closed. */
    public static Trace start(boolean gradients) {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("a Trace is already active on this thread");
        }
        Trace t = new Trace(gradients);
        CURRENT.set(t);
        return t;
    }

    /** Called by containers after each leaf child: records it and returns the array to pass on. */
    static NDArray record(String path, String type, Block block, NDArray out) {
        Trace t = CURRENT.get();
        if (t == null || block instanceof ContainerBlock) {
            return out;
        }
        NDArray probe = null;
        NDArray next = out;
        if (t.gradients && out.getDataType().isFloating()) {
            probe = out.getManager().zeros(out.getShape(), out.getDataType(), out.getDevice());
            probe.setRequiresGradient(true);
            next = out.add(probe);
        }
        t.entries.add(new Entry(path, type, out, probe));
        return next;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The first leaf (execution order) whose output holds a non-finite value, or null. */
    public Entry firstNonFiniteOutput() {
        for (Entry e : entries) {
            if (e.output().getDataType().isFloating() && nonFinite(e.output()) > 0) {
                return e;
            }
        }
        return null;
    }

    /**
     * After backward: the index of the entry whose output gradient became non-finite first in
     * backward order (the latest in execution order), or -1.
     */
    public int firstNonFiniteGradient() {
        for (int i = entries.size() - 1; i >= 0; i--) {
            NDArray p = entries.get(i).probe();
            if (p != null && p.hasGradient() && nonFinite(p.getGradient()) > 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        CURRENT.remove();
    }

    /** How many values of {@code a} are NaN or infinite. */
    public static long nonFinite(NDArray a) {
        return a.isNaN().logicalOr(a.isInfinite()).countNonzero().getLong();
    }

    /** Every parameter of {@code root} by its block path ({@code inception3a.branch2.conv2.weight}). */
    public static Map<Parameter, String> parameterPaths(Block root) {
        Map<Parameter, String> paths = new IdentityHashMap<>();
        walk(root, "", paths);
        return paths;
    }

    private static void walk(Block block, String path, Map<Parameter, String> paths) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            paths.put(p.getValue(), path.isEmpty() ? p.getKey() : path + "." + p.getKey());
        }
        for (Pair<String, Block> c : block.getChildren()) {
            walk(c.getValue(), path.isEmpty() ? c.getKey() : path + "." + c.getKey(), paths);
        }
    }
}
