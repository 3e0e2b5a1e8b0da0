package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameLimitsTest {

  @Test
  void defaultsAreThoseOfTheProtocol() {
    assertThat(FrameLimits.DEFAULT.maxHeaderBytes()).isEqualTo(8192);
    assertThat(FrameLimits.DEFAULT.maxContentBytes()).isEqualTo(65536);
    assertThat(FrameLimits.DEFAULT.maxConsecutiveErrors()).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 15, 0x10000, Integer.MAX_VALUE})
  void rejectsMaxHeaderBytesOutsideTheLengthPrefixRange(int maxHeaderBytes) {
    assertThatThrownBy(() -> new FrameLimits(maxHeaderBytes, 1024, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxHeaderBytes")
        .hasMessageContaining(String.valueOf(maxHeaderBytes));
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 8192, 0xFFFF})
  void acceptsMaxHeaderBytesInRange(int maxHeaderBytes) {
    assertThat(new FrameLimits(maxHeaderBytes, 1024, 10).maxHeaderBytes())
        .isEqualTo(maxHeaderBytes);
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1})
  void rejectsNegativeMaxContentBytes(int maxContentBytes) {
    assertThatThrownBy(() -> new FrameLimits(1024, maxContentBytes, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxContentBytes");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, Integer.MAX_VALUE})
  void acceptsNonNegativeMaxContentBytes(int maxContentBytes) {
    assertThat(new FrameLimits(1024, maxContentBytes, 10).maxContentBytes())
        .isEqualTo(maxContentBytes);
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0})
  void rejectsMaxConsecutiveErrorsBelowOne(int maxConsecutiveErrors) {
    assertThatThrownBy(() -> new FrameLimits(1024, 1024, maxConsecutiveErrors))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConsecutiveErrors");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, Integer.MAX_VALUE})
  void acceptsMaxConsecutiveErrorsFromOne(int maxConsecutiveErrors) {
    assertThat(new FrameLimits(1024, 1024, maxConsecutiveErrors).maxConsecutiveErrors())
        .isEqualTo(maxConsecutiveErrors);
  }
}
