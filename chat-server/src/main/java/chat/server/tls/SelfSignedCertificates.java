package chat.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the server's own certificate when none is configured: an ECDSA P-256 key and a
 * self-signed certificate valid for ten years, written as PEM (certificate, and PKCS#8 key
 * readable by the owner only). Clients pin its fingerprint on first use.
 */
public final class SelfSignedCertificates {
  private SelfSignedCertificates() {}

  static final Duration VALIDITY = Duration.ofDays(3650);

  /** Writes {@code cert} and {@code key} for {@code hostNames}; overwrites nothing that exists. */
  public static void generate(Path cert, Path key, List<String> hostNames)
      throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    KeyPair pair = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=" + hostNames.get(0) + ",O=chat server");
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
        new BigInteger(127, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
    GeneralName[] names = hostNames.stream()
        .map(h -> h.matches("[0-9.]+|.*:.*")
            ? new GeneralName(GeneralName.iPAddress, h)
            : new GeneralName(GeneralName.dNSName, h))
        .toArray(GeneralName[]::new);
    try {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      Files.createDirectories(cert.toAbsolutePath().getParent());
      Files.createDirectories(key.toAbsolutePath().getParent());
      writeOwnerOnly(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
      Files.writeString(cert, pem(certificate), StandardCharsets.US_ASCII,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  private static void writeOwnerOnly(Path path, String content) throws IOException {
    Files.writeString(path, content, StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // best effort on file systems without POSIX permissions
    }
  }

}
