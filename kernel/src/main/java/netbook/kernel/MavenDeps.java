package netbook.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * {@code %maven}: Maven coordinates to jars on the session's class path, with their runtime
 * dependencies, through the Maven Resolver library. The local repository is asked first (so a
 * machine without a network uses what it has), then Maven Central when it can be reached; an
 * artifact in neither is a one-line error. An artifact Netbook already ships (same group and
 * artifact id on the kernel's class path) is not loaded a second time: the same version is
 * skipped quietly, another version is reported, since two versions of DJL, Tablesaw or slf4j in
 * one JVM fail in ways far from their cause.
 */
final class MavenDeps {
    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    /** What a %maven line did: jars added, artifacts already shipped, clashes refused. */
    record Outcome(List<Path> added, List<String> alreadyShipped, List<String> clashes) {}

    private final Path localRepository;
    private final boolean remote;
    private final Map<String, String> shipped;

    /**
     * @param localRepository the local repository (usually ~/.m2/repository)
     * @param remote whether to try Maven Central for what the local repository lacks
     * @param shipped group:artifact to version of what the kernel already has
     */
    MavenDeps(Path localRepository, boolean remote, Map<String, String> shipped) {
        this.localRepository = localRepository;
        this.remote = remote;
        this.shipped = shipped;
    }

    /** The kernel's own setting: -Dmaven.repo.local or ~/.m2/repository, Central unless NETBOOK_MAVEN_OFFLINE is set. */
    static MavenDeps forKernel() {
        String local = System.getProperty("maven.repo.local");
        Path repo = local != null && !local.isBlank() ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return new MavenDeps(repo, System.getenv("NETBOOK_MAVEN_OFFLINE") == null, shippedArtifacts(System.getProperty("java.class.path", "")));
    }

    /** Resolves {@code coordinates} (group:artifact:version, or with :extension[:classifier]) and their runtime dependencies. */
    Outcome resolve(List<String> coordinates) throws CellError {
        List<Dependency> roots = new ArrayList<>();
        for (String c : coordinates) {
            if (!c.matches("[^:\\s]+:[^:\\s]+(:[^:\\s]+){1,3}")) {
                throw CellError.of("MavenError", "%maven: '" + c + "' is not group:artifact:version");
            }
            roots.add(new Dependency(new DefaultArtifact(c), JavaScopes.RUNTIME));
        }
        List<ArtifactResult> results;
        try {
            results = resolve(roots, true);   // the local repository alone first: quick, and works offline
        } catch (DependencyResolutionException local) {
            if (!remote) {
                throw CellError.of("MavenError", "%maven: cannot resolve " + String.join(" ", coordinates) + ": " + firstLine(local)
                        + " (the local repository " + localRepository + " lacks it, and Maven Central is switched off by NETBOOK_MAVEN_OFFLINE)");
            }
            try {
                results = resolve(roots, false);
            } catch (DependencyResolutionException online) {
                throw CellError.of("MavenError", "%maven: cannot resolve " + String.join(" ", coordinates) + ": " + firstLine(online)
                        + " (looked in " + localRepository + " and " + CENTRAL + ")");
            }
        }
        List<Path> added = new ArrayList<>();
        List<String> same = new ArrayList<>();
        List<String> clashes = new ArrayList<>();
        for (ArtifactResult r : results) {
            Artifact a = r.getArtifact();
            if (a == null || a.getPath() == null) continue;
            String key = a.getGroupId() + ":" + a.getArtifactId();
            String ours = shipped.getOrDefault(key, shipped.get("?:" + a.getArtifactId()));
            if (ours == null) {
                added.add(a.getPath());
            } else if (ours.equals(a.getBaseVersion())) {
                same.add(key + ":" + ours);
            } else {
                clashes.add(key + ":" + a.getBaseVersion() + " (Netbook ships " + ours + ")");
            }
        }
        return new Outcome(added, same, clashes);
    }

    private List<ArtifactResult> resolve(List<Dependency> roots, boolean offline) throws DependencyResolutionException {
        try (RepositorySystem system = new org.eclipse.aether.supplier.RepositorySystemSupplier().get();
             // Maven 3's defaults: test and provided dependencies of dependencies are not followed, nearest version wins.
             org.eclipse.aether.RepositorySystemSession.CloseableSession session = new org.eclipse.aether.supplier.SessionBuilderSupplier(system).get()
                     .withLocalRepositoryBaseDirectories(localRepository)
                     .setOffline(offline)
                     .setConfigProperty("aether.connector.connectTimeout", 5_000)
                     .setConfigProperty("aether.connector.requestTimeout", 30_000)
                     .setSystemProperties(System.getProperties())
                     .build()) {
            CollectRequest collect = new CollectRequest();
            roots.forEach(collect::addDependency);
            collect.setRepositories(List.of(new RemoteRepository.Builder("central", "default", CENTRAL).build()));
            DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
            return system.resolveDependencies(session, request).getArtifactResults();
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The dependencies (compile and runtime scope) a pom.xml declares, as coordinates; ${properties} of the pom are filled in. */
    static List<String> pomDependencies(Path pom) throws CellError {
        try {
            return pomDependencies(Files.readString(pom), pom.toString());
        } catch (IOException e) {
            throw CellError.of("MavenError", "%maven --file: cannot read " + pom + ": " + e.getMessage());
        }
    }

    /** {@link #pomDependencies(Path)} of POM text ({@code where} names it in errors). */
    static List<String> pomDependencies(String xml, String where) throws CellError {
        Map<String, String> props = new LinkedHashMap<>();
        Matcher pm = Pattern.compile("<properties>(.*?)</properties>", Pattern.DOTALL).matcher(xml);
        if (pm.find()) {
            Matcher p = Pattern.compile("<([\\w.\\-]+)>([^<]*)</\\1>").matcher(pm.group(1));
            while (p.find()) props.put(p.group(1), p.group(2).strip());
        }
        Matcher block = Pattern.compile("<dependencies>(.*?)</dependencies>", Pattern.DOTALL).matcher(
                xml.replaceAll("(?s)<dependencyManagement>.*?</dependencyManagement>", "").replaceAll("(?s)<!--.*?-->", ""));
        List<String> out = new ArrayList<>();
        if (!block.find()) return out;
        Matcher dep = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(block.group(1));
        int n = 0;
        while (dep.find()) {
            n++;
            String body = dep.group(1);
            String scope = tag(body, "scope", props);
            if (scope != null && !scope.equals("compile") && !scope.equals("runtime")) continue;
            String g = tag(body, "groupId", props);
            String a = tag(body, "artifactId", props);
            String v = tag(body, "version", props);
            if (g == null || a == null || v == null) {
                throw CellError.of("MavenError", "%maven --file " + where + ": dependency " + n + " needs groupId, artifactId and version"
                        + " (versions from a parent or dependencyManagement are not followed)");
            }
            out.add(g + ":" + a + ":" + v);
        }
        return out;
    }

    private static String tag(String body, String name, Map<String, String> props) {
        Matcher m = Pattern.compile("<" + name + ">\\s*([^<]*?)\\s*</" + name + ">").matcher(body);
        if (!m.find()) return null;
        String v = m.group(1);
        Matcher ref = Pattern.compile("\\$\\{([^}]+)}").matcher(v);
        StringBuilder sb = new StringBuilder();
        while (ref.find()) ref.appendReplacement(sb, Matcher.quoteReplacement(props.getOrDefault(ref.group(1), ref.group(0))));
        ref.appendTail(sb);
        return sb.toString();
    }

    /** group:artifact to version of every jar on a class path, from its pom.properties (else its file name). */
    static Map<String, String> shippedArtifacts(String classPath) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar")) continue;
            try (JarFile jar = new JarFile(entry)) {
                boolean found = false;
                for (var e : java.util.Collections.list(jar.entries())) {
                    String n = e.getName();
                    if (n.startsWith("META-INF/maven/") && n.endsWith("/pom.properties")) {
                        Properties p = new Properties();
                        try (InputStream in = jar.getInputStream(e)) {
                            p.load(in);
                        }
                        if (p.getProperty("groupId") != null && p.getProperty("artifactId") != null) {
                            out.put(p.getProperty("groupId") + ":" + p.getProperty("artifactId"), p.getProperty("version", "?"));
                            found = true;
                        }
                    }
                }
                if (!found) {
                    Matcher m = Pattern.compile("(.+?)-(\\d[^/]*)\\.jar").matcher(Path.of(entry).getFileName().toString());
                    if (m.matches()) out.put("?:" + m.group(1), m.group(2));
                }
            } catch (IOException e) {
                // an unreadable jar cannot clash with anything we would load
            }
        }
        return out;
    }
}
