package netbook.env;

import netbook.files.AtomicFiles;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a result was made: seed, versions, device and a hash of the data files read. Shown under a
 * result table and written next to it ({@code name.stamp.json}).
 */
public record Stamp(long seed, String netbook, String djl, String engine, String devices, String dataHash) {

    /** The stamp of a run in this process. */
    public static Stamp of(long seed, String devices, String dataHash) {
        Engine e = Engine.getInstance();
        return new Stamp(seed, Env.netbookVersion(), Engine.getDjlVersion(), e.getEngineName() + " " + e.getVersion(),
                devices, dataHash);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("netbook", netbook);
        m.put("djl", djl);
        m.put("engine", engine);
        m.put("devices", devices);
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
                + " · data sha256 " + (dataHash.length() > 12 ? dataHash.substring(0, 12) : dataHash);
    }
}
