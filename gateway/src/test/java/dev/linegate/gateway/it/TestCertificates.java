package dev.linegate.gateway.it;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA made for one test, with a server certificate for localhost and 127.0.0.1 and a
 * client certificate, written as PEM files the way a plant's CA hands them out. The server's key is
 * EC in PKCS#8, the client's RSA in the older PKCS#1 form, so both forms are read.
 */
final class TestCertificates {

  record Pem(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {}

  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

  private TestCertificates() {}

  /** Writes {@code name-ca.pem} and the rest into {@code dir}. */
  static Pem write(Path dir, String name) throws IOException, GeneralSecurityException {
    return write(dir, name, "localhost");
  }

  /**
   * The same with a server certificate for {@code serverName} only (and 127.0.0.1 if that is
   * localhost).
   */
  static Pem write(Path dir, String name, String serverName)
      throws IOException, GeneralSecurityException {
    KeyPair caKeys = keys();
    X500Name caName = new X500Name("CN=" + name + " test CA");
    X509Certificate ca =
        sign(
            caKeys,
            new JcaX509v3CertificateBuilder(
                    caName, serial(), from(), until(), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
    KeyPair serverKeys = keys();
    X509Certificate server =
        sign(
            caKeys,
            leaf(caName, serverName, serverKeys, KeyPurposeId.id_kp_serverAuth)
                .addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(
                        serverName.equals("localhost")
                            ? new GeneralName[] {
                              new GeneralName(GeneralName.dNSName, serverName),
                              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                            }
                            : new GeneralName[] {
                              new GeneralName(GeneralName.dNSName, serverName)
                            })));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair clientKeys = rsa.generateKeyPair();
    X509Certificate client =
        sign(caKeys, leaf(caName, "linegate", clientKeys, KeyPurposeId.id_kp_clientAuth));
    Pem files =
        new Pem(
            dir.resolve(name + "-ca.pem"),
            dir.resolve(name + "-server.pem"),
            dir.resolve(name + "-server-key.pem"),
            dir.resolve(name + "-client.pem"),
            dir.resolve(name + "-client-key.pem"));
    pem(files.ca(), ca);
    pem(files.serverCert(), server);
    pem(files.serverKey(), new JcaPKCS8Generator(serverKeys.getPrivate(), null));
    pem(files.clientCert(), client);
    pem(files.clientKey(), clientKeys);
    return files;
  }

  private static X509v3CertificateBuilder leaf(
      X500Name issuer, String commonName, KeyPair keys, KeyPurposeId purpose) throws IOException {
    return new JcaX509v3CertificateBuilder(
            issuer, serial(), from(), until(), new X500Name("CN=" + commonName), keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
  }

  private static X509Certificate sign(KeyPair caKeys, X509v3CertificateBuilder b)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  private static Date from() {
    return Date.from(Instant.now().minus(Duration.ofHours(1)));
  }

  private static Date until() {
    return Date.from(Instant.now().plus(Duration.ofDays(2)));
  }

  private static void pem(Path file, Object content) throws IOException {
    try (Writer out = Files.newBufferedWriter(file);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(content);
    }
  }
}
