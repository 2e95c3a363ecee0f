package netbook.env;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;
import netbook.internal.djl.ConvGuard;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** What Netbook runs on: engine, versions, devices, threads, offline mode. <pre>Env.table()</pre> */
public final class Env {
    private Env() {}

    /** Netbook's own version, from the build. */
    public static String netbookVersion() {
        Properties p = new Properties();
        try (InputStream in = Env.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** Every GPU the engine reports, else the CPU. */
    public static Device[] devices() {
        return Engine.getInstance().getDevices();
    }

    public static String describe(Device[] devices) {
        return Arrays.stream(devices).map(Device::toString).collect(Collectors.joining(", "));
    }

    /**
     * The C allocator behind PyTorch's CPU tensors in this process: {@code jemalloc (MALLOC_CONF)} when
     * the launcher preloaded it, else {@code glibc malloc}. Training throughput and resident memory
     * depend on it (RESULTS.md), so it belongs in every environment report.
     */
    public static String allocator() {
        try {
            boolean jemalloc = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .anyMatch(l -> l.contains("libjemalloc"));
            if (jemalloc) {
                String conf = System.getenv("MALLOC_CONF");
                return "jemalloc" + (conf == null || conf.isEmpty() ? "" : " (" + conf + ")");
            }
            return "glibc malloc";
        } catch (IOException | RuntimeException e) {
            return "unknown (no /proc/self/maps)";
        }
    }

    /** The CPU's model name from /proc/cpuinfo ("unknown" where it cannot be read). */
    public static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The environment as a two-column table (property, value). */
    public static Table table() {
        Engine engine = Engine.getInstance();
        StringColumn k = StringColumn.create("property");
        StringColumn v = StringColumn.create("value");
        put(k, v, "netbook", netbookVersion());
        put(k, v, "djl", Engine.getDjlVersion());
        put(k, v, "engine", engine.getEngineName() + " " + engine.getVersion());
        put(k, v, "devices", describe(devices()));
        put(k, v, "gpus", String.valueOf(engine.getGpuCount()));
        put(k, v, "intra-op threads", System.getProperty("ai.djl.pytorch.num_threads", "engine default"));
        put(k, v, "inter-op threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "engine default"));
        put(k, v, "allocator", allocator());
        put(k, v, "cpu", cpuModel());
        put(k, v, "conv guard", ConvGuard.decision().describe());
        put(k, v, "offline", System.getProperty("ai.djl.offline", "false"));
        put(k, v, "java", System.getProperty("java.version"));
        put(k, v, "cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        put(k, v, "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return Table.create("environment", k, v);
    }

    private static void put(StringColumn k, StringColumn v, String key, String value) {
        k.append(key);
        v.append(value);
    }
}
