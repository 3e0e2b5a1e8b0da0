package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading /proc and jcmd output. */
class ProcTest {

  @Test
  void heapInfoOfG1AndOfGenerationalCollectors() {
    assertThat(ProcessProbe.heapUsed("""
        19490:
        garbage-first heap   total reserved 6172672K, committed 28672K, used 5998K [0x0, 0x1)
         region size 4096K, 0 young (0K), 0 survivors (0K)
         Metaspace       used 1234K, committed 1300K, reserved 1114112K
        """)).isEqualTo(5998 * 1024L);
    assertThat(ProcessProbe.heapUsed("""
        1234:
         def new generation   total 9792K, used 100K [0x0, 0x1, 0x2)
          eden space 8704K,   1% used [0x0, 0x1, 0x2)
         tenured generation   total 21888K, used 4000K [0x0, 0x1, 0x2)
         Metaspace       used 1234K, committed 1300K, reserved 1114112K
          class space    used 100K, committed 128K, reserved 1048576K
        """)).isEqualTo(4100 * 1024L);
    assertThat(ProcessProbe.heapUsed("1234:\nno heap here\n")).isEqualTo(-1);
  }

  @Test
  void ownProcessFigures() {
    long pid = ProcessHandle.current().pid();
    assertThat(Proc.cpuNanos(pid)).isPositive();
    assertThat(Proc.statusBytes(Long.toString(pid), "VmRSS")).isPositive();
    assertThat(Proc.tcpSocketMemory()[1]).isGreaterThanOrEqualTo(0);
  }

  @Test
  void aJvmIsToldFromAProcessThatIsNone() throws Exception {
    assertThat(ProcessProbe.isJvm(ProcessHandle.current().pid())).isTrue();
    Process sleep = new ProcessBuilder("sleep", "5").start();
    try {
      assertThat(ProcessProbe.isJvm(sleep.pid())).as("jcmd would SIGQUIT it").isFalse();
    } finally {
      sleep.destroy();
    }
    assertThat(ProcessProbe.isJvm(Long.MAX_VALUE)).isFalse();
  }
}
