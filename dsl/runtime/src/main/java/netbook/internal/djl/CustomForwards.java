package netbook.internal.djl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import netbook.dsl.CustomLayer;
import netbook.engine.Blocks;

/** The computations given with {@link Blocks#define}, by layer class. Internal: use {@code Blocks}. */
public final class CustomForwards {
    private CustomForwards() {}

    private static final Map<Class<?>, Blocks.Forward<?>> BY_TYPE = new ConcurrentHashMap<>();

    public static void put(Class<? extends CustomLayer> type, Blocks.Forward<?> forward) {
        BY_TYPE.put(type, forward);
    }

    /** The forward for {@code layer}'s class, or null. */
    static Blocks.Forward<?> of(CustomLayer layer) {
        return BY_TYPE.get(layer.getClass());
    }
}
