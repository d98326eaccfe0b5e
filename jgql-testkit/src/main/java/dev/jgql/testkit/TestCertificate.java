package dev.jgql.testkit;

import io.vertx.core.net.PfxOptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate made for one test run, by the JDK's own {@code keytool} (so nothing
 * private is ever committed): a PKCS#12 key store for a loopback TLS server, and an
 * {@link SSLContext} that trusts exactly this certificate, for the client. The key store lives in
 * the directory given (a JUnit {@code @TempDir}) and is valid for two days.
 *
 * <pre>{@code
 * TestCertificate certificate = TestCertificate.create(tempDir, "localhost", "ip:127.0.0.1");
 * HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
 *     .setKeyCertOptions(certificate.keyCertOptions()));
 * HttpTransport transport = HttpTransport.builder(uri).sslContext(certificate.trustingContext()).build();
 * }</pre>
 */
public final class TestCertificate {
    private static final String PASSWORD = "test-only";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final String alias;
    private final Path keyStore;

    private TestCertificate(String alias, Path keyStore) {
        this.alias = alias;
        this.keyStore = keyStore;
    }

    /**
     * Generates an EC (P-256) key pair and a self-signed certificate for the given subject
     * alternative name ({@code ip:127.0.0.1}, {@code dns:localhost}).
     *
     * @param dir   where the key store file is written
     * @param alias the key's alias and the certificate's common name
     * @param san   the subject alternative name, in keytool's syntax
     * @throws IllegalStateException if keytool fails or takes more than a minute
     */
    public static TestCertificate create(Path dir, String alias, String san) {
        Objects.requireNonNull(dir, "dir");
        Path file = dir.resolve(alias + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        try {
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", alias, "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=" + alias, "-ext", "SAN=" + san, "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed (" + process.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + keytool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while keytool ran", e);
        }
        return new TestCertificate(alias, file);
    }

    /** The PKCS#12 key store file holding the key and the certificate. */
    public Path keyStore() {
        return keyStore;
    }

    /** The key store's password (the key's too); a test-only secret. */
    public String password() {
        return PASSWORD;
    }

    /** The key and certificate as a Vert.x server takes them. */
    public PfxOptions keyCertOptions() {
        return new PfxOptions().setPath(keyStore.toString()).setPassword(PASSWORD);
    }

    /** The certificate alone. */
    public Certificate certificate() {
        try {
            return load().getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not read the certificate " + alias + " from " + keyStore, e);
        }
    }

    /** A client context that trusts this certificate and these others (and nothing else). */
    public SSLContext trustingContext(TestCertificate... alsoTrusted) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(alias, certificate());
            for (TestCertificate other : alsoTrusted) {
                trusted.setCertificateEntry(other.alias, other.certificate());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not build a context trusting " + alias, e);
        }
    }

    private KeyStore load() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not read " + keyStore, e);
        }
    }

    @Override
    public String toString() {
        return "TestCertificate{" + alias + '}';
    }
}
