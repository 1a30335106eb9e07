package org.rapport.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Starts a real Neo4j 5 server (Bolt on loopback, authentication on, GDS procedures allowed) in this JVM.
 *
 * <p>Prints {@code RAPPORT_NEO4J_READY bolt://127.0.0.1:PORT} on standard output once Bolt accepts
 * connections, then runs until SIGTERM/SIGINT, or until standard input closes when {@code --watch-stdin}
 * is given (so a test run that dies never leaves a JVM behind). Shutdown closes the databases cleanly.
 *
 * <p>Arguments: {@code --home DIR} (data, logs; kept between runs), {@code --password PW} (the
 * {@code neo4j} user's password, set at every start), {@code --plugins DIR} (GDS jars),
 * {@code --bolt-port N} (0 = a free port), {@code --http-port N} (0 = a free port, -1 = no HTTP),
 * {@code --heap-hint} is the JVM's business ({@code -Xmx}), {@code --pagecache SIZE_MB}.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path home = Path.of(required(options, "--home")).toAbsolutePath();
        String password = required(options, "--password");
        int boltPort = Integer.parseInt(options.getOrDefault("--bolt-port", "0"));
        int httpPort = Integer.parseInt(options.getOrDefault("--http-port", "-1"));
        long pagecacheMb = Long.parseLong(options.getOrDefault("--pagecache", "256"));
        Files.createDirectories(home);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*"))
                .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of("*"));
        if (options.containsKey("--plugins")) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, Path.of(options.get("--plugins")).toAbsolutePath());
        }
        if (httpPort >= 0) {
            builder.setConfig(HttpConnector.enabled, true)
                    .setConfig(HttpConnector.listen_address, new SocketAddress("127.0.0.1", httpPort));
        }
        DatabaseManagementService service = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            stopped.countDown();
        }, "rapport-neo4j-shutdown"));

        GraphDatabaseService system = service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (RuntimeException e) {
            // a restart on a kept home: the password is already this one, which Neo4j refuses to "change"
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                service.shutdown(); // or the database threads keep the JVM up after main throws
                throw e;
            }
        }

        ConnectorPortRegister ports = ((GraphDatabaseAPI) service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME))
                .getDependencyResolver().resolveDependency(ConnectorPortRegister.class);
        System.out.println("RAPPORT_NEO4J_READY bolt://" + ports.getLocalAddress(ConnectorType.BOLT));
        if (httpPort >= 0) {
            System.out.println("RAPPORT_NEO4J_HTTP http://" + ports.getLocalAddress(ConnectorType.HTTP));
        }
        System.out.flush();

        if (options.containsKey("--watch-stdin")) {
            Thread watcher = new Thread(() -> {
                drain(System.in);
                System.exit(0); // the parent is gone: shut down (the hook closes the databases)
            }, "rapport-neo4j-stdin");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // nothing to read but the end of the stream
            }
        } catch (IOException ignored) {
            // a broken pipe means the same as the end: the parent is gone
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--watch-stdin")) {
                options.put(args[i], "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }
}
