package netbook.recipes;

import java.nio.file.Path;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * One paper reproduced end to end. {@code run} trains and evaluates with quick settings (minutes
 * on a laptop CPU, used in CI) or full ones, writes its tables (CSV and HTML) and figures into
 * {@code out} atomically, and returns the tables.
 */
public interface Recipe {
    /** The name used on the command line: {@code ./netbook recipe NAME}. */
    String name();

    /** One line on what the recipe reproduces. */
    String description();

    List<Table> run(Settings settings, Path out) throws Exception;

    /** The parts a recipe can run alone ({@code ./netbook recipe NAME --only PART}); none by default. */
    default List<String> parts() {
        return List.of();
    }

    /**
     * Quick (default) or full settings, with the seed and the data directory.
     *
     * @param only one of {@link #parts()} to run alone, or null for all of them
     */
    record Settings(boolean full, long seed, Path dataDir, String only) {
        public Settings(boolean full, long seed, Path dataDir) {
            this(full, seed, dataDir, null);
        }

        public static Settings quick() {
            return new Settings(false, 42, null);
        }
    }
}
