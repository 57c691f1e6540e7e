package dev.linegate.simulator.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Period;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated PLC's own self-signed certificate, created once in the PKI directory and kept, so a
 * gateway that trusted it once keeps trusting it across restarts of the simulator.
 */
record ServerCertificate(KeyPair keyPair, X509Certificate certificate, Path derFile) {

  private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);
  private static final String KEY_STORE = "opcua-plc.pfx";
  private static final String DER = "opcua-plc.der";
  private static final String ALIAS = "opcua-plc";

  /** Protects nothing secret (a simulator's key); PKCS12 just needs one. */
  private static final char[] PASSWORD = "linegate-simulator".toCharArray();

  static ServerCertificate loadOrCreate(Path pkiDir, String applicationUri, String host)
      throws Exception {
    Files.createDirectories(pkiDir);
    Path keyStoreFile = pkiDir.resolve(KEY_STORE);
    Path derFile = pkiDir.resolve(DER);
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    if (Files.exists(keyStoreFile)) {
      try (InputStream in = Files.newInputStream(keyStoreFile)) {
        keyStore.load(in, PASSWORD);
      }
      var certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
      var key = (PrivateKey) keyStore.getKey(ALIAS, PASSWORD);
      return new ServerCertificate(
          new KeyPair(certificate.getPublicKey(), key), certificate, derFile);
    }
    KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    var builder =
        new SelfSignedCertificateBuilder(keyPair)
            .setCommonName("Linegate simulated PLC")
            .setOrganization("Linegate")
            .setApplicationUri(applicationUri)
            .setValidityPeriod(Period.ofYears(10))
            .addDnsName("localhost")
            .addIpAddress("127.0.0.1");
    if (host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
      if (!host.equals("127.0.0.1")) {
        builder.addIpAddress(host);
      }
    } else if (!host.equals("localhost")) {
      builder.addDnsName(host);
    }
    addHostName(builder);
    X509Certificate certificate = builder.build();
    keyStore.load(null, PASSWORD);
    keyStore.setKeyEntry(ALIAS, keyPair.getPrivate(), PASSWORD, new Certificate[] {certificate});
    try (OutputStream out = Files.newOutputStream(keyStoreFile)) {
      keyStore.store(out, PASSWORD);
    }
    Files.write(derFile, certificate.getEncoded());
    LOG.info(
        "created the PLC's certificate {} (trust it in a client by copying {})",
        keyStoreFile,
        derFile);
    return new ServerCertificate(keyPair, certificate, derFile);
  }

  private static void addHostName(SelfSignedCertificateBuilder builder) {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      if (!name.equals("localhost")) {
        builder.addDnsName(name);
      }
    } catch (IOException e) {
      LOG.debug("no host name for the certificate", e);
    }
  }
}
