package org.cs4od.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * One OpenSearch node on loopback with the standard modules loaded from the classpath.
 *
 * <p>Usage: {@code SearchNode <home> <http-port> <transport-port>}. Data and logs go
 * under {@code <home>}. The process runs until SIGTERM, then closes the node.
 */
public final class SearchNode {

    /** The modules a distribution ships and InvenioRDM relies on. */
    static final List<Class<? extends Plugin>> MODULES = List.of(
            org.opensearch.analysis.common.CommonAnalysisPlugin.class,
            org.opensearch.index.mapper.MapperExtrasPlugin.class,
            org.opensearch.join.ParentJoinPlugin.class,
            org.opensearch.percolator.PercolatorPlugin.class,
            org.opensearch.painless.PainlessPlugin.class,
            org.opensearch.index.reindex.ReindexPlugin.class,
            org.opensearch.transport.Netty4Plugin.class,
            org.opensearch.geo.GeoModulePlugin.class,
            org.opensearch.ingest.common.IngestCommonPlugin.class,
            org.opensearch.ingest.useragent.IngestUserAgentPlugin.class,
            org.opensearch.script.mustache.MustachePlugin.class,
            org.opensearch.script.expression.ExpressionPlugin.class,
            org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin.class,
            org.opensearch.index.rankeval.RankEvalPlugin.class,
            org.opensearch.plugin.repository.url.URLRepositoryPlugin.class);

    /** Node's plugin-taking constructor is protected: this subclass opens it. */
    static final class ClasspathNode extends Node {
        ClasspathNode(Settings settings, Collection<Class<? extends Plugin>> plugins) {
            super(InternalSettingsPreparer.prepareEnvironment(
                    settings, Map.of(), null, () -> "cs4od"), plugins, true);
        }
    }

    private SearchNode() {}

    static Settings settings(Path home, int httpPort, int transportPort) {
        return Settings.builder()
                .put("cluster.name", "cs4od")
                .put("node.name", "cs4od-search")
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("transport.port", transportPort)
                .put("discovery.type", "single-node")
                // Development disks are often nearly full: never turn indices read-only.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.auto_create_index", true)
                .build();
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: SearchNode <home> <http-port> <transport-port>");
            System.exit(2);
        }
        try {
            Path home = Path.of(args[0]).toAbsolutePath();
            Files.createDirectories(home.resolve("config"));
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("logs"));
            Settings settings = settings(home, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            LogConfigurator.configureWithoutConfig(settings);
            Node node = new ClasspathNode(settings, MODULES);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    node.close();
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    stopped.countDown();
                }
            }, "cs4od-search-shutdown"));
            node.start();
            System.out.println("cs4od search node started on 127.0.0.1:" + args[1]);
            stopped.await();
        } catch (Throwable e) {
            System.err.println("cs4od search node failed to start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
