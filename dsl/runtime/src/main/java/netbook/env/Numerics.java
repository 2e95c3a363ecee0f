package netbook.env;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which code paths PyTorch's CPU kernels take. Each of the three libraries that compute on the CPU
 * (ATen, PyTorch's own kernels; oneDNN, its convolutions; MKL, its matrix products) picks the
 * widest vector instructions the CPU has when it loads. An AVX-512 kernel adds the same numbers in
 * another order than an AVX2 one, so the same seed and thread count gave losses that differ in the
 * fourth digit between an AVX2 and an AVX-512 machine. Held to their AVX2 paths (each library's own
 * setting, read from the environment when the natives load, which is why {@code ./netbook} sets
 * them before Java starts), the libraries use the same instruction set on every x86-64 CPU with
 * AVX2. A LeNet-5 sweep then gave bit-identical losses on an AVX2 and an AVX-512 AMD CPU, but a
 * full alexnet-small run did not (test accuracy 0.9058 against 0.9049, same code and seed; see
 * RESULTS.md), so across CPUs small networks match and others come close; the cause is not pinned
 * down (oneDNN also sizes its blocks by the caches, which no setting fixes). Intel CPUs are not compared yet.
 * <pre>Numerics.describe()   // "portable: AVX2 code paths in ATen, oneDNN and MKL (...)"</pre>
 */
public final class Numerics {
    private Numerics() {}

    /** The settings that hold each library to AVX2, as {@code ./netbook} exports them (unless NETBOOK_NUMERICS=native). */
    public static final Map<String, String> PORTABLE = portable();

    private static Map<String, String> portable() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ATEN_CPU_CAPABILITY", "avx2");
        m.put("ONEDNN_MAX_CPU_ISA", "AVX2");
        m.put("MKL_CBWR", "AVX2");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** "portable", "native" or "mixed": the short form that stamps record. */
    public static String mode() {
        return mode(System.getenv());
    }

    static String mode(Map<String, String> env) {
        long held = PORTABLE.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(env.getOrDefault(e.getKey(), ""))).count();
        long set = PORTABLE.keySet().stream().filter(k -> !env.getOrDefault(k, "").isEmpty()).count();
        return held == PORTABLE.size() ? "portable" : set == 0 ? "native" : "mixed";
    }

    /** This process's code paths, in words. */
    public static String describe() {
        return describe(System.getenv());
    }

    static String describe(Map<String, String> env) {
        return switch (mode(env)) {
            case "portable" -> "portable: AVX2 code paths in ATen, oneDNN and MKL (the same instruction set on every x86-64 CPU with AVX2)";
            case "native" -> "native: each library uses the CPU's widest instructions (on an AVX-512 CPU the last digits"
                    + " differ from an AVX2 one); ./netbook holds them to AVX2 unless NETBOOK_NUMERICS=native";
            default -> "mixed: " + String.join(", ", PORTABLE.keySet().stream()
                    .map(k -> k + "=" + (env.getOrDefault(k, "").isEmpty() ? "(unset)" : env.get(k))).toList())
                    + "; portable needs " + String.join(", ", PORTABLE.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        };
    }

    /**
     * The settings of {@code env} that a process started from this one must get for the same
     * numbers (a kernel, a Spark executor): the three libraries' variables that are set.
     */
    public static Map<String, String> passOn(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : PORTABLE.keySet()) {
            String v = env.get(k);
            if (v != null && !v.isEmpty()) out.put(k, v);
        }
        return out;
    }
}
