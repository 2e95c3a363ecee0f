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

    /**
     * The pages of this JVM's heap: "2 MiB transparent huge pages" where the launcher (or a
     * kernelspec) turned {@code -XX:+UseTransparentHugePages} on because Linux offers them, else
     * "4 KiB pages" ("unknown" on a JVM without HotSpot's diagnostic bean).
     */
    public static String javaHeapPages() {
        try {
            var vm = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (Boolean.parseBoolean(vm.getVMOption("UseTransparentHugePages").getValue())) {
                return "2 MiB transparent huge pages";
            }
            return Boolean.parseBoolean(vm.getVMOption("UseLargePages").getValue()) ? "large pages" : "4 KiB pages";
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    /**
     * The CPU: its model name, family and model numbers and vector width from /proc/cpuinfo, such as
     * "AMD EPYC (family 26 model 2, AVX-512)" ("unknown" where it cannot be read). A virtual
     * machine's model name can be as short as "AMD EPYC", and numbers computed on two CPUs of
     * that name differ in speed, and where the convolution's channel tail is read, in the guard.
     */
    public static String cpuModel() {
        try {
            return describeCpu(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** {@link #cpuModel()} from the lines of /proc/cpuinfo (its first processor's block). */
    static String describeCpu(java.util.List<String> cpuinfo) {
        java.util.Map<String, String> first = new java.util.LinkedHashMap<>();
        for (String line : cpuinfo) {
            if (line.isBlank() && !first.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon > 0) first.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        String name = first.getOrDefault("model name", "unknown");
        java.util.List<String> details = new java.util.ArrayList<>();
        if (first.containsKey("cpu family") && first.containsKey("model")) {
            details.add("family " + first.get("cpu family") + " model " + first.get("model"));
        }
        if (first.containsKey("flags")) {
            java.util.Set<String> flags = java.util.Set.of(first.get("flags").split("\\s+"));
            details.add(flags.contains("avx512f") ? "AVX-512" : flags.contains("avx2") ? "AVX2, no AVX-512" : "no AVX2");
        }
        return details.isEmpty() ? name : name + " (" + String.join(", ", details) + ")";
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
        put(k, v, "numerics", Numerics.describe());
        put(k, v, "conv guard", ConvGuard.decision().describe());
        put(k, v, "offline", System.getProperty("ai.djl.offline", "false"));
        put(k, v, "java", System.getProperty("java.version"));
        put(k, v, "java heap pages", javaHeapPages());
        put(k, v, "cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        put(k, v, "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return Table.create("environment", k, v);
    }

    private static void put(StringColumn k, StringColumn v, String key, String value) {
        k.append(key);
        v.append(value);
    }
}
