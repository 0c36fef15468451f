/** What `read` throws, or undefined when it returns: for reads that must fail at a given moment. */
export function thrownBy(read: () => unknown): unknown {
  try {
    read();
    return undefined;
  } catch (error: unknown) {
    return error;
  }
}
