package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Argon2HasherTest {

  /** Small parameters keep the test fast; the format and checks are the same. */
  private final Argon2Hasher hasher = new Argon2Hasher(1024, 1, 1);

  @Test
  void hashVerifiesItsPasswordAndNoOther() {
    String hash = hasher.hash("correct horse battery".toCharArray());
    assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
    assertThat(hasher.verify("correct horse battery".toCharArray(), hash)).isTrue();
    assertThat(hasher.verify("correct horse batterY".toCharArray(), hash)).isFalse();
    assertThat(hasher.verify("".toCharArray(), hash)).isFalse();
  }

  @Test
  void saltMakesEveryHashDifferent() {
    assertThat(hasher.hash("same".toCharArray())).isNotEqualTo(hasher.hash("same".toCharArray()));
  }

  @Test
  void hashesKeepTheirOwnParameters() {
    String old = new Argon2Hasher(2048, 2, 1).hash("pw".toCharArray());
    assertThat(hasher.verify("pw".toCharArray(), old)).isTrue();
  }

  @Test
  void nonAsciiPasswordsWork() {
    String hash = hasher.hash("pässwörd-€-\uD83D\uDD11".toCharArray());
    assertThat(hasher.verify("pässwörd-€-\uD83D\uDD11".toCharArray(), hash)).isTrue();
    assertThat(hasher.verify("passwörd-€-\uD83D\uDD11".toCharArray(), hash)).isFalse();
  }

  @Test
  void malformedOrHostileHashesAreRejectedNotThrown() {
    for (String bad : new String[] {null, "", "plain", "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA",
        "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=1024,t=1,p=1$!!$AAAA",
        "$argon2id$v=19$x=1$AAAA$AAAA"}) {
      assertThat(hasher.verify("pw".toCharArray(), bad)).as(String.valueOf(bad)).isFalse();
    }
  }

  @Test
  void defaultsFollowOwaspArgon2idGuidance() {
    String hash = new Argon2Hasher().hash("x".toCharArray());
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
  }
}
