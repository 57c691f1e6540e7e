package dev.linegate.connectors.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's OPC UA identity and trust, in one directory:
 *
 * <ul>
 *   <li>{@code own/linegate-client.pfx}: the client's key and self-signed certificate, created on
 *       the first start and reused after (a PLC that trusted it keeps trusting it); {@code
 *       own/certs/linegate-client.der} is the certificate alone, to copy into a PLC's trust list;
 *   <li>{@code trusted/certs}: the server certificates the gateway trusts (watched: a file moved in
 *       is trusted at the next connect);
 *   <li>{@code rejected/certs}: server certificates that were refused.
 * </ul>
 */
final class OpcUaPki implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpcUaPki.class);
  private static final String ALIAS = "linegate-client";

  /** The file's permissions protect the key; PKCS12 needs a password all the same. */
  private static final char[] PASSWORD = "linegate".toCharArray();

  private final Path dir;
  private final KeyPair keyPair;
  private final X509Certificate certificate;
  private final String applicationUri;
  private final FileBasedTrustListManager trustList;
  private final FileBasedCertificateQuarantine quarantine;

  private OpcUaPki(
      Path dir,
      KeyPair keyPair,
      X509Certificate certificate,
      FileBasedTrustListManager trustList,
      FileBasedCertificateQuarantine quarantine) {
    this.dir = dir;
    this.keyPair = keyPair;
    this.certificate = certificate;
    this.applicationUri =
        CertificateUtil.getSanUri(certificate).orElseGet(OpcUaPki::newApplicationUri);
    this.trustList = trustList;
    this.quarantine = quarantine;
  }

  static OpcUaPki open(Path dir) throws Exception {
    Path own = dir.resolve("own");
    Files.createDirectories(own.resolve("certs"));
    Path keyStoreFile = own.resolve(ALIAS + ".pfx");
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    KeyPair keyPair;
    X509Certificate certificate;
    if (Files.exists(keyStoreFile)) {
      try (InputStream in = Files.newInputStream(keyStoreFile)) {
        keyStore.load(in, PASSWORD);
      }
      certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
      keyPair =
          new KeyPair(certificate.getPublicKey(), (PrivateKey) keyStore.getKey(ALIAS, PASSWORD));
    } else {
      keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
      certificate = newCertificate(keyPair);
      keyStore.load(null, PASSWORD);
      keyStore.setKeyEntry(ALIAS, keyPair.getPrivate(), PASSWORD, new Certificate[] {certificate});
      Path partial = own.resolve(ALIAS + ".pfx.partial");
      try (OutputStream out = Files.newOutputStream(partial)) {
        keyStore.store(out, PASSWORD);
      }
      restrictToOwner(partial);
      Files.move(partial, keyStoreFile, StandardCopyOption.ATOMIC_MOVE);
      Files.write(own.resolve("certs").resolve(ALIAS + ".der"), certificate.getEncoded());
      log.info(
          "Created the gateway's OPC UA client certificate {}; a PLC that checks clients must trust {}",
          keyStoreFile,
          own.resolve("certs").resolve(ALIAS + ".der"));
    }
    FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(dir);
    FileBasedCertificateQuarantine quarantine =
        FileBasedCertificateQuarantine.create(rejectedCerts(dir));
    return new OpcUaPki(dir, keyPair, certificate, trustList, quarantine);
  }

  KeyPair keyPair() {
    return keyPair;
  }

  X509Certificate certificate() {
    return certificate;
  }

  String applicationUri() {
    return applicationUri;
  }

  /** Where an operator puts the server certificates to trust. */
  static Path trustedCerts(Path dir) {
    return dir.resolve("trusted").resolve("certs");
  }

  /** Where refused server certificates are copied for an operator to check. */
  static Path rejectedCerts(Path dir) {
    return dir.resolve("rejected").resolve("certs");
  }

  /**
   * Checks server certificates against {@code trusted/certs}; a refused one is copied to {@code
   * rejected/certs} and remembered in {@code refused}, so the connection's status can say why.
   */
  CertificateValidator validator(AtomicReference<@Nullable X509Certificate> refused) {
    var strict = new DefaultClientCertificateValidator(trustList, quarantine);
    return (List<X509Certificate> chain, @Nullable String uri, String @Nullable [] hosts) -> {
      try {
        strict.validateCertificateChain(chain, uri, hosts);
      } catch (UaException e) {
        refused.set(chain.get(0));
        throw e;
      }
    };
  }

  /** Development only: any server certificate is accepted (say so once per connection). */
  static CertificateValidator trustingEverything(String endpoint) {
    return (chain, uri, hosts) ->
        log.debug(
            "Not checking the certificate of {} ({}): trustAllCertificates is on",
            endpoint,
            chain.get(0).getSubjectX500Principal());
  }

  @Override
  public void close() {
    try {
      trustList.close();
    } catch (IOException e) {
      log.debug("Closing the trust list of {} failed", dir, e);
    }
  }

  private static X509Certificate newCertificate(KeyPair keyPair) throws Exception {
    String host = hostName().orElse("localhost");
    return new SelfSignedCertificateBuilder(keyPair)
        .setCommonName("Linegate gateway")
        .setOrganization("Linegate")
        .setApplicationUri(newApplicationUri())
        .addDnsName(host)
        .setValidityPeriod(Period.ofYears(20))
        .build();
  }

  private static String newApplicationUri() {
    return "urn:linegate:gateway:" + hostName().orElse("localhost");
  }

  private static Optional<String> hostName() {
    try {
      return Optional.of(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void restrictToOwner(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      log.debug("Could not restrict the permissions of {}", file, e);
    }
  }
}
