package netbook.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NumericsTest {
    private static final Map<String, String> PORTABLE = Map.of("ATEN_CPU_CAPABILITY", "avx2", "ONEDNN_MAX_CPU_ISA", "AVX2", "MKL_CBWR", "AVX2");

    @Test
    void allThreeLibrariesHeldToAvx2IsPortableNoneIsNativeAndOneOrTwoIsMixed() {
        assertEquals("portable", Numerics.mode(PORTABLE));
        assertEquals("native", Numerics.mode(Map.of("HOME", "/root")));
        Map<String, String> two = Map.of("ATEN_CPU_CAPABILITY", "avx2", "ONEDNN_MAX_CPU_ISA", "AVX2");
        assertEquals("mixed", Numerics.mode(two));
        // a library held to another path than AVX2 is not portable either
        assertEquals("mixed", Numerics.mode(Map.of("ATEN_CPU_CAPABILITY", "avx512", "ONEDNN_MAX_CPU_ISA", "AVX2", "MKL_CBWR", "AVX2")));
        // the mixed line names what is set and what portable needs
        assertEquals("mixed: ATEN_CPU_CAPABILITY=avx2, ONEDNN_MAX_CPU_ISA=AVX2, MKL_CBWR=(unset); portable needs "
                + "ATEN_CPU_CAPABILITY=avx2, ONEDNN_MAX_CPU_ISA=AVX2, MKL_CBWR=AVX2", Numerics.describe(two));
        assertTrue(Numerics.describe(Map.of()).startsWith("native: "), Numerics.describe(Map.of()));
    }

    @Test
    void onlyTheThreeLibrariesSettingsArePassedOnToKernelsAndExecutors() {
        Map<String, String> env = new java.util.HashMap<>(PORTABLE);
        env.put("HOME", "/root");
        env.put("MKL_CBWR", "");
        assertEquals(Map.of("ATEN_CPU_CAPABILITY", "avx2", "ONEDNN_MAX_CPU_ISA", "AVX2"), Numerics.passOn(env));
    }

    @Test
    void theEnvironmentTableAndThisProcessAgree() {
        var t = Env.table();
        String line = t.where(t.stringColumn("property").isEqualTo("numerics")).stringColumn("value").get(0);
        assertEquals(Numerics.describe(), line);
    }
}
