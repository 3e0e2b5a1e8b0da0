package chat.bench;

import tools.jackson.databind.node.ObjectNode;

/** The machine a run measured: processors, CPU model and the JDK. */
record Machine(int processors, String cpuModel, String jdk) {

  static Machine current() {
    return new Machine(Runtime.getRuntime().availableProcessors(), Proc.cpuModel(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
  }

  ObjectNode toJson() {
    ObjectNode o = JsonOut.object();
    o.put("processors", processors);
    o.put("cpu_model", cpuModel);
    o.put("jdk", jdk);
    return o;
  }

  @Override
  public String toString() {
    return processors + " processors available to the generator, " + cpuModel + ", " + jdk;
  }
}
