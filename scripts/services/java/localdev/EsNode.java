package localdev;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * Starts one Elasticsearch node in this JVM from the jars on Maven Central.
 *
 * Why this exists: the official distribution (bin/elasticsearch, its CLI launcher and the
 * bundled modules) is not on Maven Central, only the server jar and the transport-netty4 plugin
 * are. This class does the few things the distribution's bootstrap would do for a local dev
 * node: configure logging, load the modules under $home/modules, start the node, and keep the
 * JVM alive until SIGTERM (the node's own threads are daemon threads).
 *
 * Usage: java -cp <classes>:<server jars> localdev.EsNode <home>   (config in <home>/config)
 */
public final class EsNode {
    public static void main(String[] args) throws Exception {
        final java.io.PrintStream err = System.err; // ES redirects System.err to a logger; keep the real one for fatal errors
        try {
            run(Path.of(args[0]).toAbsolutePath());
        } catch (Throwable t) {
            err.println("fatal: Elasticsearch did not start");
            t.printStackTrace(err);
            err.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(Path home) throws Exception {
        Path config = home.resolve("config");
        LogConfigurator.registerErrorListener();
        // reads config/elasticsearch.yml (path.data, ports, ...) like the real bootstrap does
        Environment env = InternalSettingsPreparer.prepareEnvironment(
            Settings.builder().put("path.home", home.toString()).build(), Map.of(), config, () -> "local");
        // the %node_name pattern in log4j2.properties needs the node name before logging is configured
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(env.settings()));
        LogConfigurator.configure(env, true);

        // Modules are loaded from <home>/modules/<name>/ (jars + plugin-descriptor.properties).
        // The server jars sit on the class path, not in a module layer, so the modules must be
        // non-modular (no "modulename" in their descriptor) and the server's qualified exports
        // are not wired (last argument false, as in Elasticsearch's own test clusters).
        PluginsLoader plugins = PluginsLoader.createPluginsLoader(
            PluginsLoader.loadModulesBundles(env.modulesDir()), Set.of(), Map.of(), false);
        Node node = new Node(env, plugins);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "es-shutdown"));

        node.start();
        stopped.await(); // keep-alive: a non-daemon thread until the shutdown hook has closed the node
    }
}
