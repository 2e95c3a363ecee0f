package netbook.env;

import netbook.files.AtomicFiles;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a result was made: seed, versions, device, CPU, PyTorch threads, numerics and a hash of the
 * data files read. Shown under a result table and written next to it ({@code name.stamp.json}).
 * With portable numerics every x86-64 CPU with AVX2 uses the same instruction set for the same seed
 * and thread count, yet larger networks can still differ in the last digits between CPUs (see
 * {@link Numerics}); with native numerics they depend on the CPU, and speed always does, so the CPU
 * is part of what made a number.
 *
 * @param cpu     {@link Env#cpuModel()}; "unknown" in stamps written before it was recorded
 * @param threads PyTorch's intra-op threads of the thread that trained; 0 when not recorded
 * @param numerics {@link Numerics#mode()}: "portable" (AVX2 code paths) or "native"; "unknown" when not recorded
 */
public record Stamp(long seed, String netbook, String djl, String engine, String devices, String cpu, int threads, String numerics,
        String dataHash) {

    /** The stamp of a run in this process, with the calling thread's PyTorch thread count. */
    public static Stamp of(long seed, String devices, String dataHash) {
        Engine e = Engine.getInstance();
        return new Stamp(seed, Env.netbookVersion(), Engine.getDjlVersion(), e.getEngineName() + " " + e.getVersion(),
                devices, Env.cpuModel(), ai.djl.pytorch.jni.JniUtils.getNumThreads(), Numerics.mode(), dataHash);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("netbook", netbook);
        m.put("djl", djl);
        m.put("engine", engine);
        m.put("devices", devices);
        m.put("cpu", cpu);
        m.put("threads", threads);
        m.put("numerics", numerics);
        m.put("data_sha256", dataHash);
        return m;
    }

    public String toJson() {
        return new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(asMap());
    }

    /** Writes {@code <file>.stamp.json} beside a result file, atomically. */
    public void writeBeside(Path resultFile) throws IOException {
        AtomicFiles.writeString(resultFile.resolveSibling(resultFile.getFileName() + ".stamp.json"), toJson());
    }

    @Override
    public String toString() {
        return "seed " + seed + " · netbook " + netbook + " · DJL " + djl + " · " + engine + " · " + devices
                + " · " + cpu + " · " + threads + " thread" + (threads == 1 ? "" : "s") + " · " + numerics + " numerics · data sha256 " + (dataHash.length() > 12 ? dataHash.substring(0, 12) : dataHash);
    }
}
