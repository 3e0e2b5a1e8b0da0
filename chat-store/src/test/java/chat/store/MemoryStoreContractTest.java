package chat.store;

/** The contract against the core's in-memory reference implementation, as {@code memory}. */
class MemoryStoreContractTest extends StoreContractTest {

  @Override
  protected Store open() {
    return Stores.open("memory", null);
  }
}
