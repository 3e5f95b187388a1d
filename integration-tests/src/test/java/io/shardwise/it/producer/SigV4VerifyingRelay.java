package io.shardwise.it.producer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * An HTTP relay in front of a Kinesis endpoint that checks the SigV4 signature of every request it
 * receives against the bytes that actually arrived, then forwards the request unchanged. The oracle is
 * the SDK's own signer run again over the received method, URI, signed headers and body, at the received
 * X-Amz-Date: a signature computed over anything but these bytes (say, a body replaced after signing)
 * comes out different. Kinesis itself would answer such a request with a 403; local engines do not check.
 */
final class SigV4VerifyingRelay implements AutoCloseable {
    /** A request as received, enough to verify it again later. Header names are lower case. */
    record Received(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
        String operation() {
            String target = first(headers, "x-amz-target");
            return target == null ? method + " " + uri.getRawPath() : target.substring(target.indexOf('.') + 1);
        }
    }

    /**
     * What the check found: the Authorization header received and the one the signer computes for the
     * received bytes, and a problem with the body's declared hash (x-amz-content-sha256), or null.
     */
    record Verdict(String receivedAuthorization, String expectedAuthorization, String payloadHashProblem) {
        boolean valid() {
            return receivedAuthorization != null && receivedAuthorization.equals(expectedAuthorization)
                    && payloadHashProblem == null;
        }
    }

    record Mismatch(String operation, Verdict verdict) {}

    private static final String SERVICE = "kinesis";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    // Set by java.net.http itself (it refuses some of them) or meaningless once the body is re-framed.
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final URI upstream;
    private final String region;
    private final AwsCredentialsIdentity credentials;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "sigv4-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, LongAdder> verified = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> observed = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Mismatch> mismatches = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Received> lastPutRecords = new AtomicReference<>();

    private SigV4VerifyingRelay(URI upstream, String region, AwsCredentialsIdentity credentials) throws IOException {
        this.upstream = upstream;
        this.region = region;
        this.credentials = credentials;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    /** A relay to {@code upstream} that verifies signatures made for {@code region} with {@code credentials}. */
    static SigV4VerifyingRelay start(URI upstream, String region, AwsCredentialsIdentity credentials) throws IOException {
        return new SigV4VerifyingRelay(upstream, region, credentials);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests whose signature held, by operation (PutRecords, ListShards, ...). */
    Map<String, Long> verifiedByOperation() {
        return sums(verified);
    }

    List<Mismatch> mismatches() {
        return List.copyOf(mismatches);
    }

    /**
     * Facts about what arrived, counted: each operation's Content-Type, the signed header names, and
     * whether requests carried x-amz-content-sha256 (its value when not a plain hash) or a Transfer-Encoding.
     */
    Map<String, Long> observed() {
        return sums(observed);
    }

    /** The last PutRecords request received, signed by the SDK and verified. */
    Received lastPutRecords() {
        return lastPutRecords.get();
    }

    /**
     * Verifies one request as received: signs method, URI, the headers its Authorization names and the
     * body again with the SDK's SigV4 signer at the request's X-Amz-Date, and compares the result with
     * the Authorization it carried; checks that x-amz-content-sha256, when present, is the body's hash.
     */
    static Verdict verify(String method, URI uri, Map<String, List<String>> headers, byte[] body, String region,
                          AwsCredentialsIdentity credentials) {
        Map<String, List<String>> lower = lowerCase(headers);
        String authorization = first(lower, "authorization");
        String amzDate = first(lower, "x-amz-date");
        if (authorization == null || amzDate == null) {
            return new Verdict(authorization, null, "no Authorization or X-Amz-Date header");
        }
        String bodyHash = sha256Hex(body);
        String declaredHash = first(lower, "x-amz-content-sha256");
        String hashProblem = declaredHash == null || declaredHash.equals(bodyHash) ? null
                : "x-amz-content-sha256 is " + declaredHash + ", the " + body.length + "-byte body hashes to " + bodyHash;

        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        for (String name : signedHeaders(authorization)) {
            List<String> values = lower.get(name);
            if (values != null) {
                request.putHeader(name, values);
            }
        }
        Clock signedAt = Clock.fixed(LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        String expected = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request.build())
                        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, signedAt))
                .request().firstMatchingHeader("Authorization").orElse(null);
        return new Verdict(authorization, expected, hashProblem);
    }

    /** Like {@link #verify(String, URI, Map, byte[], String, AwsCredentialsIdentity)}, with this relay's region and keys. */
    Verdict verify(Received request) {
        return verify(request.method(), request.uri(), request.headers(), request.body(), region, credentials);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Received request = receive(exchange);
            check(request);
            forward(exchange, request);
        } catch (IOException | RuntimeException | InterruptedException e) {
            // Recorded so the test fails on it; the producer sees a server error, which it retries.
            mismatches.add(new Mismatch("relay failure", new Verdict(null, null, e.toString())));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (exchange.getResponseCode() == -1) {
                exchange.sendResponseHeaders(502, -1);
            }
        } finally {
            exchange.close();
        }
    }

    private static Received receive(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = lowerCase(exchange.getRequestHeaders());
        URI requested = exchange.getRequestURI();
        URI uri = URI.create("http://" + first(headers, "host") + requested.getRawPath()
                + (requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery()));
        return new Received(exchange.getRequestMethod(), uri, headers, body);
    }

    private void check(Received request) {
        String operation = request.operation();
        count(observed, operation + " Content-Type " + first(request.headers(), "content-type"));
        String declaredHash = first(request.headers(), "x-amz-content-sha256");
        count(observed, "x-amz-content-sha256 " + (declaredHash == null ? "absent"
                : declaredHash.matches("[0-9a-f]{64}") ? "a SHA-256 hex digest" : declaredHash));
        String authorization = first(request.headers(), "authorization");
        if (authorization != null) {
            count(observed, "SignedHeaders " + String.join(";", signedHeaders(authorization)));
        }
        String transferEncoding = first(request.headers(), "transfer-encoding");
        if (transferEncoding != null) {
            count(observed, "Transfer-Encoding " + transferEncoding);
        }
        Verdict verdict = verify(request);
        if (verdict.valid()) {
            count(verified, operation);
            if (operation.equals("PutRecords")) {
                lastPutRecords.set(request);
            }
        } else {
            mismatches.add(new Mismatch(operation, verdict));
        }
    }

    private void forward(HttpExchange exchange, Received request) throws IOException, InterruptedException {
        URI target = upstream.resolve(request.uri().getRawPath()
                + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()));
        HttpRequest.Builder out = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name)) {
                values.forEach(value -> out.header(name, value));
            }
        });
        HttpResponse<byte[]> response = client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        try (OutputStream responseBody = exchange.getResponseBody()) {
            responseBody.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    /** The header names listed in {@code SignedHeaders=} of an Authorization header. */
    private static List<String> signedHeaders(String authorization) {
        for (String part : authorization.split(",")) {
            String trimmed = part.trim();
            if (trimmed.startsWith("SignedHeaders=")) {
                return List.of(trimmed.substring("SignedHeaders=".length()).split(";"));
            }
        }
        return List.of();
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                .addAll(values));
        return lower;
    }

    private static String first(Map<String, List<String>> lowerCaseHeaders, String name) {
        List<String> values = lowerCaseHeaders.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> sums = new TreeMap<>();
        counts.forEach((key, count) -> sums.put(key, count.sum()));
        return sums;
    }

    private static void count(Map<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
