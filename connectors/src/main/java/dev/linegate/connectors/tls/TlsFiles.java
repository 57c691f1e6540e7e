package dev.linegate.connectors.tls;

import dev.linegate.connectors.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The PEM files of a TLS client (SPEC section 12): the CA that signed the server's certificate
 * (without one, the JVM's own list of public CAs), and the client's certificate and key where the
 * server asks for one. The files are read at every connection, so a renewed certificate is taken
 * without a restart. Keys: PKCS#8 or the older PKCS#1 / SEC1 forms, RSA or EC, encrypted with
 * {@code keyPassword} or not; read by BouncyCastle, which the JDK leaves the older forms to.
 */
public record TlsFiles(
    Optional<Path> ca, Optional<Path> cert, Optional<Path> key, Secret keyPassword) {

  private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

  /** Read only to decrypt keys: not registered as a JVM-wide provider. */
  private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

  public TlsFiles {
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException("a client certificate needs its key, and a key its cert");
    }
  }

  /**
   * A context that trusts {@link #ca} and presents {@link #cert}; the server's name is checked by
   * the caller's socket (endpoint identification), not here.
   *
   * @throws TlsException naming the file that cannot be used and why, never a password
   */
  public SSLContext clientContext() throws TlsException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(), trustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new TlsException("TLS cannot use these files: " + e.getMessage(), e);
    }
  }

  private TrustManager[] trustManagers() throws TlsException, GeneralSecurityException {
    if (ca.isEmpty()) {
      return null;
    }
    KeyStore trusted = emptyStore();
    List<X509Certificate> authorities = certificates(ca.get());
    for (int i = 0; i < authorities.size(); i++) {
      trusted.setCertificateEntry("ca-" + i, authorities.get(i));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    return factory.getTrustManagers();
  }

  /**
   * What a server presents: {@link #cert} and {@link #key}.
   *
   * @throws TlsException naming the file that cannot be used and why, never a password
   */
  public KeyManagerFactory keyManagerFactory() throws TlsException {
    if (cert.isEmpty()) {
      throw new TlsException("no certificate and key to present");
    }
    try {
      return ownKeys();
    } catch (GeneralSecurityException e) {
      throw new TlsException("TLS cannot use " + cert.get() + ": " + e.getMessage(), e);
    }
  }

  private KeyManager[] keyManagers() throws TlsException, GeneralSecurityException {
    return cert.isEmpty() ? null : ownKeys().getKeyManagers();
  }

  private KeyManagerFactory ownKeys() throws TlsException, GeneralSecurityException {
    List<X509Certificate> chain = certificates(cert.get());
    PrivateKey privateKey = privateKey(key.get(), keyPassword);
    KeyStore own = emptyStore();
    char[] storePassword = new char[0];
    own.setKeyEntry("client", privateKey, storePassword, chain.toArray(new Certificate[0]));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(own, storePassword);
    return factory;
  }

  /** Every certificate in a PEM file, in order (a chain: the leaf first). */
  public static List<X509Certificate> certificates(Path file) throws TlsException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> found =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (found.isEmpty()) {
        throw new TlsException(file + " holds no certificate");
      }
      return found;
    } catch (IOException e) {
      throw new TlsException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TlsException(file + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /** The private key in a PEM file, decrypted with {@code password} if it is encrypted. */
  public static PrivateKey privateKey(Path file, Secret password) throws TlsException {
    Object read;
    try (Reader in = Files.newBufferedReader(file);
        PEMParser pem = new PEMParser(in)) {
      read = pem.readObject();
    } catch (IOException e) {
      throw new TlsException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // BouncyCastle's decoders throw unchecked exceptions on damaged base64 or ASN.1.
      throw new TlsException(file + " is not a PEM key: " + e.getMessage(), e);
    }
    try {
      // The private part alone: a SEC1 key need not carry its public key.
      if (read instanceof PEMKeyPair pair) {
        return KEYS.getPrivateKey(pair.getPrivateKeyInfo());
      }
      if (read instanceof PrivateKeyInfo info) {
        return KEYS.getPrivateKey(info);
      }
      if (read instanceof PEMEncryptedKeyPair || read instanceof PKCS8EncryptedPrivateKeyInfo) {
        if (password.isEmpty()) {
          throw new TlsException(file + " is encrypted: give its keyPassword");
        }
        char[] chars = password.value().toCharArray();
        if (read instanceof PEMEncryptedKeyPair encrypted) {
          return KEYS.getPrivateKey(
              encrypted
                  .decryptKeyPair(
                      new JcePEMDecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(chars))
                  .getPrivateKeyInfo());
        }
        return KEYS.getPrivateKey(
            ((PKCS8EncryptedPrivateKeyInfo) read)
                .decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(BOUNCY_CASTLE)
                        .build(chars)));
      }
    } catch (IOException | OperatorCreationException | PKCSException | RuntimeException e) {
      // The decryptors say little more than "wrong password" or "bad key": never the password.
      throw new TlsException(file + " cannot be decrypted or read: " + e.getMessage(), e);
    }
    throw new TlsException(file + " holds no private key in PEM (PKCS#8, PKCS#1 or SEC1)");
  }

  /**
   * Checks that {@code key} belongs to the first certificate of {@code cert}: a key of another
   * certificate would pass every other check at start and then fail every handshake.
   */
  public static void matching(Path cert, Path key, Secret password) throws TlsException {
    PrivateKey privateKey = privateKey(key, password);
    PublicKey publicKey = certificates(cert).get(0).getPublicKey();
    String algorithm =
        switch (privateKey.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return;
    }
    try {
      byte[] probe = "linegate".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // A key of another type than the certificate's: not its key either.
    }
    throw new TlsException(key + " is not the key of the certificate in " + cert);
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("an empty key store cannot be made", e);
    }
    return store;
  }
}
