package netbook.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import netbook.dsl.Net;
import netbook.dsl.SpecJson;

/** The PyTorch eager peer (Debian's python3-torch) as a child process answering one command at a time. */
final class TorchPeer implements AutoCloseable {
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;
    final long params;

    private TorchPeer(Process p) throws IOException {
        process = p;
        in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        params = (long) value("params");
    }

    /**
     * Starts the peer, or returns null (with the reason on stderr) when python3-torch is missing.
     * With {@code sameAllocator} false the peer runs as Debian's PyTorch runs by default (glibc
     * malloc: the launcher's jemalloc preload is removed); true keeps Netbook's allocator.
     */
    static TorchPeer start(Path root, int batch, Net net, String fashionDir, int threads, boolean sameAllocator) throws IOException {
        Path script = root.resolve("src/bench/python/torch_peer.py");
        if (!Files.isExecutable(Path.of("/usr/bin/python3")) || new ProcessBuilder("/usr/bin/python3", "-c", "import torch")
                .redirectErrorStream(true).start().onExit().join().exitValue() != 0) {
            System.err.println("bench: no PyTorch peer: install Debian's python3-torch (apt-get install python3-torch)");
            return null;
        }
        // The peer builds the same network from the spec tree (src/bench/python/spec_torch.py).
        Path spec = Files.createTempFile("netbook-peer-", ".json");
        spec.toFile().deleteOnExit();
        Files.writeString(spec, SpecJson.write(net));
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), String.valueOf(batch), spec.toString(), fashionDir,
                String.valueOf(threads)).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (!sameAllocator) {
            pb.environment().remove("LD_PRELOAD");
            pb.environment().remove("MALLOC_CONF");
        }
        Process p = pb.start();
        try {
            return new TorchPeer(p);
        } catch (IOException e) {
            p.destroy();
            System.err.println("bench: no PyTorch peer for " + net.name() + ": " + e.getMessage());
            return null;
        }
    }

    /** Median seconds per step of forward+loss, backward and optimizer step over {@code steps} steps. */
    double[] split(int steps) throws IOException {
        in.println("split " + steps);
        String line = out.readLine();
        if (line == null || !line.startsWith("split ")) {
            throw new IOException("PyTorch peer answered '" + line + "', expected 'split ...'");
        }
        String[] f = line.substring(6).trim().split("\\s+");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }

    double ask(String command, String key) throws IOException {
        in.println(command);
        return value(key);
    }

    /** {@link #ask} for lambdas: an I/O failure of the peer becomes an unchecked one. */
    double askUnchecked(String command, String key) {
        try {
            return ask(command, key);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private double value(String key) throws IOException {
        String line = out.readLine();
        if (line == null || !line.startsWith(key + " ")) {
            throw new IOException("PyTorch peer answered '" + line + "', expected '" + key + " ...'");
        }
        return Double.parseDouble(line.substring(key.length() + 1).trim());
    }

    @Override
    public void close() {
        in.println("quit");
        process.destroy();
    }
}
